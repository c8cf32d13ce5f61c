namespace AllocAnalyzers.Benchmarks.Layout
{
    // The "before" struct is the ALLOC301 sample; the "after" struct is what the reorder fix makes of it. A test
    // (ReorderStructFieldsCodeFixTests.BenchmarkPair_AfterIsTheFixOfBefore) applies the fix to the first and checks it
    // yields the second, so the benchmark measures exactly the rule's before and after.

    /// <summary>Before: 24 bytes (ALLOC301).</summary>
    public struct Packet
    {
        public byte Flags;
        public long Timestamp;
        public byte Priority;
        public int Length;
    }

    /// <summary>After the reorder fix: 16 bytes.</summary>
    public struct PacketReordered
    {
        public long Timestamp;
        public int Length;
        public byte Flags;
        public byte Priority;
    }
}
