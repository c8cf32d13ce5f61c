using System;
using System.Collections.Generic;

namespace AllocAnalyzers.Testing
{
    /// <summary>A strict pool's end-of-test check; <see cref="IDisposable.Dispose"/> runs <see cref="Verify"/>.</summary>
    public interface IStrictPool : IDisposable
    {
        /// <summary>How many rentals are out now.</summary>
        int Outstanding { get; }

        /// <summary>
        /// Throws a <see cref="StrictPoolException"/> listing every violation since the last check: those already
        /// thrown at the offending call (in case code under test caught them), writes found in returned items, and every
        /// rental still out (ALLOC401), each with its rent stack. Each is reported once.
        /// </summary>
        void Verify();

        /// <summary>What <see cref="Verify"/> would report, returned instead of thrown: for a test that expects a violation.</summary>
        IReadOnlyList<PoolViolation> TakeViolations();
    }
}
