using System;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Tests.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AllocAnalyzers.Tests.Cost
{
    /// <summary>
    /// The JIT model measured on the runtimes it makes claims for: every condition of <see cref="JitStackAllocation"/> on
    /// both sides (in a loop or not, under or over the size limit, with and without a finalizer, escaping or not,
    /// constant or variable array length, delegate or closure), run on .NET 8, 9 and 10 with tiering off, after tier-up
    /// with PGO, and as a Debug build. For each method, the bytes its diagnostics claim on that target (the Bytes of
    /// every claim that is not "may be removed") must equal the bytes measured per call.
    /// </summary>
    public sealed class JitModelRuntimeTests
    {
        private const string Types = """
            public sealed class Small { public int A; public int B; }
            public sealed class WithCtor { public int A; public int B; public WithCtor(int a, int b) { A = a; B = b; } }
            public sealed class Finalized { public int A; ~Finalized() { } }
            // 65 and 66 longs: 536 and 544 bytes allocated, 528 and 536 without the header (.NET 10's limit is 528).
            public sealed class UnderLimit { public long F0; public long F1; public long F2; public long F3; public long F4; public long F5; public long F6; public long F7; public long F8; public long F9; public long F10; public long F11; public long F12; public long F13; public long F14; public long F15; public long F16; public long F17; public long F18; public long F19; public long F20; public long F21; public long F22; public long F23; public long F24; public long F25; public long F26; public long F27; public long F28; public long F29; public long F30; public long F31; public long F32; public long F33; public long F34; public long F35; public long F36; public long F37; public long F38; public long F39; public long F40; public long F41; public long F42; public long F43; public long F44; public long F45; public long F46; public long F47; public long F48; public long F49; public long F50; public long F51; public long F52; public long F53; public long F54; public long F55; public long F56; public long F57; public long F58; public long F59; public long F60; public long F61; public long F62; public long F63; public long F64; }
            public sealed class OverLimit { public long F0; public long F1; public long F2; public long F3; public long F4; public long F5; public long F6; public long F7; public long F8; public long F9; public long F10; public long F11; public long F12; public long F13; public long F14; public long F15; public long F16; public long F17; public long F18; public long F19; public long F20; public long F21; public long F22; public long F23; public long F24; public long F25; public long F26; public long F27; public long F28; public long F29; public long F30; public long F31; public long F32; public long F33; public long F34; public long F35; public long F36; public long F37; public long F38; public long F39; public long F40; public long F41; public long F42; public long F43; public long F44; public long F45; public long F46; public long F47; public long F48; public long F49; public long F50; public long F51; public long F52; public long F53; public long F54; public long F55; public long F56; public long F57; public long F58; public long F59; public long F60; public long F61; public long F62; public long F63; public long F64; public long F65; }
            public sealed class Holder { public int V = 3; public int Get() => V; }
            public static class Opaque { [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)] public static int Read(Small s) => s.A; }

            """;

        private const string Members = """
                static int _n = 4;
                static int _one = 1;
                static object? _keep;
                static Func<int>? _keepDelegate;
                static readonly Holder Target = new Holder();
                public static int ObjectFieldsOnly() { var s = new Small(); s.A = _n; s.B = 2; return s.A + s.B; }
                public static int ObjectWithConstructor() { var s = new WithCtor(_n, 2); return s.A + s.B; }
                public static int ObjectInLoop() { int t = 0; for (int i = 0; i < _one; i++) { var s = new Small(); s.A = i + _n; t += s.A; } return t; }
                public static int ObjectStored() { var s = new Small(); s.A = _n; _keep = s; return s.A; }
                public static int ObjectPassedToACall() { var s = new Small(); s.A = _n; return Opaque.Read(s); }
                public static int ObjectUnderTheSizeLimit() { var s = new UnderLimit(); s.F0 = _n; return (int)s.F0; }
                public static int ObjectOverTheSizeLimit() { var s = new OverLimit(); s.F0 = _n; return (int)s.F0; }
                public static int ObjectWithAFinalizer() { var s = new Finalized(); s.A = _n; return s.A; }
                public static int BoxTypeTested() { object o = _n; return o is int i ? i : 0; }
                public static int BoxStored() { object o = _n; _keep = o; return 1; }
                public static int ArrayConstantLength() { var a = new int[4]; a[0] = _n; return a[0] + a.Length; }
                public static int ArrayVariableLength() { var a = new int[_n]; a[0] = _n; return a[0] + a.Length; }
                public static int ArrayUnderTheSizeLimit() { var a = new int[128]; a[0] = _n; return a[0]; }
                public static int ArrayOverTheSizeLimit() { var a = new int[130]; a[0] = _n; return a[0]; }
                public static int ArrayOfStrings() { var a = new string[2]; a[0] = "x"; return a[0].Length + _n; }
                public static int DelegateInvokedHere() { Func<int> f = Target.Get; return f(); }
                public static int DelegateStored() { Func<int> f = Target.Get; _keepDelegate = f; return f(); }
                public static int ClosureInvokedHere() { int y = _n; Func<int, int> f = x => x + y; return f(1); }
            """;

        private static readonly string Source = AllocationSnippets.HotProgram(Members, Types);

        public static TheoryData<int, JitMode> Matrix
        {
            get
            {
                var data = new TheoryData<int, JitMode>();
                foreach (int runtime in RuntimeMatrix.Runtimes)
                {
                    data.Add(runtime, JitMode.FullOpts);
                    data.Add(runtime, JitMode.TieredPgo);
                }

                data.Add(10, JitMode.Debug);
                return data;
            }
        }

        [Theory]
        [MemberData(nameof(Matrix))]
        public async Task EveryMethod_AllocatesWhatItsDiagnosticsClaim(int runtime, JitMode mode)
        {
            var methods = MethodNames();
            var claims = await ClaimsAsync(runtime, mode == JitMode.Debug);
            var measured = RuntimeMatrix.BytesPerCall(Source, methods.Select(m => "Program." + m), runtime, mode);
            var mismatches = new System.Collections.Generic.List<string>();
            foreach (var method in methods)
            {
                double bytes = measured["Program." + method];
                var (claimed, exact) = claims.TryGetValue(method, out var claim) ? claim : (0, true);
                bool agrees = exact ? bytes == claimed : bytes >= claimed && bytes > 0;
                if (!agrees)
                {
                    mismatches.Add(method + ": measured " + bytes + " B per call on .NET " + runtime + " (" + mode + "), claimed " + (exact ? string.Empty : "at least ") + claimed);
                }
            }

            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        }

        /// <summary>Each side of each condition is in the program, and some claim differs by target: the test can fail.</summary>
        [Fact]
        public async Task TheClaims_DifferByTarget_AndByBuild()
        {
            var net8 = await ClaimsAsync(8, debug: false);
            var net9 = await ClaimsAsync(9, debug: false);
            var net10 = await ClaimsAsync(10, debug: false);
            var debug = await ClaimsAsync(10, debug: true);
            Assert.Equal(24, net8["ObjectFieldsOnly"].Bytes);
            Assert.False(net9.ContainsKey("ObjectFieldsOnly"));
            Assert.Equal(544, net10["ObjectOverTheSizeLimit"].Bytes);
            Assert.False(net9.ContainsKey("ObjectOverTheSizeLimit"));
            Assert.Equal(40, net9["ArrayConstantLength"].Bytes);
            Assert.False(net10.ContainsKey("ArrayConstantLength"));
            Assert.Equal(24, net10["ClosureInvokedHere"].Bytes);
            Assert.Equal(88, net9["ClosureInvokedHere"].Bytes);
            Assert.Equal(24, debug["ObjectFieldsOnly"].Bytes);
        }

        /// <summary>
        /// .NET 10's conditional escape analysis keeps the enumerator of a foreach over an interface on the stack once
        /// dynamic PGO has seen the collection's type: 0 bytes after tier-up, 40 with tiering off, 40 on .NET 8 and 9.
        /// The claim on net10.0 is "may be removed" (a suggestion), on net8.0 and net9.0 every execution, and a foreach
        /// nested in another loop stays every execution everywhere.
        /// </summary>
        [Fact]
        public async Task ForeachOverAnInterface_MayBeRemovedOnNet10AfterTierUp()
        {
            const string members = """
                    static readonly List<int> Items = new List<int> { 1, 2, 3 };
                    static readonly IEnumerable<int> Source = Items;
                    static int _one = 1;
                    public static int Once() { int s = 0; foreach (var x in Source) s += x; return s; }
                    public static int Nested() { int s = 0; for (int i = 0; i < _one; i++) { foreach (var x in Source) s += x; } return s; }
                """;
            var source = AllocationSnippets.HotProgram(members);
            foreach (int runtime in RuntimeMatrix.Runtimes)
            {
                var compilation = RuntimeProof.CreateCompilation(source, "Enumerators");
                var options = TestOptions.Create("build_property.TargetFrameworkIdentifier = .NETCoreApp\nbuild_property.TargetFrameworkVersion = v" + runtime + ".0");
                var claims = (await CodeFixRunner.AnalyzeAsync(compilation, System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new HotAllocationAnalyzer()), options))
                    .Where(d => d.Id == RuleIds.EnumeratorAllocation)
                    .ToDictionary(d => d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>()!.Identifier.ValueText, d => AllocationProperties.ReadClaim(d.Properties));
                Assert.Equal(runtime >= 10 ? AllocationClaim.MayBeRemoved : AllocationClaim.EveryExecution, claims["Once"]);
                Assert.Equal(AllocationClaim.EveryExecution, claims["Nested"]);

                var tiered = RuntimeMatrix.BytesPerCall(source, new[] { "Program.Once", "Program.Nested" }, runtime, JitMode.TieredPgo);
                var fullOpts = RuntimeMatrix.BytesPerCall(source, new[] { "Program.Once" }, runtime, JitMode.FullOpts);
                Assert.Equal(runtime >= 10 ? 0 : 40, tiered["Program.Once"]);
                Assert.Equal(40, fullOpts["Program.Once"]);
                Assert.Equal(40, tiered["Program.Nested"]);
            }
        }

        private static string[] MethodNames()
            => CSharpSyntaxTree.ParseText("class Program {" + Members + "}").GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToArray();

        /// <summary>
        /// Per method, the bytes its ALLOC1xx/2xx diagnostics claim per call on .NET <paramref name="runtime"/>, and
        /// whether the claim is exact (a diagnostic with a formula instead of bytes claims only "some").
        /// </summary>
        private static async Task<System.Collections.Generic.Dictionary<string, (int Bytes, bool Exact)>> ClaimsAsync(int runtime, bool debug)
        {
            var compilation = RuntimeProof.CreateCompilation(Source, "Claims");
            if (debug)
            {
                compilation = compilation.WithOptions(compilation.Options.WithOptimizationLevel(OptimizationLevel.Debug));
            }

            var options = TestOptions.Create("build_property.TargetFrameworkIdentifier = .NETCoreApp\nbuild_property.TargetFrameworkVersion = v" + runtime + ".0\nbuild_property.TargetFramework = net" + runtime + ".0");
            var diagnostics = await CodeFixRunner.AnalyzeAsync(compilation, RuleCatalog.CreateAnalyzers(), options);
            var result = new System.Collections.Generic.Dictionary<string, (int Bytes, bool Exact)>();
            foreach (var diagnostic in diagnostics.Where(d => d.Id.StartsWith("ALLOC1", StringComparison.Ordinal) || d.Id.StartsWith("ALLOC2", StringComparison.Ordinal)))
            {
                var method = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>();
                if (method == null || method.Parent is not ClassDeclarationSyntax { Identifier.ValueText: "Program" }
                    || AllocationProperties.ReadClaim(diagnostic.Properties) == AllocationClaim.MayBeRemoved)
                {
                    continue;
                }

                string name = method.Identifier.ValueText;
                result.TryGetValue(name, out var sum);
                bool known = diagnostic.Properties.TryGetValue(HotAllocationAnalyzer.BytesProperty, out var text) && text != null;
                result[name] = (sum.Bytes + (known ? int.Parse(text!, System.Globalization.CultureInfo.InvariantCulture) : 0), (result.ContainsKey(name) ? sum.Exact : true) && known);
            }

            return result;
        }
    }
}
