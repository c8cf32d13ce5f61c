using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// The ALLOC1xx family: heap allocations on hot paths. Decides once per operation block whether any of it is hot
    /// (registering nothing for cold code), then runs its rules (<see cref="ObjectAllocationRule"/>,
    /// <see cref="ClosureAllocationRule"/>, <see cref="StringAllocationRule"/>, the hidden allocations of
    /// <see cref="EnumeratorAllocationRule"/>, <see cref="LinqAllocationRule"/>, <see cref="IteratorAllocationRule"/>, <see cref="AsyncTaskAllocationRule"/>, ...) from one
    /// operation action. Every report has the same shape: what allocates, its cost, where it escapes, and why the
    /// code is hot; diagnostics carry the <c>Escape</c> property (and <c>Bytes</c> when known).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HotAllocationAnalyzer : AllocDiagnosticAnalyzer
    {
        public const string EscapeProperty = AllocationProperties.EscapeProperty;
        public const string BytesProperty = AllocationProperties.BytesProperty;

        private static readonly RuleFamily<HotAllocationScope> Family = new RuleFamily<HotAllocationScope>(Start,
            new ObjectAllocationRule(), new ClosureAllocationRule(), new StringAllocationRule(), new EnumeratorAllocationRule(), new LinqAllocationRule(), new IteratorAllocationRule(), new AsyncTaskAllocationRule(), new FrameworkCallRule(), new CallCostRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Family.SupportedDiagnostics;

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes) => Family.Register(context, knownTypes);

        /// <summary>Per compilation: which methods are iterators and what callees allocate; per block: its hot code, or nothing.</summary>
        private static BlockScopeFactory<HotAllocationScope> Start(Compilation compilation, FamilyServices services)
        {
            var iterators = new IteratorMethods();
            var callees = CalleeAllocations.For(compilation);
            return (in BlockStart block) => services.HotCodeOf(block) is { } hot ? new HotAllocationScope(services, hot, block.Options, iterators, callees) : null;
        }
    }
}
