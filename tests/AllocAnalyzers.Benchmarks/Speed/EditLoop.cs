using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// What an editor pays on every keystroke: each edit makes a new compilation (the edited document re-parsed
    /// incrementally, every other syntax tree shared with the previous compilation, as in an IDE workspace), then the
    /// open document's analyzer diagnostics are computed (syntax and semantic, the document alone). Per project size and
    /// posture, medians over the edits after a warm-up: our analyzers' own execution time (Roslyn's telemetry), the wall
    /// clock over a do-nothing analyzer asked for the same document, and the compiler's own time for that document
    /// (its semantic diagnostics), each on a compilation of its own, so no run reuses another's binding.
    /// </summary>
    internal static class EditLoop
    {
        private static readonly (string Name, bool Marked, Func<int, Dictionary<string, string>> Options)[] Postures =
        {
            ("no hot code", false, _ => new Dictionary<string, string>()),
            ("annotated: [HotPath] on 1 method in 8", true, _ => new Dictionary<string, string>()),
            ("hot_path_methods: 12 patterns as alloc-profile writes them", false, files => new Dictionary<string, string> { ["alloc_analyzers.hot_path_methods"] = ProfilerPatterns(files) }),
            ("everything hot: hot_path_scope = all", false, _ => new Dictionary<string, string> { ["alloc_analyzers.hot_path_scope"] = "all" }),
        };

        public static async Task<string> RunAsync(IReadOnlyList<int> sizes, int edits)
        {
            const int warmUp = 5;
            var parse = new CSharpParseOptions(LanguageVersion.Preview);
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
            var ours = typeof(AllocAnalyzers.Descriptors).Assembly.GetTypes()
                .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();
            var baseline = ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer());

            var report = new StringBuilder();
            report.AppendLine("# Analyzer cost per edit (IDE loop)");
            report.AppendLine();
            report.AppendLine(Invariant($"Each edit inserts a statement into a method of the open document (the middle file of the project), makes a new compilation from the previous one with that document's syntax tree replaced (incremental parse; every other tree is the same object, as in an IDE workspace), and computes the open document's analyzer diagnostics, syntax and semantic, as an editor does on every keystroke. {warmUp} warm-up edits, then the median over {edits} edits; {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
            report.AppendLine();
            report.AppendLine("- **Ours (telemetry)**: our analyzers' execution time as Roslyn measures it for that document, everything they ask for included.");
            report.AppendLine("- **Over a do-nothing analyzer**: the wall clock of the document's analyzer diagnostics with our analyzers minus the same with the baseline analyzer (which asks the driver for the same operations and does nothing), each on its own compilation of the same edit.");
            report.AppendLine("- **Compiler, document**: the compiler's own time for the document on a third compilation of the same edit (`SemanticModel.GetDiagnostics`: binding every body of the file).");
            report.AppendLine();
            report.AppendLine("| Project | Posture | Ours, telemetry (ms) | Over a do-nothing analyzer (ms) | Compiler, document (ms) | Ours / compiler | Diagnostics in the document |");
            report.AppendLine("|---|---|---|---|---|---|---|");
            foreach (int size in sizes)
            {
                // About 900 lines per generated file (4 classes of 8 methods).
                int files = Math.Max(2, (size + 450) / 905);
                foreach (var posture in Postures)
                {
                    var sources = GeneratedProject.Files(files, classesPerFile: 4, methodsPerClass: 8, markHot: posture.Marked);
                    int lines = sources.Sum(s => s.Count(c => c == '\n'));
                    var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: "/gen/File" + i + ".cs")).ToArray();
                    Compilation previous = CSharpCompilation.Create("Generated", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
                    previous.GetDiagnostics(); // the workspace's state before the first keystroke
                    var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new FixedOptions(posture.Options(files)));
                    var document = trees[files / 2];
                    var telemetry = new List<double>();
                    var over = new List<double>();
                    var compiler = new List<double>();
                    int diagnostics = 0;
                    for (int edit = 0; edit < warmUp + edits; edit++)
                    {
                        var text = document.GetText();
                        int at = text.ToString().IndexOf("        int threshold", StringComparison.Ordinal);
                        var edited = document.WithChangedText(text.WithChanges(new TextChange(new TextSpan(at, 0), "        int edit" + edit.ToString(CultureInfo.InvariantCulture) + " = value;\n")));

                        var forCompiler = previous.ReplaceSyntaxTree(document, edited);
                        AnalyzerSpeed.Settle();
                        var watch = Stopwatch.StartNew();
                        forCompiler.GetSemanticModel(edited).GetDiagnostics();
                        double compile = watch.Elapsed.TotalMilliseconds;

                        var forBaseline = previous.ReplaceSyntaxTree(document, edited);
                        AnalyzerSpeed.Settle();
                        watch.Restart();
                        await DocumentDiagnosticsAsync(forBaseline, edited, baseline, options, telemetry: false);
                        double baselineWall = watch.Elapsed.TotalMilliseconds;

                        var forOurs = previous.ReplaceSyntaxTree(document, edited);
                        AnalyzerSpeed.Settle();
                        watch.Restart();
                        var (count, execution) = await DocumentDiagnosticsAsync(forOurs, edited, ours, options, telemetry: true);
                        double oursWall = watch.Elapsed.TotalMilliseconds;

                        if (edit >= warmUp)
                        {
                            compiler.Add(compile);
                            over.Add(oursWall - baselineWall);
                            telemetry.Add(execution);
                            diagnostics = count;
                        }

                        previous = forOurs;
                        document = edited;
                    }

                    double ownTime = AnalyzerSpeed.Median(telemetry);
                    double compileTime = AnalyzerSpeed.Median(compiler);
                    report.AppendLine(Invariant($"| {files} files, {lines:N0} lines | {posture.Name} | {ownTime:F1} | {AnalyzerSpeed.Median(over):F1} | {compileTime:F1} | {ownTime / compileTime:F2} | {diagnostics:N0} |"));
                    Console.WriteLine(Invariant($"{lines} lines, {posture.Name}: ours {ownTime:F1} ms, over baseline {AnalyzerSpeed.Median(over):F1} ms, compiler {compileTime:F1} ms"));
                }
            }

            return report.ToString();
        }

        /// <summary>
        /// Twelve <c>M:Namespace.Type.Method*</c> patterns (the form <c>alloc-profile</c> writes), spread over the project's
        /// files, each naming one generated method.
        /// </summary>
        private static string ProfilerPatterns(int files)
            => string.Join(", ", Enumerable.Range(0, 12).Select(i => Invariant($"M:Generated.N{i * files / 12}.Service{i % 4}.Work{(i * 3) % 8}*")));

        /// <summary>The open document's analyzer diagnostics, as an editor asks: syntax, then semantic, for that tree alone.</summary>
        private static async Task<(int Count, double Telemetry)> DocumentDiagnosticsAsync(Compilation compilation, SyntaxTree tree, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, bool telemetry)
        {
            var run = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: false, logAnalyzerExecutionTime: telemetry));
            var syntax = await run.GetAnalyzerSyntaxDiagnosticsAsync(tree, default);
            var semantic = await run.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, default);
            double execution = 0;
            if (telemetry)
            {
                foreach (var analyzer in analyzers)
                {
                    execution += (await run.GetAnalyzerTelemetryInfoAsync(analyzer, default)).ExecutionTime.TotalMilliseconds;
                }
            }

            return (syntax.Length + semantic.Length, execution);
        }

        private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
    }
}
