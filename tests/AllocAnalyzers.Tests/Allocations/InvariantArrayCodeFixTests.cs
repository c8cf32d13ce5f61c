using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.CodeFixes.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Allocations.HotAllocationAnalyzer, AllocAnalyzers.CodeFixes.Allocations.InvariantArrayCodeFix>;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>Invariant arrays: cached in a static readonly field, or hoisted out of loops; not when anything could write them.</summary>
    public sealed class InvariantArrayCodeFixTests
    {
        private const string Hot = "[System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }\n";

        /// <summary>
        /// <c>char[] separators = { ',', ';' };</c> is an array as much as <c>new[] { ... }</c> (ALLOC102), but the fixes
        /// rewrite only the spelled-out forms: no action is offered for the initializer.
        /// </summary>
        [Fact]
        public Task ArrayInitializerWithoutNew_IsReported_ButOffersNoRewrite()
            => Verifier.NoCodeFixAsync(Hot + AllocationSnippets.ArrayInitializerWithoutNew);

        [Fact]
        public Task ConstantArrayArgument_BecomesStaticReadonlyField()
            => Verifier.CodeFixAsync(
                Hot + """
                public sealed class Parser
                {
                    [HotPath]
                    public string[] Fields(string line) => line.{|ALLOC111:Split({|ALLOC102:new[] { ',', ';' }|})|};
                }
                """,
                Hot + """
                public sealed class Parser
                {
                    private static readonly char[] SplitSeparator = new[] { ',', ';' };

                    [HotPath]
                    public string[] Fields(string line) => line.{|ALLOC111:Split(SplitSeparator)|};
                }
                """);

        [Fact]
        public Task ConstantArrayInLoop_ReadOnly_MovesBeforeTheLoop()
            => HoistTest(
                Hot + """
                public static class C
                {
                    [HotPath]
                    public static int Score(string[] words)
                    {
                        int total = 0;
                        foreach (var word in words)
                        {
                            var weights = {|ALLOC102:new[] { 1, 2, 3 }|};
                            total += weights[word.Length % weights.Length];
                        }

                        return total;
                    }
                }
                """,
                Hot + """
                public static class C
                {
                    [HotPath]
                    public static int Score(string[] words)
                    {
                        int total = 0;
                        var weights = {|ALLOC102:new[] { 1, 2, 3 }|};
                        foreach (var word in words)
                        {
                            total += weights[word.Length % weights.Length];
                        }

                        return total;
                    }
                }
                """);

        /// <summary>Hoisted, the array is still allocated once per call, so the fixed code keeps one ALLOC102.</summary>
        private static Task HoistTest(string source, string fixedSource)
        {
            var test = Verify<HotAllocationAnalyzer, InvariantArrayCodeFix>.Create(source, null);
            test.FixedCode = fixedSource;
            test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
            return test.RunAsync();
        }

        [Theory]
        [InlineData("var w = {|ALLOC102:new[] { 1, 2 }|}; w[0]++; t += w[0];")]
        [InlineData("var w = {|ALLOC102:new[] { 1, 2 }|}; Touch(w); t += w[0];")]
        [InlineData("var w = {|ALLOC102:new[] { 1, i }|}; t += w[1];")]
        public Task ArrayThatMayChange_FixNotOffered(string body)
            => Verifier.NoCodeFixAsync(Hot + "public static class C { static void Touch(int[] a) { } [HotPath] public static int M(int n) { int t = 0; for (int i = 0; i < n; i++) { " + body + " } return t; } }");

        [Theory]
        [InlineData(InvariantArrayCodeFix.StaticFieldKey, "static string _line = \"a,b;c\"; public static int Run() => _line.Split(new[] { ',', ';' }).Length;")]
        [InlineData(InvariantArrayCodeFix.HoistKey, "static string[] _words = { \"ab\", \"abc\", \"a\" }; public static int Run() { int t = 0; foreach (var w in _words) { var weights = new[] { 1, 2, 3 }; t += weights[w.Length % weights.Length]; } return t; }")]
        public async Task FixedCode_AllocatesLess_AndReturnsTheSame(string key, string members)
        {
            string source = Hot + "[HotPath] public static class Program { " + members + " }";
            var fixedSource = await CodeFixRunner.ApplyAllAsync(new HotAllocationAnalyzer(), new InvariantArrayCodeFix(), source, RuleIds.ArrayAllocation);
            using var before = RuntimeProof.Compile(source, "InvBefore");
            using var after = RuntimeProof.Compile(fixedSource, "InvAfter");

            Assert.NotEqual(source, fixedSource);
            Assert.True(after.AllocatedBytesPerCall("Program.Run") <= before.AllocatedBytesPerCall("Program.Run"), key);
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
            if (key == InvariantArrayCodeFix.HoistKey)
            {
                // Three iterations each allocating a 3-int array (40 bytes) become one allocation per call (unless the
                // .NET 10 JIT keeps the non-escaping array on the stack, in which case both are 0).
                Assert.True(after.AllocatedBytesPerCall("Program.Run") <= 40);
            }
            else
            {
                // The separators are created once: only Split's own result is allocated per call.
                Assert.True(before.AllocatedBytesPerCall("Program.Run") - after.AllocatedBytesPerCall("Program.Run") >= 32);
            }
        }
    }
}
