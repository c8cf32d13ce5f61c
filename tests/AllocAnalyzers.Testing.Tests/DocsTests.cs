using System;
using System.IO;
using AllocAnalyzers.Testing.Tests.Programs;
using Xunit;

namespace AllocAnalyzers.Testing.Tests
{
    /// <summary>The rule pages and the strict-pool page point at each other, and the page's example is what the pool prints.</summary>
    public class DocsTests
    {
        private static readonly string Docs = Path.Combine(RepositoryRoot(), "docs");

        private static readonly string[] RentalRules = { "ALLOC401", "ALLOC402", "ALLOC403", "ALLOC404", "ALLOC405", "ALLOC406" };

        public static TheoryData<string> Rules => new TheoryData<string>(RentalRules);

        [Theory]
        [MemberData(nameof(Rules))]
        public void EveryRentalRulePage_SendsTheReaderToTheStrictPool(string rule)
        {
            string page = File.ReadAllText(Path.Combine(Docs, "rules", rule + ".md"));
            int section = page.IndexOf("## At run time", StringComparison.Ordinal);
            Assert.True(section >= 0, rule + ".md has no 'At run time' section");
            Assert.Contains("(../strict-pools.md)", page.Substring(section));
            Assert.Contains("| " + rule + " |", File.ReadAllText(Path.Combine(Docs, "strict-pools.md")));
        }

        [Fact]
        public void EveryViolationKind_HasARulePage()
        {
            foreach (PoolViolationKind kind in Enum.GetValues(typeof(PoolViolationKind)))
            {
                var violation = new PoolViolation(kind, "m", null, null, null);
                Assert.Contains(violation.RuleId, RentalRules);
                Assert.EndsWith("docs/rules/" + violation.RuleId + ".md", violation.HelpLink);
            }
        }

        [Fact]
        public void ThePagesExampleFailure_IsWhatThePoolReports()
        {
            var pool = new StrictArrayPool<byte>(new StrictPoolOptions { ThrowOnViolation = false });
            var frame = new SloppyFrame(pool, 100);
            frame.Dispose();
            frame.Dispose();
            string message = Assert.Single(pool.TakeViolations()).ToString().Split(Environment.NewLine)[0];

            Assert.Contains("AllocAnalyzers.Testing.StrictPoolException : " + message + "\n", File.ReadAllText(Path.Combine(Docs, "strict-pools.md")));
        }

        private static string RepositoryRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !File.Exists(Path.Combine(directory.FullName, "AllocAnalyzers.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("no AllocAnalyzers.sln above " + AppContext.BaseDirectory);
        }
    }
}
