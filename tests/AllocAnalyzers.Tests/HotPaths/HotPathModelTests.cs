using System.Linq;
using System.Threading;
using AllocAnalyzers.HotPaths;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AllocAnalyzers.Tests.HotPaths
{
    /// <summary>Which members the hot-path model calls hot, and the reason it gives.</summary>
    public sealed class HotPathModelTests
    {
        private const string Attributes = """
            [System.AttributeUsage(System.AttributeTargets.All)] public sealed class HotPathAttribute : System.Attribute { public HotPathAttribute(bool hot = true) { } }
            [System.AttributeUsage(System.AttributeTargets.All)] public sealed class ColdPathAttribute : System.Attribute { }
            namespace Roslyn.Utilities { [System.AttributeUsage(System.AttributeTargets.All)] public sealed class PerformanceSensitiveAttribute : System.Attribute { public PerformanceSensitiveAttribute(string uri) { } } }
            namespace BenchmarkDotNet.Attributes { [System.AttributeUsage(System.AttributeTargets.All)] public sealed class BenchmarkAttribute : System.Attribute { } }
            """;

        private static (bool Hot, string Reason) Check(string source, string member, string? options = null, params string[] moreSources)
        {
            var trees = new[] { Attributes, source }.Concat(moreSources).Select(s => CSharpSyntaxTree.ParseText(s, RuntimeProof.ParseOptions));
            var compilation = CSharpCompilation.Create("Hot", trees, TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var symbol = FindMethod(compilation, member);
            var model = HotPathModel.For(compilation, TestOptions.Create(options));
            bool hot = model.IsHot(symbol, CancellationToken.None, out var reason);
            return (hot, reason);
        }

        private static IMethodSymbol FindMethod(Compilation compilation, string member)
        {
            // "Type.Method" or "Type.get_Property"
            int dot = member.IndexOf('.');
            var type = compilation.GetSymbolsWithName(member.Substring(0, dot), SymbolFilter.Type).OfType<INamedTypeSymbol>().Single();
            return type.GetMembers(member.Substring(dot + 1)).OfType<IMethodSymbol>().First();
        }

        [Theory]
        [InlineData("[HotPath]", "annotated [HotPath]")]
        [InlineData("[HotPathAttribute]", "annotated [HotPath]")]
        [InlineData("[Roslyn.Utilities.PerformanceSensitive(\"uri\")]", "annotated [PerformanceSensitive]")]
        [InlineData("[BenchmarkDotNet.Attributes.Benchmark]", "annotated [Benchmark]")]
        public void AttributeOnMethod_IsHot_WithReason(string attribute, string reason)
            => Assert.Equal((true, reason), Check($"public class C {{ {attribute} public void M() {{ }} }}", "C.M"));

        [Fact]
        public void NoMarker_IsCold()
            => Assert.False(Check("public class C { public void M() { } }", "C.M").Hot);

        [Fact]
        public void AttributeOnType_MakesEveryMemberHot()
            => Assert.Equal((true, "inside type C annotated [HotPath]"), Check("[HotPath] public class C { public void M() { } }", "C.M"));

        [Fact]
        public void AttributeOnProperty_MakesItsAccessorsHot()
        {
            Assert.Equal((true, "annotated [HotPath]"), Check("public class C { [HotPath] public int P => 1; }", "C.get_P"));
            Assert.Equal((true, "annotated [HotPath]"), Check("public class C { [HotPath] public int P { get; set; } }", "C.set_P"));
        }

        [Fact]
        public void AttributeOnConstructor_IsHot()
            => Assert.True(Check("public class C { [HotPath] public C() { } }", "C..ctor").Hot);

        [Fact]
        public void AssemblyAttribute_MakesEverythingHot()
            => Assert.Equal((true, "assembly annotated [HotPath]"), Check("[assembly: HotPath] public class C { public void M() { } }", "C.M"));

        [Fact]
        public void StaticConstructor_NeverHot()
            => Assert.False(Check("[HotPath] public class C { static C() { } }", "C..cctor").Hot);

        [Theory]
        [InlineData("[ColdPath]")]
        [InlineData("[HotPath(false)]")]
        public void ColdMarker_WinsOverHotType(string cold)
            => Assert.False(Check($"[HotPath] public class C {{ {cold} public void M() {{ }} }}", "C.M").Hot);

        [Fact]
        public void ScopeAll_MakesEveryMemberHot_ButNotColdOnes()
        {
            Assert.Equal((true, "alloc_analyzers.hot_path_scope = all"), Check("public class C { public void M() { } }", "C.M", "alloc_analyzers.hot_path_scope = all"));
            Assert.False(Check("public class C { [ColdPath] public void M() { } }", "C.M", "alloc_analyzers.hot_path_scope = all").Hot);
        }

        [Theory]
        [InlineData("M:App.OrderHandler.Handle*", "OrderHandler.Handle", true)]
        [InlineData("M:App.OrderHandler.Handle(App.Order)", "OrderHandler.Handle", true)]
        [InlineData("M:App.OrderHandler.Other*", "OrderHandler.Handle", false)]
        [InlineData("T:App.Order*", "OrderHandler.Handle", true)]
        [InlineData("T:App.Pipeline.*", "OrderHandler.Handle", false)]
        [InlineData("P:App.OrderHandler.Count", "OrderHandler.get_Count", true)]
        [InlineData("M:App.Nothing, M:App.OrderHandler.Handle*", "OrderHandler.Handle", true)]
        public void Patterns_MatchDocumentationIds(string pattern, string member, bool hot)
        {
            const string source = "namespace App { public class Order { } public class OrderHandler { public void Handle(Order o) { } public int Count => 0; } }";
            var result = Check(source, member, "alloc_analyzers.hot_path_methods = " + pattern);
            Assert.Equal(hot, result.Hot);
            if (hot)
            {
                Assert.StartsWith("matches ", result.Reason);
            }
        }

        private const string Chain = """
            public class C
            {
                [HotPath] public void Root() { A(); }
                public void A() { B(); }
                public void B() { D(); }
                public void D() { }
            }
            """;

        [Theory]
        [InlineData(null, "C.A", true)]
        [InlineData(null, "C.B", true)]
        [InlineData(null, "C.D", false)]
        [InlineData("alloc_analyzers.hot_path_depth = 0", "C.A", false)]
        [InlineData("alloc_analyzers.hot_path_depth = 1", "C.A", true)]
        [InlineData("alloc_analyzers.hot_path_depth = 1", "C.B", false)]
        [InlineData("alloc_analyzers.hot_path_depth = 3", "C.D", true)]
        public void Propagation_FollowsTheConfiguredDepth(string? options, string member, bool hot)
            => Assert.Equal(hot, Check(Chain, member, options).Hot);

        [Fact]
        public void Propagation_ReasonNamesTheCallerAndDepth()
        {
            Assert.Equal((true, "called from C.Root (depth 1)"), Check(Chain, "C.A"));
            Assert.Equal((true, "called from C.A (depth 2)"), Check(Chain, "C.B"));
        }

        [Fact]
        public void Propagation_Recursion_AndMutualRecursion_Terminate()
        {
            const string source = """
                public class C
                {
                    [HotPath] public int Root(int n) => n == 0 ? 0 : Root(n - 1) + Ping(n);
                    public int Ping(int n) => n <= 0 ? 0 : Pong(n - 1);
                    public int Pong(int n) => n <= 0 ? 0 : Ping(n - 1);
                }
                """;
            Assert.True(Check(source, "C.Ping").Hot);
            Assert.True(Check(source, "C.Pong").Hot);
        }

        [Fact]
        public void Propagation_ThroughLambdasAndLocalFunctions()
        {
            const string source = """
                public class C
                {
                    [HotPath] public void Root() { System.Action a = () => ViaLambda(); a(); Local(); void Local() => ViaLocal(); }
                    public void ViaLambda() { }
                    public void ViaLocal() { }
                }
                """;
            Assert.True(Check(source, "C.ViaLambda").Hot);
            Assert.True(Check(source, "C.ViaLocal").Hot);
        }

        /// <summary>
        /// A bare call names the local function in scope before the member of that name: declared anywhere in an
        /// enclosing block (before the call too), switch statement (any of its sections) or lambda body, it shadows
        /// the member, which the call then does not make hot; declared in a block that does not enclose the call, it
        /// does not.
        /// </summary>
        [Theory]
        [InlineData("Helper(); void Helper() { }", false)]
        [InlineData("void Helper() { } Helper();", false)]
        [InlineData("{ { Helper(); } } void Helper() { }", false)]
        [InlineData("System.Action a = () => { Helper(); void Helper() { } }; a();", false)]
        [InlineData("switch (x) { case 1: Helper(); void Helper() { } break; }", false)]
        [InlineData("void Outer() { Helper(); } Outer(); void Helper() { }", false)]
        [InlineData("void Recurse() { if (x > 0) Helper(); void Helper() { Recurse(); } } Recurse();", false)]
        [InlineData("Helper(); { void Helper() { } }", true)]
        [InlineData("System.Action a = () => { void Helper() { } }; a(); Helper();", true)]
        [InlineData("switch (x) { case 1: void Helper() { } break; default: Helper(); break; }", false)]
        [InlineData("Helper();", true)]
        public void Propagation_BareCall_ToAShadowingLocalFunction_DoesNotMakeTheMemberHot(string body, bool memberHot)
        {
            string source = "public class C { [HotPath] public void Root(int x) { " + body + " } public void Helper() { } }";
            Assert.Equal(memberHot, Check(source, "C.Helper").Hot);
        }

        /// <summary>Cold code is one definition: what the rules skip, the propagation does not enter either.</summary>
        private const string ThrowPaths = """
            public class ParseError : System.Exception { public ParseError(string m) : base(m) { } }
            public static class Guard
            {
                public static void Fail(string message) => throw new ParseError(message);
                public static void FailBlock(string message) { var text = "bad: " + message; throw new ParseError(text); }
                [System.Diagnostics.CodeAnalysis.DoesNotReturn] public static void Stop(string message) { System.Environment.FailFast(message); }
                public static void Worker() { while (true) { Step(); } throw new System.InvalidOperationException(); }
                public static void Step() { }
                public static string DescribeForFail(int x) => x.ToString();
                public static string DescribeForStop(int x) => x.ToString();
                public static string DescribeForError(int x) => x.ToString();
                public static string DescribeForThrow(int x) => x.ToString();
                public static string DescribeForCatch(int x) => x.ToString();
                [HotPath] public static int Root(int x)
                {
                    if (x < 0) Fail(DescribeForFail(x));
                    if (x > 100) Stop(DescribeForStop(x));
                    var error = new ParseError(DescribeForError(x));
                    if (x == 7) throw new System.ArgumentException(DescribeForThrow(x));
                    try { Worker(); } catch { DescribeForCatch(x); }
                    return error.Message.Length;
                }
            }
            """;

        [Theory]
        [InlineData("Guard.Fail")]
        [InlineData("Guard.FailBlock")]
        [InlineData("Guard.DescribeForFail")]
        [InlineData("Guard.DescribeForStop")]
        [InlineData("Guard.DescribeForError")]
        [InlineData("Guard.DescribeForThrow")]
        [InlineData("Guard.DescribeForCatch")]
        public void Propagation_DoesNotEnterColdCode(string member)
            => Assert.False(Check(ThrowPaths, member).Hot);

        [Fact]
        public void Propagation_WorkerLoopEndingInThrow_StaysHot()
        {
            Assert.True(Check(ThrowPaths, "Guard.Worker").Hot);
            Assert.True(Check(ThrowPaths, "Guard.Step").Hot);
        }

        [Theory]
        [InlineData("Guard.Fail")]
        [InlineData("Guard.FailBlock")]
        [InlineData("Guard.Stop")]
        public void ThrowHelper_NotHot_EvenWithScopeAll(string member)
            => Assert.False(Check(ThrowPaths, member, "alloc_analyzers.hot_path_scope = all").Hot);

        [Fact]
        public void ThrowHelper_MarkedHot_IsHot()
            => Assert.True(Check("public static class G { [HotPath] public static void Fail(string m) => throw new System.Exception(m); }", "G.Fail").Hot);

        [Fact]
        public void Propagation_AcrossPartialClassFiles()
            => Assert.True(Check("public partial class C { [HotPath] public void Root() => Other(); }", "C.Other", null, "public partial class C { public void Other() { } }").Hot);

        [Fact]
        public void Propagation_ToGenericMethodsAndConstructorsAndProperties()
        {
            const string source = """
                public class C
                {
                    [HotPath] public int Root() { Generic<int>(1); var w = new Worker(); return w.Value; }
                    public void Generic<T>(T value) { }
                }
                public class Worker { public Worker() { } public int Value => 1; }
                """;
            Assert.True(Check(source, "C.Generic").Hot);
            Assert.True(Check(source, "Worker..ctor").Hot);
            Assert.True(Check(source, "Worker.get_Value").Hot);
        }

        [Fact]
        public void Propagation_VirtualAndInterfaceCalls_FollowedOnConcreteReceivers_NotThroughInterfaces()
        {
            const string source = """
                public interface IShape { double Area(); }
                public class Base { public virtual void Run() { } }
                public sealed class Derived : Base { public override void Run() { } }
                public sealed class Square : IShape { public double Area() => 1; }
                public sealed class Circle : IShape { public double Area() => 3; }
                public class C
                {
                    [HotPath] public double Root(Derived d, Square s, IShape any) { d.Run(); return s.Area() + any.Area(); }
                }
                """;
            Assert.True(Check(source, "Derived.Run").Hot);
            Assert.True(Check(source, "Square.Area").Hot);
            Assert.False(Check(source, "Circle.Area").Hot);
        }

        [Fact]
        public void Propagation_NotFromThrowOrCatch_NorIntoColdMembers()
        {
            const string source = """
                public class C
                {
                    [HotPath] public void Root(int x)
                    {
                        try { if (x < 0) throw Fail(); Cold(); }
                        catch (System.Exception) { Recover(); }
                    }
                    public System.Exception Fail() => new System.Exception();
                    public void Recover() { }
                    [ColdPath] public void Cold() { Behind(); }
                    public void Behind() { }
                }
                """;
            Assert.False(Check(source, "C.Fail").Hot);
            Assert.False(Check(source, "C.Recover").Hot);
            Assert.False(Check(source, "C.Cold").Hot);
            Assert.False(Check(source, "C.Behind").Hot);
        }

        [Fact]
        public void Propagation_FromPatternRoots()
            => Assert.Equal((true, "called from Handler.Handle (depth 1)"), Check(
                "public class Handler { public void Handle() => Parse(); public void Parse() { } }",
                "Handler.Parse",
                "alloc_analyzers.hot_path_methods = M:Handler.Handle*"));
    }
}
