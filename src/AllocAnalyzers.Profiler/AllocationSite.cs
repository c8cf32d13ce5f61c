using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// One source statement of the program where allocation samples landed: the PDB's sequence point that holds the IL
    /// offset of the first frame of the program's own code on each sample's stack (an allocation inside a framework call,
    /// or inside a callee the JIT inlined, lands on the line of the call), with the sampled bytes by type.
    /// </summary>
    internal sealed class AllocationSite : AllocationCounts
    {
        public AllocationSite(SourceLine line, MethodName method, string module)
        {
            Line = line;
            Method = method;
            Module = module;
        }

        public SourceLine Line { get; }

        /// <summary>The source method the code belongs to (a lambda's or state machine's to the method that declares it).</summary>
        public MethodName Method { get; }

        /// <summary>The assembly's file name.</summary>
        public string Module { get; }

        /// <summary>The framework methods the statement called that allocated, to their bytes (<c>System.String.Concat</c>); the rest it allocated itself, or in a callee the JIT inlined.</summary>
        public Dictionary<string, long> Via { get; } = new Dictionary<string, long>();

        /// <summary>The same site counting only the samples of optimized code; its <see cref="AllocationCounts.Samples"/> is 0 when all came from tier-0 code.</summary>
        public AllocationSite OptimizedOnly()
        {
            var site = new AllocationSite(Line, Method, Module);
            CopyOptimizedTo(site);
            foreach (var (callee, bytes) in Via)
            {
                site.Via[callee] = bytes;
            }

            site.Inlinings.UnionWith(Inlinings);
            return site;
        }

        /// <summary>The inlinings the JIT did in the bodies this statement's samples ran in (a callee inlined at this statement allocates here).</summary>
        public HashSet<Inlining> Inlinings { get; } = new HashSet<Inlining>();

        /// <summary>"Program.cs:18", or "Program.cs:18–20" for statements the JIT's map does not separate.</summary>
        public string Display => System.IO.Path.GetFileName(Line.File) + ":" + Line.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                 + (Line.Statements > 1 && Line.EndLine > Line.Line ? "–" + Line.EndLine.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
    }

    /// <summary>Sampled bytes and samples in all and by allocated type (as the runtime names it): a method's, or a site's.</summary>
    internal abstract class AllocationCounts
    {
        public long Bytes { get; set; }

        public int Samples { get; set; }

        public Dictionary<string, long> BytesByType { get; } = new Dictionary<string, long>();

        public Dictionary<string, int> SamplesByType { get; } = new Dictionary<string, int>();

        /// <summary>
        /// The part of <see cref="BytesByType"/> and <see cref="SamplesByType"/> allocated by unoptimized code (tier-0 or
        /// minimal-optimization bodies, while the tiered JIT has not yet replaced them): an allocation the optimizing
        /// JIT removes shows only here.
        /// </summary>
        public Dictionary<string, (long Bytes, int Samples)> UnoptimizedByType { get; } = new Dictionary<string, (long, int)>();

        public void Add(string type, long bytes, bool optimized = true)
        {
            Bytes += bytes;
            Samples++;
            BytesByType[type] = BytesByType.TryGetValue(type, out long sum) ? sum + bytes : bytes;
            SamplesByType[type] = SamplesByType.TryGetValue(type, out int count) ? count + 1 : 1;
            if (!optimized)
            {
                var (b, n) = UnoptimizedByType.TryGetValue(type, out var before) ? before : default;
                UnoptimizedByType[type] = (b + bytes, n + 1);
            }
        }

        /// <summary>Copies the figures of optimized code (all but <see cref="UnoptimizedByType"/>) into <paramref name="target"/>.</summary>
        protected void CopyOptimizedTo(AllocationCounts target)
        {
            foreach (var (type, bytes) in BytesByType)
            {
                var (unoptimizedBytes, unoptimizedSamples) = UnoptimizedByType.TryGetValue(type, out var u) ? u : default;
                int samples = (SamplesByType.TryGetValue(type, out int n) ? n : 0) - unoptimizedSamples;
                if (samples > 0)
                {
                    target.BytesByType[type] = bytes - unoptimizedBytes;
                    target.SamplesByType[type] = samples;
                    target.Bytes += bytes - unoptimizedBytes;
                    target.Samples += samples;
                }
            }
        }

        /// <summary>Copies stored figures in (a profile read back from profile.json).</summary>
        public void Load(long bytes, int samples, IReadOnlyDictionary<string, long> bytesByType, IReadOnlyDictionary<string, int>? samplesByType, IReadOnlyDictionary<string, long[]>? unoptimizedByType = null)
        {
            Bytes = bytes;
            Samples = samples;
            foreach (var (type, value) in bytesByType)
            {
                BytesByType[type] = value;
            }

            foreach (var (type, value) in samplesByType ?? new Dictionary<string, int>())
            {
                SamplesByType[type] = value;
            }

            foreach (var (type, value) in unoptimizedByType ?? new Dictionary<string, long[]>())
            {
                if (value is { Length: 2 })
                {
                    UnoptimizedByType[type] = (value[0], (int)value[1]);
                }
            }
        }

        /// <summary><see cref="UnoptimizedByType"/> as profile.json stores it: type to [bytes, samples]; null when there is none.</summary>
        public Dictionary<string, long[]>? StoredUnoptimized()
            => UnoptimizedByType.Count == 0 ? null : UnoptimizedByType.ToDictionary(t => t.Key, t => new[] { t.Value.Bytes, (long)t.Value.Samples });
    }

    /// <summary>
    /// How many of the samples in the program's own code were given a source line, and why the others were not (one
    /// sentence per reason: a module without a usable PDB, code without an IL-to-native map, prolog or epilog code).
    /// </summary>
    internal sealed class LineCoverage
    {
        public int Resolved { get; set; }

        public Dictionary<string, int> Unresolved { get; } = new Dictionary<string, int>();

        public int Total
        {
            get
            {
                int total = Resolved;
                foreach (var count in Unresolved.Values)
                {
                    total += count;
                }

                return total;
            }
        }

        public void Miss(string reason) => Unresolved[reason] = Unresolved.TryGetValue(reason, out int count) ? count + 1 : 1;
    }
}
