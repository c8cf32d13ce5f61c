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

        /// <summary>Allocating methods (the first frame of the program's own code on each sampled stack), most bytes first.</summary>
        public IReadOnlyList<MethodAllocations> Methods { get; }

        public IReadOnlyDictionary<string, long> BytesByType { get; }

        public int Samples { get; }

        public long SampledBytes { get; }

        /// <summary>Collections by generation (0, 1, 2) during the recording.</summary>
        public int[] Collections { get; }

        public TimeSpan GcPause { get; }

        public double BytesPerSecond => Duration.TotalSeconds > 0 ? SampledBytes / Duration.TotalSeconds : 0;

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
    internal sealed class MethodAllocations
    {
        public MethodAllocations(MethodName name)
        {
            Name = name;
        }

        public MethodName Name { get; }

        public long Bytes { get; set; }

        public int Samples { get; set; }

        public Dictionary<string, long> BytesByType { get; } = new Dictionary<string, long>();

        /// <summary>Call paths (this method, its caller, …) to bytes.</summary>
        public Dictionary<string, long> CallPaths { get; } = new Dictionary<string, long>();

        public double BytesPerSecond(TimeSpan duration) => duration.TotalSeconds > 0 ? Bytes / duration.TotalSeconds : 0;
    }
}
