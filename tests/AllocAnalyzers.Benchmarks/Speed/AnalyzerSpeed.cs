using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// The analyzers' cost against the compiler's own, in one run on one project (generated, or a real one's sources), three ways:
    /// analyzer work (the CPU time a run with our analyzers adds to a run with a do-nothing baseline analyzer, against
    /// the compiler's GetDiagnostics + Emit), Roslyn's execution-time
    /// telemetry (per analyzer too, so a regression points at a rule), and the wall-clock overhead on all cores.
    /// Medians of several rounds, after a warm-up round.
    /// </summary>
    internal static class AnalyzerSpeed
    {
        public static async Task<string> RunAsync(ProjectSources sources, int rounds, string? only = null)
        {
            string startLoad = LoadAverage();
            var project = new SpeedProject(sources);
            int files = sources.Files.Count;
            int lines = project.Lines;
            int methods = project.Fresh().GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IMethodSymbol>().Count(m => m.MethodKind == MethodKind.Ordinary);
            var analyzers = SpeedProject.Ours(only);

            var baseline = ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer());
            // Eleven do-nothing analyzers against one: the driver's cost per analyzer, measured over ten so that it stands
            // out of the noise, then counted for as many analyzers as we ship.
            const int driverShareAnalyzers = 11;
            var baselines = Enumerable.Range(0, driverShareAnalyzers).Select(_ => (DiagnosticAnalyzer)new BaselineAnalyzer()).ToImmutableArray();
            var noOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);
            var samples = new Samples();
            var postures = SpeedProject.Postures;

            // The baseline that reports again what ours report in each posture, at the same places: what the driver
            // spends on those diagnostics whichever analyzer reports them.
            var replays = new Dictionary<string, ImmutableArray<DiagnosticAnalyzer>>();
            foreach (string posture in postures)
            {
                var reported = await RunAsync(project.Fresh(oneThread: true), analyzers, SpeedProject.OptionsFor(posture));
                replays[posture] = ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer(reported));
            }
            int floorDiagnostics = 0;
            var perAnalyzer = postures.ToDictionary(p => p, _ => new List<Dictionary<string, double>>());
            var diagnostics = new Dictionary<string, Dictionary<string, int>>();

            // Round 0 warms the JIT (the compiler's and ours) and is not counted.
            for (int round = 0; round <= rounds; round++)
            {
                if (round == 1)
                {
                    samples.Clear();
                    foreach (var list in perAnalyzer.Values)
                    {
                        list.Clear();
                    }
                }

                samples.Add("compile, one thread", await MeasureAsync(project.Fresh(oneThread: true), Compile));
                samples.Add("compile", await MeasureAsync(project.Fresh(), Compile));
                await Prime();
                samples.Add("baseline, one thread", await MeasureAsync(project.Fresh(oneThread: true), c => RunAsync(c, baseline, noOptions)));
                samples.Add("baselines, one thread", await MeasureAsync(project.Fresh(oneThread: true), c => RunAsync(c, baselines, noOptions)));
                samples.Add("baseline again, one thread", await MeasureAsync(project.Fresh(oneThread: true), c => RunAsync(c, baseline, noOptions)));
                samples.Add("baseline", await MeasureAsync(project.Fresh(), c => RunAsync(c, baseline, noOptions, concurrent: true)));
                samples.Add("baseline telemetry", (await TimedAsync(project.Fresh(), baseline, noOptions)).Total);
                var floor = await TimedAsync(project.Fresh(), ImmutableArray.Create<DiagnosticAnalyzer>(new ReportOnlyAnalyzer(oneFile: false)), noOptions);
                floorDiagnostics = floor.Diagnostics.Values.Sum();
                samples.Add("floor, every file", floor.Total);
                samples.Add("floor, one file", (await TimedAsync(project.Fresh(), ImmutableArray.Create<DiagnosticAnalyzer>(new ReportOnlyAnalyzer(oneFile: true)), noOptions)).Total);
                foreach (string posture in postures)
                {
                    var options = SpeedProject.OptionsFor(posture);
                    // Each posture's run is paired with a baseline run just before it: drift over the round cancels.
                    await Prime();
                    samples.Add(posture + ", baseline, one thread", await MeasureAsync(project.Fresh(oneThread: true), c => RunAsync(c, baseline, noOptions)));
                    samples.Add(posture + ", one thread", await MeasureAsync(project.Fresh(oneThread: true), c => RunAsync(c, analyzers, options)));
                    samples.Add(posture + ", replay, one thread", await MeasureAsync(project.Fresh(oneThread: true), c => RunAsync(c, replays[posture], noOptions)));
                    samples.Add(posture, await MeasureAsync(project.Fresh(), c => RunAsync(c, analyzers, options, concurrent: true)));
                    var timed = await TimedAsync(project.Fresh(), analyzers, options);
                    samples.Add(posture + " telemetry", timed.Total);
                    perAnalyzer[posture].Add(timed.PerAnalyzer);
                    diagnostics[posture] = timed.Diagnostics;
                }
            }

            // An untimed one-thread baseline run before each timed pair, so that both runs of the pair follow the same kind
            // of run: the first run after a run on all cores (or a different one) measured up to 150 ms more CPU, which
            // showed as five baseline analyzers costing less than one.
            async Task Prime() => await RunAsync(project.Fresh(oneThread: true), baseline, noOptions);

            int cores = Environment.ProcessorCount;
            double compileOneThread = samples.Median("compile, one thread");
            double compileOneThreadCpu = samples.Median("compile, one thread, cpu");
            double compile = samples.Median("compile");
            double driverPerAnalyzer = samples.MedianDifference("baselines, one thread, cpu", "baseline, one thread, cpu") / (driverShareAnalyzers - 1);
            double driverShare = driverPerAnalyzer * analyzers.Length;
            var report = new StringBuilder();
            report.AppendLine("# Analyzer speed");
            report.AppendLine();
            report.AppendLine("Machine load (1/5/15-minute averages, /proc/loadavg) at the start: " + startLoad + "; at the end: " + LoadAverage() + ". Wall-clock figures from a loaded shared machine spread between runs; CPU time and one-thread figures least.");
            report.AppendLine();
            report.AppendLine(Invariant($"{sources.Name}: {files} files, {lines:N0} lines, {methods:N0} methods; {rounds} rounds after a warm-up round, medians; {cores} cores, .NET {Environment.Version}. Every compilation is parsed afresh, as in a command-line build, before its timed run (timings leave parsing out); the process runs with the JIT fully optimizing and blocking GC with a 256 MB gen0 budget, settled before each timed run."));
            report.AppendLine(Invariant($"Compiler (GetDiagnostics + Emit): {compileOneThread:F0} ms on one thread ({compileOneThreadCpu:F0} ms CPU, {samples.Median("compile, one thread, allocated"):F0} MB allocated), {compile:F0} ms on {cores} cores ({samples.Median("compile, cpu"):F0} ms CPU). Baseline analyzer (asks the driver for the same operation trees and symbols, does nothing): {samples.Median("baseline, one thread"):F0} ms on one thread ({samples.Median("baseline, one thread, cpu"):F0} ms CPU), {samples.Median("baseline"):F0} ms on {cores} cores, {samples.Median("baseline telemetry"):F0} ms telemetry."));
            report.AppendLine();
            report.AppendLine("- **Analyzer work (CPU)**: the process CPU time (all threads, GC included) of a run with our analyzers minus that of a run with the baseline analyzer, each on a fresh compilation built with `concurrentBuild: false` and one callback at a time, against the compiler's own CPU time; the baseline run just before each posture's, and the median (and range) over rounds of the difference within each pair. This is what the analyzers add to a build: compiler work they happen to ask for first is done once either way and cancels out. CPU time, not wall clock: even with one callback at a time the driver compiles on a second thread while the analyzers run, so a wall-clock difference hides part of the work.");
            report.AppendLine("- **Outside GC pauses**: the same difference without the time the process spent in garbage collections (`GC.GetTotalPauseDuration`). The harness's 256 MB gen0 budget makes collections few and large (100–200 ms each), so whether one more lands inside a run moves the total by that much from round to round; this column is the steady part, and the megabytes allocated are what drives the rest (in a build with the default budget that cost is spread over many small collections, in proportion to the bytes).");
            report.AppendLine(Invariant($"- **Driver share**: what the driver spends per analyzer whatever the analyzer does (block starts, action sets, dispatch, GC): {driverShareAnalyzers} do-nothing baseline analyzers against one, the same CPU difference divided by {driverShareAnalyzers - 1} ({driverPerAnalyzer:F1} ms per analyzer), times the {analyzers.Length} analyzers we ship."));
            report.AppendLine("- **Driver on these diagnostics**: what the driver spends on the diagnostics our analyzers report, whatever analyzer reports them: the baseline analyzer reporting each of them again at its place (same ID, severity and properties; nothing computed) against the plain baseline, in the same round. A CPU profile (perf) of these runs puts most of it in the driver's `[SuppressMessage]` check (`SuppressMessageAttributeState`: for each diagnostic it finds the node at its location and asks the semantic model for the symbols each ancestor declares, binding the local declarations it meets), which every build runs on every analyzer diagnostic.");
            report.AppendLine("- **Own work**: the run with our analyzers minus that replay run, round by round: the analyzers' work without the driver's handling of what they report.");
            report.AppendLine("- **Telemetry**: the analyzers' execution time as Roslyn measures it (one callback at a time), against the compiler's time on one thread (like with like: both are one thread's time) and, stricter, against its wall-clock time on all cores. It times each callback from start to end, so it also includes compiler work a callback asks for first (whichever analyzer asks first carries it). The telemetry run is a no-GC region, so that a collection cannot land inside one callback and be charged to it; the collections' share is in the GC lines below.");
            report.AppendLine("- **Overhead**: a run on all cores with our analyzers minus the baseline run, wall clock, as a build runs them.");
            report.AppendLine();
            var noise = samples.Differences("baseline again, one thread, cpu", "baseline, one thread, cpu");
            report.AppendLine("| Posture | Analyzer work, CPU (ms; median, range over rounds) | Work / compile | Outside GC pauses (ms) | Outside GC / compile | of which driver share (ms) | of which driver on these diagnostics (ms) | Own work, CPU (ms) | Own work / compile | Allocated (MB) | Telemetry (ms) | Telemetry / compile on one thread | Telemetry / compile wall on all cores | Overhead on " + cores + " cores (ms) | Overhead / compile | Diagnostics |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (string posture in postures)
            {
                var works = samples.Differences(posture + ", one thread, cpu", posture + ", baseline, one thread, cpu");
                double work = Median(works);
                var steady = samples.Differences(posture + ", one thread, cpu outside gc", posture + ", baseline, one thread, cpu outside gc");
                double allocated = samples.MedianDifference(posture + ", one thread, allocated", posture + ", baseline, one thread, allocated");
                double handling = samples.MedianDifference(posture + ", replay, one thread, cpu", posture + ", baseline, one thread, cpu");
                var owns = samples.Differences(posture + ", one thread, cpu", posture + ", replay, one thread, cpu");
                double telemetry = samples.Median(posture + " telemetry");
                double overhead = samples.MedianDifference(posture, "baseline");
                report.AppendLine(Invariant($"| {posture} | {work:F0} ({works.Min():F0}–{works.Max():F0}) | {work / compileOneThreadCpu:F3} | {Median(steady):F0} ({steady.Min():F0}–{steady.Max():F0}) | {Median(steady) / compileOneThreadCpu:F3} | {driverShare:F0} | {handling:F0} | {Median(owns):F0} ({owns.Min():F0}–{owns.Max():F0}) | {Median(owns) / compileOneThreadCpu:F3} | {allocated:F0} | {telemetry:F0} | {telemetry / compileOneThread:F3} | {telemetry / compile:F3} | {overhead:F0} | {overhead / compile:F3} | {diagnostics[posture].Values.Sum():N0} |"));
            }

            report.AppendLine();
            foreach (string posture in postures)
            {
                // With few, large collections, whether the analyzers' bytes push a run over one more is a step, not a
                // slope; the share of the run's pauses in proportion to the bytes is what the same bytes cost where
                // collections are many and small (the default gen0 budget of a build).
                double oursMegabytes = samples.Median(posture + ", one thread, allocated");
                double addedMegabytes = samples.MedianDifference(posture + ", one thread, allocated", posture + ", baseline, one thread, allocated");
                double pause = samples.Median(posture + ", one thread, gc pause");
                double share = pause * addedMegabytes / oursMegabytes;
                double withShare = samples.MedianDifference(posture + ", one thread, cpu outside gc", posture + ", baseline, one thread, cpu outside gc") + share;
                report.AppendLine(Invariant($"GC, {posture}: the baseline run {samples.Median(posture + ", baseline, one thread, collections"):F0} collections and {samples.Median(posture + ", baseline, one thread, gc pause"):F0} ms paused ({samples.Median(posture + ", baseline, one thread, allocated"):F0} MB); with our analyzers {samples.Median(posture + ", one thread, collections"):F0} collections and {pause:F0} ms ({oursMegabytes:F0} MB). In proportion to the {addedMegabytes:F0} MB they add, their share of the pauses is {share:F0} ms: work outside GC plus that share is {withShare:F0} ms ({withShare / compileOneThreadCpu:F3} of compile)."));
                report.AppendLine();
            }

            report.AppendLine(Invariant($"Noise: the same baseline run twice in a round (with the driver-share run between) differs by {Median(noise):F0} ms of CPU (median; {noise.Min():F0} to {noise.Max():F0} over the rounds). Differences smaller than that spread are not measured here."));
            report.AppendLine();
            report.AppendLine(Invariant($"Reporting floor: an analyzer that only reports one diagnostic on each of the {floorDiagnostics:N0} structs, spread over the {files} files, costs {samples.Median("floor, every file"):F0} ms of telemetry; the same {floorDiagnostics:N0} diagnostics all in one file cost {samples.Median("floor, one file"):F0} ms. The cost is per file, not per diagnostic: for an analyzer configured with `GeneratedCodeAnalysisFlags.None` (as most are), the first diagnostic reported in a file makes the driver walk every token of that file for a `GeneratedCode` attribute name (seen in a CPU profile of these runs), to filter the analyzer's reports out of generated code. It is paid once per file and build, by whichever such analyzer reports there first. Ours do not pay it: the driver already keeps them out of generated code, so they ask for no second filter (see `AllocDiagnosticAnalyzer`)."));
            report.AppendLine();
            report.AppendLine("Telemetry per analyzer (ms, median):");
            report.AppendLine();
            report.AppendLine("| Analyzer | " + string.Join(" | ", postures) + " |");
            report.AppendLine("|---|" + string.Concat(postures.Select(_ => "---|")));
            foreach (var name in perAnalyzer[postures[0]][0].Keys.OrderBy(n => n, StringComparer.Ordinal))
            {
                report.AppendLine("| " + name + " | " + string.Join(" | ", postures.Select(p => Median(perAnalyzer[p].Select(r => r[name]).ToList()).ToString("F1", CultureInfo.InvariantCulture))) + " |");
            }

            report.AppendLine();
            report.AppendLine("Diagnostics by rule and severity (what the analyzers report on the project; Info is boxing outside hot code):");
            report.AppendLine();
            report.AppendLine("| Rule | " + string.Join(" | ", postures) + " |");
            report.AppendLine("|---|" + string.Concat(postures.Select(_ => "---|")));
            foreach (var rule in diagnostics.Values.SelectMany(d => d.Keys).Distinct().OrderBy(r => r, StringComparer.Ordinal))
            {
                report.AppendLine("| " + rule + " | " + string.Join(" | ", postures.Select(p => diagnostics[p].TryGetValue(rule, out int count) ? count.ToString("N0", CultureInfo.InvariantCulture) : "0")) + " |");
            }

            return report.ToString();
        }

        /// <summary>GetDiagnostics + Emit: the compiler's own work.</summary>
        private static Task Compile(Compilation compilation)
        {
            compilation.GetDiagnostics();
            using (var stream = new MemoryStream())
            {
                compilation.Emit(stream);
            }

            return Task.CompletedTask;
        }

        private static Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, bool concurrent = false)
            => SpeedProject.RunAsync(compilation, analyzers, options, concurrent);

        /// <summary>
        /// Wall-clock and CPU milliseconds of <paramref name="work"/> on an already parsed compilation, after settling the
        /// heap. CPU time is the whole process's (user + system, all threads), so it counts work on any thread and not
        /// the time other programs on a shared machine take from it.
        /// </summary>
        internal static async Task<Timing> MeasureAsync(Compilation compilation, Func<Compilation, Task> work)
        {
            Settle();
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var paused = GC.GetTotalPauseDuration();
            int collections = GC.CollectionCount(0);
            var watch = Stopwatch.StartNew();
            await work(compilation);
            double wall = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            return new Timing(
                wall,
                (process.TotalProcessorTime - cpu).TotalMilliseconds,
                (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0,
                (GC.GetTotalPauseDuration() - paused).TotalMilliseconds,
                GC.CollectionCount(0) - collections);
        }

        /// <summary>
        /// One timed run: wall clock and process CPU time (ms), megabytes allocated, the time the process spent in
        /// (blocking) garbage collections and how many there were (of any generation).
        /// </summary>
        internal readonly record struct Timing(double Wall, double Cpu, double AllocatedMegabytes, double GcPause, int Collections);

        /// <summary>A run with one callback at a time and execution-time telemetry: diagnostics by ID and severity, and milliseconds per analyzer.</summary>
        internal static async Task<(Dictionary<string, int> Diagnostics, double Total, Dictionary<string, double> PerAnalyzer)> TimedAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options)
        {
            Settle();
            var run = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            // No collection inside the timed callbacks (a run allocates about 0.6 GB; the region ends early if it needs more).
            GC.TryStartNoGCRegion(NoGcBudget);
            ImmutableArray<Diagnostic> reported;
            try
            {
                reported = await run.GetAnalyzerDiagnosticsAsync();
            }
            finally
            {
                if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                {
                    GC.EndNoGCRegion();
                }
            }

            var diagnostics = reported.GroupBy(d => d.Id + " " + d.Severity).ToDictionary(g => g.Key, g => g.Count());
            var perAnalyzer = new Dictionary<string, double>();
            foreach (var analyzer in analyzers)
            {
                perAnalyzer[analyzer.GetType().Name] = (await run.GetAnalyzerTelemetryInfoAsync(analyzer, default)).ExecutionTime.TotalMilliseconds;
            }

            return (diagnostics, perAnalyzer.Values.Sum(), perAnalyzer);
        }

        private const long NoGcBudget = 1536L * 1024 * 1024;

        private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

        private static string LoadAverage()
            => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

        /// <summary>Collects the previous runs' garbage, so that its collection is not timed inside the next run's callbacks.</summary>
        internal static void Settle()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        internal static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        /// <summary>Named lists of measurements, each read back as its median; a timing is stored as "name" (wall clock), "name, cpu" and "name, allocated".</summary>
        private sealed class Samples
        {
            private readonly Dictionary<string, List<double>> _lists = new Dictionary<string, List<double>>();

            public void Add(string name, double value)
                => (_lists.TryGetValue(name, out var list) ? list : _lists[name] = new List<double>()).Add(value);

            public void Add(string name, Timing timing)
            {
                Add(name, timing.Wall);
                Add(name + ", cpu", timing.Cpu);
                Add(name + ", cpu outside gc", timing.Cpu - timing.GcPause);
                Add(name + ", gc pause", timing.GcPause);
                Add(name + ", collections", timing.Collections);
                Add(name + ", allocated", timing.AllocatedMegabytes);
            }

            public double Median(string name) => AnalyzerSpeed.Median(_lists[name]);

            /// <summary>The median over rounds of <paramref name="name"/> minus <paramref name="baseline"/> measured in the same round (drift between rounds cancels).</summary>
            public double MedianDifference(string name, string baseline) => AnalyzerSpeed.Median(Differences(name, baseline));

            /// <summary><paramref name="name"/> minus <paramref name="baseline"/>, round by round.</summary>
            public List<double> Differences(string name, string baseline)
                => _lists[name].Zip(_lists[baseline], (value, reference) => value - reference).ToList();

            public void Clear() => _lists.Clear();
        }
    }
}
