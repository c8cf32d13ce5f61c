using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Profiler;
using Xunit;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>
    /// alloc-profile's line-level attribution and <c>verify</c> on a program the test builds: it allocates known types
    /// at known lines, measures in-process how many bytes one of each is and how often each line ran, and has one
    /// allocation the optimizing JIT removes (a small object that does not escape). The profile must put each type's
    /// bytes on its line within the sampling error, verify must label the findings, list the site without one, and
    /// write the figures into the SARIF log; bad debug information and a profile of another program get one clear message.
    /// </summary>
    public sealed class AllocProfileVerifyTests : IClassFixture<AllocProfileVerifyTests.Recorded>
    {
        private readonly Recorded _recorded;

        public AllocProfileVerifyTests(Recorded recorded) => _recorded = recorded;

        [Fact]
        public void Lines_CarryTheirOwnTypes_InTheMeasuredProportions()
        {
            var profile = ProfileStore.Load(_recorded.Outputs.Profile);
            Assert.True(profile.Randomized, "on .NET 10 the samples are the runtime's randomized ones");
            var truth = _recorded.Truth;
            long calls = truth["calls"];
            foreach (var (marker, type, size) in new[] { ("new byte[1000]", "System.Byte[]", "byte[]"), ("new int[100]", "System.Int32[]", "int[]"), ("new long[300]", "System.Int64[]", "long[]") })
            {
                int line = _recorded.LineOf(marker);
                var sites = profile.Sites.Where(s => s.BytesByType.ContainsKey(type) && s.Method.MemberName != "Main").ToList(); // Main measures one of each once
                Assert.NotEmpty(sites);

                // Every sample of the type lands on a statement that holds its line (optimized code may merge two
                // adjacent statements into one stretch; the site then spans both).
                Assert.All(sites, s => Assert.True(s.Line.Line <= line && line <= Math.Max(s.Line.EndLine, s.Line.Line), $"{type} sampled at {s.Display}, allocated at line {line}"));
                long sampled = sites.Sum(s => s.BytesByType[type]);
                long allocated = calls * truth[size];
                double ratio = (double)sampled / allocated;
                Assert.True(ratio is > 0.8 and < 1.2, $"{type} at line {line}: sampled {sampled} B, allocated {allocated} B (ratio {ratio:0.00})");
            }

            // The line in a method of its own is exactly that line.
            Assert.Equal(_recorded.LineOf("new long[300]"), profile.Sites.Where(s => s.BytesByType.ContainsKey("System.Int64[]")).OrderByDescending(s => s.Bytes).First().Line.Line);
            Assert.True(profile.Lines.Resolved > 0.9 * profile.Lines.Total, $"{profile.Lines.Resolved} of {profile.Lines.Total} samples have a line");
        }

        [Fact]
        public async Task Verify_LabelsEachFinding_ListsTheMiss_AndWritesTheFiguresIntoTheSarifLog()
        {
            var output = Directory.CreateTempSubdirectory("alloc-profile-verify-");
            try
            {
                string sarif = Path.Combine(output.FullName, "build.sarif");
                File.WriteAllText(sarif, _recorded.Sarif(
                    ("ALLOC102", "new byte[1000]", "System.Byte[]", "EveryExecution"),
                    ("ALLOC102", "new int[100]", "System.Int32[]", "EveryExecution"),
                    ("ALLOC101", "new Pair(", "ProfileTarget.Pair", "MayBeRemoved"),
                    ("ALLOC102", "new short[10]", "System.Int16[]", "EveryExecution"),
                    ("ALLOC102", "new char[50]", "System.Char[]", "EveryExecution"),
                    ("ALLOC102", "new float[30]", "System.Single[]", "EveryExecution")));
                var outputs = await Program.RunAsync(
                    ProfilerOptions.Parse(new[] { "verify", "--profile", _recorded.Outputs.Profile, "--sarif", sarif, "--out", Path.Combine(output.FullName, "verify") }), _ => { }, CancellationToken.None);

                var profile = ProfileStore.Load(_recorded.Outputs.Profile);
                var verification = Verification.Verify(profile, SarifFindings.Read(sarif));
                var byType = verification.Findings.ToDictionary(f => f.Finding.AllocatedType!);
                Assert.Equal(Verdict.Observed, byType["System.Byte[]"].Verdict);
                Assert.Equal(Verdict.Observed, byType["System.Int32[]"].Verdict);
                double share = (double)byType["System.Byte[]"].Bytes / byType["System.Int32[]"].Bytes;
                double expected = (double)_recorded.Truth["byte[]"] / _recorded.Truth["int[]"];
                Assert.True(Math.Abs(share / expected - 1) < 0.25, $"byte[] : int[] sampled {share:0.00}, allocated {expected:0.00}");

                // The object that does not escape: the optimized code the tiered JIT put in place allocates nothing;
                // tier-0 code, if sampled at all, is set apart.
                var removed = byType["ProfileTarget.Pair"];
                Assert.True(removed.Verdict is Verdict.OnlyUnoptimized or Verdict.NotObserved, $"{removed.Verdict}: {removed.Bytes} B in {removed.Samples} samples; {removed.Note}");
                Assert.Equal(0, removed.Samples);

                // A method the JIT inlines: the optimized code's samples land on the caller's call, and count for the
                // finding in the callee, within the sampling error of what the program allocated.
                var inlined = byType["System.Char[]"];
                Assert.Equal(Verdict.Observed, inlined.Verdict);
                Assert.Contains(inlined.InlinedAt, s => s.Line.Line == _recorded.LineOf("_sink = Small()") && s.Method.MemberName == "Chars");
                Assert.Contains("where the JIT inlined it", inlined.Note, StringComparison.Ordinal);
                var chars = profile.Sites.Where(s => s.Method.MemberName is "Chars" or "Small").Sum(s => (s.BytesByType.TryGetValue("System.Char[]", out long b) ? b : 0));
                double charRatio = (double)chars / (_recorded.Truth["calls"] * _recorded.Truth["char[]"]);
                Assert.True(charRatio is > 0.8 and < 1.2, $"char[]: sampled {chars} B at the call and in the callee, allocated {_recorded.Truth["calls"] * _recorded.Truth["char[]"]} B");

                // Two levels down (Nested calls Outer, which calls Inner; the JIT inlines both into Nested and names
                // Nested as the inliner of each): the IL says Outer calls Inner, so Nested's statement runs Inner.
                var nested = byType["System.Single[]"];
                Assert.Equal(Verdict.Observed, nested.Verdict);
                Assert.Contains(nested.InlinedAt, s => s.Line.Line == _recorded.LineOf("_sink = Outer()"));
                Assert.Contains("(Nested ← Outer ← Inner)", nested.Note, StringComparison.Ordinal);
                // How much ran as optimized code depends on when the tiered JIT replaced the tier-0 bodies (later on a
                // loaded machine), so the finding is held to the chain's optimized samples, and all samples to the truth.
                var chain = profile.Sites.Where(s => s.Method.MemberName is "Nested" or "Outer" or "Inner").ToList();
                long floats = chain.Sum(s => s.BytesByType.TryGetValue("System.Single[]", out long b) ? b : 0);
                long optimizedFloats = floats - chain.Sum(s => s.UnoptimizedByType.TryGetValue("System.Single[]", out var u) ? u.Bytes : 0);
                Assert.True(optimizedFloats > 0 && nested.Bytes == optimizedFloats, $"float[]: the finding counts {nested.Bytes} B, the chain's optimized code was sampled at {optimizedFloats} B");
                Assert.InRange((double)floats / (_recorded.Truth["calls"] * _recorded.Truth["float[]"]), 0.8, 1.2);

                // A line that never ran.
                Assert.Equal(Verdict.NotObserved, byType["System.Int16[]"].Verdict);

                // The long[] line has no finding, in a method with none: a hot path to mark.
                // (A stray sample may land on a neighbouring statement the JIT merged or left unmapped: the miss is the
                // site that holds nearly all of the long[] bytes.)
                var longs = verification.Unexplained.Where(s => s.BytesByType.ContainsKey("System.Int64[]")).OrderByDescending(s => s.BytesByType["System.Int64[]"]).ToList();
                Assert.NotEmpty(longs);
                var miss = longs[0];
                Assert.Equal(_recorded.LineOf("new long[300]"), miss.Line.Line);
                Assert.True(miss.BytesByType["System.Int64[]"] >= 0.98 * longs.Sum(s => s.BytesByType["System.Int64[]"]), "the long[] line holds nearly all of the long[] bytes");
                string report = File.ReadAllText(outputs.Report);
                Assert.Matches(@"## Sampled sites without a finding[\s\S]*Program\.cs:" + miss.Line.Line + @"[^\n]*a hot path to mark", report);
                Assert.Contains("95% interval", report, StringComparison.Ordinal);

                // The SARIF log is the build's, with the figures on each result.
                var log = JsonNode.Parse(File.ReadAllText(outputs.VerifiedSarif))!;
                var results = log["runs"]![0]!["results"]!.AsArray();
                Assert.Equal(7, results.Count);
                var bytes = results.Single(r => (string?)r!["properties"]?["customProperties"]?["Type"] == "System.Byte[]")!["properties"]!;
                Assert.Equal("observed", (string?)bytes["allocProfile.verdict"]);
                long sampled = (long)bytes["allocProfile.sampledBytes"]!;
                Assert.InRange(sampled, (long)bytes["allocProfile.bytesLow95"]!, (long)bytes["allocProfile.bytesHigh95"]!);
                Assert.Equal(byType["System.Byte[]"].Samples, (int)bytes["allocProfile.samples"]!);
                Assert.False(string.IsNullOrEmpty((string?)bytes["allocProfile.confidence"]));
                var pair = results.Single(r => (string?)r!["properties"]?["customProperties"]?["Type"] == "ProfileTarget.Pair")!["properties"]!;
                Assert.NotEqual("observed", (string?)pair["allocProfile.verdict"]);
                Assert.Null(results.Single(r => (string?)r!["ruleId"] == "CS0168")!["properties"]?["allocProfile.verdict"]);
                var misses = log["runs"]![0]!["properties"]!["allocProfile.sitesWithoutFinding"]!.AsArray();
                Assert.Contains(misses, m => (int)m!["line"]! == miss.Line.Line);
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }

        [Fact]
        public async Task Verify_OfAnotherProgramsLog_OrIntoTheProfilesOwnFolder_GivesOneClearMessage()
        {
            var output = Directory.CreateTempSubdirectory("alloc-profile-verify-");
            try
            {
                string otherSource = Path.Combine(output.FullName, "Checkout.cs");
                File.WriteAllText(otherSource, "namespace Shop { public static class Checkout { public static object Run() { return new byte[64]; } } }\n");
                string sarif = Path.Combine(output.FullName, "other.sarif");
                File.WriteAllText(sarif, Recorded.SarifFor(otherSource, (1, "ALLOC102", "System.Byte[]", "EveryExecution")));
                var other = await Assert.ThrowsAsync<ProfilerException>(() => Program.RunAsync(
                    ProfilerOptions.Parse(new[] { "verify", "--profile", _recorded.Outputs.Profile, "--sarif", sarif, "--out", Path.Combine(output.FullName, "v") }), _ => { }, CancellationToken.None));
                Assert.Contains("share no source file and no method", other.Message, StringComparison.Ordinal);
                Assert.Contains("Checkout.cs", other.Message, StringComparison.Ordinal);
                Assert.Contains("Program.cs", other.Message, StringComparison.Ordinal);

                string own = Path.Combine(output.FullName, "own.sarif");
                File.WriteAllText(own, _recorded.Sarif(("ALLOC102", "new byte[1000]", "System.Byte[]", "EveryExecution")));
                var overwrite = await Assert.ThrowsAsync<ProfilerException>(() => Program.RunAsync(
                    ProfilerOptions.Parse(new[] { "verify", "--profile", _recorded.Outputs.Profile, "--sarif", own, "--out", Path.GetDirectoryName(_recorded.Outputs.Profile)! }), _ => { }, CancellationToken.None));
                Assert.Contains("would overwrite the profile's own report.md", overwrite.Message, StringComparison.Ordinal);

                Assert.Contains("--after is an option of verify", Assert.Throws<ProfilerException>(() => ProfilerOptions.Parse(new[] { "report", "--profile", "p.json", "--sarif", own, "--after", "q.json" })).Message, StringComparison.Ordinal);
                Assert.Contains("verify needs --profile and --sarif", Assert.Throws<ProfilerException>(() => ProfilerOptions.Parse(new[] { "verify", "--profile", "p.json" })).Message, StringComparison.Ordinal);
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }

        [Theory]
        [InlineData("none", "no PDB for ProfileTarget.dll")]
        [InlineData("stripped", "holds no line information")]
        [InlineData("mismatched", "is from another build of it")]
        public async Task BadDebugInformation_GivesOneClearMessage_InTheProfileAndFromVerify(string pdb, string expected)
        {
            var copy = Directory.CreateTempSubdirectory("alloc-profile-pdb-");
            try
            {
                string bin = Path.Combine(copy.FullName, "bin");
                Directory.CreateDirectory(bin);
                foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_recorded.Dll)!))
                {
                    File.Copy(file, Path.Combine(bin, Path.GetFileName(file)));
                }

                string dll = Path.Combine(bin, Path.GetFileName(_recorded.Dll));
                string pdbPath = Path.ChangeExtension(dll, ".pdb");
                File.Delete(pdbPath);

                // The build's own copy in obj/, at the path the assembly names, would be found too (as a debugger does).
                using (var pe = new PEReader(File.OpenRead(dll)))
                {
                    File.Delete(pe.ReadCodeViewDebugDirectoryData(pe.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.CodeView)).Path);
                }

                if (pdb != "none")
                {
                    WriteEmptyPdb(dll, pdbPath, sameId: pdb == "stripped");
                }

                var outputs = await Program.RunAsync(ProfilerOptions.Parse(new[] { "run", "--out", Path.Combine(copy.FullName, "profile"), "--", "dotnet", dll, "short" }), _ => { }, CancellationToken.None);
                var profile = ProfileStore.Load(outputs.Profile);
                Assert.Empty(profile.Sites);
                var reason = Assert.Single(profile.Lines.Unresolved, r => r.Key.Contains(expected, StringComparison.Ordinal));
                Assert.True(reason.Value > 0.9 * profile.Lines.Total, $"{reason.Value} of {profile.Lines.Total} samples: {reason.Key}");

                string sarif = Path.Combine(copy.FullName, "build.sarif");
                File.WriteAllText(sarif, _recorded.Sarif(("ALLOC102", "new byte[1000]", "System.Byte[]", "EveryExecution")));
                var error = await Assert.ThrowsAsync<ProfilerException>(() => Program.RunAsync(
                    ProfilerOptions.Parse(new[] { "verify", "--profile", outputs.Profile, "--sarif", sarif, "--out", Path.Combine(copy.FullName, "verify") }), _ => { }, CancellationToken.None));
                Assert.Contains("could be given a source line", error.Message, StringComparison.Ordinal);
                Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            }
            finally
            {
                copy.Delete(recursive: true);
            }
        }

        /// <summary>
        /// A portable PDB with no documents and no methods' line information, for <paramref name="dll"/>: with its id (a
        /// PDB stripped of its lines) or another (the PDB of another build).
        /// </summary>
        private static void WriteEmptyPdb(string dll, string pdbPath, bool sameId)
        {
            using var pe = new PEReader(File.OpenRead(dll));
            var metadata = pe.GetMetadataReader();
            var codeView = pe.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.CodeView);
            var id = sameId ? new BlobContentId(pe.ReadCodeViewDebugDirectoryData(codeView).Guid, codeView.Stamp) : new BlobContentId(Guid.NewGuid(), 0x5EED);
            var rowCounts = Enumerable.Range(0, MetadataTokens.TableCount).Select(t => metadata.GetTableRowCount((TableIndex)t)).ToImmutableArray();
            var builder = new PortablePdbBuilder(new MetadataBuilder(), rowCounts, default, _ => id);
            var blob = new BlobBuilder();
            builder.Serialize(blob);
            File.WriteAllBytes(pdbPath, blob.ToArray());
        }

        /// <summary>The program, built once, and one recording of it.</summary>
        public sealed class Recorded : IDisposable
        {
            private const string ProgramText = """
                using System;
                using System.IO;
                using System.Runtime.CompilerServices;

                namespace ProfileTarget
                {
                    public sealed class Pair
                    {
                        public Pair(int left, int right)
                        {
                            Left = left;
                            Right = right;
                        }

                        public int Left { get; }

                        public int Right { get; }
                    }

                    public static class Work
                    {
                        private static object? _sink;

                        public static int Main(string[] args)
                        {
                            // Long enough for the tiered JIT to replace the tier-0 code (about 0.2 s in) and run optimized code for a second.
                            int calls = args.Length > 0 && args[0] == "short" ? 40_000 : 1_000_000;
                            long check = 0;
                            for (int i = 0; i < calls; i++)
                            {
                                Arrays();
                                Longs();
                                Chars();
                                Nested();
                                check += Removed(i);
                                if (i < 0)
                                {
                                    Never();
                                }
                            }

                            // One of each, measured: the bytes a line allocates per execution on this runtime.
                            long b0 = GC.GetAllocatedBytesForCurrentThread();
                            _sink = new byte[1000];
                            long b1 = GC.GetAllocatedBytesForCurrentThread();
                            _sink = new int[100];
                            long b2 = GC.GetAllocatedBytesForCurrentThread();
                            _sink = new long[300];
                            long b3 = GC.GetAllocatedBytesForCurrentThread();
                            _sink = new char[50];
                            long b4 = GC.GetAllocatedBytesForCurrentThread();
                            _sink = new float[30];
                            long b5 = GC.GetAllocatedBytesForCurrentThread();
                            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "..", "truth.txt"),
                                $"calls={calls}\nbyte[]={b1 - b0}\nint[]={b2 - b1}\nlong[]={b3 - b2}\nchar[]={b4 - b3}\nfloat[]={b5 - b4}\n");
                            return check == 42 ? 1 : 0;
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void Arrays()
                        {
                            _sink = new byte[1000];
                            Touch();
                            _sink = new int[100];
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void Longs()
                        {
                            _sink = new long[300];
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void Chars()
                        {
                            _sink = Small();
                        }

                        [MethodImpl(MethodImplOptions.AggressiveInlining)]
                        private static char[] Small()
                        {
                            return new char[50];
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void Nested()
                        {
                            _sink = Outer();
                        }

                        [MethodImpl(MethodImplOptions.AggressiveInlining)]
                        private static float[] Outer()
                        {
                            return Inner();
                        }

                        [MethodImpl(MethodImplOptions.AggressiveInlining)]
                        private static float[] Inner()
                        {
                            return new float[30];
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static int Removed(int i)
                        {
                            var pair = new Pair(i, i + 1);
                            return pair.Left + pair.Right;
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void Touch()
                        {
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void Never()
                        {
                            _sink = new short[10];
                        }
                    }
                }
                """;

            private readonly string _directory;
            private readonly string _output;

            public Recorded()
            {
                (_directory, Source, Dll) = ProfileTarget.Build(ProgramText, "alloc-profile-lines-");

                _output = Path.Combine(_directory, "profile");
                Outputs = Program.RunAsync(ProfilerOptions.Parse(new[] { "run", "--out", _output, "--", "dotnet", Dll, "work" }), _ => { }, CancellationToken.None).GetAwaiter().GetResult();
                Truth = File.ReadAllLines(Path.Combine(_directory, "truth.txt")).Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
            }

            public string Source { get; }

            public string Dll { get; }

            internal ProfileOutputs Outputs { get; }

            /// <summary>What the program measured of itself: calls, and the bytes of one byte[], int[] and long[] of its sizes.</summary>
            public System.Collections.Generic.Dictionary<string, long> Truth { get; }

            /// <summary>The 1-based line of the first line of the program's loop methods holding <paramref name="text"/> (after Main).</summary>
            public int LineOf(string text)
            {
                var lines = File.ReadAllLines(Source);
                int after = Array.FindIndex(lines, l => l.Contains("private static void Arrays()", StringComparison.Ordinal));
                return Array.FindIndex(lines, after, l => l.Contains(text, StringComparison.Ordinal)) + 1;
            }

            /// <summary>A SARIF log of findings on the program's lines: (rule, text on the line, allocated type, claim).</summary>
            public string Sarif(params (string Rule, string Marker, string Type, string Claim)[] findings)
                => SarifFor(Source, findings.Select(f => (LineOf(f.Marker), f.Rule, f.Type, f.Claim)).ToArray());

            public static string SarifFor(string file, params (int Line, string Rule, string Type, string Claim)[] findings)
                => """{ "version": "2.1.0", "runs": [ { "results": [""" + string.Join(",", findings.Select(f => $$"""
                    { "ruleId": "{{f.Rule}}", "level": "warning", "message": { "text": "allocates {{f.Type}}" }, "properties": { "customProperties": { "Claim": "{{f.Claim}}", "Type": "{{f.Type}}" } },
                      "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "{{new Uri(file).AbsoluteUri}}" }, "region": { "startLine": {{f.Line}} } } } ] }
                    """).Append("""{ "ruleId": "CS0168", "level": "warning", "message": { "text": "not ours" } }""")) + "] } ] }";

            public void Dispose() => ProfileTarget.Delete(_directory);
        }
    }
}
