using System;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks.Layout
{
    /// <summary>
    /// ALLOC301 at runtime: allocating and scanning an array of N packets, padded (24 bytes each) against reordered
    /// (16 bytes each). Bytes per operation come from the allocation; time from the memory the scan touches.
    /// </summary>
    [MemoryDiagnoser]
    public class StructScanBenchmarks
    {
        private Packet[] _padded = System.Array.Empty<Packet>();
        private PacketReordered[] _reordered = System.Array.Empty<PacketReordered>();

        [Params(100_000)]
        public int N { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _padded = new Packet[N];
            _reordered = new PacketReordered[N];
            for (int i = 0; i < N; i++)
            {
                _padded[i] = new Packet { Flags = (byte)i, Timestamp = i, Priority = (byte)(i >> 3), Length = i };
                _reordered[i] = new PacketReordered { Flags = (byte)i, Timestamp = i, Priority = (byte)(i >> 3), Length = i };
            }
        }

        [Benchmark(Baseline = true, Description = "ALLOC301 before: scan padded")]
        public long ScanPadded()
        {
            long sum = 0;
            foreach (ref readonly var p in _padded.AsSpan())
            {
                sum += p.Timestamp + p.Length + p.Flags + p.Priority;
            }

            return sum;
        }

        [Benchmark(Description = "ALLOC301 after: scan reordered")]
        public long ScanReordered()
        {
            long sum = 0;
            foreach (ref readonly var p in _reordered.AsSpan())
            {
                sum += p.Timestamp + p.Length + p.Flags + p.Priority;
            }

            return sum;
        }

        [Benchmark(Description = "ALLOC301 before: allocate padded[N]")]
        public Packet[] AllocatePadded() => new Packet[N];

        [Benchmark(Description = "ALLOC301 after: allocate reordered[N]")]
        public PacketReordered[] AllocateReordered() => new PacketReordered[N];
    }
}
