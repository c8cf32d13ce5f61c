using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Layout.StructLayoutAnalyzer>;
using Xunit;

namespace AllocAnalyzers.Tests.Layout
{
    public sealed class LargeStructCopyAnalyzerTests
    {
        private const string Declarations = """
            [System.AttributeUsage(System.AttributeTargets.All)] public sealed class HotPathAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.All)] public sealed class ColdPathAttribute : System.Attribute { }
            public struct Matrix { public double M11, M12, M13, M14, M21, M22, M23, M24, M31; }
            public struct Small { public long A, B; }

            """;

        [Fact]
        public Task ByValueArgument_FromLocal_ReportedWithSizeTargetAndReason()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public static class C
                {
                    [HotPath]
                    public static double Run(Matrix m) => Sum({|#0:m|});
                    private static double Sum(Matrix value) => value.M11;
                }
                """,
                expected: Verifier.Diagnostic(RuleIds.LargeStructCopy).WithLocation(0)
                    .WithArguments("Matrix", 72, "into parameter 'value' of 'Sum'", "hot: annotated [HotPath]"));

        [Fact]
        public Task CopyIntoLocal_FromArrayElementOrField_Reported()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public sealed class C
                {
                    private Matrix _field;
                    [HotPath]
                    public double Run(Matrix[] all)
                    {
                        var first = {|ALLOC302:all[0]|};
                        Matrix copy = {|ALLOC302:_field|};
                        return first.M11 + copy.M11;
                    }
                }
                """);

        [Fact]
        public Task ForEachByValue_Reported_RefForEach_Not()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public static class C
                {
                    [HotPath]
                    public static double Run(Matrix[] all)
                    {
                        double sum = 0;
                        foreach ({|ALLOC302:var m|} in all) sum += m.M11;
                        foreach (ref readonly var r in System.MemoryExtensions.AsSpan(all)) sum += r.M11;
                        return sum;
                    }
                }
                """);

        [Fact]
        public Task InParameter_RefLocal_FreshValues_SmallStructs_ColdCode_NoDiagnostic()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public static class C
                {
                    [HotPath]
                    public static double Run(Matrix[] all, Small s)
                    {
                        ref readonly Matrix first = ref all[0];
                        double total = ByIn(all[0]) + ByValue(new Matrix()) + ByValue(Make()) + Small(s);
                        if (total < 0) throw new System.ArgumentException(Describe(all[0]));
                        return total + first.M11;
                    }

                    public static double NotHot(Matrix m) => ByValue(m);
                    private static double ByIn(in Matrix m) => m.M11;
                    private static double ByValue(Matrix m) => m.M11;
                    private static double Small(Small s) => s.A;
                    private static Matrix Make() => default;
                    private static string Describe(Matrix m) => "bad";
                }
                """);

        [Fact]
        public Task ThresholdIsConfigurable()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public static class C
                {
                    [HotPath]
                    public static long Run(Small s) => Take({|ALLOC302:s|});
                    private static long Take(Small s) => s.A;
                }
                """,
                "alloc_analyzers.large_struct_bytes = 8");

        [Fact]
        public Task HotLocalFunction_InColdMethod_Reported()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public static class C
                {
                    public static double Run(Matrix m)
                    {
                        return Local(m) + Take(m);

                        [HotPath]
                        double Local(Matrix x) => Take({|ALLOC302:x|});
                    }

                    private static double Take(Matrix m) => m.M11;
                }
                """);

        [Fact]
        public Task PropagatedHotness_ReasonNamesTheCaller()
            => Verifier.AnalyzerAsync(
                Declarations + """
                public static class C
                {
                    [HotPath]
                    public static double Run(Matrix m) => Helper(in m);
                    private static double Helper(in Matrix m) => Take({|#0:m|});
                    private static double Take(Matrix m) => m.M11;
                }
                """,
                expected: Verifier.Diagnostic(RuleIds.LargeStructCopy).WithLocation(0)
                    .WithArguments("Matrix", 72, "into parameter 'm' of 'Take'", "hot: called from C.Run (depth 1)"));

        [Fact]
        public void MessageSize_IsTheRuntimeSize()
        {
            using var proof = RuntimeProof.Compile(Declarations);
            Assert.Equal(72, proof.SizeOf("Matrix"));
        }
    }
}
