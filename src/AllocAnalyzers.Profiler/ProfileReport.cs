using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// The fix-first report: where the program allocated (by method and type, with call paths and GC activity) and,
    /// given a build's SARIF log, every AllocAnalyzers finding ranked by the measured bytes/s of its method, plus the
    /// heavy allocators that carry no finding (what the rules miss).
    /// </summary>
    internal static class ProfileReport
    {
        private const int TopMethods = 15;
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        public static string Markdown(AllocationProfile profile, IReadOnlyList<Finding>? findings, string chartFile, string program)
        {
            var text = new StringBuilder();
            long attributed = profile.Methods.Sum(m => m.Bytes);
            text.AppendLine("# Allocation profile");
            text.AppendLine();
            text.AppendLine(Invariant, $"`{program}`, recorded for {profile.Duration.TotalSeconds:0.0} s by alloc-profile (EventPipe allocation ticks: one sample about every 100 KB allocated, with its call stack).");
            text.AppendLine();
            text.AppendLine("| | |");
            text.AppendLine("|---|---:|");
            text.AppendLine(Invariant, $"| sampled allocations | {Units.Megabytes(profile.SampledBytes)} in {profile.Samples:N0} samples |");
            text.AppendLine(Invariant, $"| allocation rate | {Units.Megabytes(profile.BytesPerSecond)}/s |");
            text.AppendLine(Invariant, $"| in the program's own methods | {Units.Megabytes(attributed)} ({Share(attributed, profile.SampledBytes)}) |");
            text.AppendLine(Invariant, $"| GC collections (gen0 / gen1 / gen2) | {profile.Collections[0]} / {profile.Collections[1]} / {profile.Collections[2]} |");
            text.AppendLine(Invariant, $"| GC pause total | {profile.GcPause.TotalMilliseconds:N1} ms |");
            text.AppendLine();
            text.AppendLine("## Where the bytes go");
            text.AppendLine();
            text.AppendLine(Invariant, $"![bytes by method]({chartFile})");
            text.AppendLine();
            text.AppendLine("| Method | Sampled | Share | Rate | Types | Hottest call path |");
            text.AppendLine("|---|---:|---:|---:|---|---|");
            foreach (var method in profile.Methods.Take(TopMethods))
            {
                string types = TopTypes(method);
                string path = method.CallPaths.OrderByDescending(p => p.Value).Select(p => p.Key).FirstOrDefault() ?? string.Empty;
                text.AppendLine(Invariant, $"| `{method.Name.Display}` | {Units.Megabytes(method.Bytes)} | {Share(method.Bytes, attributed)} | {Units.Megabytes(method.BytesPerSecond(profile.Duration))}/s | {types} | {path} |");
            }

            if (findings != null)
            {
                AppendFindings(text, profile, findings);
            }

            return text.ToString();
        }

        public static string Chart(AllocationProfile profile)
            => BarChart.Svg("Sampled bytes allocated, by method", profile.Methods.Take(TopMethods)
                .Select(m => (m.Name.Display, (double)m.Bytes, Units.Megabytes(m.Bytes))).ToList());

        /// <summary>
        /// Findings with the measured rate of the method that contains them, most bytes first. A finding outside any
        /// method (a field, a type, such as a dictionary's key type) takes the rate of its type's busiest method.
        /// </summary>
        public static IReadOnlyList<(Finding Finding, double BytesPerSecond)> Rank(AllocationProfile profile, IReadOnlyList<Finding> findings)
            => findings.Select(f => (f, RateOf(profile, f)))
                .OrderByDescending(r => r.Item2).ThenBy(r => r.f.File, StringComparer.Ordinal).ThenBy(r => r.f.Line)
                .ToList();

        private static double RateOf(AllocationProfile profile, Finding finding)
            => profile.Methods.Where(m => finding.Method != null ? m.Name.Equals(finding.Method) : m.Name.TypeName == finding.TypeName)
                .Select(m => m.BytesPerSecond(profile.Duration)).DefaultIfEmpty(0).Max();

        private static string Where(Finding finding) => finding.Method?.Display ?? (finding.TypeName != null ? finding.TypeName + " (type)" : "?");

        private static void AppendFindings(StringBuilder text, AllocationProfile profile, IReadOnlyList<Finding> findings)
        {
            text.AppendLine();
            text.AppendLine("## Findings, fix first what costs most");
            text.AppendLine();
            text.AppendLine("Each AllocAnalyzers finding of the build, with the measured allocation rate of the method that contains it (for a finding on a field or type, its type's busiest method).");
            text.AppendLine();
            text.AppendLine("| # | Rule | Where | Method | Method's rate | Finding |");
            text.AppendLine("|---:|---|---|---|---:|---|");
            int rank = 0;
            foreach (var (finding, rate) in Rank(profile, findings))
            {
                string where = System.IO.Path.GetFileName(finding.File) + ":" + finding.Line.ToString(Invariant);
                string message = finding.Message.Replace("|", "\\|", StringComparison.Ordinal);
                text.AppendLine(Invariant, $"| {++rank} | {finding.RuleId} | {where} | `{Where(finding)}` | {(rate > 0 ? Units.Megabytes(rate) + "/s" : "not sampled")} | {message} |");
            }

            var withFindings = new HashSet<MethodName>(findings.Where(f => f.Method != null).Select(f => f.Method!));
            var typesWithFindings = new HashSet<string>(findings.Where(f => f.Method == null && f.TypeName != null).Select(f => f.TypeName!), StringComparer.Ordinal);
            var missed = profile.Covering(0.95).Where(m => !withFindings.Contains(m.Name) && !typesWithFindings.Contains(m.Name.TypeName)).ToList();
            text.AppendLine();
            text.AppendLine("## Heavy allocators without a finding");
            text.AppendLine();
            if (missed.Count == 0)
            {
                text.AppendLine("Every method among those that allocated 95% of the program's bytes carries at least one finding.");
                return;
            }

            text.AppendLine("Methods among those that allocated 95% of the program's bytes, with no finding in the build: what the rules (or the hot-path configuration) miss.");
            text.AppendLine();
            text.AppendLine("| Method | Rate | Types |");
            text.AppendLine("|---|---:|---|");
            foreach (var method in missed)
            {
                string types = TopTypes(method);
                text.AppendLine(Invariant, $"| `{method.Name.Display}` | {Units.Megabytes(method.BytesPerSecond(profile.Duration))}/s | {types} |");
            }
        }

        /// <summary>The three types that took most of a method's bytes, as code.</summary>
        private static string TopTypes(MethodAllocations method)
            => string.Join(", ", method.BytesByType.OrderByDescending(t => t.Value).Take(3).Select(t => "`" + t.Key + "`"));

        private static string Share(long part, long whole) => whole == 0 ? "0%" : ((double)part / whole).ToString("0.0%", Invariant);
    }
}
