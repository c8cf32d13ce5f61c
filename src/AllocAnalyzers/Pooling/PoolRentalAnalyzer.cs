using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// The ALLOC4xx family: pool rentals (ArrayPool, ObjectPool, MemoryPool owners, configured pools) that are not
    /// returned on every path, returned twice, used after return, returned to another pool, or assumed to have the
    /// requested length (<see cref="RentalRule"/>). Only blocks whose file mentions a rent are looked at.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PoolRentalAnalyzer : AllocDiagnosticAnalyzer
    {
        private static readonly RuleFamily<RentalScope> Family = new RuleFamily<RentalScope>(Start, new RentalRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Family.SupportedDiagnostics;

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes) => Family.Register(context, knownTypes);

        private static BlockScopeFactory<RentalScope> Start(Compilation compilation, FamilyServices services)
            => (in BlockStart block) =>
            {
                var options = block.Options;
                var custom = AllocOptions.PoolMethods.Read(options);
                return RentMentions.MayRent(block.Tree, custom, block.CancellationToken) ? new RentalScope(services, options, custom) : null;
            };
    }
}
