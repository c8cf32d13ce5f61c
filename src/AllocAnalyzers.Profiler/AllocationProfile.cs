using System;
using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Profiler
{
    /// <summary>What a recording measured: sampled bytes by allocating method and by type, the call paths, and the GC activity.</summary>
    internal sealed class AllocationProfile
    {
        public AllocationProfile(TimeSpan duration, IReadOnlyList<MethodAllocations> methods, IReadOnlyDictionary<string, long> bytesByType, int samples, long sampledBytes, int[] collections, TimeSpan gcPause)
        {
            Duration = duration;
            Methods = methods;
            BytesByType = bytesByType;
            Samples = samples;
            SampledBytes = sampledBytes;
            Collections = collections;
            GcPause = gcPause;
        }

        public TimeSpan Duration { get; }

        /// <summary>The command line (or process) that was recorded, as the report names it; null in a profile saved before it was kept.</summary>
        public string? Program { get; set; }

        /// <summary>True when the samples are .NET 10's randomized AllocationSampled events (unbiased), false for the 100 KB allocation tick.</summary>
        public bool Randomized { get; init; }

        /// <summary>Allocating methods (the first frame of the program's own code on each sampled stack), most bytes first.</summary>
        public IReadOnlyList<MethodAllocations> Methods { get; }

        public IReadOnlyDictionary<string, long> BytesByType { get; }

        public int Samples { get; }

        public long SampledBytes { get; }

        /// <summary>Collections by generation (0, 1, 2) during the recording.</summary>
        public int[] Collections { get; }

        public TimeSpan GcPause { get; }

        /// <summary>The source statements the samples in the program's own code landed on, most bytes first (empty in a profile saved before lines were kept).</summary>
        public IReadOnlyList<AllocationSite> Sites { get; init; } = Array.Empty<AllocationSite>();

        /// <summary>How many of the program's samples have a line, and why the rest have none.</summary>
        public LineCoverage Lines { get; init; } = new LineCoverage();

        /// <summary>The mean bytes one sample stands for (about 100 KB): the unit of the sampling error.</summary>
        public double BytesPerSample => Samples > 0 ? (double)SampledBytes / Samples : 0;

        public double BytesPerSecond => Duration.TotalSeconds > 0 ? SampledBytes / Duration.TotalSeconds : 0;

        /// <summary>The bytes of the program's own code that unoptimized (tier-0) bodies allocated.</summary>
        public long UnoptimizedBytes => Methods.Sum(m => m.UnoptimizedByType.Values.Sum(u => u.Bytes));

        /// <summary>
        /// The profile of the optimized code alone: the program's sites and methods without the samples that tier-0
        /// bodies allocated (warm-up, before the tiered JIT replaced them), dropping those left with none. The totals
        /// (samples, sampled bytes, by type) stay those of the whole recording.
        /// </summary>
        public AllocationProfile OptimizedOnly()
            => new AllocationProfile(Duration, Methods.Select(m => m.OptimizedOnly()).Where(m => m.Samples > 0).OrderByDescending(m => m.Bytes).ToList(), BytesByType, Samples, SampledBytes, Collections, GcPause)
            {
                Program = Program,
                Randomized = Randomized,
                Sites = Sites.Select(s => s.OptimizedOnly()).Where(s => s.Samples > 0).OrderByDescending(s => s.Bytes).ToList(),
                Lines = Lines,
            };

        /// <summary>The fewest methods, most bytes first, that together account for at least <paramref name="share"/> of the bytes.</summary>
        public IReadOnlyList<MethodAllocations> Covering(double share)
        {
            var chosen = new List<MethodAllocations>();
            long covered = 0;
            long attributed = Methods.Sum(m => m.Bytes);
            foreach (var method in Methods)
            {
                if (attributed == 0 || covered >= share * attributed)
                {
                    break;
                }

                chosen.Add(method);
                covered += method.Bytes;
            }

            return chosen;
        }
    }

    /// <summary>One allocating method: its runtime name, the documentation-ID pattern the hot-path model reads, bytes and paths.</summary>
    internal sealed class MethodAllocations : AllocationCounts
    {
        public MethodAllocations(MethodName name)
        {
            Name = name;
        }

        public MethodName Name { get; }

        /// <summary>Call paths (this method, its caller, …) to bytes.</summary>
        public Dictionary<string, long> CallPaths { get; } = new Dictionary<string, long>();

        public double BytesPerSecond(TimeSpan duration) => duration.TotalSeconds > 0 ? Bytes / duration.TotalSeconds : 0;

        /// <summary>The same method counting only the samples of optimized code.</summary>
        public MethodAllocations OptimizedOnly()
        {
            var method = new MethodAllocations(Name);
            CopyOptimizedTo(method);
            foreach (var (path, bytes) in CallPaths)
            {
                method.CallPaths[path] = bytes;
            }

            return method;
        }
    }
}
