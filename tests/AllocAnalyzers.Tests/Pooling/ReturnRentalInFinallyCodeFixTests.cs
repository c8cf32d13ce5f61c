using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Pooling;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.Infrastructure;
using Xunit;
using Verifier = AllocAnalyzers.Tests.Infrastructure.Verify<AllocAnalyzers.Pooling.PoolRentalAnalyzer, AllocAnalyzers.CodeFixes.Pooling.ReturnRentalInFinallyCodeFix>;

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
    }
}
