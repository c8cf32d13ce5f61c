using System.Collections.Immutable;
using AllocAnalyzers.Cost;
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

        private static readonly RuleFamily<LargeStructCopyScope> Family = new RuleFamily<LargeStructCopyScope>(Start, new LargeStructCopyRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = PaddedStructRule.SupportedDiagnostics.AddRange(Family.SupportedDiagnostics);

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var services = Family.Register(context, knownTypes);
            // ALLOC301/303 are about a struct's declaration, not code in a block: a symbol action per struct, which
            // checks the rule switch and generated files itself (PaddedStructRule).
            var interop = InteropUsage.For(context.Compilation);
            context.RegisterSymbolAction(c => PaddedStructRule.AnalyzeType(c, services.Engine, interop), SymbolKind.NamedType);
        }

        private static BlockScopeFactory<LargeStructCopyScope> Start(Compilation compilation, FamilyServices services)
            => (in BlockStart block) => services.HotCodeOf(block) is { } hot ? new LargeStructCopyScope(services, hot, block.Options) : null;
    }
}
