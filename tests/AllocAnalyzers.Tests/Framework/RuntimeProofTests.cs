using System.Linq;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>The runtime-proof helper is exact: known allocations, known zero, and known struct layouts.</summary>
    public sealed class RuntimeProofTests
    {
        private const string Source = """
            using System;

            public static class Program
            {
                private static object? _keep;

                public static object NewObject() => new object();

                public static void NewObjectDiscarded() { _keep = new object(); }

                public static int NoAllocation()
                {
                    int sum = 0;
                    for (int i = 0; i < 10; i++) sum += i;
                    return sum;
                }

                public static int[] NewIntArray10() => new int[10];

                public static string Hello() => "hello";
            }

            public struct Known
            {
                public byte A;
                public long B;
                public byte C;
            }

            public struct Packed
            {
                public long B;
                public int D;
                public byte A;
                public byte C;
            }
            """;

        [Fact]
        public void NewObject_MeasuresObjectHeaderAndMethodTable()
        {
            using var proof = RuntimeProof.Compile(Source);

            // x64: 8-byte header + 8-byte method table pointer + 8 bytes minimum payload.
            Assert.Equal(24.0, proof.AllocatedBytesPerCall("Program.NewObject"));
            Assert.Equal(24.0, proof.AllocatedBytesPerCall("Program.NewObjectDiscarded"));
        }

        [Fact]
        public void IntArray_MeasuresHeaderLengthAndElements()
        {
            using var proof = RuntimeProof.Compile(Source);

            // 16 bytes of header and method table, 8 for the length (padded), 10 × 4 bytes of elements.
            Assert.Equal(16.0 + 8 + 40, proof.AllocatedBytesPerCall("Program.NewIntArray10"));
        }

        [Fact]
        public void MethodWithoutAllocation_MeasuresZero()
        {
            using var proof = RuntimeProof.Compile(Source);

            Assert.Equal(0.0, proof.AllocatedBytesPerCall("Program.NoAllocation"));
            Assert.Equal(0.0, proof.AllocatedBytesPerCall("Program.Hello"));
        }

        [Fact]
        public void Invoke_ReturnsTheResult()
        {
            using var proof = RuntimeProof.Compile(Source);

            Assert.Equal(45, proof.Invoke("Program.NoAllocation"));
        }

        [Fact]
        public void KnownStruct_ReportsRuntimeSizeAndOffsets()
        {
            using var proof = RuntimeProof.Compile(Source);

            Assert.Equal(24, proof.SizeOf("Known"));
            Assert.Equal(new[] { ("A", 0), ("B", 8), ("C", 16) }, proof.FieldOffsets("Known").Select(p => (p.Key, p.Value)));
            Assert.Equal(16, proof.SizeOf("Packed"));
            Assert.Equal(new[] { ("B", 0), ("D", 8), ("A", 12), ("C", 13) }, proof.FieldOffsets("Packed").Select(p => (p.Key, p.Value)));
        }

        [Fact]
        public void BrokenSource_ThrowsWithCompilerErrors()
        {
            var error = Assert.Throws<System.InvalidOperationException>(() => RuntimeProof.Compile("class C { void M() { int x = ; } }"));
            Assert.Contains("CS1525", error.Message);
        }
    }
}
