using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>
    /// samples/OrderService: the fixed twin is exactly what the package's code fixes make of the original, and under
    /// load it allocates at least 80% fewer bytes per request with fewer gen0 collections and the same results.
    /// One class, so its two builds of the repository never run at the same time.
    /// </summary>
    public sealed class OrderServiceDemoTests
    {
        private static readonly string Root = ConsumerProject.Metadata("RepositoryRoot");
        private static readonly string Demo = Path.Combine(Root, "samples", "OrderService");

        [Fact]
        public void FixedTwin_IsExactlyWhatTheCodeFixesMakeOfTheOriginal()
        {
            var output = Directory.CreateTempSubdirectory("alloc-twin-");
            try
            {
                var (exitCode, log) = ToolProcess.Run("bash", Root, new[] { Path.Combine(Demo, "make-fixed-twin.sh"), output.FullName });
                Assert.True(exitCode == 0, log);
                var committed = Directory.GetFiles(Path.Combine(Demo, "Fixed"), "*.cs").Select(Path.GetFileName).Order().ToArray();
                var produced = Directory.GetFiles(output.FullName, "*.cs").Select(Path.GetFileName).Order().ToArray();
                Assert.Equal(committed, produced);
                foreach (var name in committed)
                {
                    Assert.True(
                        File.ReadAllText(Path.Combine(Demo, "Fixed", name!)) == File.ReadAllText(Path.Combine(output.FullName, name!)),
                        "samples/OrderService/Fixed/" + name + " differs from what make-fixed-twin.sh produces: rerun it instead of editing the twin");
                }

                // The fixes changed something in every file the analyzers flagged for a fixable rule.
                Assert.NotEqual(File.ReadAllText(Path.Combine(Demo, "Original", "OrderHandler.cs")), File.ReadAllText(Path.Combine(output.FullName, "OrderHandler.cs")));
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }

        [Fact]
        public void LoadDriver_FixedTwinAllocatesAtLeast80PercentLess_WithFewerGen0Collections_AndTheSameResults()
        {
            string markdown = Path.Combine(Path.GetTempPath(), "alloc-orderservice-" + Guid.NewGuid().ToString("N") + ".md");
            try
            {
                var (exitCode, log) = ToolProcess.Run("dotnet", Root, new[]
                {
                    "run", "-c", "Release", "--project", Path.Combine(Demo, "LoadDriver"), "--",
                    "-requests", "100000", "-threads", "2", "-configs", "workstation", "-markdown", markdown,
                });
                Assert.True(exitCode == 0, log);
                string table = File.ReadAllText(markdown);
                var (originalBytes, fixedBytes) = Row(table, "allocated bytes/request");
                Assert.True(fixedBytes <= 0.2 * originalBytes, $"fixed {fixedBytes} B/request vs original {originalBytes}\n{table}");
                Assert.True(originalBytes > 1000, table);
                var gen0 = Regex.Match(table, @"\| gen0 / gen1 / gen2 collections \| (\d+) / \d+ / \d+ \| (\d+) / ");
                Assert.True(int.Parse(gen0.Groups[2].Value, CultureInfo.InvariantCulture) < int.Parse(gen0.Groups[1].Value, CultureInfo.InvariantCulture), table);
                Assert.Contains("same results", table);
            }
            finally
            {
                File.Delete(markdown);
            }
        }

        private static (double Original, double Fixed) Row(string table, string metric)
        {
            var match = Regex.Match(table, @"\| " + Regex.Escape(metric) + @" \| ([\d,.]+) \| ([\d,.]+) \|");
            Assert.True(match.Success, metric + " not found in:\n" + table);
            return (double.Parse(match.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, NumberStyles.Number, CultureInfo.InvariantCulture));
        }
    }
}
