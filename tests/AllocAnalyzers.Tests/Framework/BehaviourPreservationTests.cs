using System;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// No fix changes what a program does: every fixable ID's every fixer, applied one site at a time and as Fix All
    /// (as <c>dotnet format analyzers</c> does) with everything hot, over <see cref="BehaviourCases"/>; the fixed program
    /// must compile and print exactly what the original printed.
    /// </summary>
    public sealed class BehaviourPreservationTests
    {
        private const string EverythingHot = "alloc_analyzers.hot_path_scope = all\n";

        public static TheoryData<string, string, string> Cases
        {
            get
            {
                var data = new TheoryData<string, string, string>();
                foreach (var (name, _) in BehaviourCases.All)
                {
                    foreach (var fix in RuleCatalog.CreateCodeFixes())
                    {
                        foreach (var id in fix.FixableDiagnosticIds)
                        {
                            data.Add(name, id, fix.GetType().Name);
                        }
                    }
                }

                return data;
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task EveryFix_KeepsWhatTheProgramPrints(string name, string id, string fixName)
        {
            var source = BehaviourCases.All.Single(c => c.Name == name).Source;
            var analyzer = RuleCatalog.CreateAnalyzers().First(a => a.SupportedDiagnostics.Any(d => d.Id == id));
            var fix = RuleCatalog.CreateCodeFixes().Single(f => f.GetType().Name == fixName);
            string expected = Run(source, "Before");

            await AssertSameOutput(await CodeFixRunner.ApplyAllAsync(analyzer, fix, source, id, EverythingHot), source, expected, "one at a time");
            await AssertSameOutput(await CodeFixRunner.FixAllAsync(analyzer, fix, source, id, EverythingHot), source, expected, "Fix All");
        }

        /// <summary>
        /// The harness can fail: on the controls, code each fix is meant for, the fix is applied both ways (a change
        /// of source is seen) and the program still prints the same. Without this, a harness that applied nothing
        /// would pass every case above.
        /// </summary>
        [Theory]
        [InlineData("ObjectLocalControl", "ALLOC101", "ObjectPoolCodeFix")]
        [InlineData("ArrayLocalControl", "ALLOC102", "ArrayAllocationCodeFix")]
        [InlineData("RentalNotReturnedControl", "ALLOC401", "ReturnRentalInFinallyCodeFix")]
        [InlineData("RentalEnumeratedWithEarlyReturn", "ALLOC401", "ReturnRentalInFinallyCodeFix")]
        public async Task Controls_AreFixed_AndPrintTheSame(string name, string id, string fixName)
        {
            var source = BehaviourCases.All.Single(c => c.Name == name).Source;
            var analyzer = RuleCatalog.CreateAnalyzers().First(a => a.SupportedDiagnostics.Any(d => d.Id == id));
            var fix = RuleCatalog.CreateCodeFixes().Single(f => f.GetType().Name == fixName);
            string expected = Run(source, "Before");
            foreach (var fixedSource in new[] { await CodeFixRunner.ApplyAllAsync(analyzer, fix, source, id, EverythingHot), await CodeFixRunner.FixAllAsync(analyzer, fix, source, id, EverythingHot) })
            {
                Assert.NotEqual(source, fixedSource);
                Assert.Equal(expected, Run(fixedSource, "After"));
            }
        }

        private static Task AssertSameOutput(string fixedSource, string source, string expected, string how)
        {
            if (fixedSource != source)
            {
                string actual = Run(fixedSource, "After");
                Assert.True(expected == actual, how + ": the fixed program printed '" + actual + "' instead of '" + expected + "':\n" + fixedSource);
            }

            return Task.CompletedTask;
        }

        private static string Run(string source, string name)
        {
            using var program = RuntimeProof.Compile(source, "Behaviour" + name);
            return Convert.ToString(program.Invoke("Program.Run"), System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        }
    }
}
