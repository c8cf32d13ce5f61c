using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// What the rental rule sees in one block that may rent: the configured pool methods, whether exception paths
    /// count, and how many rents its operations made (the control-flow graph is built only when there was one).
    /// Rentals are checked in all code, hot or not: a rental not returned costs wherever it runs.
    /// </summary>
    internal sealed class RentalScope : RuleScope
    {
        private int _rents;

        public RentalScope(FamilyServices services, AnalyzerConfigOptions options, ImmutableArray<(string Rent, string Return)> customPools)
            : base(services, hot: null, options)
        {
            CustomPools = customPools;
            ExceptionPaths = AllocOptions.RentalExceptionPaths.Read(options) == "all";
        }

        /// <summary>The pools configured in <c>alloc_analyzers.pool_methods</c>: rent and return method of each.</summary>
        public ImmutableArray<(string Rent, string Return)> CustomPools { get; }

        /// <summary>True when a rental must also be returned on the paths an exception takes (<c>alloc_analyzers.rental_exception_paths = all</c>).</summary>
        public bool ExceptionPaths { get; }

        /// <summary>True once an operation of the block rented.</summary>
        public bool SawRent => System.Threading.Volatile.Read(ref _rents) > 0;

        public void NoteRent() => System.Threading.Interlocked.Increment(ref _rents);
    }
}
