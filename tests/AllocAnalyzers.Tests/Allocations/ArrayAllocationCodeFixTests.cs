using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.CodeFixes.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Allocations.HotAllocationAnalyzer, AllocAnalyzers.CodeFixes.Allocations.ArrayAllocationCodeFix>;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>ALLOC102 fixes: ArrayPool with an exact-length span, stackalloc, Array.Empty; where they are not safe; and their runtime effect.</summary>
    public sealed class ArrayAllocationCodeFixTests
    {
        private const string Hot = "using System;\n[System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }\n";

        /// <summary>The fixed code of a rental: the fix adds the using directive it needs.</summary>
        private const string HotPooled = "using System;\nusing System.Buffers;\n[System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }\n";

        /// <summary>
        /// <c>char[] separators = { ',', ';' };</c> is an array as much as <c>new[] { ... }</c> (ALLOC102), but the fixes
        /// rewrite only the spelled-out forms: no action is offered for the initializer.
        /// </summary>
        [Fact]
        public Task ArrayInitializerWithoutNew_IsReported_ButOffersNoRewrite()
            => Verifier.NoCodeFixAsync(Hot + AllocationSnippets.ArrayInitializerWithoutNew);

        [Fact]
        public Task LocalArray_RentedWithExactLengthSpan_FixAllInOneBlock()
            => Verifier.CodeFixAsync(
                Hot + """
                public static class C
                {
                    [HotPath]
                    public static int Sum(int n)
                    {
                        var squares = {|ALLOC102:new int[n]|};
                        var flags = {|ALLOC102:new bool[n]|};
                        for (int i = 0; i < squares.Length; i++) squares[i] = i * i;
                        int total = 0;
                        foreach (var s in squares) total += s;
                        return total + flags.Length;
                    }
                }
                """,
                HotPooled + """
                public static class C
                {
                    [HotPath]
                    public static int Sum(int n)
                    {
                        int[] squaresRented = ArrayPool<int>.Shared.Rent(n);
                        try
                        {
                            Span<int> squares = new Span<int>(squaresRented, 0, n);
                            squares.Clear();
                            bool[] flagsRented = ArrayPool<bool>.Shared.Rent(n);
                            try
                            {
                                Span<bool> flags = new Span<bool>(flagsRented, 0, n);
                                flags.Clear();
                                for (int i = 0; i < squares.Length; i++) squares[i] = i * i;
                                int total = 0;
                                foreach (var s in squares) total += s;
                                return total + flags.Length;
                            }
                            finally
                            {
                                ArrayPool<bool>.Shared.Return(flagsRented);
                            }
                        }
                        finally
                        {
                            ArrayPool<int>.Shared.Return(squaresRented);
                        }
                    }
                }
                """);

        [Fact]
        public Task SmallConstantArray_BecomesStackalloc()
            => Verifier.CodeFixAsync(
                Hot + """
                public static class C
                {
                    [HotPath]
                    public static int M()
                    {
                        var digits = {|ALLOC102:new int[16]|};
                        digits[3] = 7;
                        return digits[3] + digits.AsSpan(2, 4).Length;
                    }
                }
                """,
                Hot + """
                public static class C
                {
                    [HotPath]
                    public static int M()
                    {
                        Span<int> digits = stackalloc int[16];
                        digits[3] = 7;
                        return digits[3] + digits.Slice(2, 4).Length;
                    }
                }
                """);

        [Fact]
        public Task EmptyArrayArgument_BecomesArrayEmpty()
            => Verifier.CodeFixAsync(
                Hot + "public static class C { static int Count(int[] a) => a.Length; [HotPath] public static int M() => Count({|ALLOC102:new int[] { }|}); }",
                Hot + "public static class C { static int Count(int[] a) => a.Length; [HotPath] public static int M() => Count(Array.Empty<int>()); }");

        [Fact]
        public Task StackallocThreshold_IsConfigurable()
        {
            const string source = "public static class C { [HotPath] public static int M() { var digits = {|ALLOC102:new long[8]|}; digits[1] = 2; return (int)digits[1]; } }";
            // 8 longs are 64 bytes: above the configured 32, so no stackalloc is offered (the pool rental still is).
            var test = Verify<HotAllocationAnalyzer, ArrayAllocationCodeFix>.Create(Hot + source, "alloc_analyzers.stackalloc_max_bytes = 32");
            test.CodeActionEquivalenceKey = ArrayAllocationCodeFix.StackallocKey;
            test.FixedCode = Hot + source;
            return test.RunAsync();
        }

        [Fact]
        public Task EmptyArray_BecomesArrayEmpty()
            => Verifier.CodeFixAsync(
                Hot + "public static class C { [HotPath] public static string[] M() { var none = {|ALLOC102:new string[0]|}; return none; } }",
                Hot + "public static class C { [HotPath] public static string[] M() { var none = Array.Empty<string>(); return none; } }");

        [Theory]
        [InlineData("public static int[] M(int n) { var a = {|ALLOC102:new int[n]|}; return a; }")]
        [InlineData("public static int M(int n) { var a = {|ALLOC102:new int[n]|}; Use(a); return 0; }")]
        [InlineData("public static int M(int n) { var a = {|ALLOC102:new int[n]|}; System.Func<int> f = {|ALLOC104:() =>|} a.Length; return f(); }")]
        [InlineData("public static int M(int n) { var a = {|ALLOC102:new int[n]|}; a = {|ALLOC102:new int[1]|}; return a.Length; }")]
        public Task ArrayThatEscapesOrIsNotSpanLike_FixNotOffered(string method)
            => Verifier.NoCodeFixAsync(Hot + "public static class C { static void Use(int[] a) { } [HotPath] " + method + " }");

        [Fact]
        public Task ArrayPassedAsSpan_ToCallsThatCannotKeepIt_IsRented()
            => Verifier.CodeFixAsync(
                Hot + """
                public static class C
                {
                    static void Fill(Span<byte> destination) => destination.Fill(1);
                    static int Sum(ReadOnlySpan<byte> source) { int t = 0; foreach (var b in source) t += b; return t; }
                    [HotPath]
                    public static int M(int n)
                    {
                        var buffer = {|ALLOC102:new byte[n]|};
                        Fill(buffer.AsSpan());
                        return Sum(buffer) + Sum(buffer.AsSpan(0, 2));
                    }
                }
                """,
                HotPooled + """
                public static class C
                {
                    static void Fill(Span<byte> destination) => destination.Fill(1);
                    static int Sum(ReadOnlySpan<byte> source) { int t = 0; foreach (var b in source) t += b; return t; }
                    [HotPath]
                    public static int M(int n)
                    {
                        byte[] bufferRented = ArrayPool<byte>.Shared.Rent(n);
                        try
                        {
                            Span<byte> buffer = new Span<byte>(bufferRented, 0, n);
                            buffer.Clear();
                            Fill(buffer);
                            return Sum(buffer) + Sum(buffer.Slice(0, 2));
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(bufferRented);
                        }
                    }
                }
                """);

        [Theory]
        [InlineData("var a = {|ALLOC102:new byte[n]|}; return Keep(a)[0];")]
        [InlineData("var a = {|ALLOC102:new byte[n]|}; var s = a.AsSpan(); return Keep(s)[0];")]
        [InlineData("var a = {|ALLOC102:new byte[n]|}; return Keep(a.AsSpan().Slice(1))[0];")]
        public Task SpanViewPassedToCallThatCanReturnIt_FixNotOffered(string body)
            => Verifier.NoCodeFixAsync(Hot + "public static class C { static ReadOnlySpan<byte> Keep(ReadOnlySpan<byte> s) => s; [HotPath] public static byte M(int n) { " + body + " } }");

        [Fact]
        public Task AsyncMethod_FixNotOffered()
            => Verifier.NoCodeFixAsync(Hot + "public static class C { [HotPath] public static async System.Threading.Tasks.Task<int> M(int n) { var a = {|ALLOC102:new int[n]|}; await System.Threading.Tasks.Task.Yield(); return a.Length; } }");

        [Theory]
        [InlineData(ArrayAllocationCodeFix.ArrayPoolKey, "public static int Run() { var squares = new int[_n]; for (int i = 0; i < squares.Length; i++) squares[i] = i * i; int t = 0; foreach (var s in squares) t += s; return t; }")]
        [InlineData(ArrayAllocationCodeFix.StackallocKey, "public static int Run() { var digits = new int[16]; digits[_n % 16] = 7; int t = 0; foreach (var d in digits) t += d; return t + digits.Length; }")]
        [InlineData(ArrayAllocationCodeFix.ArrayEmptyKey, "public static int Run() { var none = new int[0]; return none.Length + _n; }")]
        public async Task FixedCode_AllocatesNothing_AndReturnsTheSame(string key, string members)
        {
            string source = Hot + "[HotPath] public static class Program { static int _n = 100; " + members + " }";
            var fixedSource = await CodeFixRunner.ApplyAllAsync(new HotAllocationAnalyzer(), new ArrayAllocationCodeFix(), source, RuleIds.ArrayAllocation);
            using var before = RuntimeProof.Compile(source, "ArrBefore");
            using var after = RuntimeProof.Compile(fixedSource, "ArrAfter");

            // A variable-length array is always a heap allocation; a small constant-size one that never escapes may
            // already be kept on the stack by the .NET 10 JIT (so "before" can be 0 there: at most the claim).
            double beforeBytes = before.AllocatedBytesPerCall("Program.Run");
            Assert.True(key == ArrayAllocationCodeFix.ArrayPoolKey ? beforeBytes >= 24 + (4 * 100) : beforeBytes >= 0, key + ": " + beforeBytes);
            Assert.Equal(0.0, after.AllocatedBytesPerCall("Program.Run"));
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
            Assert.Contains(key switch { ArrayAllocationCodeFix.ArrayPoolKey => "ArrayPool", ArrayAllocationCodeFix.StackallocKey => "stackalloc", _ => "Array.Empty" }, fixedSource);
        }
    }
}
