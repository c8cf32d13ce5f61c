using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Benchmarks.Speed;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace AllocAnalyzers.Benchmarks
{
    /// <summary>
    /// <c>speed [--files N] [--rounds N] [--analyzer Name]</c>: analyzer cost against the compiler's, written to
    /// docs/benchmarks/analyzer-speed.md (with --analyzer, only that analyzer, printed, to chase a regression).
    /// <c>speed</c> and <c>repeat</c> also take <c>--project DIR [--define A;B]</c>: a real project's sources instead of
    /// the generated project (the speed report then goes to docs/benchmarks/analyzer-speed-NAME.md).
    /// <c>runtime [--full] [BenchmarkDotNet args]</c>: the before/after runtime benchmarks (short job unless --full).
    /// <c>repeat [--posture default|hot] [--with ours|baseline|replay] [--runs N] [--telemetry]</c>: one posture's runs, repeated
    /// for a profiler to record (docs/benchmarks/analyzer-profile.md), or with --telemetry timed per analyzer as the speed
    /// report's telemetry is, with the median; prints each run, writes nothing.
    /// <c>ide [--lines 10000,70000] [--edits N]</c>: the cost per keystroke in an editor's loop, per project size and posture,
    /// written to docs/benchmarks/analyzer-per-edit.md.
    /// <c>ide --project DIR [--define A;B] [--edits N]</c>: the same loop on a real project's sources (its largest and a median
    /// file open), written to docs/benchmarks/analyzer-per-edit-NAME.md.
    /// <c>contention [--files N] [--rounds N]</c>: the compiler's own work on one thread, alone and beside a thread that binds
    /// another compilation's bodies (no analyzer), written to docs/benchmarks/compile-beside-binding.md.
    /// <c>matrix</c>: the same pairs on .NET 8, 9 and 10 (bytes and time per call), written to docs/benchmarks/RuntimeMatrix.md.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            string command = args.FirstOrDefault() ?? "speed";
            var rest = args.Skip(1).ToArray();
            string docs = Path.Combine(FindRepositoryRoot(), "docs", "benchmarks");
            Directory.CreateDirectory(docs);
            switch (command)
            {
                case "speed":
                    int files = Option(rest, "--files", 200);
                    int rounds = Option(rest, "--rounds", 3);
                    int only = Array.IndexOf(rest, "--analyzer");
                    string? analyzer = only >= 0 && only + 1 < rest.Length ? rest[only + 1] : null;
                    string? speedProject = OptionText(rest, "--project");
                    var report = await AnalyzerSpeed.RunAsync(Sources(rest, files), rounds, analyzer);
                    Console.WriteLine(report);
                    if (analyzer == null)
                    {
                        File.WriteAllText(Path.Combine(docs, speedProject == null ? "analyzer-speed.md" : "analyzer-speed-" + DirectoryName(speedProject) + ".md"), report);
                    }
                    return 0;
                case "repeat":
                    await RepeatedRuns.RunAsync(Sources(rest, Option(rest, "--files", 100)), OptionText(rest, "--posture") ?? "default", OptionText(rest, "--with") ?? "ours", Option(rest, "--runs", 4), rest.Contains("--telemetry"));
                    return 0;
                case "ide" when OptionText(rest, "--project") is { } project:
                    var projectReport = await EditLoop.RunProjectAsync(project, Defines(rest), Option(rest, "--edits", 20));
                    Console.WriteLine(projectReport);
                    File.WriteAllText(Path.Combine(docs, "analyzer-per-edit-" + DirectoryName(project) + ".md"), projectReport);
                    return 0;
                case "ide":
                    var sizes = (OptionText(rest, "--lines") ?? "10000,70000").Split(',').Select(int.Parse).ToArray();
                    File.WriteAllText(Path.Combine(docs, "analyzer-per-edit.md"), await EditLoop.RunAsync(sizes, Option(rest, "--edits", 20)));
                    return 0;
                case "contention":
                    var contention = CompileBesideBinding.Run(Sources(rest, Option(rest, "--files", 100)), Option(rest, "--rounds", 5));
                    Console.WriteLine(contention);
                    File.WriteAllText(Path.Combine(docs, "compile-beside-binding.md"), contention);
                    return 0;
                case "matrix":
                    File.WriteAllText(Path.Combine(docs, "RuntimeMatrix.md"), await Matrix.FixPairMatrix.RunAsync());
                    return 0;
                case "runtime":
                    bool full = rest.Contains("--full");
                    var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(Path.GetTempPath(), "AllocAnalyzers.BenchmarkDotNet"));
                    if (!full)
                    {
                        config = config.AddJob(Job.ShortRun);
                    }

                    var switcherArgs = rest.Where(a => a != "--full").ToArray();
                    if (!switcherArgs.Contains("--filter"))
                    {
                        switcherArgs = switcherArgs.Concat(new[] { "--filter", "*" }).ToArray();
                    }

                    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switcherArgs, config);
                    foreach (var summary in summaries)
                    {
                        // The results folder keeps earlier runs' reports: take this summary's own.
                        string benchmark = summary.Title.Split('-')[0];
                        string markdown = Path.Combine(summary.ResultsDirectoryPath, benchmark + "-report-github.md");
                        if (File.Exists(markdown))
                        {
                            File.Copy(markdown, Path.Combine(docs, benchmark.Split('.').Last() + ".md"), overwrite: true);
                        }
                    }

                    return 0;
                default:
                    Console.Error.WriteLine("usage: speed [--files N] [--rounds N] [--analyzer Name] | repeat [--posture default|hot] [--with ours|baseline|replay] [--runs N] [--files N] [--telemetry] | ide [--lines 10000,70000] [--edits N] | contention [--files N] [--rounds N] | matrix | runtime [--full] [BenchmarkDotNet arguments]");
                    return 2;
            }
        }

        /// <summary>The generated project of <paramref name="files"/> files, or the sources of <c>--project DIR</c> (with <c>--define A;B</c>).</summary>
        private static ProjectSources Sources(string[] args, int files)
            => OptionText(args, "--project") is { } directory ? ProjectSources.FromDirectory(directory, Defines(args)) : ProjectSources.Generated(files);

        private static string[] Defines(string[] args) => (OptionText(args, "--define") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries);

        private static string DirectoryName(string directory) => Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));

        private static string? OptionText(string[] args, string name)
        {
            int index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        private static int Option(string[] args, string name, int fallback)
        {
            int index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
        }

        private static string FindRepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AllocAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            return Directory.GetCurrentDirectory();
        }
    }
}
