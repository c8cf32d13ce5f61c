using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Configuration
{
    /// <summary>
    /// ALLOC001: reports each <c>alloc_analyzers.*</c> value that cannot be read, once per file it applies to,
    /// on the file's first token (so a <c>#pragma</c> at the top of the file can suppress it), naming the key, the value, what was expected and the default used instead.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ConfigurationAnalyzer : AllocDiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InvalidConfiguration);

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
            => context.RegisterSyntaxTreeAction(AnalyzeTree);

        private static void AnalyzeTree(SyntaxTreeAnalysisContext context)
        {
            var options = context.Options.AnalyzerConfigOptionsProvider.ForTree(context.Tree);
            Location? location = null;
            foreach (var option in AllocOptions.All)
            {
                if (options.TryGetValue(option.Key, out var raw) && !option.TryValidate(raw, out var problem))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.InvalidConfiguration,
                        location ??= context.Tree.GetRoot(context.CancellationToken).GetFirstToken(includeZeroWidth: true).GetLocation(),
                        option.Key,
                        raw,
                        problem,
                        option.DefaultText));
                }
            }
        }
    }
}
