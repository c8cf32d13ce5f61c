using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// <c>alloc-profile run [options] -- dotnet MyApp.dll …</c>, <c>alloc-profile attach PID [options]</c>,
    /// <c>alloc-profile report --profile DIR/profile.json --sarif build.sarif [--out DIR]</c>,
    /// <c>alloc-profile verify --profile DIR/profile.json --sarif build.sarif [--out DIR]</c>.
    /// </summary>
    internal static class Program
    {
        public const string Usage = """
            usage:
              alloc-profile run [options] -- <command> [arguments]   start a .NET program and record until it exits
              alloc-profile attach <pid> [options]                  record a running .NET program (default 10 s)
              alloc-profile report --profile <profile.json> --sarif <build.sarif> [--out <dir>]
              alloc-profile verify --profile <profile.json> --sarif <build.sarif> [--after <profile.json>] [--out <dir>]
                                                                    each finding observed at its line, or not
              alloc-profile --help                                  this text
            options:
              --out <dir>         where to write profile.json, hot-paths.editorconfig, report.md, bytes-by-method.svg (default: alloc-profile-results)
              --duration <secs>   stop recording after this long
              --skip <secs>       leave out the first seconds (start-up and warm-up, where unoptimized code may allocate more)
              --share <0..1>      share of the sampled bytes the hot-path fragment covers (default 0.8)
              --sarif <file>      a build's SARIF log (-p:ErrorLog=build.sarif%2Cversion=2.1) to rank the findings by measured bytes
                                  (verify: writes report.md and verified.sarif, the log with the measured figures, to --out,
                                  default alloc-profile-verify)
              --after <file>      verify: a profile of the same workload after the fixes; each finding's type in its method there
            """;

        public static async Task<int> Main(string[] args)
        {
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };

            if (args.Length > 0 && args[0] is "--help" or "-h" or "help" or "-?")
            {
                Console.Out.WriteLine("alloc-profile: records where a .NET program allocates, writes the hot paths for AllocAnalyzers, and ranks a build's findings by measured bytes.");
                Console.Out.WriteLine(Usage);
                return 0;
            }

            try
            {
                var options = ProfilerOptions.Parse(args);
                await RunAsync(options, Console.Out.WriteLine, cancel.Token).ConfigureAwait(false);
                return 0;
            }
            catch (ProfilerException e)
            {
                Console.Error.WriteLine("alloc-profile: " + e.Message);
                return 1;
            }
        }

        /// <summary>
        /// <c>verify</c>: joins the profile's allocation sites with the SARIF log's findings line by line, and writes
        /// report.md and verified.sarif (the log with the measured figures on each result).
        /// </summary>
        private static ProfileOutputs Verify(ProfilerOptions options, Action<string> progress)
        {
            if (string.Equals(Path.GetFullPath(options.OutputDirectory).TrimEnd('/'), Path.GetDirectoryName(Path.GetFullPath(options.ProfilePath!)), StringComparison.Ordinal))
            {
                throw new ProfilerException("verify would overwrite the profile's own report.md in '" + options.OutputDirectory + "': give another --out");
            }

            var profile = ProfileStore.Load(options.ProfilePath!);
            var findings = SarifFindings.Read(options.SarifPath!);
            var after = options.AfterPath == null ? null : ProfileStore.Load(options.AfterPath);
            var verification = Verification.Verify(profile, findings, after);

            var outputs = ProfileOutputs.Create(options.OutputDirectory);
            string program = profile.Program ?? "the profile " + Path.GetFileName(options.ProfilePath!);
            File.WriteAllText(outputs.Report, VerificationReport.Markdown(verification, program));
            VerifiedSarif.Write(options.SarifPath!, verification, program, outputs.VerifiedSarif);
            int observed = verification.Findings.Count(f => f.Verdict == Verdict.Observed);
            progress(string.Create(CultureInfo.InvariantCulture, $"{verification.Findings.Count} allocation findings: {observed} observed at their line, {verification.Findings.Count - observed} not; {verification.Unexplained.Count} sampled sites without a finding"));
            foreach (var f in verification.Findings.Take(10))
            {
                string figure = f.Samples > 0 ? VerificationReport.Interval(f.Bytes, f.Samples, profile) : f.Verdict == Verdict.OnlyUnoptimized ? "only in tier-0 code" : "not observed";
                progress($"  {f.Finding.RuleId} {Path.GetFileName(f.Finding.File)}:{f.Finding.Line.ToString(CultureInfo.InvariantCulture)}  {figure}");
            }

            progress("written: " + string.Join(", ", outputs.Report, outputs.VerifiedSarif));
            return outputs;
        }

        /// <summary>Records (or loads) a profile and writes every output; the entry point the tests call too.</summary>
        public static async Task<ProfileOutputs> RunAsync(ProfilerOptions options, Action<string> progress, CancellationToken cancellationToken)
        {
            if (options.Command == "attach")
            {
                Recorder.EnsureRunning(options.ProcessId); // before anything is written
            }
            else if (options.Command == "report")
            {
                _ = ProfileStore.Load(options.ProfilePath!);
            }
            else if (options.Command == "verify")
            {
                return Verify(options, progress);
            }

            var outputs = ProfileOutputs.Create(options.OutputDirectory);
            AllocationProfile profile;
            string program;
            if (options.Command == "report")
            {
                profile = ProfileStore.Load(options.ProfilePath!);
                // The recorded command line, as the profile keeps it; a file name, never a machine's path, otherwise.
                program = profile.Program ?? "the profile " + Path.GetFileName(options.ProfilePath!);
            }
            else
            {
                string trace = Path.Combine(options.OutputDirectory, "allocations.nettrace");
                var recording = options.Command == "run"
                    ? await Recorder.RunAsync(options.Program, options.Duration, trace, progress, cancellationToken).ConfigureAwait(false)
                    : await Recorder.AttachAsync(options.ProcessId, options.Duration ?? TimeSpan.FromSeconds(10), trace, progress, cancellationToken).ConfigureAwait(false);
                progress("analyzing " + new FileInfo(trace).Length / 1024 + " KB of events");
                profile = TraceAnalysis.Analyze(recording, options.Skip);
                File.Delete(trace);
                program = options.Command == "run" ? string.Join(' ', options.Program) : "process " + options.ProcessId;
                profile.Program = program;
                if (profile.Samples == 0)
                {
                    throw new ProfilerException($"no allocation samples were recorded in {recording.Duration.TotalSeconds:0.0} s{(options.Skip > TimeSpan.Zero ? " after the first " + options.Skip.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s" : string.Empty)}: the program allocated less than about 100 KB (or exited at once){(recording.ExitCode is int code ? " with exit code " + code : string.Empty)}");
                }

                if (profile.Methods.Count == 0)
                {
                    throw new ProfilerException($"no allocation samples in the program's own code: the {profile.Samples} recorded were all allocated by framework code (start-up, the host)");
                }

                ProfileStore.Save(profile, outputs.Profile);
                File.WriteAllText(outputs.Fragment, HotPathFragment.Create(profile, options.Share));
            }

            var findings = options.SarifPath == null ? null : SarifFindings.Read(options.SarifPath);
            File.WriteAllText(outputs.Chart, ProfileReport.Chart(profile));
            File.WriteAllText(outputs.Report, ProfileReport.Markdown(profile, findings, Path.GetFileName(outputs.Chart), program));
            progress(string.Create(CultureInfo.InvariantCulture, $"{Units.Mebibytes(profile.SampledBytes)} sampled ({Units.Mebibytes(profile.BytesPerSecond)}/s), gen0/1/2 {profile.Collections[0]}/{profile.Collections[1]}/{profile.Collections[2]}, GC pause {profile.GcPause.TotalMilliseconds:N1} ms"));
            foreach (var method in profile.Covering(options.Share))
            {
                progress(string.Create(CultureInfo.InvariantCulture, $"  {Units.Mebibytes(method.Bytes),10}  {method.Name.Display}"));
            }

            progress("written: " + string.Join(", ", outputs.Written()));
            return outputs;
        }
    }

    /// <summary>The files one run writes.</summary>
    internal sealed class ProfileOutputs
    {
        private ProfileOutputs(string directory)
        {
            Profile = Path.Combine(directory, "profile.json");
            Fragment = Path.Combine(directory, "hot-paths.editorconfig");
            Report = Path.Combine(directory, "report.md");
            Chart = Path.Combine(directory, "bytes-by-method.svg");
            VerifiedSarif = Path.Combine(directory, "verified.sarif");
        }

        /// <summary>The outputs in <paramref name="directory"/>, which is created (one clear message when it cannot be).</summary>
        public static ProfileOutputs Create(string directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProfilerException("cannot write to the output directory '" + directory + "': " + e.Message);
            }

            return new ProfileOutputs(directory);
        }

        public string Profile { get; }

        public string Fragment { get; }

        public string Report { get; }

        public string Chart { get; }

        /// <summary>verify's copy of the SARIF log with the measured figures.</summary>
        public string VerifiedSarif { get; }

        public IEnumerable<string> Written()
        {
            foreach (var file in new[] { Profile, Fragment, Report, Chart })
            {
                if (File.Exists(file))
                {
                    yield return file;
                }
            }
        }
    }
}
