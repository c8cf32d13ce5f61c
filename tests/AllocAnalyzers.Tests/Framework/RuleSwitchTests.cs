using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// A rule the build turns off runs no checks, though it shares its family's analyzer with rules that stay on:
    /// a compilation-wide suppression (NoWarn) first, then the file's setting, then the global one, as the driver reads them.
    /// </summary>
    public sealed class RuleSwitchTests
    {
        private const string FileA = "public static class A { public static void M() { System.GC.KeepAlive(1); System.GC.KeepAlive(2); System.GC.KeepAlive(3); } }";
        private const string FileB = "public static class B { public static void M() { System.GC.KeepAlive(1); System.GC.KeepAlive(2); } }";

        [Theory]
        [InlineData(null, null, null, false)]
        [InlineData("none", null, null, true)]
        [InlineData(null, "none", null, true)]
        [InlineData(null, null, "none", true)]
        [InlineData("warning", "none", null, false)]
        [InlineData("warning", "none", "none", true)]
        [InlineData(null, "warning", "none", true)]
        [InlineData(null, "none", "warning", true)]
        [InlineData("warning", null, "none", true)]
        [InlineData("none", "warning", "error", true)]
        [InlineData(null, null, "error", false)]
        public async Task IsOff_ReadsNoWarnThenTheFileThenTheGlobalSetting_AsTheDriverDoes(string? file, string? global, string? compilation, bool off)
        {
            var tree = CSharpSyntaxTree.ParseText(FileA, RuntimeProof.ParseOptions, "/src/A.cs");
            var created = Compile(new[] { tree }, file == null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["/src/A.cs"] = file }, global, compilation);
            Assert.Equal(off, RuleSwitch.IsOff(created, tree, Descriptors.StringAllocation, CancellationToken.None));
            Assert.False(RuleSwitch.IsOff(created, tree, Descriptors.ObjectAllocation, CancellationToken.None));

            // The oracle: the driver itself drops every ALLOC106 an analyzer reports exactly when the rule is off.
            var reported = await CodeFixRunner.AnalyzeAsync(created, ImmutableArray.Create<DiagnosticAnalyzer>(new ReportsEveryInvocation()), TestOptions.Create(null));
            Assert.Equal(off ? 0 : 3, reported.Count(d => d.Id == RuleIds.StringAllocation));
        }

        [Fact]
        public async Task NothingOff_EveryRuleRunsEverywhere()
            => Assert.Equal(new[] { 5, 5 }, await CountChecksAsync(new Dictionary<string, string>(), global: null, compilation: null));

        [Fact]
        public async Task RuleOffForTheCompilation_ItsChecksRunNowhere_TheOtherRuleStillRuns()
            => Assert.Equal(new[] { 0, 5 }, await CountChecksAsync(new Dictionary<string, string>(), global: null, compilation: "none"));

        [Fact]
        public async Task RuleOffForOneFile_ItsChecksRunOnlyInTheOther()
            => Assert.Equal(new[] { 2, 5 }, await CountChecksAsync(new Dictionary<string, string> { ["/src/A.cs"] = "none" }, global: null, compilation: null));

        [Fact]
        public async Task RuleOffGlobally_OnForOneFile_RunsThere()
            => Assert.Equal(new[] { 3, 5 }, await CountChecksAsync(new Dictionary<string, string> { ["/src/A.cs"] = "warning" }, global: "none", compilation: null));

        [Fact]
        public Task FamilyAnalyzer_RuleOffInEditorConfig_SiblingRulesStillReport()
            => Verify<AllocAnalyzers.Allocations.HotAllocationAnalyzer>.AnalyzerAsync(
                """
                [System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }
                public sealed class Order { public int Id; }
                public static class Program
                {
                    [HotPath] public static System.Func<int> M(int a) { var o = {|ALLOC101:new Order()|}; return () => a + o.Id; }
                }
                """,
                "dotnet_diagnostic.ALLOC104.severity = none");

        /// <summary>How many invocations each of two counting rules (ALLOC106's, ALLOC101's) saw in files A (3) and B (2).</summary>
        private static async Task<int[]> CountChecksAsync(Dictionary<string, string> byFile, string? global, string? compilation)
        {
            var trees = new[] { ("/src/A.cs", FileA), ("/src/B.cs", FileB) }.Select(f => CSharpSyntaxTree.ParseText(f.Item2, RuntimeProof.ParseOptions, f.Item1)).ToArray();
            var analyzer = new CountingFamily();
            await CodeFixRunner.AnalyzeAsync(Compile(trees, byFile, global, compilation), ImmutableArray.Create<DiagnosticAnalyzer>(analyzer), TestOptions.Create(null));
            return analyzer.Calls;
        }

        private static Compilation Compile(SyntaxTree[] trees, Dictionary<string, string> byFile, string? global, string? compilation)
        {
            var severities = new TreeOptions(
                byFile: byFile.ToDictionary(entry => (entry.Key, RuleIds.StringAllocation), entry => Parse(entry.Value)),
                global: global == null ? null : new Dictionary<string, ReportDiagnostic> { [RuleIds.StringAllocation] = Parse(global) });
            var created = severities.Compile("Switches", trees);
            return compilation == null ? created
                : created.WithOptions(created.Options.WithSpecificDiagnosticOptions(ImmutableDictionary<string, ReportDiagnostic>.Empty.Add(RuleIds.StringAllocation, Parse(compilation))));
        }

        private static ReportDiagnostic Parse(string severity) => severity switch
        {
            "none" => ReportDiagnostic.Suppress,
            "warning" => ReportDiagnostic.Warn,
            _ => ReportDiagnostic.Error,
        };

        /// <summary>A family of two rules that count the invocations they are handed (instantiated here, never loaded by a compiler).</summary>
#pragma warning disable RS1001 // A test double, never loaded by a compiler.
        private sealed class CountingFamily : DiagnosticAnalyzer
#pragma warning restore RS1001
        {
            private static readonly OperationRuleSet<int[]> Rules = new OperationRuleSet<int[]>(
                new CountingRule(Descriptors.StringAllocation, 0), new CountingRule(Descriptors.ObjectAllocation, 1));

            public int[] Calls { get; } = new int[2];

            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Rules.SupportedDiagnostics;

            public override void Initialize(AnalysisContext context)
            {
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.EnableConcurrentExecution();
                context.RegisterCompilationStartAction(start =>
                {
                    var rules = Rules.For(start.Compilation);
                    start.RegisterOperationBlockStartAction(block => rules.Register(block, Calls));
                });
            }
        }

        /// <summary>Reports ALLOC106 on every invocation, whatever the settings: what the driver keeps is the compiler's answer.</summary>
#pragma warning disable RS1001 // A test double, never loaded by a compiler.
        private sealed class ReportsEveryInvocation : DiagnosticAnalyzer
#pragma warning restore RS1001
        {
            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.StringAllocation);

            public override void Initialize(AnalysisContext context)
            {
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.EnableConcurrentExecution();
                context.RegisterOperationAction(c => c.ReportDiagnostic(Diagnostic.Create(Descriptors.StringAllocation, c.Operation.Syntax.GetLocation(), "x", "y", "z", "w")), OperationKind.Invocation);
            }
        }

        private sealed class CountingRule : OperationRule<int[]>
        {
            private readonly int _index;

            public CountingRule(DiagnosticDescriptor descriptor, int index)
            {
                SupportedDiagnostics = ImmutableArray.Create(descriptor);
                _index = index;
            }

            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

            public override void AddChecks(OperationChecks<int[]> checks)
                => checks.On((_, calls) => Interlocked.Increment(ref calls[_index]), OperationKind.Invocation);
        }
    }
}
