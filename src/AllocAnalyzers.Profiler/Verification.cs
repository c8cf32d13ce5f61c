using System;
using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Joins a profile's allocation sites with a build's findings, line by line: every finding that claims an
    /// allocation (ALLOC1xx, ALLOC2xx) is observed (with its bytes, samples and share), seen at its line only as other
    /// types, or not observed (with what that means at this profile's sampling); every sampled site that no finding
    /// explains is a miss: a rule to add, or a method to mark hot. The figures are those of the optimized code: the
    /// samples that tier-0 bodies allocated (warm-up) are set apart, since the claims are about the code that runs at
    /// steady state, and the optimizing JIT removes some allocations tier-0 code makes.
    /// </summary>
    internal sealed class Verification
    {
        /// <summary>
        /// The rules whose allocation the compiler places away from the reported line: a closure's display class is
        /// created where its scope begins (ALLOC104), an iterator's or async method's state machine in the method's stub
        /// (ALLOC109, ALLOC110). Their samples are looked for in the whole method, by the type's generated name.
        /// </summary>
        private static readonly IReadOnlyDictionary<string, Func<MethodName, string, bool>> CompilerChosenTypes = new Dictionary<string, Func<MethodName, string, bool>>(StringComparer.Ordinal)
        {
            ["ALLOC104"] = (_, type) => type.Contains("+<>c__DisplayClass", StringComparison.Ordinal),
            ["ALLOC109"] = (method, type) => type.Contains("+<" + method.MemberName + ">d__", StringComparison.Ordinal),
            ["ALLOC110"] = (method, type) => type.Contains("+<" + method.MemberName + ">d__", StringComparison.Ordinal),
        };

        private Verification(AllocationProfile whole, AllocationProfile profile, AllocationProfile? after, IReadOnlyList<VerifiedFinding> findings, IReadOnlyList<AllocationSite> unexplained, IReadOnlyList<AllocationSite> elsewhere, int otherFindings)
        {
            Whole = whole;
            Profile = profile;
            AfterProfile = after;
            Findings = findings;
            Unexplained = unexplained;
            Elsewhere = elsewhere;
            OtherFindings = otherFindings;
        }

        /// <summary>The profile as recorded, tier-0 code's samples included.</summary>
        public AllocationProfile Whole { get; }

        /// <summary>The profile of the optimized code (<see cref="AllocationProfile.OptimizedOnly"/>): every figure of the verification is from it.</summary>
        public AllocationProfile Profile { get; }

        /// <summary>For sampled sites without a finding: the callees the JIT inlined at the statement, whose allocations land there.</summary>
        public IReadOnlyDictionary<AllocationSite, IReadOnlyList<MethodName>> CalleesInlinedAt { get; private init; } = new Dictionary<AllocationSite, IReadOnlyList<MethodName>>();

        /// <summary>Sampled sites whose every sample came from tier-0 code (warm-up), left out of <see cref="Unexplained"/>.</summary>
        public IReadOnlyList<AllocationSite> WarmUpOnly { get; private init; } = Array.Empty<AllocationSite>();

        /// <summary>The profile after the fixes, when one was given.</summary>
        public AllocationProfile? AfterProfile { get; }

        /// <summary>The ALLOC1xx/2xx findings: observed first, most sampled bytes first.</summary>
        public IReadOnlyList<VerifiedFinding> Findings { get; }

        /// <summary>Sampled sites of the analysed assemblies that no finding explains, most bytes first.</summary>
        public IReadOnlyList<AllocationSite> Unexplained { get; }

        /// <summary>Sampled sites in assemblies the SARIF log has no finding in (not analysed, or analysed clean), most bytes first.</summary>
        public IReadOnlyList<AllocationSite> Elsewhere { get; }

        /// <summary>Findings that claim no allocation (struct layout, rentals, configuration), left out of the join.</summary>
        public int OtherFindings { get; }

        /// <summary>The bytes below which a site may go unseen (95%): what three samples stand for.</summary>
        public double UnseenBelow => Sampling.UpperBoundWhenUnseen * Profile.BytesPerSample;

        public static Verification Verify(AllocationProfile whole, IReadOnlyList<Finding> findings, AllocationProfile? after = null)
        {
            var profile = whole.OptimizedOnly();
            after = after?.OptimizedOnly();
            if (whole.Sites.Count == 0)
            {
                string why = profile.Lines.Unresolved.Count == 0
                    ? "the profile holds no source lines (it was recorded by an alloc-profile without line-level attribution: record it again)"
                    : "none of the program's " + profile.Lines.Total + " samples could be given a source line: " + profile.Lines.Unresolved.OrderByDescending(r => r.Value).First().Key;
                throw new ProfilerException(why);
            }

            var claims = findings.Where(f => f.ClaimsAllocation).Select(f => new Claim(f)).ToList();
            var files = new SourcePaths(whole.Sites.Select(s => s.Line.File));
            var siteFileOf = claims.Select(c => c.Finding.File).Distinct(StringComparer.Ordinal).ToDictionary(f => f, files.Match, StringComparer.Ordinal);
            if (claims.Count > 0 && siteFileOf.Values.All(f => f == null) && !claims.Any(c => whole.Methods.Any(m => c.IsOwnCode(m.Name))))
            {
                throw new ProfilerException(
                    $"the profile and the SARIF log share no source file and no method: the findings are in {Describe(siteFileOf.Keys)}, the profile's allocations in {Describe(whole.Sites.Select(s => s.Line.File))}. Was the profile recorded from another program (or the log built from another checkout)?");
            }

            var explained = new HashSet<AllocationSite>();
            var verified = new List<VerifiedFinding>();
            var inlining = new InlinedCalls();
            var steadyOf = whole.Sites.ToDictionary(s => s, s => s.OptimizedOnly()); // each site's optimized-code samples, made once
            foreach (var claim in claims)
            {
                string? siteFile = siteFileOf[claim.Finding.File];
                var atLine = siteFile == null ? new List<AllocationSite>() : whole.Sites.Where(s => s.Line.File == siteFile && Overlaps(s.Line, claim.Finding)).ToList();
                explained.UnionWith(atLine);
                var inlinedAt = claim.Where != CountedIn.Line || claim.Finding.Method is not { } method
                    ? new List<(AllocationSite, IReadOnlyList<MethodName>)>()
                    : whole.Sites.Where(s => !atLine.Contains(s)).Select(s => (Site: s, Chain: inlining.ChainTo(s, method))).Where(x => x.Chain != null).Select(x => (x.Site, x.Chain!)).ToList();
                var judged = Judge(whole, profile, claim, atLine, inlinedAt, steadyOf);
                explained.UnionWith(judged.InlinedAt);
                verified.Add(after == null ? judged : judged with { After = AfterFix(after, claim, judged, inlining) });
            }

            // A site is explained by a finding on its statement, or by a finding counted in its method or type whose
            // type it allocates. One in an assembly with no finding at all is reported apart: that code may not be
            // in the build the log comes from.
            var analysed = new HashSet<string>(whole.Sites.Where(s => siteFileOf.ContainsValue(s.Line.File)).Select(s => s.Module), StringComparer.Ordinal);
            var missed = whole.Sites.Where(s => !explained.Contains(s) && !claims.Any(c => c.Explains(s))).Select(s => (Whole: s, Optimized: steadyOf[s])).ToList();
            var steady = missed.Where(s => s.Optimized.Samples > 0).Select(s => s.Optimized).OrderByDescending(s => s.Bytes).ToList();
            var ordered = verified.OrderBy(v => (int)v.Verdict).ThenByDescending(v => v.Bytes).ThenBy(v => v.Finding.File, StringComparer.Ordinal).ThenBy(v => v.Finding.Line).ToList();
            return new Verification(whole, profile, after, ordered, steady.Where(s => analysed.Contains(s.Module)).ToList(), steady.Where(s => !analysed.Contains(s.Module)).ToList(), findings.Count - claims.Count)
            {
                WarmUpOnly = missed.Where(s => s.Optimized.Samples == 0).Select(s => s.Whole).ToList(),
                CalleesInlinedAt = steady.Select(s => (Site: s, Callees: inlining.CalleesAt(s))).Where(x => x.Callees.Count > 0).ToDictionary(x => x.Site, x => x.Callees),
            };
        }

        /// <summary>The verdict on one claim, from the optimized code's samples (<paramref name="profile"/>); <paramref name="whole"/> tells what tier-0 code allocated there.</summary>
        private static VerifiedFinding Judge(AllocationProfile whole, AllocationProfile profile, Claim claim, IReadOnlyList<AllocationSite> atLineWhole, IReadOnlyList<(AllocationSite Site, IReadOnlyList<MethodName> Chain)> inlinedAt, IReadOnlyDictionary<AllocationSite, AllocationSite> steadyOf)
        {
            var finding = claim.Finding;
            var atLine = atLineWhole.Select(s => steadyOf[s]).Where(s => s.Samples > 0).ToList();

            // Where the method ran inlined, the caller's statement counts the finding's type; a finding that names no
            // type, the types its own line allocated (none seen there: the caller's bytes are not claimed).
            var ownTypes = new HashSet<string>(atLineWhole.SelectMany(s => s.BytesByType.Keys), StringComparer.Ordinal);
            Func<string, bool>? inlinedTypes = claim.Counts ?? (ownTypes.Count > 0 ? ownTypes.Contains : null);
            var inlined = inlinedTypes == null ? new List<(AllocationSite Site, IReadOnlyList<MethodName> Chain)>() : inlinedAt.Where(x => x.Site.BytesByType.Keys.Any(inlinedTypes)).ToList();
            var (inlinedBytes, inlinedSamples) = Sum(inlined.Select(x => steadyOf[x.Site]), inlinedTypes);
            var types = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var site in atLine)
            {
                foreach (var (type, bytes) in site.BytesByType)
                {
                    types[type] = types.TryGetValue(type, out long sum) ? sum + bytes : bytes;
                }
            }

            var (claimed, samples) = Add(Claimed(profile, claim, atLine), (inlinedBytes, inlinedSamples));
            var (wholeBytes, wholeSamples) = Add(Claimed(whole, claim, atLineWhole), Sum(inlined.Select(x => x.Site), inlinedTypes));
            string inlinedNote = inlinedSamples == 0 ? string.Empty
                : $"includes {Units.Mebibytes(inlinedBytes)} ({inlinedSamples:N0} samples) at {string.Join(", ", inlined.Select(x => x.Site.Display + " (" + InlinedCalls.Describe(x.Site, x.Chain) + ")"))}, where the JIT inlined it into its caller";
            string warmUp = wholeSamples > samples
                ? $"{Units.Mebibytes(wholeBytes - claimed)} more ({wholeSamples - samples:N0} samples) in tier-0 code, before the tiered JIT replaced it: left out"
                : string.Empty;
            if (samples > 0)
            {
                var merged = atLine.Where(s => s.Line.Statements > 1).Select(s => s.Display).Distinct(StringComparer.Ordinal).ToList();
                string note = claim.Where != CountedIn.Line || merged.Count == 0 ? string.Empty
                    : "includes samples from statements the JIT compiled into one stretch of code with this one (" + string.Join(", ", merged) + ")" + (finding.AllocatedType == null ? ": other allocations there count too" : ": only its type is counted");
                return new VerifiedFinding(finding, Verdict.Observed, claimed, samples, types, Join(Join(note, inlinedNote), warmUp)) { CountedIn = claim.Where, InlinedAt = inlined.Select(x => x.Site).ToList(), TypesOfItsLine = claim.Counts == null && ownTypes.Count > 0 ? ownTypes : null };
            }

            if (wholeSamples >= Sampling.FewSamples)
            {
                string bound = Units.Mebibytes(Sampling.UpperBoundWhenUnseen * profile.BytesPerSample);
                return new VerifiedFinding(finding, Verdict.OnlyUnoptimized, 0, 0, types,
                    $"sampled only in tier-0 code: {Units.Mebibytes(wholeBytes)} ({wholeSamples:N0} samples) before the tiered JIT replaced it; the optimized code allocated less than {bound} there (95%): the JIT removes this allocation at steady state.{JitClaim(finding)}") { CountedIn = claim.Where };
            }

            if (types.Count > 0 && claim.Where == CountedIn.Line)
            {
                return new VerifiedFinding(finding, Verdict.OtherTypesAtLine, 0, 0, types,
                    "the line allocated other types; no " + finding.AllocatedType + " was sampled there") { CountedIn = claim.Where };
            }

            // A few tier-0 samples and none later say little: the optimized code may allocate there as rarely.
            var method = finding.Method == null ? null : profile.Methods.FirstOrDefault(m => m.Name.Equals(finding.Method));
            string tier0 = wholeSamples > 0 ? $" Tier-0 code allocated it {wholeSamples} time(s) in the samples, too few to tell whether the optimized code still does." : string.Empty;
            return new VerifiedFinding(finding, Verdict.NotObserved, 0, 0, types, Unseen(profile, finding, method) + tier0) { CountedIn = claim.Where };
        }

        private static (long Bytes, int Samples) Claimed(AllocationProfile profile, Claim claim, IReadOnlyList<AllocationSite> atLine)
            => claim.Where == CountedIn.Line ? Sum(atLine, claim.Counts) : Sum(profile.Methods.Where(m => claim.InScope(m.Name)), claim.Counts);

        private static (long Bytes, int Samples) Add((long Bytes, int Samples) a, (long Bytes, int Samples) b) => (a.Bytes + b.Bytes, a.Samples + b.Samples);

        private static string Join(string first, string second) => first.Length == 0 ? second : second.Length == 0 ? first : first + "; " + second;

        private static string JitClaim(Finding finding)
            => finding.Claim is "MayBeRemoved" or "RemovedWhenOptimized" ? " The finding itself said the JIT may remove it." : string.Empty;

        /// <summary>The bytes of the types the finding counted, sampled in its method (or anywhere, for a declaration) in the profile after the fixes, and at the statements where it ran inlined.</summary>
        private static (long Bytes, int Samples)? AfterFix(AllocationProfile after, Claim claim, VerifiedFinding verified, InlinedCalls inlining)
        {
            Func<string, bool>? counts = claim.Counts ?? (verified.TypesOfItsLine is { } own ? own.Contains : verified.TypesAtLine.Count > 0 ? verified.TypesAtLine.ContainsKey : null);
            if (counts == null || (claim.Where == CountedIn.Line && claim.Finding.Method == null))
            {
                return null;
            }

            // Where the method ran inlined in the second recording too, its bytes are in its callers' statements.
            var inlinedThere = claim.Where == CountedIn.Line && claim.Finding.Method is { } method
                ? after.Sites.Where(s => inlining.ChainTo(s, method) != null)
                : Enumerable.Empty<AllocationSite>();
            return Add(Sum(after.Methods.Where(m => claim.InScope(m.Name)), counts), Sum(inlinedThere, counts));
        }

        private static (long Bytes, int Samples) Sum(IEnumerable<AllocationCounts> counted, Func<string, bool>? types)
        {
            long bytes = 0;
            int samples = 0;
            foreach (var c in counted)
            {
                if (types == null)
                {
                    bytes += c.Bytes;
                    samples += c.Samples;
                    continue;
                }

                foreach (var (type, b) in c.BytesByType)
                {
                    if (types(type))
                    {
                        bytes += b;
                        samples += c.SamplesByType.TryGetValue(type, out int n) ? n : 0;
                    }
                }
            }

            return (bytes, samples);
        }

        /// <summary>What "not observed" means for this finding: did its method run, and what could have gone unseen.</summary>
        private static string Unseen(AllocationProfile profile, Finding finding, MethodAllocations? method)
        {
            string bound = Units.Mebibytes(Sampling.UpperBoundWhenUnseen * profile.BytesPerSample);
            string jit = JitClaim(finding);
            string cached = finding.Claim == "Cached" ? " The finding said it is allocated once and cached." : string.Empty;
            if (method != null)
            {
                return $"its method allocated {Units.Mebibytes(method.Bytes)} elsewhere ({method.Samples:N0} samples), so it ran: this line allocated less than {bound} in the window (95%), removed by the JIT or on a path not taken.{jit}{cached}";
            }

            return $"no sample in its {(finding.Method == null ? "type" : "method")}: the code did not run in the window, or allocated less than {bound} there (95%); a longer recording, or load on this path, would show it.{jit}{cached}";
        }

        /// <summary>The site's statement and the finding's span share a line.</summary>
        private static bool Overlaps(SourceLine site, Finding finding)
            => site.Line <= Math.Max(finding.EndLine, finding.Line) && finding.Line <= Math.Max(site.EndLine, site.Line);

        private static string Describe(IEnumerable<string> files)
        {
            var names = files.Select(f => System.IO.Path.GetFileName(f)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return string.Join(", ", names.Take(4)) + (names.Count > 4 ? $" and {names.Count - 4} more" : string.Empty);
        }

        /// <summary>What one finding claims: where its allocations are counted, and which types.</summary>
        private sealed class Claim
        {
            public Claim(Finding finding)
            {
                Finding = finding;
                if (finding.Method != null && CompilerChosenTypes.TryGetValue(finding.RuleId, out var generated))
                {
                    Where = CountedIn.Method;
                    Counts = type => generated(finding.Method, type);
                }
                else if (finding.Method == null && finding.TypeName != null && finding.AllocatedType != null)
                {
                    Where = CountedIn.Anywhere;
                    Counts = type => type == finding.AllocatedType;
                }
                else
                {
                    Where = CountedIn.Line;
                    Counts = finding.AllocatedType == null ? null : type => type == finding.AllocatedType;
                }
            }

            public Finding Finding { get; }

            public CountedIn Where { get; }

            /// <summary>The types this finding's bytes are; null: every type at its line.</summary>
            public Func<string, bool>? Counts { get; }

            /// <summary>
            /// The methods whose samples this finding's are looked for in: its own method; for one on a declaration,
            /// every method (the type's code that pays the cost, a dictionary lookup, is inlined into its callers).
            /// </summary>
            public bool InScope(MethodName method) => Where == CountedIn.Anywhere || method.Equals(Finding.Method);

            /// <summary>The finding's own method, or any method of its type for one on a declaration.</summary>
            public bool IsOwnCode(MethodName method)
                => Where == CountedIn.Anywhere ? method.TypeName == Finding.TypeName : method.Equals(Finding.Method);

            /// <summary>True when this finding, counted in a method or type, claims what <paramref name="site"/> allocated.</summary>
            public bool Explains(AllocationSite site)
                => Where != CountedIn.Line && InScope(site.Method) && site.BytesByType.Keys.Any(t => Counts!(t));
        }
    }
}
