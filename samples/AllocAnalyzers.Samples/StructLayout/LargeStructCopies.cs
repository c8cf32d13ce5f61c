namespace AllocAnalyzers.Samples.StructLayout
{
    /// <summary>72 bytes: above ALLOC302's default threshold of 64 bytes (one cache line).</summary>
    public struct Transform
    {
        public double M11, M12, M13, M21, M22, M23, M31, M32, M33;
    }

    public static class LargeStructCopies
    {
        /// <summary>ALLOC302 twice: the foreach variable copies every element, and the call copies it again.</summary>
        [HotPath]
        public static double SumByValue(Transform[] transforms)
        {
            double total = 0;
            foreach (var transform in transforms)
            {
                total += Trace(transform);
            }

            return total;
        }

        /// <summary>No ALLOC302: read in place.</summary>
        [HotPath]
        public static double SumByReference(Transform[] transforms)
        {
            double total = 0;
            foreach (ref readonly var transform in System.MemoryExtensions.AsSpan(transforms))
            {
                total += TraceInPlace(in transform);
            }

            return total;
        }

        private static double Trace(Transform t) => t.M11 + t.M22 + t.M33;

        private static double TraceInPlace(in Transform t) => t.M11 + t.M22 + t.M33;
    }
}
