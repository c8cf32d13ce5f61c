using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// <c>report.md</c> of <c>alloc-profile verify</c>: each allocation finding with what the profile measured at its
    /// line, with the sampling error, then the sampled sites without a finding.
    /// </summary>
    internal static class VerificationReport
    {
        private const int MaxUnexplained = 30;
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        public static string Markdown(Verification verification, string program)
        {
            var profile = verification.Profile;
            var text = new StringBuilder();
            int observed = verification.Findings.Count(f => f.Verdict == Verdict.Observed);
            int otherTypes = verification.Findings.Count(f => f.Verdict == Verdict.OtherTypesAtLine);
            int unseen = verification.Findings.Count(f => f.Verdict == Verdict.NotObserved);
            int warmUp = verification.Findings.Count(f => f.Verdict == Verdict.OnlyUnoptimized);
            long missedBytes = verification.Unexplained.Sum(s => s.Bytes);
            long elsewhereBytes = verification.Elsewhere.Sum(s => s.Bytes);
            long explainedBytes = profile.Sites.Sum(s => s.Bytes) - missedBytes - elsewhereBytes;
            long tier0 = verification.Whole.UnoptimizedBytes;
            text.AppendLine("# Findings against the profile");
            text.AppendLine();
            text.AppendLine(Invariant, $"{Units.Code(program)}, recorded for {profile.Duration.TotalSeconds:0.0} s: {profile.Samples:N0} allocation samples, one about every {profile.BytesPerSample / 1024:N0} KB allocated, {Units.Mebibytes(profile.SampledBytes)} in all. {LineCoverage(profile)} {WarmUp(tier0, profile)}");
            text.AppendLine();
            text.AppendLine("| | |");
            text.AppendLine("|---|---:|");
            text.AppendLine(Invariant, $"| findings that claim an allocation (ALLOC1xx, ALLOC2xx) | {verification.Findings.Count} |");
            text.AppendLine(Invariant, $"| observed | {observed} (the statements they explain: {Units.Mebibytes(explainedBytes)}, {Units.Share(explainedBytes, profile.SampledBytes)} of the sampled bytes) |");
            text.AppendLine(Invariant, $"| their line allocated, but other types | {otherTypes} |");
            text.AppendLine(Invariant, $"| sampled only in tier-0 code (the optimizing JIT removes them) | {warmUp} |");
            text.AppendLine(Invariant, $"| not observed | {unseen} |");
            text.AppendLine(Invariant, $"| sampled sites without a finding | {verification.Unexplained.Count} ({Units.Mebibytes(missedBytes)}, {Units.Share(missedBytes, profile.SampledBytes)}) |");
            text.AppendLine(Invariant, $"| sampled sites in assemblies with no finding in the log | {verification.Elsewhere.Count} ({Units.Mebibytes(elsewhereBytes)}, {Units.Share(elsewhereBytes, profile.SampledBytes)}) |");
            text.AppendLine(Invariant, $"| sampled sites without a finding, only in tier-0 code (warm-up; left out) | {verification.WarmUpOnly.Count} ({Units.Mebibytes(verification.WarmUpOnly.Sum(s => s.Bytes))}) |");
            text.AppendLine(Invariant, $"| other findings (layout, rentals, configuration: no allocation to observe) | {verification.OtherFindings} |");
            text.AppendLine();
            text.AppendLine(profile.Randomized
                ? "The samples are the runtime's randomized ones (.NET 10's AllocationSampled: every allocated byte has a 1 in 102,400 chance to get its object reported; each is weighted by its size over that chance, an unbiased estimate)."
                : "The samples are allocation ticks (before .NET 10: one every 100 KB at a fixed stride, which a periodic allocation pattern aliases; small objects allocated between large arrays come out low).");
            text.AppendLine();
            text.AppendLine(Invariant, $"Sampling: a site's figure is the bytes its samples stand for, with a 95% interval from the sample count (Poisson); under {Sampling.FewSamples} samples it is an order of magnitude only. A site that allocated less than {Units.Mebibytes(verification.UnseenBelow)} in the {profile.Duration.TotalSeconds:0.0} s ({Units.Mebibytes(verification.UnseenBelow / Math.Max(profile.Duration.TotalSeconds, 1e-9))}/s) may draw no sample at all: \"not observed\" means less than that, not nothing. Share is of all sampled bytes, the framework's included.");
            text.AppendLine();
            AppendFindings(text, verification);
            AppendUnexplained(text, verification);
            text.AppendLine();
            text.AppendLine("## How lines are found");
            text.AppendLine();
            text.AppendLine("Each sample's stack is walked to the first frame of the program's own code; its return address, through the IL-to-native map the runtime sent when the JIT compiled that body (tier-0, tier-1 and OSR bodies each have their own), gives the IL offset, and the assembly's portable PDB the statement. An allocation made inside framework code lands on the line that called it (the `via` column names the framework method); one made in a method the JIT inlined has no frame of its own, so it lands on the line of the call in the caller, like the bytes of the method-level report. Each sample's code body is known too: samples of tier-0 bodies (compiled quickly, unoptimized, before a method has run often enough for the tiered JIT to optimize it) are set apart, because the findings describe the optimized code that runs at steady state, and the optimizing JIT removes some allocations tier-0 code makes (a box whose interface call it devirtualizes, a small object that does not escape). A finding matches the statements that share a line with its span; a finding that names the allocated type (its `Type` property) counts only that type there. Closures (ALLOC104) and state machines (ALLOC109, ALLOC110) are allocated where the compiler puts them, away from the reported line: their generated types are counted in the whole method. A finding on a declaration (a dictionary keyed by a struct that boxes, ALLOC205) is paid wherever the type's code runs, often inlined into its callers: its type is counted anywhere in the program.");
            return text.ToString();
        }

        private static void AppendFindings(StringBuilder text, Verification verification)
        {
            var profile = verification.Profile;
            text.AppendLine("## Findings, observed first");
            text.AppendLine();
            if (verification.Findings.Count == 0)
            {
                text.AppendLine("The SARIF log holds no ALLOC1xx or ALLOC2xx finding.");
                text.AppendLine();
                return;
            }

            bool after = verification.AfterProfile != null;
            if (after)
            {
                text.AppendLine(Invariant, $"After the fixes: {Units.Code(verification.AfterProfile!.Program ?? "the second profile")}, {verification.AfterProfile.Duration.TotalSeconds:0.0} s; the types each finding counted, sampled in its method there (lines move when code is fixed; the method and the type stay). The two recordings must run the same work for the figures to compare.");
                text.AppendLine();
            }

            text.AppendLine("| # | Rule | Where | Method | Claimed type | Verdict | Sampled (95% interval) | Samples | Share | Rate | " + (after ? "After the fixes | " : string.Empty) + "Sampled at the line | Note |");
            text.AppendLine("|---:|---|---|---|---|---|---:|---:|---:|---:|" + (after ? "---:|" : string.Empty) + "---|---|");
            int rank = 0;
            foreach (var f in verification.Findings)
            {
                var finding = f.Finding;
                string where = System.IO.Path.GetFileName(finding.File) + ":" + finding.Line.ToString(Invariant);
                string type = f.CountedIn switch
                {
                    CountedIn.Method => "(generated, in the method)",
                    CountedIn.Anywhere => Units.Code(finding.AllocatedType!) + " (anywhere)",
                    _ => finding.AllocatedType != null ? Units.Code(finding.AllocatedType) : string.Empty,
                };
                string verdict = f.Verdict switch
                {
                    Verdict.Observed => "**observed**",
                    Verdict.OtherTypesAtLine => "other types at the line",
                    Verdict.OnlyUnoptimized => "only in tier-0 code",
                    _ => "not observed",
                };
                string sampled = f.Samples > 0 ? Interval(f.Bytes, f.Samples, profile) : "< " + Units.Mebibytes(verification.UnseenBelow);
                string rate = f.Samples > 0 ? Units.Mebibytes(f.Bytes / Math.Max(profile.Duration.TotalSeconds, 1e-9)) + "/s" : string.Empty;
                string note = string.Join("; ", new[] { f.Samples > 0 && f.Samples < Sampling.FewSamples ? "few samples: an order of magnitude" : string.Empty, f.Note }.Where(n => n.Length > 0));
                text.AppendLine(Invariant, $"| {++rank} | {finding.RuleId} | {where} | {Units.Code(finding.Method?.Display ?? finding.TypeName ?? "?")} | {type} | {verdict} | {sampled} | {f.Samples:N0} | {(f.Samples > 0 ? Units.Share(f.Bytes, profile.SampledBytes) : string.Empty)} | {rate} | {(after ? AfterFix(f, verification) + " | " : string.Empty)}{Types(f.TypesAtLine)} | {note.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }

            text.AppendLine();
        }

        private static void AppendUnexplained(StringBuilder text, Verification verification)
        {
            var profile = verification.Profile;
            text.AppendLine("## Sampled sites without a finding");
            text.AppendLine();
            if (verification.Unexplained.Count == 0)
            {
                text.AppendLine("Every sampled statement of the analysed assemblies carries a finding.");
            }
            else
            {
                var withFindings = new HashSet<MethodName>(verification.Findings.Where(f => f.Finding.Method != null).Select(f => f.Finding.Method!));
                text.AppendLine("Statements of the analysed assemblies where samples landed and no finding claims an allocation: in a method with no finding, the method is not analysed as hot (add it to `alloc_analyzers.hot_path_methods`, or let `alloc-profile`'s fragment do it); in a method with findings, an allocation no rule reports.");
                text.AppendLine();
                text.AppendLine("| Where | Method | Sampled (95% interval) | Samples | Share | Types | Via | What it suggests |");
                text.AppendLine("|---|---|---:|---:|---:|---|---|---|");
                foreach (var site in verification.Unexplained.Take(MaxUnexplained))
                {
                    string suggestion = withFindings.Contains(site.Method) ? "a rule to add: the method has findings, this line none" : "a hot path to mark: no finding in the method";
                    if (verification.CalleesInlinedAt.TryGetValue(site, out var callees))
                    {
                        suggestion += "; the JIT inlined " + string.Join(", ", callees.Select(c => Units.Code(c.Display))) + " here, whose allocations land on this line: mark it hot, or look there";
                    }

                    text.AppendLine(Invariant, $"| {SiteColumns(site, profile)} | {suggestion} |");
                }

                AppendMore(text, verification.Unexplained);
            }

            if (verification.Elsewhere.Count > 0)
            {
                text.AppendLine();
                text.AppendLine("## Sampled sites in assemblies without findings");
                text.AppendLine();
                text.AppendLine(Invariant, $"The program's own code in {string.Join(", ", verification.Elsewhere.Select(s => Units.Code(s.Module)).Distinct(StringComparer.Ordinal))}, where the SARIF log has no finding: built without the analyzers, or analysed and clean; the log cannot say which.");
                text.AppendLine();
                text.AppendLine("| Where | Method | Sampled (95% interval) | Samples | Share | Types | Via |");
                text.AppendLine("|---|---|---:|---:|---:|---|---|");
                foreach (var site in verification.Elsewhere.Take(MaxUnexplained))
                {
                    text.AppendLine(Invariant, $"| {SiteColumns(site, profile)} |");
                }

                AppendMore(text, verification.Elsewhere);
            }
        }

        /// <summary>Where, method, sampled bytes, samples, share, types and via of one site, as table cells.</summary>
        private static string SiteColumns(AllocationSite site, AllocationProfile profile)
            => string.Create(Invariant, $"{site.Display} | {Units.Code(site.Method.Display)} | {Interval(site.Bytes, site.Samples, profile)} | {site.Samples:N0} | {Units.Share(site.Bytes, profile.SampledBytes)} | {Types(site.BytesByType)} | {Via(site)}");

        private static void AppendMore(StringBuilder text, IReadOnlyList<AllocationSite> sites)
        {
            if (sites.Count > MaxUnexplained)
            {
                var rest = sites.Skip(MaxUnexplained).ToList();
                text.AppendLine();
                text.AppendLine(Invariant, $"And {rest.Count} more sites ({Units.Mebibytes(rest.Sum(s => s.Bytes))}, {rest.Sum(s => s.Samples):N0} samples).");
            }
        }

        private static string Via(AllocationSite site) => string.Join(", ", site.Via.OrderByDescending(v => v.Value).Take(2).Select(v => Units.Code(v.Key)));

        /// <summary>The after-the-fixes figure of one finding: its interval, "none sampled (&lt; 0.3 MiB)", or empty when it counted no type.</summary>
        private static string AfterFix(VerifiedFinding f, Verification verification)
            => f.After is not { } after ? string.Empty
                : after.Samples > 0 ? Interval(after.Bytes, after.Samples, verification.AfterProfile!)
                : "none sampled (< " + Units.Mebibytes(Sampling.UpperBoundWhenUnseen * verification.AfterProfile!.BytesPerSample) + ")";

        /// <summary>"12.3 MiB (11.1–13.6)".</summary>
        public static string Interval(long bytes, int samples, AllocationProfile profile)
        {
            var (low, high) = Sampling.BytesInterval(bytes, samples, profile.BytesPerSample);
            const double MiB = 1024.0 * 1024.0;
            return string.Create(Invariant, $"{Units.Mebibytes(bytes)} ({low / MiB:N1}–{high / MiB:N1})");
        }

        private static string WarmUp(long tier0, AllocationProfile profile)
            => tier0 == 0 ? "No sample came from tier-0 (unoptimized) code."
                : string.Create(Invariant, $"{Units.Mebibytes(tier0)} ({Units.Share(tier0, profile.SampledBytes)}) came from tier-0 code, which the tiered JIT had not yet replaced by optimized code: the figures below leave it out{(tier0 > profile.SampledBytes / 10 ? " — a large share: the recording caught the warm-up; start it later (--skip) or run longer" : string.Empty)}.");

        private static string LineCoverage(AllocationProfile profile)
        {
            var lines = profile.Lines;
            if (lines.Total == 0 || lines.Resolved == lines.Total)
            {
                return "Every sample in the program's own code has a source line.";
            }

            string reasons = string.Join("; ", lines.Unresolved.OrderByDescending(r => r.Value).Select(r => string.Create(Invariant, $"{r.Value:N0}: {r.Key}")));
            return string.Create(Invariant, $"{Units.Share(lines.Resolved, lines.Total)} of the {lines.Total:N0} samples in the program's own code have a source line; the others: {reasons}.");
        }

        private static string Types(IReadOnlyDictionary<string, long> types)
            => string.Join(", ", types.OrderByDescending(t => t.Value).Take(3).Select(t => Units.Code(t.Key)));
    }
}
