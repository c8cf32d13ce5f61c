using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Boxing.BoxingAnalyzer>;
using Xunit;

namespace AllocAnalyzers.Tests.Boxing
{
    /// <summary>Spans, messages and severities of the ALLOC2xx rules, and their silence where nothing is boxed.</summary>
    public sealed class BoxingAnalyzerTests
    {
        private const string Hot = "[System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }\n";

        [Fact]
        public Task HotConversion_IsAWarningWithTheReason()
            => Verifier.AnalyzerAsync(
                Hot + "public static class C { [HotPath] public static object M(long x) => {|#0:x|}; }",
                expected: new DiagnosticResult(RuleIds.BoxingConversion, DiagnosticSeverity.Warning).WithLocation(0)
                    .WithArguments("The conversion", "long", "object", "24 bytes on every execution (net10.0, Debug build)", "hot: annotated [HotPath]"));

        [Fact]
        public Task NullableBox_CostsItsUnderlyingValue()
            => Verifier.AnalyzerAsync(
                "public static class C { public static object M(decimal? x) => {|#0:x|}; }",
                expected: new DiagnosticResult(RuleIds.BoxingConversion, DiagnosticSeverity.Info).WithLocation(0)
                    .WithArguments("The conversion", "decimal?", "object", "32 bytes", "not on a hot path"));

        [Fact]
        public Task NoBoxing_NoDiagnostic()
            => Verifier.AnalyzerAsync(
                """
                using System;
                public static class C
                {
                    public static string M<T>(T value, int n, DayOfWeek d) where T : struct
                    {
                        object fromGeneric = value;
                        string s = "n=" + n + d.HasFlag(DayOfWeek.Monday);
                        return s + fromGeneric + $"{n}";
                    }
                }
                """);

        [Fact]
        public Task InheritedCalls_OnStructs_ReportedUnlessOverridden()
            => Verifier.AnalyzerAsync(
                """
                public struct Plain { public int A; }
                public struct Named { public int A; public override string ToString() => "n"; public override int GetHashCode() => A; }
                public static class C
                {
                    public static string M(Plain p, Named n, System.DayOfWeek d)
                        => {|ALLOC202:p.ToString()|} + {|ALLOC202:p.GetHashCode()|} + n.ToString() + n.GetHashCode() + {|ALLOC202:d.ToString()|} + "" + {|ALLOC202:p|};
                }
                """);

        [Fact]
        public Task DelegateToStructMethod_Reported()
            => Verifier.AnalyzerAsync(
                "public struct S { public int V; public int Get() => V; } public static class C { public static System.Func<int> M(S s) => {|ALLOC203:s.Get|}; }");

        [Fact]
        public Task CastAndOfType_ReportedOnValueTypeSequences()
            => Verifier.AnalyzerAsync(
                """
                using System.Linq;
                public static class C
                {
                    public static int M(int[] values, string[] names)
                        => {|ALLOC204:values.OfType<int>()|}.Count() + {|ALLOC204:values.Cast<object>()|}.Count() + values.Cast<int>().Count() + names.OfType<string>().Count();
                }
                """);

        [Fact]
        public Task StructKeys_WithoutEquality_Reported_WithEqualityOrComparer_Not()
            => Verifier.AnalyzerAsync(
                """
                using System;
                using System.Collections.Generic;
                public struct Plain { public int A; }
                public struct Equatable : IEquatable<Equatable> { public int A; public bool Equals(Equatable o) => A == o.A; public override bool Equals(object? o) => o is Equatable e && Equals(e); public override int GetHashCode() => A; }
                public sealed class Comparer : IEqualityComparer<Plain> { public bool Equals(Plain a, Plain b) => a.A == b.A; public int GetHashCode(Plain p) => p.A; }
                public static class C
                {
                    public static int M()
                        => {|ALLOC205:new Dictionary<Plain, int>()|}.Count + {|ALLOC205:new HashSet<Plain>()|}.Count
                           + new Dictionary<Equatable, int>().Count + new Dictionary<Plain, int>(new Comparer()).Count + new Dictionary<int, int>().Count + new HashSet<DayOfWeek>().Count;
                }
                """);
    }
}
