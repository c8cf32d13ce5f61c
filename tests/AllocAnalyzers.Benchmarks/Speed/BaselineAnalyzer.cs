using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// An analyzer that asks the driver for what ours ask for (operation trees of every body, symbols) and does
    /// nothing with it: the wall-clock baseline, so the overhead measured is our analyzers' own work.
    /// </summary>
// A measurement device, not a shipped analyzer (RS1036/RS1038/RS1041/RS2008 are off for this project).
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class BaselineAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new DiagnosticDescriptor("BASE001", "Never", "Never", "Baseline", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockStartAction(block => block.RegisterOperationAction(_ => { }, OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.Conversion));
            context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
        }
    }
}

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>Reports a diagnostic on every struct and does nothing else: what reporting itself costs in the driver.</summary>
    [Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
    internal sealed class ReportOnlyAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer
    {
        private static readonly Microsoft.CodeAnalysis.DiagnosticDescriptor Always = new Microsoft.CodeAnalysis.DiagnosticDescriptor("BASE002", "Always", "Always", "Baseline", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.DiagnosticDescriptor> SupportedDiagnostics => System.Collections.Immutable.ImmutableArray.Create(Always);

        public override void Initialize(Microsoft.CodeAnalysis.Diagnostics.AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(Microsoft.CodeAnalysis.Diagnostics.GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(c =>
            {
                if (c.Symbol is Microsoft.CodeAnalysis.INamedTypeSymbol { TypeKind: Microsoft.CodeAnalysis.TypeKind.Struct } type)
                {
                    c.ReportDiagnostic(Microsoft.CodeAnalysis.Diagnostic.Create(Always, type.Locations[0]));
                }
            }, Microsoft.CodeAnalysis.SymbolKind.NamedType);
        }
    }
}
