using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>No analyzer throws (AD0001) on empty, broken or half-typed source.</summary>
    public sealed class RobustnessTests
    {
        public static TheoryData<string> Sources => new TheoryData<string>
        {
            string.Empty,
            "struct",
            "struct S { byte a; long",
            "struct S { byte a; long b; byte c; struct S { } }",
            "struct A { B b; } struct B { A a; byte x; long y; }",
            "struct S<T> { T a; byte b; long c; }",
            "[System.Runtime.InteropServices.StructLayout((System.Runtime.InteropServices.LayoutKind)7)] struct S { byte a; long b; }",
            "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] struct S { byte a; long b; }",
            "[System.Runtime.CompilerServices.InlineArray(-1)] struct S { int a; }",
            "[System.Runtime.CompilerServices.InlineArray(4)] struct S { int a; long b; }",
            "unsafe struct S { fixed byte a[-3]; long b; }",
            "struct S(int x) { byte a; long b; int M() => x; }",
            "record struct R(byte A, long B, byte C);",
            "partial struct P { byte a; } partial struct P { long b; byte c; }",
            "class C { void M() { int x = ; } }",
        };

        [Theory]
        [MemberData(nameof(Sources))]
        public async Task EveryAnalyzer_OnBrokenSource_ReportsNoAnalyzerException(string source)
        {
            var compilation = CSharpCompilation.Create(
                "Broken",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
                TestReferences.Net100,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var exceptions = new ConcurrentBag<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, _) => exceptions.Add(analyzer.GetType().Name + ": " + exception),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false);

            var diagnostics = await compilation.WithAnalyzers(RuleCatalog.CreateAnalyzers(), options).GetAnalyzerDiagnosticsAsync();

            Assert.Empty(exceptions);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        }
    }
}
