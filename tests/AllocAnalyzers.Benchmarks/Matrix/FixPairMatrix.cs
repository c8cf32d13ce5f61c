using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AllocAnalyzers.Shared;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Benchmarks.Matrix
{
    /// <summary>
    /// <c>matrix</c>: every fix pair of <see cref="FixCases"/> (the code as written, and what the package's fix makes of
    /// it) run on .NET 8, 9 and 10 by the self-contained runtime host, fully optimized (tiering off) and after tier-up
    /// with PGO: bytes and nanoseconds per call side by side, written to docs/benchmarks/RuntimeMatrix.md. The times
    /// are Stopwatch medians on a shared machine, for comparing runtimes and the two sides of a fix, not for absolute
    /// figures; BenchmarkDotNet's .NET 10 run (FixPairBenchmarks.md) is the careful one.
    /// </summary>
    public static class FixPairMatrix
    {
        public static async Task<string> RunAsync()
        {
            var analyzers = typeof(Descriptors).Assembly.GetTypes().Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToList();
            var fixes = typeof(AllocAnalyzers.CodeFixes.AllocCodeFixProvider).Assembly.GetTypes().Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
                .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToList();
            var references = new[] { typeof(Microsoft.Extensions.ObjectPool.ObjectPool<>).Assembly.Location };
            var rows = new List<(string Case, JitMode Mode, int Runtime, (double Bytes, double Nanoseconds) Before, (double Bytes, double Nanoseconds) After)>();
            foreach (var (id, _, source) in FixCases.All)
            {
                var analyzer = analyzers.First(a => a.SupportedDiagnostics.Any(d => d.Id == id));
                var fix = fixes.First(f => f.FixableDiagnosticIds.Contains(id));
                string fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, fix, source, id);
                foreach (var mode in new[] { JitMode.FullOpts, JitMode.TieredPgo })
                {
                    foreach (int runtime in RuntimeMatrix.Runtimes)
                    {
                        var before = RuntimeMatrix.Measure(source, new[] { "Program.Run" }, runtime, mode, references, time: true)["Program.Run"];
                        var after = RuntimeMatrix.Measure(fixedSource, new[] { "Program.Run" }, runtime, mode, references, time: true)["Program.Run"];
                        rows.Add((id, mode, runtime, before, after));
                        Console.WriteLine(id + " " + mode + " .NET " + runtime + ": " + before.Bytes + " B → " + after.Bytes + " B, " + before.Nanoseconds.ToString("F1", CultureInfo.InvariantCulture) + " ns → " + after.Nanoseconds.ToString("F1", CultureInfo.InvariantCulture) + " ns");
                    }
                }
            }

            return Report(rows);
        }

        private static string Report(List<(string Case, JitMode Mode, int Runtime, (double Bytes, double Nanoseconds) Before, (double Bytes, double Nanoseconds) After)> rows)
        {
            var text = new StringBuilder();
            text.AppendLine("# The fix pairs on .NET 8, 9 and 10");
            text.AppendLine();
            text.AppendLine("`dotnet run -c Release --project tests/AllocAnalyzers.Benchmarks -- matrix`: every case of `tests/Shared/FixCases.cs` as written and after the package's own fix,");
            text.AppendLine("`Program.Run()` called through a function pointer (never inlined into the measuring loop) by a self-contained build of the runtime host per runtime (" + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) + " cores).");
            text.AppendLine("Bytes per call are exact; nanoseconds are Stopwatch medians of seven runs on a shared machine: compare runtimes and the two sides of a fix, not absolute figures.");
            foreach (var mode in new[] { JitMode.FullOpts, JitMode.TieredPgo })
            {
                text.AppendLine();
                text.AppendLine(mode == JitMode.FullOpts ? "## Tiering off (fully optimized, no profile)" : "## After tier-up with dynamic PGO (the runtime's default)");
                text.AppendLine();
                text.AppendLine("| Case | .NET 8 bytes | .NET 9 bytes | .NET 10 bytes | .NET 8 ns | .NET 9 ns | .NET 10 ns |");
                text.AppendLine("|---|---|---|---|---|---|---|");
                foreach (var group in rows.Where(r => r.Mode == mode).GroupBy(r => r.Case))
                {
                    var byRuntime = group.ToDictionary(r => r.Runtime);
                    string Bytes(int runtime) => Pair(byRuntime[runtime].Before.Bytes, byRuntime[runtime].After.Bytes, "F0");
                    string Time(int runtime) => Pair(byRuntime[runtime].Before.Nanoseconds, byRuntime[runtime].After.Nanoseconds, "F1");
                    text.AppendLine("| " + group.Key + " | " + Bytes(8) + " | " + Bytes(9) + " | " + Bytes(10) + " | " + Time(8) + " | " + Time(9) + " | " + Time(10) + " |");
                }
            }

            text.AppendLine();
            text.AppendLine("Each cell is before → after the fix.");
            return text.ToString();
        }

        private static string Pair(double before, double after, string format)
            => before.ToString(format, CultureInfo.InvariantCulture) + " → " + after.ToString(format, CultureInfo.InvariantCulture);
    }
}
