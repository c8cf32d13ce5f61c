using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Pooling
{
    /// <summary>
    /// What each rental misuse (ALLOC401–406) does to a running program, measured on the runtime the tests run on, and
    /// that the analyzer reports it in that very program: two owners of one array, another renter's data read through
    /// a stale reference, a pool that allocates again, elements past the requested length, references kept alive.
    /// </summary>
    public sealed class PoolMisuseRuntimeTests
    {
        private static async Task<RuntimeProof> CompileReported(string source, string id, string name)
        {
            var diagnostics = await CodeFixRunner.GetDiagnosticsAsync(new PoolRentalAnalyzer(), source);
            Assert.Contains(diagnostics, d => d.Id == id);
            return RuntimeProof.Compile(source, name);
        }

        [Fact]
        public async Task NotReturned_PoolAllocatesOnEveryRent_UntilTheFixReturnsIt()
        {
            const string source = """
                using System.Buffers;
                public static class Program
                {
                    public static int Run()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(4000);
                        buffer[0] = 7;
                        if (buffer[1] == 255) return -1;
                        return buffer[0];
                    }
                }
                """;
            using var before = await CompileReported(source, RuleIds.RentalNotReturned, "NotReturned");
            Assert.Equal(7, before.Invoke("Program.Run"));
            // A rental never returned leaves the pool empty: every Rent allocates a new 4096-byte array.
            Assert.InRange(before.AllocatedBytesPerCall("Program.Run"), 4096, 4096 + 64);

            string fixedSource = await CodeFixRunner.ApplyAllAsync(new PoolRentalAnalyzer(), new AllocAnalyzers.CodeFixes.Pooling.ReturnRentalInFinallyCodeFix(), source, RuleIds.RentalNotReturned);
            Assert.Contains("finally", fixedSource);
            using var after = RuntimeProof.Compile(fixedSource, "NotReturnedFixed");
            Assert.Equal(7, after.Invoke("Program.Run"));
            Assert.Equal(0, after.AllocatedBytesPerCall("Program.Run"));
        }

        [Fact]
        public async Task DoubleReturn_HandsOneArrayToTwoRenters()
        {
            const string source = """
                using System.Buffers;
                public static class Program
                {
                    public static bool Run()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(4000);
                        buffer[0] = 1;
                        ArrayPool<byte>.Shared.Return(buffer);
                        ArrayPool<byte>.Shared.Return(buffer);
                        var first = ArrayPool<byte>.Shared.Rent(4000);
                        var second = ArrayPool<byte>.Shared.Rent(4000);
                        bool shared = ReferenceEquals(first, second);
                        ArrayPool<byte>.Shared.Return(first);
                        if (!shared) ArrayPool<byte>.Shared.Return(second);
                        return shared;
                    }
                }
                """;
            using var program = await CompileReported(source, RuleIds.RentalReturnedTwice, "DoubleReturn");
            Assert.Equal(true, program.Invoke("Program.Run"));
        }

        [Fact]
        public async Task UseAfterReturn_ReadsTheNextRentersData()
        {
            const string source = """
                using System.Buffers;
                public static class Program
                {
                    public static int Run()
                    {
                        var buffer = ArrayPool<int>.Shared.Rent(1000);
                        buffer[0] = 42;
                        ArrayPool<int>.Shared.Return(buffer);
                        var other = ArrayPool<int>.Shared.Rent(1000);
                        other[0] = 7;
                        int seen = buffer[0];
                        ArrayPool<int>.Shared.Return(other);
                        return seen;
                    }
                }
                """;
            using var program = await CompileReported(source, RuleIds.RentalUsedAfterReturn, "UseAfterReturn");
            Assert.Equal(7, program.Invoke("Program.Run"));
        }

        [Fact]
        public async Task ReturnToAnotherPool_TheFirstPoolAllocatesEveryTime()
        {
            const string source = """
                using System.Buffers;
                public static class Program
                {
                    private static readonly ArrayPool<byte> Other = ArrayPool<byte>.Create();
                    public static int Run()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(1000);
                        buffer[0] = 1;
                        Other.Return(buffer);
                        return buffer.Length;
                    }

                    public static int Right()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(1000);
                        buffer[0] = 1;
                        ArrayPool<byte>.Shared.Return(buffer);
                        return buffer.Length;
                    }
                }
                """;
            using var program = await CompileReported(source, RuleIds.RentalReturnedToOtherPool, "OtherPool");
            Assert.Equal(24 + 1024.0, program.AllocatedBytesPerCall("Program.Run"));
            Assert.Equal(0.0, program.AllocatedBytesPerCall("Program.Right"));
        }

        [Fact]
        public async Task LengthAsRequestedSize_TheLoopRunsPastWhatWasAskedFor()
        {
            const string source = """
                using System.Buffers;
                public static class Program
                {
                    public static int Run()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(100);
                        int processed = 0;
                        try
                        {
                            for (int i = 0; i < buffer.Length; i++) { buffer[i] = 1; processed++; }
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }

                        return processed;
                    }
                }
                """;
            using var program = await CompileReported(source, RuleIds.RentedLengthAssumed, "LengthAsCount");
            Assert.Equal(128, program.Invoke("Program.Run"));
        }

        [Fact]
        public async Task ReferenceArrayReturnedUncleared_KeepsItsObjectsAlive()
        {
            const string source = """
                using System;
                using System.Buffers;
                using System.Runtime.CompilerServices;
                public static class Program
                {
                    public static bool Run()
                    {
                        var weak = Fill();
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        GC.Collect();
                        bool alive = weak.IsAlive;
                        var again = ArrayPool<object>.Shared.Rent(10);
                        Array.Clear(again);
                        ArrayPool<object>.Shared.Return(again);
                        return alive;
                    }

                    [MethodImpl(MethodImplOptions.NoInlining)]
                    private static WeakReference Fill()
                    {
                        var names = ArrayPool<object>.Shared.Rent(10);
                        var payload = new byte[100_000];
                        names[0] = payload;
                        ArrayPool<object>.Shared.Return(names);
                        return new WeakReference(payload);
                    }
                }
                """;
            using var program = await CompileReported(source, RuleIds.RentalReturnedWithoutClearing, "NotCleared");
            Assert.Equal(true, program.Invoke("Program.Run"));
        }
    }
}
