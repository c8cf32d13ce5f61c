using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Tests.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AllocAnalyzers.Tests.Cost
{
    /// <summary>
    /// Sites whose cost the messages used to overstate, measured on .NET 8, 9 and 10: a char operand of a
    /// concatenation (the compiler passes a span over it), <c>"" + s</c> (which is <c>s ?? ""</c>), the string of a
    /// small integer and a synchronously completed <c>Task&lt;bool&gt;</c> (both cached by the runtime). Each is beside a
    /// site that does allocate, so the measurement can tell them apart.
    /// </summary>
    public sealed class CachedAndFreeSitesTests
    {
        private const string Members = """
                static string _s = "abc";
                static char _c = 'x';
                static int _big = 1234;
                static bool _flag = true;
                public static string ConcatWithChar() => _s + _c;
                public static string ConcatWithInt() => _s + _big;
                public static string EmptyPlusString() => "" + _s;
                public static string SmallConstantToString() => 200.ToString();
                public static string VariableToString() => _big.ToString();
                public static bool TaskOfBool() => Check().Result;
                public static int TaskOfLargeInt() => Count().Result;
                static async Task<bool> Check() { await Task.CompletedTask; return _flag; }
                static async Task<int> Count() { await Task.CompletedTask; return _big; }
            """;

        private static readonly string Source = AllocationSnippets.HotProgram(Members);

        private static readonly string[] Measured =
        {
            "ConcatWithChar", "ConcatWithInt", "EmptyPlusString", "SmallConstantToString", "VariableToString", "TaskOfBool", "TaskOfLargeInt",
        };

        [Fact]
        public async Task Messages_ClaimWhatTheRuntimesAllocate()
        {
            var diagnostics = (await CodeFixRunner.GetDiagnosticsAsync(new HotAllocationAnalyzer(), Source)).ToLookup(d => MethodOf(d));

            // "abcx": the result only; "abc1234": the result and the string of 1234.
            Assert.DoesNotContain("non-string operands", Single(diagnostics, "ConcatWithChar").GetMessage());
            Assert.Contains("a string for its non-string operand", Single(diagnostics, "ConcatWithInt").GetMessage());
            Assert.Empty(diagnostics["EmptyPlusString"]);
            Assert.Equal(AllocationClaim.Cached, AllocationProperties.ReadClaim(Single(diagnostics, "SmallConstantToString").Properties));
            Assert.Contains("none for 0 to 299", Single(diagnostics, "VariableToString").GetMessage());
            var check = diagnostics["TaskOfBool"].Single(d => d.Id == RuleIds.AsyncTaskAllocation);
            Assert.Equal(AllocationClaim.Cached, AllocationProperties.ReadClaim(check.Properties));
            Assert.Equal(DiagnosticSeverity.Info, check.Severity);
            Assert.Equal(AllocationClaim.EveryExecution, AllocationProperties.ReadClaim(diagnostics["TaskOfLargeInt"].Single(d => d.Id == RuleIds.AsyncTaskAllocation).Properties));

            foreach (int runtime in RuntimeMatrix.Runtimes)
            {
                var bytes = RuntimeMatrix.BytesPerCall(Source, Measured.Select(m => "Program." + m), runtime, JitMode.FullOpts);
                double Of(string method) => bytes["Program." + method];
                Assert.Equal(String(4), Of("ConcatWithChar"));
                Assert.Equal(String(7) + String(4), Of("ConcatWithInt"));
                Assert.Equal(0, Of("EmptyPlusString"));
                Assert.Equal(0, Of("SmallConstantToString"));
                Assert.Equal(String(4), Of("VariableToString"));
                Assert.Equal(0, Of("TaskOfBool"));
                Assert.True(Of("TaskOfLargeInt") > 0, "Task<int> of 1234 on .NET " + runtime);
            }
        }

        /// <summary>
        /// ALLOC205 says what a lookup that finds a struct key costs, which depends on whether ValueType.Equals can
        /// compare the key's bits: measured per lookup on every runtime, it must equal the claimed bytes.
        /// </summary>
        [Fact]
        public async Task StructKeyLookups_CostWhatALLOC205Claims()
        {
            const string types = """
                public struct Packed { public int A; public int B; }
                public struct Padded { public int A; public long B; }
                public struct WithReference { public string S; public int A; }
                public struct WithDouble { public double D; public long L; }

                """;
            const string members = """
                static int _a = 1;
                static readonly Dictionary<Packed, int> ByPacked = new Dictionary<Packed, int> { [new Packed { A = 1, B = 2 }] = 1 };
                static readonly Dictionary<Padded, int> ByPadded = new Dictionary<Padded, int> { [new Padded { A = 1, B = 2 }] = 1 };
                static readonly Dictionary<WithReference, int> ByReference = new Dictionary<WithReference, int> { [new WithReference { S = "x", A = 1 }] = 1 };
                static readonly Dictionary<WithDouble, int> ByDouble = new Dictionary<WithDouble, int> { [new WithDouble { D = 1, L = 2 }] = 1 };
                public static bool Packed() => ByPacked.ContainsKey(new Packed { A = _a, B = 2 });
                public static bool Padded() => ByPadded.ContainsKey(new Padded { A = _a, B = 2 });
                public static bool WithReference() => ByReference.ContainsKey(new WithReference { S = "x", A = _a });
                public static bool WithDouble() => ByDouble.ContainsKey(new WithDouble { D = _a, L = 2 });
                """;
            var source = AllocationSnippets.HotProgram(members, types);
            var claims = (await CodeFixRunner.GetDiagnosticsAsync(new AllocAnalyzers.Boxing.BoxingAnalyzer(), source))
                .Where(d => d.Id == RuleIds.StructKeyWithoutEquality)
                .ToDictionary(d => d.GetMessage().Split('\'')[1], d => int.Parse(d.Properties[HotAllocationAnalyzer.BytesProperty]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(4, claims.Count);
            foreach (int runtime in RuntimeMatrix.Runtimes)
            {
                var bytes = RuntimeMatrix.BytesPerCall(source, claims.Keys.Select(k => "Program." + k), runtime, JitMode.FullOpts);
                foreach (var (key, claimed) in claims)
                {
                    Assert.True(bytes["Program." + key] == claimed, key + " on .NET " + runtime + ": measured " + bytes["Program." + key] + ", claimed " + claimed);
                }
            }
        }

        /// <summary>A string's bytes: 22 plus two per char, rounded up to 8.</summary>
        private static double String(int length) => (22 + (2 * length) + 7) / 8 * 8;

        private static Diagnostic Single(ILookup<string, Diagnostic> diagnostics, string method) => Assert.Single(diagnostics[method]);

        private static string MethodOf(Diagnostic diagnostic)
            => diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>()?.Identifier.ValueText ?? string.Empty;
    }
}
