using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Pooling;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Pooling.PoolRentalAnalyzer, AllocAnalyzers.CodeFixes.Pooling.ReturnRentalInFinallyCodeFix>;
using Xunit;

namespace AllocAnalyzers.Tests.Pooling
{
    /// <summary>The try/finally fix: exact text, Fix All, where it is not offered, and the allocations it removes at runtime.</summary>
    public sealed class ReturnRentalInFinallyCodeFixTests
    {
        [Fact]
        public Task ReturnMovesIntoFinally_KeepingItsArguments_FixAll()
            => Verifier.CodeFixAsync(
                """
                using System;
                using System.Buffers;

                public static class C
                {
                    public static int Sum(int n)
                    {
                        var buffer = {|ALLOC401:ArrayPool<int>.Shared.Rent(n)|};
                        // fill it
                        Fill(buffer, n);
                        int total = 0;
                        for (int i = 0; i < n; i++) total += buffer[i];
                        ArrayPool<int>.Shared.Return(buffer, clearArray: false);
                        return total;
                    }

                    private static void Fill(int[] buffer, int n) { for (int i = 0; i < n; i++) buffer[i] = i; }

                    public static void Other()
                    {
                        var more = {|ALLOC401:ArrayPool<byte>.Shared.Rent(8)|};
                        more[0] = 1;
                    }
                }
                """,
                """
                using System;
                using System.Buffers;

                public static class C
                {
                    public static int Sum(int n)
                    {
                        var buffer = ArrayPool<int>.Shared.Rent(n);
                        try
                        {
                            // fill it
                            Fill(buffer, n);
                            int total = 0;
                            for (int i = 0; i < n; i++) total += buffer[i];
                            return total;
                        }
                        finally
                        {
                            ArrayPool<int>.Shared.Return(buffer, clearArray: false);
                        }
                    }

                    private static void Fill(int[] buffer, int n) { for (int i = 0; i < n; i++) buffer[i] = i; }

                    public static void Other()
                    {
                        var more = ArrayPool<byte>.Shared.Rent(8);
                        try
                        {
                            more[0] = 1;
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(more);
                        }
                    }
                }
                """);

        [Fact]
        public Task MemoryPoolOwner_BecomesUsing()
            => Verifier.CodeFixAsync(
                """
                using System.Buffers;

                public static class C
                {
                    public static void M()
                    {
                        var owner = {|ALLOC401:MemoryPool<byte>.Shared.Rent(16)|};
                        owner.Memory.Span[0] = 1;
                    }
                }
                """,
                """
                using System.Buffers;

                public static class C
                {
                    public static void M()
                    {
                        using var owner = MemoryPool<byte>.Shared.Rent(16);
                        owner.Memory.Span[0] = 1;
                    }
                }
                """);

        [Fact]
        public Task ReturnInsideABranch_FixNotOffered()
            => Verifier.NoCodeFixAsync(
                """
                using System.Buffers;

                public static class C
                {
                    public static void M(int n)
                    {
                        var b = {|ALLOC401:ArrayPool<byte>.Shared.Rent(16)|};
                        if (n > 0)
                        {
                            ArrayPool<byte>.Shared.Return(b);
                        }
                    }
                }
                """);

        [Fact]
        public async Task NeverReturned_AllocatesOnEveryCall_AndNothingOnceFixed()
        {
            const string source = """
                using System.Buffers;

                public static class Program
                {
                    static int _size = 1000;

                    public static int Run()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(_size);
                        buffer[0] = 7;
                        return buffer[0] + buffer.Length;
                    }
                }
                """;
            var analyzer = new PoolRentalAnalyzer();
            Assert.Contains(await CodeFixRunner.GetDiagnosticsAsync(analyzer, source), d => d.Id == RuleIds.RentalNotReturned);
            var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, new ReturnRentalInFinallyCodeFix(), source, RuleIds.RentalNotReturned);
            using var before = RuntimeProof.Compile(source, "LeakBefore");
            using var after = RuntimeProof.Compile(fixedSource, "LeakAfter");

            // Never returned: the pool has nothing to hand out, so every call allocates a new 1024-byte array;
            // the bytes grow with the number of calls.
            double perCallShort = before.AllocatedBytesPerCall("Program.Run", 100);
            double perCallLong = before.AllocatedBytesPerCall("Program.Run", 1000);
            Assert.Equal(24 + 1024.0, perCallShort);
            Assert.Equal(24 + 1024.0, perCallLong);

            // Returned in finally: the same array comes back every time, so the bytes stay flat.
            Assert.Equal(0.0, after.AllocatedBytesPerCall("Program.Run", 1000));
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
            Assert.DoesNotContain(await CodeFixRunner.GetDiagnosticsAsync(analyzer, fixedSource), d => d.Id == RuleIds.RentalNotReturned);
        }

        private const string ConfiguredPools = "alloc_analyzers.pool_methods = MyApp.BufferPool.Take:MyApp.BufferPool.Give, MyApp.Buffers.Take:MyApp.Buffers.Give, MyApp.Leases.Open:MyApp.Lease.Release\n";

        /// <summary>
        /// A pool from <c>alloc_analyzers.pool_methods</c> reaches the fix in each shape its Return can take: an instance
        /// method of the pool (called on the rent's receiver), a static method, and a method of the rental itself. The
        /// fixed program computes the same results and leaves nothing outstanding.
        /// </summary>
        [Fact]
        public async Task ConfiguredPools_GetTheirOwnReturn_AndTheProgramLeavesNothingOutstanding()
        {
            const string source = """
                namespace MyApp
                {
                    public sealed class BufferPool
                    {
                        public int Outstanding;
                        public byte[] Take() { Outstanding++; return new byte[8]; }
                        public void Give(byte[] b) { Outstanding--; }
                    }

                    public static class Buffers
                    {
                        public static int Outstanding;
                        public static int[] Take(int n) { Outstanding++; return new int[n]; }
                        public static void Give(int[] array, bool clear = false) { Outstanding--; }
                    }

                    public sealed class Lease
                    {
                        public int Value;
                        public void Release() { Leases.Outstanding--; }
                    }

                    public static class Leases
                    {
                        public static int Outstanding;
                        public static Lease Open(int v) { Outstanding++; return new Lease { Value = v }; }
                    }
                }

                public static class Program
                {
                    static readonly MyApp.BufferPool Pool = new MyApp.BufferPool();

                    static int First(int v)
                    {
                        var b = Pool.Take();
                        b[0] = (byte)v;
                        return b[0] * 2;
                    }

                    static int Second(int n)
                    {
                        var a = MyApp.Buffers.Take(n);
                        for (int i = 0; i < n; i++) a[i] = i;
                        int sum = 0;
                        for (int i = 0; i < n; i++) sum += a[i];
                        return sum;
                    }

                    static int Third(int v)
                    {
                        var lease = MyApp.Leases.Open(v);
                        return lease.Value + 1;
                    }

                    public static string Run() => First(3) + " " + Second(4) + " " + Third(5);

                    public static string Outstanding() => Pool.Outstanding + " " + MyApp.Buffers.Outstanding + " " + MyApp.Leases.Outstanding;
                }
                """;
            var analyzer = new PoolRentalAnalyzer();
            var found = await CodeFixRunner.GetDiagnosticsAsync(analyzer, source, ConfiguredPools);
            Assert.True(found.Count(d => d.Id == RuleIds.RentalNotReturned) == 3, string.Join("\n", found));
            var fixedSource = await CodeFixRunner.FixAllAsync(analyzer, new ReturnRentalInFinallyCodeFix(), source, RuleIds.RentalNotReturned, ConfiguredPools);

            Assert.Contains("finally\n        {\n            Pool.Give(b);", fixedSource.Replace("\r\n", "\n"));
            Assert.Contains("MyApp.Buffers.Give(a);", fixedSource);
            Assert.Contains("lease.Release();", fixedSource);
            using var before = RuntimeProof.Compile(source, "ConfiguredBefore");
            using var after = RuntimeProof.Compile(fixedSource, "ConfiguredAfter");
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
            Assert.Equal("1 1 1", before.Invoke("Program.Outstanding"));
            Assert.Equal("0 0 0", after.Invoke("Program.Outstanding"));
            Assert.Empty((await CodeFixRunner.GetDiagnosticsAsync(analyzer, fixedSource, ConfiguredPools)).Where(d => d.Id == RuleIds.RentalNotReturned));
        }

        /// <summary>A configured Return with no callable shape (it needs an argument the fix cannot invent): no fix.</summary>
        [Fact]
        public Task ConfiguredPool_ReturnNeedingMoreArguments_FixNotOffered()
            => Verifier.NoCodeFixAsync(
                """
                namespace MyApp
                {
                    public static class Buffers
                    {
                        public static int[] Take(int n) => new int[n];
                        public static void Give(int[] array, int generation) { }
                    }

                    public static class User
                    {
                        public static int M(int n)
                        {
                            var a = {|ALLOC401:Buffers.Take(n)|};
                            return a.Length;
                        }
                    }
                }
                """,
                "alloc_analyzers.pool_methods = MyApp.Buffers.Take:MyApp.Buffers.Give");
    }
}
