using System;
using System.Collections.Generic;

namespace AllocAnalyzers.Profiler
{
    /// <summary>What the profile says about one finding's claim.</summary>
    internal enum Verdict
    {
        /// <summary>Samples of the claimed allocation landed at the finding's line (or, for a compiler-chosen type, in its method).</summary>
        Observed,

        /// <summary>The line allocated, but none of the type the finding names.</summary>
        OtherTypesAtLine,

        /// <summary>
        /// Samples of the claimed allocation landed there only while the code was unoptimized (tier-0): the optimized
        /// code that replaced it allocated none, so the JIT removes the allocation at steady state.
        /// </summary>
        OnlyUnoptimized,

        /// <summary>No sample landed there.</summary>
        NotObserved,
    }

    /// <summary>Where a finding's allocations are counted.</summary>
    internal enum CountedIn
    {
        /// <summary>At the statements that share a line with the finding.</summary>
        Line,

        /// <summary>Anywhere in its method: closures and state machines, which the compiler allocates away from the reported line.</summary>
        Method,

        /// <summary>
        /// Anywhere in the program: a finding on a declaration (a dictionary field's key type) whose cost is paid where
        /// its type uses it, which the JIT may inline into any caller.
        /// </summary>
        Anywhere,
    }

    /// <summary>One ALLOC1xx/2xx finding with the sampled allocations that bear on it.</summary>
    internal sealed record VerifiedFinding(Finding Finding, Verdict Verdict, long Bytes, int Samples, IReadOnlyDictionary<string, long> TypesAtLine, string Note)
    {
        /// <summary>Where the bytes were counted.</summary>
        public CountedIn CountedIn { get; init; }

        /// <summary>
        /// With a profile after the fixes: the sampled bytes and samples there of the types this finding counted, in its
        /// method (or type) — lines move when code is fixed, the method and the type stay; null without one, or when
        /// the finding counted no type.
        /// </summary>
        public (long Bytes, int Samples)? After { get; init; }

        /// <summary>Statements of callers where the finding's method ran inlined and allocated its type: counted with it.</summary>
        public IReadOnlyList<AllocationSite> InlinedAt { get; init; } = Array.Empty<AllocationSite>();

        /// <summary>For a finding that names no type: the types its own statements allocated in the whole recording, which it counted where it ran inlined.</summary>
        public IReadOnlySet<string>? TypesOfItsLine { get; init; }
    }
}
