using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// Whether the compiler's own work takes longer on its thread while another thread binds code, with no analyzer at
    /// all: the project's GetDiagnostics on one thread, alone, then beside a thread that asks every member body of a
    /// second fresh compilation of the same project for its operation tree, as an analysis thread does. The speed
    /// report's CPU-work pairs run the compiler beside the analysis thread, which the do-nothing baseline leaves idle
    /// most of the time, so whatever this slowdown is counts there as analyzer work.
    /// </summary>
    internal static class CompileBesideBinding
    {
        public static string Run(ProjectSources sources, int rounds)
        {
            var project = new SpeedProject(sources);
            var alone = new List<Measured>();
            var beside = new List<Measured>();
            var report = new StringBuilder();
            report.AppendLine("# The compiler's work beside a binding thread");
            report.AppendLine();
            report.AppendLine(FormattableString.Invariant($"Project: {sources.Files.Count} files, {project.Lines:N0} lines; GetDiagnostics of a fresh compilation on one thread (`concurrentBuild: false`), measured on its own thread; {Environment.ProcessorCount} cores, .NET {Environment.Version}. Each round: alone, then beside a thread that asks every member body of another fresh compilation of the same project for its operation tree, over and over (no analyzer runs). Round 0 warms up and is not counted. Thread CPU is the measuring thread's own (user + system, /proc/thread-self/stat), so it counts the collections that thread triggers and not those the other thread triggers; the pause column is every collection during the run, whichever thread paid for it."));
            report.AppendLine();
            report.AppendLine("| Round | Alone: wall / thread CPU (ms) | Collections, paused (ms) | Beside binding: wall / thread CPU (ms) | Collections, paused (ms) | Thread CPU beside / alone | Thread CPU less all pauses, beside / alone |");
            report.AppendLine("|---|---|---|---|---|---|---|");
            for (int round = 0; round <= rounds; round++)
            {
                var a = Measure(project, busy: false);
                var b = Measure(project, busy: true);
                if (round == 0)
                {
                    continue;
                }

                alone.Add(a);
                beside.Add(b);
                report.AppendLine(FormattableString.Invariant($"| {round} | {a.Wall:F0} / {a.ThreadCpu:F0} | {a.Collections}, {a.Paused:F0} | {b.Wall:F0} / {b.ThreadCpu:F0} | {b.Collections}, {b.Paused:F0} | {b.ThreadCpu / a.ThreadCpu:F2} | {(b.ThreadCpu - b.Paused) / (a.ThreadCpu - a.Paused):F2} |"));
            }

            double Ratio(Func<Measured, double> of) => AnalyzerSpeed.Median(alone.Zip(beside, (x, y) => of(y) / of(x)).ToList());
            report.AppendLine();
            report.AppendLine(FormattableString.Invariant($"Medians of the rounds' ratios, beside / alone: wall {Ratio(m => m.Wall):F2}, thread CPU {Ratio(m => m.ThreadCpu):F2}, thread CPU less every pause of the run {Ratio(m => m.ThreadCpu - m.Paused):F2}, collections {AnalyzerSpeed.Median(alone.Select(m => (double)m.Collections).ToList()):F0} alone and {AnalyzerSpeed.Median(beside.Select(m => (double)m.Collections).ToList()):F0} beside."));
            return report.ToString();
        }

        private readonly record struct Measured(double Wall, double ThreadCpu, int Collections, double Paused);

        private static Measured Measure(SpeedProject project, bool busy)
        {
            var compilation = project.Fresh(oneThread: true);
            using var stop = new CancellationTokenSource();
            using var binding = new ManualResetEventSlim();
            Thread? binder = null;
            if (busy)
            {
                binder = new Thread(() => BindUntilStopped(() => project.Fresh(oneThread: true), binding, stop.Token)) { IsBackground = true };
                binder.Start();
            }

            AnalyzerSpeed.Settle();
            if (binder != null)
            {
                binding.Wait();
            }

            Measured measured = default;
            var compiler = new Thread(() =>
            {
                int collections = GC.CollectionCount(0);
                var paused = GC.GetTotalPauseDuration();
                double cpu = ThreadCpuMilliseconds();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                compilation.GetDiagnostics();
                measured = new Measured(watch.Elapsed.TotalMilliseconds, ThreadCpuMilliseconds() - cpu, GC.CollectionCount(0) - collections, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
            });
            compiler.Start();
            compiler.Join();
            stop.Cancel();
            binder?.Join();
            return measured;
        }

        /// <summary>Every member body's operation tree, file by file, again and again until stopped (a new compilation each pass).</summary>
        private static void BindUntilStopped(Func<Compilation> fresh, ManualResetEventSlim binding, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var compilation = fresh();
                foreach (var tree in compilation.SyntaxTrees)
                {
                    var model = compilation.GetSemanticModel(tree);
                    foreach (var body in tree.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax))
                    {
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }

                        model.GetOperation(body);
                        binding.Set();
                    }
                }
            }
        }

        /// <summary>The calling thread's CPU time: user + system clock ticks of /proc/thread-self/stat (Linux).</summary>
        private static double ThreadCpuMilliseconds()
        {
            const string path = "/proc/thread-self/stat";
            if (!File.Exists(path))
            {
                throw new PlatformNotSupportedException("contention reads each thread's CPU time from " + path + " (Linux only)");
            }

            string stat = File.ReadAllText(path);
            var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            // Fields 14 and 15 of stat(5), counted from the state field (3rd) here; clock ticks of 10 ms (USER_HZ 100).
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
        }
    }
}
