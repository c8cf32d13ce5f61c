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
    /// nothing with it: the baseline, so the overhead measured is our analyzers' own work. With
    /// <c>reportInvocations</c> it also reports a warning at every invocation, as ours report in bodies (configured for
    /// generated code as ours are): the driver's cost per diagnostic reported.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class BaselineAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new DiagnosticDescriptor("BASE001", "Never", "Never", "Baseline", DiagnosticSeverity.Hidden, isEnabledByDefault: true);
        private static readonly DiagnosticDescriptor Invocation = new DiagnosticDescriptor("BASE003", "Invocation", "Invocation", "Baseline", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        private readonly bool _reportInvocations;

        public BaselineAnalyzer(bool reportInvocations = false) => _reportInvocations = reportInvocations;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never, Invocation);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(_reportInvocations ? GeneratedCodeAnalysisFlags.ReportDiagnostics : GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockStartAction(block => block.RegisterOperationAction(
                c =>
                {
                    if (_reportInvocations && c.Operation.Kind == OperationKind.Invocation)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Invocation, c.Operation.Syntax.GetLocation()));
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.Conversion));
            context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
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
