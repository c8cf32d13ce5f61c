using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Boxing;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Tests.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Boxing
{
    /// <summary>
    /// Every ALLOC2xx kind against the runtime: the flagged snippet allocates the box the message claims (exactly,
    /// when boxing is all it does; at least, when it also allocates other things; at most, where the .NET 10 JIT may
    /// keep a box that never escapes on the stack), and the "no false alarm" snippets box nothing and allocate nothing.
    /// </summary>
    public sealed class BoxingRuntimeProofTests
    {
        private const string Types = """
            public struct Plain { public int A; }
            public struct Pair { public long X; public long Y; }
            public struct Named { public int A; public override string ToString() => "named"; }
            public struct Counter { public int V; public int Get() => V; }
            public struct EquatableKey : IEquatable<EquatableKey> { public int A; public bool Equals(EquatableKey o) => A == o.A; public override bool Equals(object? o) => o is EquatableKey k && Equals(k); public override int GetHashCode() => A; }
            [Flags] public enum Flags { A = 1, B = 2 }

            """;

        private const string Inputs = """
            static int _value = 300;
            static bool _flag = true;
            static Plain _plain = new Plain { A = 1 };
            static Pair _pair = new Pair { X = 1, Y = 2 };
            static Named _named;
            static Counter _counter = new Counter { V = 4 };
            static Flags _flags = Flags.A | Flags.B;
            static DayOfWeek _day = DayOfWeek.Friday;
            static object? Keep;
            static object[]? KeepArray;
            static readonly int[] Numbers = Enumerable.Range(0, 16).ToArray();
            static readonly StringBuilder Builder = new StringBuilder(256);
            static void Take(object o) => Keep = o;
            static void Log(params object[] values) => KeepArray = values;

            """;

        private static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
            new BoxingAnalyzer());

        /// <summary>Name, ID, how the measurement compares with the claim (Exact, AtLeast, AtMost), members.</summary>
        public static TheoryData<string, string, string, string> Flagged => new TheoryData<string, string, string, string>
        {
            { "argument to object", RuleIds.BoxingConversion, "Exact", "public static void Run() => Take(_value);" },
            { "return as interface", RuleIds.BoxingConversion, "Exact", "public static IComparable Run() => _value;" },
            { "explicit cast of a 16-byte struct", RuleIds.BoxingConversion, "Exact", "public static object Run() => (object)_pair;" },
            { "conditional expression", RuleIds.BoxingConversion, "Exact", "public static object Run() => _flag ? _value : \"none\";" },
            { "tuple to object", RuleIds.BoxingConversion, "Exact", "public static object Run() => (_value, _value);" },
            { "enum to Enum", RuleIds.BoxingConversion, "Exact", "public static Enum Run() => _day;" },
            { "pattern binding an interface", RuleIds.BoxingConversion, "Exact", "public static IComparable? Run() => _value is IComparable c ? c : null;" },
            { "params object[] element", RuleIds.BoxingConversion, "AtLeast", "public static void Run() => Log(_value);" },
            { "collection initializer", RuleIds.BoxingConversion, "AtLeast", "public static List<object> Run() => new List<object> { _value };" },
            { "comparison with object", RuleIds.BoxingConversion, "Removed", "public static bool Run() => (object)_value == Keep;" },
            { "nullable value coalesced with an object", RuleIds.BoxingConversion, "Exact", "static int? _maybe = 300; public static object Run() => _maybe ?? (object)\"none\";" },
            { "GetHashCode not overridden", RuleIds.BoxingCall, "Exact", "public static int Run() => _plain.GetHashCode();" },
            { "base.GetHashCode inside a struct that overrides it", RuleIds.BoxingCall, "Exact", "public struct Hashed { public int A; public override int GetHashCode() => A; public int Inherited() => base.GetHashCode(); } static Hashed _hashed = new Hashed { A = 3 }; public static int Run() => _hashed.Inherited();" },
            { "Equals not overridden", RuleIds.BoxingCall, "AtLeast", "public static bool Run() => _pair.Equals(Keep);" },
            { "enum ToString", RuleIds.BoxingCall, "Exact", "public static string Run() => _day.ToString();" },
            { "concatenation with a struct without ToString", RuleIds.BoxingCall, "AtLeast", "public static string Run() => \"p=\" + _plain;" },
            { "delegate to a struct method", RuleIds.BoxingDelegate, "Exact", "public static Func<int> Run() => _counter.Get;" },
            { "OfType over int[]", RuleIds.BoxingEnumeration, "AtLeast", "public static int Run() { int n = 0; foreach (var x in Numbers.OfType<int>()) n += x; return n; }" },
            { "struct key lookups", RuleIds.StructKeyWithoutEquality, "AtLeast", "static readonly Dictionary<Plain, int> Map = new Dictionary<Plain, int> { [new Plain { A = 1 }] = 1 }; public static bool Run() => Map.ContainsKey(_plain);" },
        };

        [Theory]
        [MemberData(nameof(Flagged))]
        public async Task FlaggedSnippet_AllocatesTheClaimedBox(string name, string id, string comparison, string members)
        {
            var source = AllocationSnippets.HotProgram(Inputs + members, Types);
            var diagnostic = Assert.Single((await GetDiagnosticsAsync(source)).Where(d => d.Id == id && (IsInMembers(d, source, members))));
            using var proof = RuntimeProof.Compile(source, "Box_" + id);
            double measured = proof.AllocatedBytesPerCall("Program.Run");
            int claimed = int.Parse(diagnostic.Properties[HotAllocationAnalyzer.BytesProperty]!);

            switch (comparison)
            {
                case "Exact":
                    Assert.True(claimed == measured, $"{name}: measured {measured}, claimed {claimed}");
                    break;
                case "AtLeast":
                    Assert.True(measured >= claimed, $"{name}: measured {measured}, claimed {claimed}");
                    break;
                case "Removed":
                    // The box goes nowhere the JIT cannot see: .NET 9+ allocates it on the stack, and the claim says so.
                    Assert.Equal(nameof(AllocationClaim.MayBeRemoved), diagnostic.Properties[AllocationProperties.ClaimProperty]);
                    Assert.True(measured == 0, $"{name}: measured {measured}, claimed that the JIT may remove it");
                    Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
                    return;
                default:
                    Assert.True(measured <= claimed, $"{name}: measured {measured}, claimed {claimed}");
                    break;
            }

            Assert.Equal(nameof(AllocationClaim.EveryExecution), diagnostic.Properties[AllocationProperties.ClaimProperty]);
            Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        }

        public static TheoryData<string, string> NotFlagged => new TheoryData<string, string>
        {
            { "constrained call on a type parameter", "static int Hash<T>(T v) => v!.GetHashCode(); public static int Run() => Hash(_value);" },
            { "box and unbox of a type parameter", "static T Roundtrip<T>(T v) => (T)(object)v!; public static int Run() => Roundtrip(_value);" },
            { "overridden ToString", "public static string Run() => _named.ToString();" },
            { "Enum.HasFlag", "public static bool Run() => _flags.HasFlag(Flags.B);" },
            { "interpolation into a handler", "public static int Run() { Builder.Clear(); Builder.Append($\"{_value}{_day}\"); return Builder.Length; }" },
            { "type test without binding", "public static bool Run() => _value is IComparable;" },
            { "IEquatable key lookups", "static readonly Dictionary<EquatableKey, int> Map = new Dictionary<EquatableKey, int> { [new EquatableKey { A = 1 }] = 1 }; public static bool Run() => Map.ContainsKey(new EquatableKey { A = _value });" },
            { "Cast to the element type", "public static int Run() { int n = 0; foreach (var x in Numbers.Cast<int>()) n += x; return n; }" },
        };

        [Theory]
        [MemberData(nameof(NotFlagged))]
        public async Task NotFlaggedSnippet_BoxesNothing(string name, string members)
        {
            var source = AllocationSnippets.HotProgram(Inputs + members, Types);
            var diagnostics = (await GetDiagnosticsAsync(source)).Where(d => IsInMembers(d, source, members)).ToList();
            using var proof = RuntimeProof.Compile(source, "NoBox");
            double measured = proof.AllocatedBytesPerCall("Program.Run");

            Assert.True(diagnostics.Count == 0, name + ": " + string.Join("; ", diagnostics));
            if (name != "Cast to the element type")
            {
                Assert.True(measured == 0, name + ": measured " + measured);
            }
        }

        [Fact]
        public async Task ColdCode_IsASuggestion()
        {
            var source = "public static class C { public static object M(int x) => x; }";
            var diagnostic = Assert.Single(await CodeFixRunner.GetDiagnosticsAsync(new BoxingAnalyzer(), source));
            Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
            Assert.EndsWith("(not on a hot path)", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        }

        internal static async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(string source)
        {
            var builder = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var analyzer in Analyzers)
            {
                builder.AddRange(await CodeFixRunner.GetDiagnosticsAsync(analyzer, source));
            }

            return builder.ToImmutable();
        }

        private static bool IsInMembers(Diagnostic diagnostic, string source, string members)
        {
            int start = source.IndexOf(members, System.StringComparison.Ordinal);
            return diagnostic.Location.SourceSpan.Start >= start && diagnostic.Location.SourceSpan.End <= start + members.Length;
        }
    }
}
