using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// The ALLOC2xx family: boxing (<see cref="BoxingConversionRule"/>, <see cref="BoxingCallRule"/>,
    /// <see cref="BoxingEnumerationRule"/>, <see cref="StructKeyEqualityRule"/>), run from one operation action per block. Boxing is reported everywhere: as
    /// a warning in hot code (with the reason) and as a suggestion elsewhere; a severity configured for the ID applies
    /// to both.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BoxingAnalyzer : AllocDiagnosticAnalyzer
    {
        private static readonly RuleFamily<BoxingScope> Family = new RuleFamily<BoxingScope>(Start,
            new BoxingConversionRule(), new BoxingCallRule(), new BoxingEnumerationRule(), new StructKeyEqualityRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Family.SupportedDiagnostics;

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes) => Family.Register(context, knownTypes);

        /// <summary>Every block: boxing outside hot code is a suggestion, so cold code is looked at too (the one family that does).</summary>
        private static BlockScopeFactory<BoxingScope> Start(Compilation compilation, FamilyServices services)
            => (in BlockStart block) => new BoxingScope(services, services.HotCodeOf(block), block.Options);
    }
}
