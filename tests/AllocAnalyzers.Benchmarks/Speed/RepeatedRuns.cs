using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// The speed benchmark's runs of one posture, repeated with nothing else in the process, for a profiler to record
    /// (<c>perf record</c> for CPU, <c>alloc-profile run</c> for bytes; docs/benchmarks/analyzer-profile.md): our
    /// analyzers, the do-nothing baseline, or the baseline reporting our diagnostics again (the driver's share).
    /// Prints each run's wall clock, CPU time and bytes allocated; writes nothing. With <c>--telemetry</c>, each run is
    /// the speed report's telemetry run instead (one callback at a time, no collection inside it), with each analyzer's
    /// time and, at the end, the median of the runs after the first. On a shared machine one process's median can differ
    /// from the next one's by a quarter or more, more than most changes: alternate before and after several times.
    /// </summary>
    internal static class RepeatedRuns
    {
        public static async Task RunAsync(ProjectSources sources, string posture, string with, int runs, bool telemetry)
        {
            var project = new SpeedProject(sources);
            string postureName = posture == "hot" ? SpeedProject.Postures[1] : SpeedProject.Postures[0];
            var options = SpeedProject.OptionsFor(postureName);
            var ours = SpeedProject.Ours();
            var analyzers = with switch
            {
                "ours" => ours,
                "baseline" => ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()),
                "replay" => ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer(await SpeedProject.RunAsync(project.Fresh(oneThread: true), ours, options))),
                _ => throw new ArgumentException("--with is ours, baseline or replay"),
            };

            // Run 0 warms the JIT up; a profile's steady state is the runs after it.
            var runOptions = with == "ours" ? options : new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);
            if (telemetry)
            {
                await TelemetryRunsAsync(project, postureName, with, analyzers, runOptions, runs);
                return;
            }

            for (int run = 0; run <= runs; run++)
            {
                int reported = 0;
                var timing = await AnalyzerSpeed.MeasureAsync(project.Fresh(oneThread: true), async c => reported = (await SpeedProject.RunAsync(c, analyzers, runOptions)).Length);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} {1}, run {2}: {3:F0} ms, {4:F0} ms CPU, {5:F1} MB, {6:N0} diagnostics",
                    with, postureName, run, timing.Wall, timing.Cpu, timing.AllocatedMegabytes, reported));
            }
        }

        private static async Task TelemetryRunsAsync(SpeedProject project, string postureName, string with, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, int runs)
        {
            var totals = new List<double>();
            for (int run = 0; run <= runs; run++)
            {
                var (diagnostics, total, perAnalyzer) = await AnalyzerSpeed.TimedAsync(project.Fresh(oneThread: true), analyzers, options);
                if (run > 0)
                {
                    totals.Add(total);
                }

                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} {1}, run {2}: telemetry {3:F1} ms ({4}), {5:N0} diagnostics", with, postureName, run, total,
                    string.Join(", ", perAnalyzer.Where(a => a.Value >= 0.05).OrderByDescending(a => a.Value).Select(a => a.Key + " " + a.Value.ToString("F1", CultureInfo.InvariantCulture))),
                    diagnostics.Values.Sum()));
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "median telemetry of runs 1-{0}: {1:F1} ms", runs, AnalyzerSpeed.Median(totals)));
        }
    }
}
