using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Shared;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// The cases the companion benchmarks measure (tests/Shared/FixCases.cs): each is reported, the package's fix
    /// changes it, the fixed code compiles, returns the same and allocates no more than before.
    /// </summary>
    public sealed class FixCasesTests
    {
        public static TheoryData<string, string> Cases
        {
            get
            {
                var data = new TheoryData<string, string>();
                foreach (var (id, name, _) in FixCases.All)
                {
                    data.Add(id, name);
                }

                return data;
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task FixCase_IsFixed_KeepsTheResult_AndAllocatesNoMore(string id, string name)
        {
            var source = FixCases.All.Single(c => c.Id == id && c.Name == name).Source;
            var analyzer = RuleCatalog.CreateAnalyzers().First(a => a.SupportedDiagnostics.Any(d => d.Id == id));
            var fix = RuleCatalog.CreateCodeFixes().First(f => f.FixableDiagnosticIds.Contains(id));
            Assert.Contains(await CodeFixRunner.GetDiagnosticsAsync(analyzer, source), d => d.Id == id);

            var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, fix, source, id);
            Assert.NotEqual(source, fixedSource);
            using var before = RuntimeProof.Compile(source, "CaseBefore");
            using var after = RuntimeProof.Compile(fixedSource, "CaseAfter");
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
            Assert.True(after.AllocatedBytesPerCall("Program.Run") <= before.AllocatedBytesPerCall("Program.Run"), name);
        }
    }
}
