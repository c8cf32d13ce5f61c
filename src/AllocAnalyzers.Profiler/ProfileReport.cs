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
            text.AppendLine(Invariant, $"{Units.Code(program)}, recorded for {profile.Duration.TotalSeconds:0.0} s by alloc-profile (EventPipe allocation ticks: one sample about every 100 KB allocated, with its call stack).");
            text.AppendLine();
            text.AppendLine("| | |");
            text.AppendLine("|---|---:|");
            text.AppendLine(Invariant, $"| sampled allocations | {Units.Mebibytes(profile.SampledBytes)} in {profile.Samples:N0} samples |");
            text.AppendLine(Invariant, $"| allocation rate | {Units.Mebibytes(profile.BytesPerSecond)}/s |");
            text.AppendLine(Invariant, $"| in the program's own methods | {Units.Mebibytes(attributed)} ({Units.Share(attributed, profile.SampledBytes)}) |");
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
                text.AppendLine(Invariant, $"| {Units.Code(method.Name.Display)} | {Units.Mebibytes(method.Bytes)} | {Units.Share(method.Bytes, attributed)} | {Units.Mebibytes(method.BytesPerSecond(profile.Duration))}/s | {types} | {path} |");
            }

            if (findings != null)
            {
                AppendFindings(text, profile, findings);
            }

            return text.ToString();
        }

        public static string Chart(AllocationProfile profile)
            => BarChart.Svg("Sampled bytes allocated, by method", profile.Methods.Take(TopMethods)
                .Select(m => (m.Name.Display, (double)m.Bytes, Units.Mebibytes(m.Bytes))).ToList());

        /// <summary>
        /// Findings with the measured rate at the finding, most bytes first: the bytes of the finding's own type
        /// allocated in its own method, when the finding names its type and the profile sampled that type there;
        /// otherwise the rate of the whole method (a finding outside any method, such as a dictionary's key type, takes
        /// its type's busiest method), and <c>TypeSampled</c> says which.
        /// </summary>
        public static IReadOnlyList<(Finding Finding, double BytesPerSecond, bool TypeSampled)> Rank(AllocationProfile profile, IReadOnlyList<Finding> findings)
            => findings.Select(f => RateOf(profile, f))
                .OrderByDescending(r => r.BytesPerSecond).ThenBy(r => r.Finding.File, StringComparer.Ordinal).ThenBy(r => r.Finding.Line)
                .ToList();

        private static (Finding Finding, double BytesPerSecond, bool TypeSampled) RateOf(AllocationProfile profile, Finding finding)
        {
            var methods = profile.Methods.Where(m => finding.Method != null ? m.Name.Equals(finding.Method) : m.Name.TypeName == finding.TypeName).ToList();
            if (finding.Method != null && finding.AllocatedType != null && profile.Duration.TotalSeconds > 0)
            {
                long ofType = methods.Sum(m => m.BytesByType.TryGetValue(finding.AllocatedType, out long bytes) ? bytes : 0);
                if (ofType > 0)
                {
                    return (finding, ofType / profile.Duration.TotalSeconds, true);
                }
            }

            return (finding, methods.Select(m => m.BytesPerSecond(profile.Duration)).DefaultIfEmpty(0).Max(), false);
        }

        private static string Where(Finding finding) => finding.Method?.Display ?? (finding.TypeName != null ? finding.TypeName + " (type)" : "?");

        private static void AppendFindings(StringBuilder text, AllocationProfile profile, IReadOnlyList<Finding> findings)
        {
            text.AppendLine();
            text.AppendLine("## Findings, fix first what costs most");
            text.AppendLine();
            text.AppendLine("Each AllocAnalyzers finding of the build, with the measured allocation rate at the finding: the sampled bytes of the type it allocates in the method that contains it, where the profile holds that type there; otherwise the rate of the whole method (marked: the type was not sampled in that method, or the finding names no single type), and for a finding on a field or type, its type's busiest method.");
            text.AppendLine();
            text.AppendLine("| # | Rule | Where | Method | Type | Measured rate | Finding |");
            text.AppendLine("|---:|---|---|---|---|---:|---|");
            int rank = 0;
            foreach (var (finding, rate, typeSampled) in Rank(profile, findings))
            {
                string where = System.IO.Path.GetFileName(finding.File) + ":" + finding.Line.ToString(Invariant);
                string message = finding.Message.Replace("|", "\\|", StringComparison.Ordinal);
                string type = finding.AllocatedType == null ? string.Empty : Units.Code(finding.AllocatedType);
                string measured = rate <= 0 ? "not sampled"
                    : typeSampled ? Units.Mebibytes(rate) + "/s"
                    : Units.Mebibytes(rate) + "/s for the method" + (finding.AllocatedType != null && finding.Method != null ? " (type not sampled there)" : string.Empty);
                text.AppendLine(Invariant, $"| {++rank} | {finding.RuleId} | {where} | {Units.Code(Where(finding))} | {type} | {measured} | {message} |");
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
                text.AppendLine(Invariant, $"| {Units.Code(method.Name.Display)} | {Units.Mebibytes(method.BytesPerSecond(profile.Duration))}/s | {types} |");
            }
        }

        /// <summary>The three types that took most of a method's bytes, as code.</summary>
        private static string TopTypes(MethodAllocations method)
            => string.Join(", ", method.BytesByType.OrderByDescending(t => t.Value).Take(3).Select(t => Units.Code(t.Key)));
    }
}
