using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Catalog
{
    /// <summary>The catalog, the docs pages, the README rules table and release tracking never drift apart.</summary>
    public sealed class CatalogTests
    {
        private static readonly string[] RequiredSections = { "## What it reports", "## Why it costs", "## How to fix", "## When to suppress", "## Options" };

        private static string DocsDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "docs", "rules");

        [Fact]
        public void Catalog_IsNotEmpty_AndIdsAreUniqueAndInTheirFamilyRange()
        {
            Assert.NotEmpty(RuleCatalog.Descriptors);
            Assert.Equal(RuleCatalog.Descriptors.Length, RuleCatalog.Descriptors.Select(d => d.Id).Distinct().Count());
            foreach (var descriptor in RuleCatalog.Descriptors)
            {
                Assert.Matches("^ALLOC[0-4][0-9]{2}$", descriptor.Id);
                var expectedCategory = descriptor.Id[5] switch
                {
                    '0' => RuleCategories.Configuration,
                    '1' => RuleCategories.HotPathAllocation,
                    '2' => RuleCategories.Boxing,
                    '3' => RuleCategories.StructLayout,
                    _ => RuleCategories.PoolRental,
                };
                Assert.Equal(expectedCategory, descriptor.Category);
            }
        }

        /// <summary>
        /// The rental rules stay silent where ownership leaves the method; each says, in its description (IDE tooltip,
        /// SARIF) and on its page, where the run-time check of those rentals is.
        /// </summary>
        [Fact]
        public void EveryRentalRule_PointsToTheStrictPools()
        {
            var rentalRules = RuleCatalog.Descriptors.Where(d => d.Category == RuleCategories.PoolRental).ToList();
            Assert.NotEmpty(rentalRules);
            foreach (var descriptor in rentalRules)
            {
                Assert.Contains("strict pools of AllocAnalyzers.Testing", descriptor.Description.ToString(), StringComparison.Ordinal);
                Assert.Contains("(../strict-pools.md)", File.ReadAllText(Path.Combine(DocsDirectory, descriptor.Id + ".md")), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void EveryDescriptor_HasHelpLinkToItsDocsPage_WithEverySection()
        {
            foreach (var descriptor in RuleCatalog.Descriptors)
            {
                Assert.Equal(Descriptors.HelpLinkBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
                var page = Path.Combine(DocsDirectory, descriptor.Id + ".md");
                Assert.True(File.Exists(page), "missing docs page " + page);
                var text = File.ReadAllText(page);
                Assert.StartsWith("# " + descriptor.Id + ": " + descriptor.Title + "\n", text.Replace("\r\n", "\n"), StringComparison.Ordinal);
                Assert.Contains("| Category | " + descriptor.Category + " |", text);
                Assert.Contains("| Default severity | " + descriptor.DefaultSeverity + " |", text);
                Assert.Contains("| Code fix | " + (RuleCatalog.HasCodeFix(descriptor.Id) ? "Yes" : "No") + " |", text);
                foreach (var section in RequiredSections)
                {
                    Assert.Contains(section, text);
                }
            }
        }

        /// <summary>
        /// Every rule page shows at least one message the rule prints (checked against the samples' build output by
        /// the end-to-end <c>DocsExamples_AreMessagesTheAnalyzersPrint</c>), and either a measurement ("Measured ...",
        /// naming the test that measures) or a sentence starting "No measurement:" that says why none applies.
        /// </summary>
        [Fact]
        public void EveryRulePage_HasAnExampleMessage_AndAMeasurementOrWhyNot()
        {
            foreach (var descriptor in RuleCatalog.Descriptors)
            {
                var text = File.ReadAllText(Path.Combine(DocsDirectory, descriptor.Id + ".md"));
                Assert.True(Regex.IsMatch(text, "^(warning|info) " + descriptor.Id + ": ", RegexOptions.Multiline), descriptor.Id + ".md shows no example message");
                Assert.True(Regex.IsMatch(text, @"\b[Mm]easured\b") || text.Contains("No measurement:", StringComparison.Ordinal), descriptor.Id + ".md has no measurement and no 'No measurement:' reason");
            }
        }

        [Fact]
        public void EveryDocsPage_HasADescriptor()
        {
            var ids = RuleCatalog.Descriptors.Select(d => d.Id).ToHashSet();
            var pages = Directory.GetFiles(DocsDirectory, "ALLOC*.md").Select(Path.GetFileNameWithoutExtension);
            Assert.All(pages, page => Assert.Contains(page!, ids));
        }

        [Fact]
        public void ReadmeRulesTable_MatchesTheCatalog()
        {
            var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "README.md"));
            var rows = Regex.Matches(readme, @"^\| \[(ALLOC\d{3})\]\(docs/rules/\1\.md\) \| (.+?) \| (\w+) \| (\w+) \| (Yes|No) \|\s*$", RegexOptions.Multiline)
                .Select(m => string.Join(" | ", m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value))
                .ToArray();
            var expected = RuleCatalog.Descriptors
                .Select(d => string.Join(" | ", d.Id, d.Title, d.Category, d.DefaultSeverity, RuleCatalog.HasCodeFix(d.Id) ? "Yes" : "No"))
                .ToArray();
            Assert.Equal(expected, rows);
        }

        [Fact]
        public void ReleaseTracking_ListsEveryRuleWithItsCategoryAndSeverity()
        {
            var directory = Path.Combine(TestEnvironment.RepositoryRoot, "src", "AllocAnalyzers");
            var text = File.ReadAllText(Path.Combine(directory, "AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(directory, "AnalyzerReleases.Unshipped.md"));
            foreach (var descriptor in RuleCatalog.Descriptors)
            {
                Assert.Matches(new Regex("^" + descriptor.Id + @" \| " + descriptor.Category + @" \| " + descriptor.DefaultSeverity + @" \|", RegexOptions.Multiline), text);
            }
        }

        [Fact]
        public void Samples_KeepEveryRuleAWarning_UnderWarnAsError()
        {
            var project = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "samples", "Directory.Build.props"));
            var listed = Regex.Match(project, "<AllocAnalyzersRuleIds>(.*)</AllocAnalyzersRuleIds>").Groups[1].Value.Split(';');
            Assert.Equal(RuleCatalog.Descriptors.Select(d => d.Id), listed);
        }
    }
}
