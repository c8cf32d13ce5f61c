using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// <c>alloc-profile run [options] -- dotnet MyApp.dll …</c>, <c>alloc-profile attach PID [options]</c>,
    /// <c>alloc-profile report --profile DIR/profile.json --sarif build.sarif [--out DIR]</c>.
    /// </summary>
    internal static class Program
    {
        public const string Usage = """
            usage:
              alloc-profile run [options] -- <command> [arguments]   start a .NET program and record until it exits
              alloc-profile attach <pid> [options]                  record a running .NET program (default 10 s)
              alloc-profile report --profile <profile.json> --sarif <build.sarif> [--out <dir>]
              alloc-profile --help                                  this text
            options:
              --out <dir>         where to write profile.json, hot-paths.editorconfig, report.md, bytes-by-method.svg (default: alloc-profile-results)
              --duration <secs>   stop recording after this long
              --skip <secs>       leave out the first seconds (start-up and warm-up, where unoptimized code may allocate more)
              --share <0..1>      share of the sampled bytes the hot-path fragment covers (default 0.8)
              --sarif <file>      a build's SARIF log (-p:ErrorLog=build.sarif%2Cversion=2.1) to rank the findings by measured bytes
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

            try
            {
                Directory.CreateDirectory(options.OutputDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProfilerException("cannot write to the output directory '" + options.OutputDirectory + "': " + e.Message);
            }

            var outputs = new ProfileOutputs(options.OutputDirectory);
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
        public ProfileOutputs(string directory)
        {
            Profile = Path.Combine(directory, "profile.json");
            Fragment = Path.Combine(directory, "hot-paths.editorconfig");
            Report = Path.Combine(directory, "report.md");
            Chart = Path.Combine(directory, "bytes-by-method.svg");
        }

        public string Profile { get; }

        public string Fragment { get; }

        public string Report { get; }

        public string Chart { get; }

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
