using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Pooling.PoolRentalAnalyzer>;
using Xunit;

namespace AllocAnalyzers.Tests.Pooling
{
    /// <summary>ALLOC401–406 over every kind of control flow, and silence where rentals are handled correctly.</summary>
    public sealed class PoolRentalAnalyzerTests
    {
        private static string Code(string body) => """
            using System;
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;

            [AttributeUsage(AttributeTargets.Parameter)] public sealed class TakesOwnershipAttribute : Attribute { }

            public sealed class C
            {
                private byte[]? _kept;
                private static readonly ArrayPool<byte> Custom = ArrayPool<byte>.Create();
                private static void Use(byte[] buffer) { }
                private static void Keep([TakesOwnership] byte[] buffer) { }

            """ + body + "\n}\n";

        private static DiagnosticResult Diagnostic(string id, int location) => new DiagnosticResult(id, id == RuleIds.RentalReturnedWithoutClearing ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning).WithLocation(location);

        [Theory]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); try { Use(b); } finally { ArrayPool<byte>.Shared.Return(b); }")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); ArrayPool<byte>.Shared.Return(b);")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); try { if (n > 1) return; Use(b); } finally { ArrayPool<byte>.Shared.Return(b); }")]
        [InlineData("for (int i = 0; i < n; i++) { var b = ArrayPool<byte>.Shared.Rent(16); try { Use(b); } finally { ArrayPool<byte>.Shared.Return(b); } }")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); _kept = b;")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); Keep(b);")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); var list = new List<byte[]>(); list.Add(b);")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); Action a = () => Use(b); a();")]
        [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(16); owner.Memory.Span[0] = 1;")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); try { switch (n) { case 1: Use(b); break; default: return; } } finally { ArrayPool<byte>.Shared.Return(b); }")]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(16); var alias = b; try { Use(alias); } finally { ArrayPool<byte>.Shared.Return(alias); }")]
        public Task CorrectRentals_NoDiagnostic(string body)
            => Verifier.AnalyzerAsync(Code("public void M(int n) { " + body + " }"));

        [Theory]
        [InlineData("public (byte[], int) M(int n) { var b = ArrayPool<byte>.Shared.Rent(n); Use(b); return (b, n); }")]
        [InlineData("private readonly List<byte[]> _live = new List<byte[]>(); private void Track(byte[] x) => _live.Add(x); public void M() { var b = ArrayPool<byte>.Shared.Rent(16); Track(b); }")]
        [InlineData("private readonly Dictionary<int, byte[]> _map = new Dictionary<int, byte[]>(); public void M(int k) { var b = ArrayPool<byte>.Shared.Rent(16); _map[k] = b; }")]
        [InlineData("public void M(int n) { for (int i = 0; i < n; i++) { var b = ArrayPool<byte>.Shared.Rent(16); try { if (i == 2) continue; Use(b); } finally { ArrayPool<byte>.Shared.Return(b); } } }")]
        [InlineData("public int M(int n) { var b = ArrayPool<byte>.Shared.Rent(16); try { return n switch { 1 => b[0], 2 => b.Length, _ => 0 }; } finally { ArrayPool<byte>.Shared.Return(b); } }")]
        [InlineData("public Memory<byte> M(int n) { var b = ArrayPool<byte>.Shared.Rent(n); return b.AsMemory(0, n); }")]
        [InlineData("public ArraySegment<byte> M(int n) { var b = ArrayPool<byte>.Shared.Rent(n); return new ArraySegment<byte>(b, 0, n); }")]
        [InlineData("""
            public int M(int count)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(2);
                int n = 0;
                for (int i = 0; i < count; i++)
                {
                    if (n == buffer.Length)
                    {
                        var previous = buffer;
                        buffer = ArrayPool<byte>.Shared.Rent(n * 2);
                        previous.AsSpan(0, n).CopyTo(buffer);
                        ArrayPool<byte>.Shared.Return(previous);
                    }

                    buffer[n++] = (byte)i;
                }

                int sum = 0;
                foreach (var x in buffer.AsSpan(0, n)) sum += x;
                ArrayPool<byte>.Shared.Return(buffer);
                return sum;
            }
            """)]
        public Task OwnershipTransfersAndAliases_NoDiagnostic(string members)
            => Verifier.AnalyzerAsync(Code(members));

        [Fact]
        public Task ReturnedRental_TransfersOwnership()
            => Verifier.AnalyzerAsync(Code("public byte[] M(int n) { var b = ArrayPool<byte>.Shared.Rent(n); Use(b); return b; }"));

        [Fact]
        public Task EarlyReturn_NamesThePath()
            => Verifier.AnalyzerAsync(
                Code("""
                    public void M(int n)
                    {
                        var b = {|#0:ArrayPool<byte>.Shared.Rent(16)|};
                        if (n > 1)
                        {
                            return;
                        }

                        ArrayPool<byte>.Shared.Return(b);
                    }
                    """),
                "alloc_analyzers.rental_exception_paths = ignore",
                Diagnostic(RuleIds.RentalNotReturned, 0).WithArguments("b", "ArrayPool<byte>.Shared", "the path through the return at line 20"));

        [Fact]
        public Task NeverReturned_ReachesTheEnd()
            => Verifier.AnalyzerAsync(
                Code("public void M() { var b = {|#0:ArrayPool<byte>.Shared.Rent(16)|}; Use(b); }"),
                expected: Diagnostic(RuleIds.RentalNotReturned, 0).WithArguments("b", "ArrayPool<byte>.Shared", "the path that reaches the end of the method"));

        [Fact]
        public Task ExceptionPath_ReportedByDefault_IgnoredWhenConfigured()
        {
            var source = Code("public void M() { var b = {|#0:ArrayPool<byte>.Shared.Rent(16)|}; Use(b); ArrayPool<byte>.Shared.Return(b); }");
            return Task.WhenAll(
                Verifier.AnalyzerAsync(source, null, Diagnostic(RuleIds.RentalNotReturned, 0).WithArguments("b", "ArrayPool<byte>.Shared", "the exception path: an exception at line 15 skips the return (return it in a finally block)")),
                Verifier.AnalyzerAsync(source.Replace("{|#0:", string.Empty).Replace("16)|}", "16)"), "alloc_analyzers.rental_exception_paths = ignore"));
        }

        [Fact]
        public Task ThrowPath_Reported()
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { var b = {|#0:ArrayPool<byte>.Shared.Rent(16)|}; if (n < 0) throw new ArgumentException(); ArrayPool<byte>.Shared.Return(b); }"),
                "alloc_analyzers.rental_exception_paths = ignore",
                Diagnostic(RuleIds.RentalNotReturned, 0).WithArguments("b", "ArrayPool<byte>.Shared", "the path through the throw at line 15"));

        [Theory]
        [InlineData("throw new ArgumentException();")]
        [InlineData("throw;")]
        public Task ThrowInsideTry_FinallyReturns_NoDiagnostic(string thrower)
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { var b = ArrayPool<byte>.Shared.Rent(16); try { try { Use(b); } catch (IOException) { if (n < 0) " + thrower + " } if (n > 3) throw new InvalidOperationException(); } finally { ArrayPool<byte>.Shared.Return(b); } }"));

        [Fact]
        public Task ThrowInsideTry_FinallyDoesNotReturn_Reported()
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { var b = {|#0:ArrayPool<byte>.Shared.Rent(16)|}; try { if (n > 3) throw new InvalidOperationException(); } finally { Console.WriteLine(); } ArrayPool<byte>.Shared.Return(b); }"),
                "alloc_analyzers.rental_exception_paths = ignore",
                Diagnostic(RuleIds.RentalNotReturned, 0).WithArguments("b", "ArrayPool<byte>.Shared", "the path through the throw at line 15"));

        [Fact]
        public Task BreakOutOfLoop_SkippingTheReturn_Reported()
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { for (int i = 0; i < n; i++) { var b = {|ALLOC401:ArrayPool<byte>.Shared.Rent(16)|}; if (i == 3) break; ArrayPool<byte>.Shared.Return(b); } }"),
                "alloc_analyzers.rental_exception_paths = ignore");

        [Fact]
        public Task ContinueSkippingTheReturn_RentsAgain_Reported()
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { for (int i = 0; i < n; i++) { var b = {|ALLOC401:ArrayPool<byte>.Shared.Rent(16)|}; if (i == 3) continue; ArrayPool<byte>.Shared.Return(b); } }"),
                "alloc_analyzers.rental_exception_paths = ignore");

        [Fact]
        public Task GotoSkippingTheReturn_Reported()
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { var b = {|ALLOC401:ArrayPool<byte>.Shared.Rent(16)|}; if (n > 0) goto done; ArrayPool<byte>.Shared.Return(b); done: Console.WriteLine(); }"),
                "alloc_analyzers.rental_exception_paths = ignore");

        [Fact]
        public Task ReturnedTwice_OnSomePath()
            => Verifier.AnalyzerAsync(
                Code("public void M(int n) { var b = ArrayPool<byte>.Shared.Rent(16); if (n > 0) ArrayPool<byte>.Shared.Return(b); {|#0:ArrayPool<byte>.Shared.Return(b)|}; }"),
                expected: Diagnostic(RuleIds.RentalReturnedTwice, 0).WithArguments("b", "ArrayPool<byte>.Shared", "a path where it was already returned"));

        [Fact]
        public Task ReturnedTwice_InCatchAndFinally()
            => Verifier.AnalyzerAsync(
                Code("public void M() { var b = ArrayPool<byte>.Shared.Rent(16); try { Use(b); } catch (IOException) { ArrayPool<byte>.Shared.Return(b); throw; } finally { {|ALLOC402:ArrayPool<byte>.Shared.Return(b)|}; } }"));

        [Fact]
        public Task UsedAfterReturn()
            => Verifier.AnalyzerAsync(
                Code("public int M() { var b = ArrayPool<byte>.Shared.Rent(16); ArrayPool<byte>.Shared.Return(b); return {|#0:b|}[0]; }"),
                expected: Diagnostic(RuleIds.RentalUsedAfterReturn, 0).WithArguments("b", "ArrayPool<byte>.Shared", "a path where it was already returned"));

        [Fact]
        public Task ReturnedToAnotherPool()
            => Verifier.AnalyzerAsync(
                Code("public void M() { var b = ArrayPool<byte>.Shared.Rent(16); {|#0:Custom.Return(b)|}; }"),
                expected: Diagnostic(RuleIds.RentalReturnedToOtherPool, 0).WithArguments("b", "ArrayPool<byte>.Shared", "Custom"));

        [Fact]
        public Task ReferenceArray_ReturnedWithoutClearing_IsASuggestion()
            => Verifier.AnalyzerAsync(
                Code("public void M() { var s = ArrayPool<string>.Shared.Rent(4); try { s[0] = \"x\"; } finally { {|#0:ArrayPool<string>.Shared.Return(s)|}; } } public void Ok() { var s = ArrayPool<string>.Shared.Rent(4); try { s[0] = \"x\"; } finally { ArrayPool<string>.Shared.Return(s, clearArray: true); } }"),
                expected: Diagnostic(RuleIds.RentalReturnedWithoutClearing, 0).WithArguments("s", "ArrayPool<string>.Shared", string.Empty));

        [Fact]
        public Task LengthAssumed_LoopsSpansForeachClear()
            => Verifier.AnalyzerAsync(
                Code("""
                    public int M(int n)
                    {
                        var b = ArrayPool<byte>.Shared.Rent(n);
                        try
                        {
                            int sum = 0;
                            for (int i = 0; i < {|ALLOC405:b.Length|}; i++) sum += b[i];
                            foreach (var x in {|ALLOC405:b|}) sum += x;
                            Span<byte> all = {|ALLOC405:b|};
                            sum += {|ALLOC405:b.AsSpan()|}.Length + {|ALLOC405:new ReadOnlySpan<byte>(b)|}.Length;
                            {|ALLOC405:Array.Clear(b)|};
                            sum += b.AsSpan(0, n).Length;
                            for (int i = 0; i < n; i++) sum += b[i];
                            return sum + all.Length;
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(b);
                        }
                    }
                    """));

        [Fact]
        public Task AsyncMethod_Analyzed()
            => Verifier.AnalyzerAsync(
                Code("public async Task M(Stream s) { var b = {|ALLOC401:ArrayPool<byte>.Shared.Rent(16)|}; await s.ReadAsync(b, 0, 16); ArrayPool<byte>.Shared.Return(b); }"));

        [Fact]
        public Task LocalFunctionAndLambda_Analyzed()
            => Verifier.AnalyzerAsync(
                Code("""
                    public void M()
                    {
                        Local();
                        Action a = () => { var c = {|ALLOC401:ArrayPool<byte>.Shared.Rent(8)|}; Use(c); };
                        a();

                        void Local()
                        {
                            var b = {|ALLOC401:ArrayPool<byte>.Shared.Rent(8)|};
                            Use(b);
                        }
                    }
                    """),
                "alloc_analyzers.rental_exception_paths = ignore");

        [Fact]
        public Task NestedTryCatchFinally_ReturnInInnerFinally_NoDiagnostic()
            => Verifier.AnalyzerAsync(
                Code("public void M() { try { var b = ArrayPool<byte>.Shared.Rent(16); try { try { Use(b); } catch (IOException) { Console.WriteLine(); } } finally { ArrayPool<byte>.Shared.Return(b); } } catch (Exception) { throw; } }"));

        [Fact]
        public Task MemoryPoolOwner_NotDisposed_Reported()
            => Verifier.AnalyzerAsync(
                Code("public void M() { var owner = {|ALLOC401:MemoryPool<byte>.Shared.Rent(16)|}; owner.Memory.Span[0] = 1; }"),
                "alloc_analyzers.rental_exception_paths = ignore");

        [Fact]
        public Task ForEachOverTheRental_IsAUse_NotATransfer()
            => Verifier.AnalyzerAsync(
                Code("public int M(int n) { var b = {|ALLOC401:ArrayPool<int>.Shared.Rent(n)|}; int sum = 0; foreach (var x in {|ALLOC405:b|}) sum += x; return sum; }"),
                "alloc_analyzers.rental_exception_paths = ignore");

        [Fact]
        public Task ConfiguredPool_Tracked()
            => Verifier.AnalyzerAsync(
                """
                namespace MyApp
                {
                    public sealed class BufferPool { public byte[] Take() => new byte[8]; public void Give(byte[] b) { } }
                    public static class User
                    {
                        public static void M(BufferPool pool) { var b = {|ALLOC401:pool.Take()|}; b[0] = 1; }
                        public static void Ok(BufferPool pool) { var b = pool.Take(); try { b[0] = 1; } finally { pool.Give(b); } }
                    }
                }
                """,
                "alloc_analyzers.pool_methods = MyApp.BufferPool.Take:MyApp.BufferPool.Give");
    }
}
