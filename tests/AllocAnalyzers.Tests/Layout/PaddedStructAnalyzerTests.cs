using System.Threading.Tasks;
using AllocAnalyzers.Layout;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis.Testing;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Layout.StructLayoutAnalyzer>;
using Xunit;

namespace AllocAnalyzers.Tests.Layout
{
    public sealed class PaddedStructAnalyzerTests
    {
        [Fact]
        public Task PaddedStruct_ReportsSizesPaddingAndPercent_OnTheIdentifier()
            => Verifier.AnalyzerAsync(
                """
                public struct {|#0:Packet|}
                {
                    public byte Flags;
                    public long Timestamp;
                    public byte Priority;
                }
                """,
                expected: Verifier.Diagnostic(RuleIds.PaddedStruct).WithLocation(0).WithArguments("Packet", 24, 16, 8, 33));

        [Fact]
        public async Task PaddedStruct_CarriesCurrentAndOptimalSizeProperties()
        {
            var diagnostics = await CodeFixRunner.GetDiagnosticsAsync(new StructLayoutAnalyzer(), "public struct P { public bool A; public double B; public bool C; public int D; }");

            var diagnostic = Assert.Single(diagnostics);
            Assert.Equal("24", diagnostic.Properties[StructLayoutAnalyzer.CurrentSizeProperty]);
            Assert.Equal("16", diagnostic.Properties[StructLayoutAnalyzer.OptimalSizeProperty]);
        }

        [Theory]
        [InlineData("public struct S { public long A; public int B; public byte C; public byte D; }")]
        [InlineData("public struct S { public byte A; public byte B; public short C; public int D; }")]
        [InlineData("public struct S { public int A; public byte B; }")]
        [InlineData("public struct S { }")]
        [InlineData("public struct S { public byte A; public string B; public byte C; public long D; }")]
        [InlineData("public struct S { public byte A; public object B; public long D; }")]
        [InlineData("public struct S { public byte A; public System.Threading.CancellationToken B; public long D; }")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] public struct S { public byte A; public long B; public byte C; }")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)] public struct S { public byte A; public long B; public byte C; }")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)] public struct S { public byte A; public long B; public byte C; }")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct S { [System.Runtime.InteropServices.FieldOffset(0)] public byte A; [System.Runtime.InteropServices.FieldOffset(8)] public long B; }")]
        [InlineData("[System.Runtime.CompilerServices.InlineArray(3)] public struct S { private long _a; }")]
        [InlineData("public record struct S(byte A, long B, byte C);")]
        [InlineData("public struct S<T> { public byte A; public T B; public byte C; }")]
        [InlineData("public struct S(int x) { public byte A; public long B; public int X => x; }")]
        [InlineData("public struct S { public static byte A; public long B; public const byte C = 1; }")]
        public Task StructTheRuntimeDoesNotPad_OrReorders_OrThatIsNotOurs_NoDiagnostic(string source)
            => Verifier.AnalyzerAsync(source);

        [Fact]
        public Task AutoLayoutStruct_WithBadValueTypeOrder_ReportsALLOC303()
            => Verifier.AnalyzerAsync(
                """
                public struct {|#0:CacheEntry|}
                {
                    public string Key;
                    public System.TimeSpan Age;
                    public System.Half Weight;
                    public byte Hits;
                }
                """,
                expected: Verifier.Diagnostic(RuleIds.PaddedAutoLayoutStruct).WithLocation(0).WithArguments("CacheEntry", 32, 24, 8, 25));

        [Theory]
        [InlineData("public struct S { public string K; public System.Half A; public byte B; public System.TimeSpan C; }")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] public struct S { public System.Half A; public byte B; public System.TimeSpan C; }")]
        [InlineData("public struct S { public string K; public byte A; public long B; public byte C; }")]
        public Task AutoLayoutStruct_AlreadyBestOrder_NoDiagnostic(string source)
            => Verifier.AnalyzerAsync(source);

        [Fact]
        public Task DeclaredAutoStruct_WithBadValueTypeOrder_ReportsALLOC303()
            => Verifier.AnalyzerAsync(
                "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] public struct {|ALLOC303:S|} { public System.TimeSpan A; public System.Half B; public byte C; }");

        [Fact]
        public Task RefStructWithSpan_StaysSequential_AndIsReported()
            => Verifier.AnalyzerAsync(
                "public ref struct {|ALLOC301:S|} { public byte A; public System.Span<int> B; public byte C; }");

        [Fact]
        public Task FieldsOfAutoLayoutTypes_DoNotMakeTheStructAuto_Reported()
            => Verifier.AnalyzerAsync(
                "public struct {|ALLOC301:S|} { public bool A; public System.DateTime B; public bool C; public (int, byte) D; }");

        [Fact]
        public Task AutoProperties_CountAsFields()
            => Verifier.AnalyzerAsync(
                "public struct {|ALLOC301:S|} { public byte A { get; set; } public long B { get; set; } public byte C { get; set; } }");

        [Fact]
        public Task NonPositionalRecordStruct_Reported()
            => Verifier.AnalyzerAsync(
                "public record struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }");

        [Fact]
        public Task NestedPaddedStructs_EachReported()
            => Verifier.AnalyzerAsync(
                """
                public struct {|ALLOC301:Outer|}
                {
                    public byte A;
                    public Inner B;
                    public byte C;

                    public struct {|ALLOC301:Inner|}
                    {
                        public short X;
                        public long Y;
                        public short Z;
                    }
                }
                """);

        [Fact]
        public Task DeclaredSequential_WithOptIn_Reported()
            => Verifier.AnalyzerAsync(
                "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)] public struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }",
                "alloc_analyzers.layout_include_declared_sequential = true");

        [Fact]
        public Task SavingBelowConfiguredMinimum_NoDiagnostic()
            => Verifier.AnalyzerAsync(
                "public struct S { public byte A; public int B; public byte C; }",
                "alloc_analyzers.layout_min_saving_bytes = 8");

        [Fact]
        public Task SavingAtConfiguredMinimum_Reported()
            => Verifier.AnalyzerAsync(
                "public struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }",
                "alloc_analyzers.layout_min_saving_bytes = 8");

        [Theory]
        [InlineData("[System.Runtime.InteropServices.DllImport(\"native\")] static extern void Send(S s);")]
        [InlineData("[System.Runtime.InteropServices.DllImport(\"native\")] static extern unsafe void Send(S* s);")]
        [InlineData("[System.Runtime.InteropServices.DllImport(\"native\")] static extern void Send(ref S s);")]
        [InlineData("[System.Runtime.InteropServices.DllImport(\"native\")] static extern S Receive();")]
        [InlineData("[System.Runtime.InteropServices.DllImport(\"native\")] static extern void Send(Holder[] holders);")]
        [InlineData("static unsafe delegate* unmanaged<S, void> Callback;")]
        public Task StructUsedInInterop_NoDiagnostic(string member)
            => Verifier.AnalyzerAsync(
                $$"""
                public struct S { public byte A; public long B; public byte C; }
                public struct Holder { public S Value; }
                public static class Native
                {
                    {{member}}
                }
                """);

        [Fact]
        public Task StructInManagedFunctionPointer_StillReported()
            => Verifier.AnalyzerAsync(
                """
                public struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }
                public static class Calls
                {
                    public static unsafe delegate*<S, void> Callback;
                }
                """);

        [Fact]
        public Task GeneratedCode_NoDiagnostic()
            => Verifier.AnalyzerAsync(
                """
                // <auto-generated/>
                public struct S { public byte A; public long B; public byte C; }
                """);

        [Fact]
        public async Task PartialStruct_ReportedOnThePartThatDeclaresTheFields()
        {
            var test = Verify<StructLayoutAnalyzer, EmptyCodeFixProvider>.Create("public partial struct P { public void M() { } }", null);
            test.TestState.Sources.Add(("Fields.cs", "public partial struct {|ALLOC301:P|} { public byte A; public long B; public byte C; }"));
            await test.RunAsync();
        }
    }
}
