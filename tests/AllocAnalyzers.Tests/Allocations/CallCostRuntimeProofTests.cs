using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>
    /// What a called method costs (ALLOC112) and what a constructor chain costs (ALLOC101's <c>new T()</c>), against the
    /// runtime: the bytes the message claims are the bytes each call allocates beyond the call's own; allocations on
    /// some paths only, or that the JIT may remove, are not claimed; a hot or cold-marked callee is not reported at
    /// the call. With <c>hot_path_depth = 0</c>, only <c>Program</c> is hot.
    /// </summary>
    public sealed class CallCostRuntimeProofTests
    {
        private const string OnlyProgramIsHot = "alloc_analyzers.hot_path_depth = 0";

        private const string Types = """
            public sealed class Node { public int V; public Node(int v) { V = v; } }
            public sealed class Inner { public int A; }
            public sealed class Outer
            {
                private readonly Inner _inner = new Inner();
                private readonly int[] _slots = new int[4];
                public Outer() { }
                public int Size => _slots.Length + _inner.A;
            }
            public sealed class Derived : Base { public readonly Node Own = new Node(2); }
            public class Base { public readonly Node Inherited = new Node(1); }
            public static class Helpers
            {
                public static int[] Last = new int[0];
                public static Node Kept = new Node(0);
                public static void Store(int n) { Last = new int[] { n, n }; Kept = new Node(n); }
                public static void Relay(int n) { Store(n + 1); }
                public static int Sometimes(int n) { if (n > 1000) { Kept = new Node(n); } return n; }
                public static int LocalOnly(int n) { var node = new Node(n); return node.V; }
                public static Node Returned(int n) => new Node(n);
                [ColdPath] public static void Cold(int n) { Kept = new Node(n); }
            }
            [System.AttributeUsage(System.AttributeTargets.All)] internal sealed class ColdPathAttribute : System.Attribute { }

            """;

        [Fact]
        public async Task CallToAMethodThatStoresWhatItAllocates_ClaimsItsBytes_AndTheRuntimeAgrees()
        {
            var (diagnostic, measured) = await RunAsync("public static void Run() => Helpers.Store(_seed);");
            int line = AllocationSnippets.HotProgram(Inputs, Types).Split('\n').ToList().FindIndex(l => l.Contains("Last = new int[] { n, n }")) + 1;
            Assert.Equal("The call to 'Store' allocates 56 bytes (new int[] (32 bytes) at " + FileOf(diagnostic) + ":" + line + ", and 1 more allocation) on every execution (net10.0); inside 'Store', which is not on the hot path itself (hot: inside type Program annotated [HotPath])", diagnostic!.GetMessage());
            Assert.Equal(56, int.Parse(diagnostic.Properties[HotAllocationAnalyzer.BytesProperty]!));
            Assert.Equal(56, measured);
        }

        [Fact]
        public async Task CallThroughAnotherMethod_NamesTheChain()
        {
            var (diagnostic, measured) = await RunAsync("public static void Run() => Helpers.Relay(_seed);");
            Assert.Contains("allocates 56 bytes (through 'Helpers.Store': new int[] (32 bytes)", diagnostic!.GetMessage());
            Assert.Equal(56, measured);
        }

        [Theory]
        [InlineData("public static int Run() => Helpers.Sometimes(_seed);")]
        [InlineData("public static int Run() => Helpers.LocalOnly(_seed);")]
        [InlineData("public static int Run() => Helpers.Returned(_seed).V;")]
        [InlineData("public static void Run() => Helpers.Cold(_seed);")]
        public async Task CallWhoseAllocationsAreNotOnEveryPathOrMayBeRemoved_IsNotReported(string members)
        {
            var (diagnostic, _) = await RunAsync(members);
            Assert.Null(diagnostic);
        }

        [Fact]
        public async Task CallToAHotMethod_IsNotReported_ItsOwnSitesAre()
        {
            var source = AllocationSnippets.HotProgram(Inputs + "public static void Run() => Helpers.Store(_seed);", Types);
            var diagnostics = await CodeFixRunner.GetDiagnosticsAsync(new HotAllocationAnalyzer(), source, "alloc_analyzers.hot_path_depth = 1");
            Assert.DoesNotContain(diagnostics, d => d.Id == RuleIds.CallAllocation);
            Assert.Contains(diagnostics, d => d.Id == RuleIds.ArrayAllocation);
        }

        [Fact]
        public async Task NewOfATypeWhoseConstructorAllocates_SaysSo_AndTheRuntimeAgrees()
        {
            var source = AllocationSnippets.HotProgram(Inputs + "public static object Run() => new Outer();", Types);
            var diagnostic = (await CodeFixRunner.GetDiagnosticsAsync(new HotAllocationAnalyzer(), source, OnlyProgramIsHot)).Single(d => d.Id == RuleIds.ObjectAllocation && d.GetMessage().StartsWith("'new Outer'", System.StringComparison.Ordinal));
            using var proof = RuntimeProof.Compile(source, "Outer");

            Assert.Contains("'new Outer' allocates 32 bytes on every execution (net10.0); its constructor allocates 64 bytes (new Inner (24 bytes) at ", diagnostic.GetMessage());
            Assert.Contains(", and 1 more allocation) on every construction; it escapes: returned to the caller", diagnostic.GetMessage());
            Assert.Equal(32 + 64, proof.AllocatedBytesPerCall("Program.Run"));
        }

        [Fact]
        public async Task NewOfADerivedType_CountsTheBaseInitializers()
        {
            var source = AllocationSnippets.HotProgram(Inputs + "public static object Run() => new Derived();", Types);
            var diagnostic = (await CodeFixRunner.GetDiagnosticsAsync(new HotAllocationAnalyzer(), source, OnlyProgramIsHot)).Single(d => d.Id == RuleIds.ObjectAllocation && d.GetMessage().StartsWith("'new Derived'", System.StringComparison.Ordinal));
            using var proof = RuntimeProof.Compile(source, "Derived");

            Assert.Contains("its constructor allocates 48 bytes", diagnostic.GetMessage());
            Assert.Equal(32 + 48, proof.AllocatedBytesPerCall("Program.Run"));
        }

        [Fact]
        public async Task InitializersOfAHotConstructor_AreReported_AndOfAColdOneNot()
        {
            const string source = """
                using System.Collections.Generic;
                [System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }
                public sealed class Hot { private readonly List<int> _items = new List<int>(); [HotPath] public Hot() { } public int Count => _items.Count; }
                public sealed class Cold { private readonly List<int> _items = new List<int>(); public Cold() { } public int Count => _items.Count; }
                [HotPath] public sealed class HotType { private readonly List<int> _items = new List<int>(); public int Count => _items.Count; }
                """;
            var diagnostics = (await CodeFixRunner.GetDiagnosticsAsync(new HotAllocationAnalyzer(), source, OnlyProgramIsHot)).Where(d => d.Id == RuleIds.ObjectAllocation).ToList();

            Assert.Equal(new[] { 3, 5 }, diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).OrderBy(l => l));
            Assert.Contains("hot: an initializer run by a hot constructor (annotated [HotPath])", diagnostics.Single(d => d.Location.GetLineSpan().StartLinePosition.Line == 2).GetMessage());
            Assert.Contains("hot: inside type HotType annotated [HotPath]", diagnostics.Single(d => d.Location.GetLineSpan().StartLinePosition.Line == 4).GetMessage());
        }

        private const string Inputs = "static int _seed = 300;\n";

        private static async Task<(Diagnostic? Diagnostic, double Measured)> RunAsync(string members)
        {
            var source = AllocationSnippets.HotProgram(Inputs + members, Types);
            var diagnostics = await CodeFixRunner.GetDiagnosticsAsync(new HotAllocationAnalyzer(), source, OnlyProgramIsHot);
            using var proof = RuntimeProof.Compile(source, "Calls");
            return (diagnostics.SingleOrDefault(d => d.Id == RuleIds.CallAllocation), proof.AllocatedBytesPerCall("Program.Run"));
        }

        private static string FileOf(Diagnostic? diagnostic) => System.IO.Path.GetFileName(diagnostic!.Location.GetLineSpan().Path);
    }
}
