using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Profiler;
using Xunit;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>
    /// alloc-profile on a program the test builds: it allocates in exactly two methods and measures, in-process, how
    /// many bytes each allocated (GC.GetAllocatedBytesForCurrentThread); the profile must name exactly those two and
    /// attribute each within 20% of that truth. Bad input gives one clear message, never a stack trace.
    /// </summary>
    public sealed class AllocProfileTests : IClassFixture<AllocProfileTests.Target>
    {
        private readonly Target _target;

        public AllocProfileTests(Target target) => _target = target;

        [Fact]
        public async Task Profile_NamesExactlyTheAllocatingMethods_WithBytesWithin20PercentOfTheTruth()
        {
            var output = Directory.CreateTempSubdirectory("alloc-profile-");
            try
            {
                var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
                var options = ProfilerOptions.Parse(new[] { "run", "--out", output.FullName, "--", "dotnet", _target.Dll, "work" });
                var outputs = await Program.RunAsync(options, lines.Enqueue, CancellationToken.None);

                // The target prints its own truth on exit, e.g. "TRUTH AllocateOrders=123 AllocateInvoices=456".
                var profile = ProfileStore.Load(outputs.Profile);
                string fragment = File.ReadAllText(outputs.Fragment);
                string hot = Regex.Match(fragment, "^alloc_analyzers.hot_path_methods = (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();
                Assert.Equal(new[] { "M:ProfileTarget.Work.AllocateInvoices*", "M:ProfileTarget.Work.AllocateOrders*" }, hot.Split(", ").Order().ToArray());

                var truth = File.ReadAllLines(Path.Combine(_target.Directory, "truth.txt")).Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));
                foreach (var (method, bytes) in truth)
                {
                    var measured = profile.Methods.Single(m => m.Name.Display == "ProfileTarget.Work." + method);
                    double ratio = (double)measured.Bytes / bytes;
                    Assert.True(ratio is > 0.8 and < 1.2, $"{method}: profiled {measured.Bytes} B, allocated {bytes} B (ratio {ratio:0.00})");
                }

                Assert.DoesNotContain(profile.Methods, m => m.Name.MemberName == "Idle");
                Assert.True(profile.Collections[0] > 0, "gen0 collections are counted");
                Assert.Contains(lines, l => l.Contains("recording process", StringComparison.Ordinal));

                // Joined with a build's findings: the finding in the heavier method ranks first; the other heavy method
                // has no finding and is listed as missed.
                string sarif = Path.Combine(output.FullName, "build.sarif");
                File.WriteAllText(sarif, Sarif(_target.Source, LineOf(_target.Source, "new long[300]")));
                var report = ProfileStore.Load(outputs.Profile);
                var findings = SarifFindings.Read(sarif);
                var ranked = ProfileReport.Rank(report, findings);
                Assert.Equal("ProfileTarget.Work.AllocateInvoices", ranked[0].Finding.Method?.Display);
                Assert.True(ranked[0].BytesPerSecond > 0);
                string markdown = ProfileReport.Markdown(report, findings, "chart.svg", "target");
                Assert.Matches(@"## Heavy allocators without a finding[\s\S]*ProfileTarget\.Work\.AllocateOrders", markdown);

                // Two findings in one method, each naming its type: each gets the bytes of its own type there (about
                // 1024 : 424 per call), not the method's rate; a type the profile never saw in its method says so.
                File.WriteAllText(sarif, TypedSarif(_target.Source,
                    (LineOf(_target.Source, "new byte[1000]"), "System.Byte[]"),
                    (LineOf(_target.Source, "new int[100]"), "System.Int32[]"),
                    (LineOf(_target.Source, "new long[300]"), "System.Guid")));
                var typed = ProfileReport.Rank(report, SarifFindings.Read(sarif));
                var bytesFinding = typed.Single(r => r.Finding.AllocatedType == "System.Byte[]");
                var intsFinding = typed.Single(r => r.Finding.AllocatedType == "System.Int32[]");
                Assert.True(bytesFinding.TypeSampled && intsFinding.TypeSampled);
                double share = bytesFinding.BytesPerSecond / intsFinding.BytesPerSecond;
                Assert.True(share is > 1.8 and < 3.2, $"byte[] : int[] measured {share:0.00}, allocated 2.42");
                Assert.False(typed.Single(r => r.Finding.AllocatedType == "System.Guid").TypeSampled);
                Assert.Contains("(type not sampled there)", ProfileReport.Markdown(report, SarifFindings.Read(sarif), "chart.svg", "target"));
                Assert.StartsWith("<svg", File.ReadAllText(outputs.Chart), StringComparison.Ordinal);
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }

        [Fact]
        public async Task Attach_RecordsARunningProgram_ForTheGivenDuration_NamingItsMethods()
        {
            var output = Directory.CreateTempSubdirectory("alloc-profile-");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(_target.Dll);
            start.ArgumentList.Add("loop");
            using var process = System.Diagnostics.Process.Start(start)!;
            try
            {
                Assert.Equal("ready", await process.StandardOutput.ReadLineAsync());
                var options = ProfilerOptions.Parse(new[] { "attach", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "1.5", "--out", output.FullName });
                var outputs = await Program.RunAsync(options, _ => { }, CancellationToken.None);
                var profile = ProfileStore.Load(outputs.Profile);
                Assert.InRange(profile.Duration.TotalSeconds, 1.4, 10);
                Assert.False(process.HasExited, "attach must not stop the program");

                // The methods were compiled before the session began: their names come from the rundown at its end.
                var names = profile.Methods.Select(m => m.Name.Display).ToList();
                Assert.Contains("ProfileTarget.Work.AllocateOrders", names);
                Assert.Contains("ProfileTarget.Work.AllocateInvoices", names);
            }
            finally
            {
                process.Kill();
                output.Delete(recursive: true);
            }
        }

        [Theory]
        [InlineData("--help")]
        [InlineData("-h")]
        [InlineData("help")]
        public async Task Help_PrintsTheUsage_AndSucceeds(string argument)
        {
            var output = new StringWriter();
            var previous = Console.Out;
            Console.SetOut(output);
            try
            {
                Assert.Equal(0, await Program.Main(new[] { argument }));
            }
            finally
            {
                Console.SetOut(previous);
            }

            Assert.Contains("alloc-profile run [options] --", output.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("System.Func`2[System.Int32,System.Int32]", "`` System.Func`2[System.Int32,System.Int32] ``")]
        [InlineData("OrderService.OrderHandler.Handle", "`OrderService.OrderHandler.Handle`")]
        [InlineData("a|b", "`a\\|b`")]
        [InlineData("two``ticks", "``` two``ticks ```")]
        public void Report_CodeSpans_SurviveBackticksAndPipes(string text, string markdown)
            => Assert.Equal(markdown, Units.Code(text));

        [Theory]
        [InlineData("attach 999999", "no process with id 999999")]
        [InlineData("run", "run needs the program after --")]
        [InlineData("report --profile missing.json --sarif missing.sarif", "cannot read the profile")]
        [InlineData("profile", "unknown command 'profile'")]
        [InlineData("run --skip soon -- dotnet app.dll", "--skip needs a number of seconds")]
        public async Task BadInput_GivesOneClearMessage(string arguments, string expected)
        {
            var error = await Assert.ThrowsAsync<ProfilerException>(async () =>
                await Program.RunAsync(ProfilerOptions.Parse(arguments.Split(' ')), _ => { }, CancellationToken.None));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ProgramWithoutAllocations_AndUnreadableSarif_GiveClearMessages()
        {
            var output = Directory.CreateTempSubdirectory("alloc-profile-");
            try
            {
                var idle = await Assert.ThrowsAsync<ProfilerException>(() =>
                    Program.RunAsync(ProfilerOptions.Parse(new[] { "run", "--out", output.FullName, "--", "dotnet", _target.Dll, "idle" }), _ => { }, CancellationToken.None));
                Assert.Contains("no allocation samples", idle.Message, StringComparison.Ordinal);

                // Everything the program did happened in the skipped start of the recording.
                var skipped = await Assert.ThrowsAsync<ProfilerException>(() =>
                    Program.RunAsync(ProfilerOptions.Parse(new[] { "run", "--skip", "600", "--out", output.FullName, "--", "dotnet", _target.Dll, "work" }), _ => { }, CancellationToken.None));
                Assert.Contains("after the first 600 s", skipped.Message, StringComparison.Ordinal);

                var notDotnet = await Assert.ThrowsAsync<ProfilerException>(() =>
                    Program.RunAsync(ProfilerOptions.Parse(new[] { "run", "--out", output.FullName, "--", "true" }), _ => { }, CancellationToken.None));
                Assert.Contains("before the .NET runtime connected", notDotnet.Message, StringComparison.Ordinal);

                string bad = Path.Combine(output.FullName, "bad.sarif");
                File.WriteAllText(bad, "{ not json");
                Assert.Contains("cannot read the SARIF log", Assert.Throws<ProfilerException>(() => SarifFindings.Read(bad)).Message, StringComparison.Ordinal);
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }

        private static int LineOf(string file, string text) => Array.FindIndex(File.ReadAllLines(file), l => l.Contains(text, StringComparison.Ordinal)) + 1;

        private static string TypedSarif(string file, params (int Line, string Type)[] findings)
            => """{ "version": "2.1.0", "runs": [ { "results": [""" + string.Join(",", findings.Select(f => $$"""
                { "ruleId": "ALLOC102", "level": "warning", "message": { "text": "an array" }, "properties": { "customProperties": { "Claim": "EveryExecution", "Type": "{{f.Type}}" } },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "{{new Uri(file).AbsoluteUri}}" }, "region": { "startLine": {{f.Line}} } } } ] }
                """)) + "] } ] }";

        private static string Sarif(string file, int line) => $$"""
            { "version": "2.1.0", "runs": [ { "results": [
              { "ruleId": "ALLOC102", "level": "warning", "message": { "text": "'new long[]' allocates 2424 bytes on every execution" },
                "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "{{new Uri(file).AbsoluteUri}}" }, "region": { "startLine": {{line}} } } } ] },
              { "ruleId": "CS0168", "level": "warning", "message": { "text": "not ours" } } ] } ] }
            """;

        /// <summary>The program under the profiler, built once for the class.</summary>
        public sealed class Target : IDisposable
        {
            private const string ProgramText = """
                using System;
                using System.IO;
                using System.Runtime.CompilerServices;

                namespace ProfileTarget
                {
                    public static class Work
                    {
                        private static object? _sink;

                        public static int Main(string[] args)
                        {
                            if (args.Length > 0 && args[0] == "idle")
                            {
                                return 0;
                            }

                            if (args.Length > 0 && args[0] == "loop")
                            {
                                // Runs until killed (at most a minute), for the attach test: ready once the code is compiled.
                                var until = DateTime.UtcNow.AddMinutes(1);
                                for (long n = 0; DateTime.UtcNow < until; n++)
                                {
                                    AllocateOrders();
                                    AllocateInvoices();
                                    if (n == 100_000)
                                    {
                                        Console.WriteLine("ready");
                                    }
                                }

                                return 0;
                            }

                            long orders = 0, invoices = 0, idle = 0;
                            for (int i = 0; i < 150_000; i++)
                            {
                                long before = GC.GetAllocatedBytesForCurrentThread();
                                AllocateOrders();
                                long middle = GC.GetAllocatedBytesForCurrentThread();
                                AllocateInvoices();
                                orders += middle - before;
                                invoices += GC.GetAllocatedBytesForCurrentThread() - middle;
                                idle += Idle(i);
                            }

                            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "..", "truth.txt"), $"AllocateOrders={orders}\nAllocateInvoices={invoices}\n");
                            return idle == 42 ? 1 : 0;
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void AllocateOrders()
                        {
                            _sink = new byte[1000];
                            _sink = new int[100];
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static void AllocateInvoices()
                        {
                            _sink = new long[300];
                        }

                        [MethodImpl(MethodImplOptions.NoInlining)]
                        private static long Idle(int i)
                        {
                            long x = i;
                            for (int k = 0; k < 20; k++)
                            {
                                x = (x * 31) ^ k;
                            }

                            return x;
                        }
                    }
                }
                """;

            public Target()
            {
                (Directory, Source, Dll) = ProfileTarget.Build(ProgramText, "alloc-profile-target-");
            }

            public string Directory { get; }

            public string Source { get; }

            public string Dll { get; }

            public void Dispose() => ProfileTarget.Delete(Directory);
        }
    }
}
