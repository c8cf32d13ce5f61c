using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// The ALLOC3xx family: struct layout. <see cref="PaddedStructRule"/> (ALLOC301, ALLOC303) looks at every struct
    /// declared; <see cref="LargeStructCopyRule"/> (ALLOC302) at the hot code of each block, from one operation action.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StructLayoutAnalyzer : AllocDiagnosticAnalyzer
    {
        /// <summary>ALLOC301/303 property: the struct's runtime size in bytes.</summary>
        public const string CurrentSizeProperty = "CurrentSize";

        /// <summary>ALLOC301/303 property: the size after the proposed reorder, in bytes.</summary>
        public const string OptimalSizeProperty = "OptimalSize";

        private static readonly OperationRuleSet<LargeStructCopyScope> CopyRules = new OperationRuleSet<LargeStructCopyScope>(new LargeStructCopyRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = PaddedStructRule.SupportedDiagnostics.AddRange(CopyRules.SupportedDiagnostics);

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var engine = LayoutEngine.For(context.Compilation);
            var rules = CopyRules.For(context.Compilation);
            var interop = InteropUsage.For(context.Compilation);
            context.RegisterSymbolAction(c => PaddedStructRule.AnalyzeType(c, engine, interop), SymbolKind.NamedType);
            context.RegisterOperationBlockStartAction(block =>
            {
                var hot = HotCode.For(block.OwningSymbol, block.Options, knownTypes, block.CancellationToken);
                if (hot != null)
                {
                    rules.Register(block, LargeStructCopyRule.ScopeFor(block.OwningSymbol, block.Options, engine, hot));
                }
            });
        }
    }
}
