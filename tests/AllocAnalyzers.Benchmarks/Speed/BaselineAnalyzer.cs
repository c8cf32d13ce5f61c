using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Measurement devices, not shipped analyzers (RS1036/RS1038/RS1041/RS2008 are off for this project).
namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// An analyzer that asks the driver for what ours ask for (operation trees of every body, symbols) and does
    /// nothing with it: the baseline, so the overhead measured is our analyzers' own work. Given another run's
    /// diagnostics (<c>replay</c>), it also reports each again at its place (same descriptor, severity and properties;
    /// from one semantic-model action per file, configured for generated code as ours are): what the driver spends
    /// on those diagnostics, whichever analyzer reports them.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class BaselineAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new DiagnosticDescriptor("BASE001", "Never", "Never", "Baseline", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        private readonly Dictionary<string, List<Diagnostic>>? _replay;
        private readonly ImmutableArray<DiagnosticDescriptor> _supported;

        public BaselineAnalyzer(ImmutableArray<Diagnostic> replay = default)
        {
            _supported = ImmutableArray.Create(Never);
            if (!replay.IsDefault)
            {
                _replay = replay.Where(d => d.Location.IsInSource).GroupBy(d => d.Location.SourceTree!.FilePath).ToDictionary(g => g.Key, g => g.ToList());
                _supported = _supported.AddRange(replay.Select(d => d.Descriptor).Distinct());
            }
        }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _supported;

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(_replay != null ? GeneratedCodeAnalysisFlags.ReportDiagnostics : GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockStartAction(block => block.RegisterOperationAction(
                _ => { },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.Conversion));
            context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
            if (_replay != null)
            {
                context.RegisterSemanticModelAction(c =>
                {
                    var tree = c.SemanticModel.SyntaxTree;
                    if (_replay.TryGetValue(tree.FilePath, out var reported))
                    {
                        foreach (var diagnostic in reported)
                        {
                            c.ReportDiagnostic(Diagnostic.Create(diagnostic.Descriptor, Location.Create(tree, diagnostic.Location.SourceSpan), diagnostic.Severity, additionalLocations: null, diagnostic.Properties));
                        }
                    }
                });
            }
        }
    }

    /// <summary>
    /// Reports one diagnostic per struct and does nothing else: what reporting itself costs in the driver. Either
    /// on each struct (diagnostics in every file) or, with <c>oneFile</c>, all at the start of the first file.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class ReportOnlyAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Always = new DiagnosticDescriptor("BASE002", "Always", "Always", "Baseline", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        private readonly bool _oneFile;

        public ReportOnlyAnalyzer(bool oneFile) => _oneFile = oneFile;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Always);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(c =>
            {
                if (c.Symbol is INamedTypeSymbol { TypeKind: TypeKind.Struct } type)
                {
                    var location = _oneFile ? Location.Create(c.Compilation.SyntaxTrees.First(), new TextSpan(0, 0)) : type.Locations[0];
                    c.ReportDiagnostic(Diagnostic.Create(Always, location));
                }
            }, SymbolKind.NamedType);
        }
    }
}
