using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
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
    /// The analyzers' cost against the compiler's own, in one run on one generated project: compiler time is
    /// GetDiagnostics + Emit of a fresh compilation; analyzer time is the sum of the analyzers' execution times
    /// (Roslyn's telemetry) on another fresh compilation, for the default posture and with every member hot.
    /// The median of several rounds is reported, with each analyzer's share.
    /// </summary>
    internal static class AnalyzerSpeed
    {
        public static async Task<string> RunAsync(int files, int rounds, string? only = null)
        {
            string startLoad = LoadAverage();
            var sources = GeneratedProject.Files(files, classesPerFile: 4, methodsPerClass: 8);
            int lines = sources.Sum(s => s.Count(c => c == '\n'));
            var parse = new CSharpParseOptions(LanguageVersion.Preview);
            // Every compilation gets freshly parsed trees, as every command-line build does: nothing the analyzers cache
            // per syntax tree carries over from one measured run to the next.
            ImmutableArray<SyntaxTree> Parse() => sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: "/gen/File" + i + ".cs")).ToImmutableArray();
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
            CSharpCompilation Fresh() => CSharpCompilation.Create("Generated", Parse(), references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
            int methods = Fresh().GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IMethodSymbol>().Count(m => m.MethodKind == MethodKind.Ordinary);

            var analyzers = typeof(AllocAnalyzers.Descriptors).Assembly.GetTypes()
                .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
                .Where(t => only == null || t.Name == only)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();
            if (analyzers.IsEmpty)
            {
                throw new ArgumentException("no analyzer named '" + only + "'");
            }


            var baseline = ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer());
            var compile = new List<double>();
            var baselineWall = new List<double>();
            var baselineTelemetry = new List<double>();
            var reportOnlyTelemetry = new List<double>();
            int reportOnlyCount = 0;
            var warmTotals = new Dictionary<string, List<double>>();
            var postures = new Dictionary<string, List<(double Total, double Wall, Dictionary<string, double> PerAnalyzer, int Diagnostics)>>
            {
                ["default (annotated)"] = new(),
                ["everything hot (scope = all)"] = new(),
            };
            // Round 0 warms the JIT (the compiler's and ours) and is not counted.
            for (int round = 0; round <= rounds; round++)
            {
                if (round == 1)
                {
                    compile.Clear();
                    baselineWall.Clear();
                    baselineTelemetry.Clear();
                    reportOnlyTelemetry.Clear();
                    warmTotals.Clear();
                    foreach (var list in postures.Values)
                    {
                        list.Clear();
                    }
                }

                Settle();
                var watch = Stopwatch.StartNew();
                var compilation = Fresh();
                compilation.GetDiagnostics();
                using (var stream = new MemoryStream())
                {
                    compilation.Emit(stream);
                }

                compile.Add(watch.Elapsed.TotalMilliseconds);
                var noOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);
                baselineWall.Add(await WallClockAsync(Fresh(), baseline, noOptions));
                baselineTelemetry.Add((await TimedAsync(Fresh(), baseline, noOptions)).Total);
                var reportOnly = await TimedAsync(Fresh(), ImmutableArray.Create<DiagnosticAnalyzer>(new ReportOnlyAnalyzer()), noOptions);
                reportOnlyCount = reportOnly.Diagnostics;
                reportOnlyTelemetry.Add(reportOnly.Total);
                foreach (var posture in postures)
                {
                    var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new Options(posture.Key.StartsWith("everything", StringComparison.Ordinal)));
                    double wall = await WallClockAsync(Fresh(), analyzers, options);
                    var timed = await TimedAsync(Fresh(), analyzers, options);
                    posture.Value.Add((timed.Total, wall, timed.PerAnalyzer, timed.Diagnostics));

                    // Warm: the same analyzers on a compilation the compiler has already compiled, so the declarations,
                    // symbols and metadata they touch are built: what remains is their own work.
                    var compiled = Fresh();
                    compiled.GetDiagnostics();
                    (warmTotals.TryGetValue(posture.Key, out var warmList) ? warmList : warmTotals[posture.Key] = new List<double>()).Add((await TimedAsync(compiled, analyzers, options)).Total);
                }
            }

            double compileMedian = Median(compile);
            double baselineMedian = Median(baselineWall);
            var report = new StringBuilder();
            report.AppendLine("# Analyzer speed");
            report.AppendLine();
            report.AppendLine("Machine load (1/5/15-minute averages, /proc/loadavg) at the start: " + startLoad + "; at the end: " + LoadAverage() + ". Figures from a loaded shared machine spread widely between runs.");
            report.AppendLine();
            report.AppendLine($"Generated project: {files} files, {lines:N0} lines, {methods:N0} methods; {rounds} rounds, medians; {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
            report.AppendLine($"Compiler (GetDiagnostics + Emit): {compileMedian:F0} ms. Baseline analyzer (asks for the same operation trees, does nothing): {baselineMedian:F0} ms wall clock, {Median(baselineTelemetry):F0} ms telemetry.");
            report.AppendLine(FormattableString.Invariant($"Reporting floor: an analyzer that does nothing but report one diagnostic on each of the {reportOnlyCount:N0} structs costs {Median(reportOnlyTelemetry):F0} ms of telemetry, the driver's own work per reported diagnostic (suppression checks), which every analyzer's figure below includes for its diagnostics."));
            report.AppendLine();
            report.AppendLine("Telemetry: the analyzers' execution time as Roslyn measures it, in a run without concurrent analysis (callbacks one at a time, so a callback's time is not inflated by its siblings competing for the 2 cores), on a fresh compilation: it includes the compiler work the analyzers are first to ask for (symbols, metadata, binding). Warm telemetry: the same on a compilation already compiled, so only the analyzers' own work remains. Overhead: wall-clock time of a run with our analyzers minus the baseline run. A warm-up round runs first and is not counted. Every compilation is parsed afresh, as in a command-line build. The process runs with the JIT fully optimizing, blocking GC and a 256 MB gen0 budget, so collections rarely land inside a timed callback.");
            report.AppendLine();
            report.AppendLine("| Posture | Telemetry (ms) | Telemetry / compile | Warm telemetry (ms) | Warm / compile | Wall-clock overhead (ms) | Overhead / compile | Diagnostics |");
            report.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var posture in postures)
            {
                double total = Median(posture.Value.Select(r => r.Total).ToList());
                double overhead = Math.Max(0, Median(posture.Value.Select(r => r.Wall).ToList()) - baselineMedian);
                double warmTotal = Median(warmTotals[posture.Key]);
                report.AppendLine(FormattableString.Invariant($"| {posture.Key} | {total:F0} | {total / compileMedian:F3} | {warmTotal:F0} | {warmTotal / compileMedian:F3} | {overhead:F0} | {overhead / compileMedian:F3} | {posture.Value[0].Diagnostics:N0} |"));
            }

            report.AppendLine();
            report.AppendLine("Per analyzer (ms, median):");
            report.AppendLine();
            report.AppendLine("| Analyzer | " + string.Join(" | ", postures.Keys) + " |");
            report.AppendLine("|---|" + string.Concat(postures.Keys.Select(_ => "---|")));
            foreach (var name in postures.First().Value[0].PerAnalyzer.Keys.OrderBy(n => n, StringComparer.Ordinal))
            {
                report.AppendLine("| " + name + " | " + string.Join(" | ", postures.Values.Select(v => Median(v.Select(r => r.PerAnalyzer[name]).ToList()).ToString("F1", CultureInfo.InvariantCulture))) + " |");
            }

            return report.ToString();
        }

        /// <summary>Wall-clock milliseconds of a concurrent analyzer run, as a build runs them.</summary>
        private static async Task<double> WallClockAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options)
        {
            Settle();
            var watch = Stopwatch.StartNew();
            await compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: true, logAnalyzerExecutionTime: false)).GetAnalyzerDiagnosticsAsync();
            return watch.Elapsed.TotalMilliseconds;
        }

        /// <summary>A run with one callback at a time and execution-time telemetry: diagnostics, and milliseconds per analyzer.</summary>
        private static async Task<(int Diagnostics, double Total, Dictionary<string, double> PerAnalyzer)> TimedAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options)
        {
            Settle();
            var run = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            int diagnostics = (await run.GetAnalyzerDiagnosticsAsync()).Length;
            var perAnalyzer = new Dictionary<string, double>();
            foreach (var analyzer in analyzers)
            {
                perAnalyzer[analyzer.GetType().Name] = (await run.GetAnalyzerTelemetryInfoAsync(analyzer, default)).ExecutionTime.TotalMilliseconds;
            }

            return (diagnostics, perAnalyzer.Values.Sum(), perAnalyzer);
        }

        private static string LoadAverage()
            => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

        /// <summary>Collects the previous runs' garbage, so that its collection is not timed inside the next run's callbacks.</summary>
        private static void Settle()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        private sealed class Options : AnalyzerConfigOptionsProvider
        {
            private readonly Values _values;

            public Options(bool everythingHot) => _values = new Values(everythingHot);

            public override AnalyzerConfigOptions GlobalOptions => _values;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _values;

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _values;

            private sealed class Values : AnalyzerConfigOptions
            {
                private readonly bool _everythingHot;

                public Values(bool everythingHot) => _everythingHot = everythingHot;

                public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
                {
                    value = _everythingHot && key == "alloc_analyzers.hot_path_scope" ? "all" : null;
                    return value != null;
                }
            }
        }
    }
}
