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
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

        private const int WarmUp = 5;

        private static readonly ImmutableArray<DiagnosticAnalyzer> Ours = typeof(AllocAnalyzers.Descriptors).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

        private static readonly ImmutableArray<DiagnosticAnalyzer> Baseline = ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer());

        public static async Task<string> RunAsync(IReadOnlyList<int> sizes, int edits)
        {
            var report = Header("the middle file of the project", edits);
            foreach (int size in sizes)
            {
                // About 900 lines per generated file (4 classes of 8 methods).
                int files = Math.Max(2, (size + 450) / 905);
                foreach (var posture in Postures)
                {
                    var sources = ProjectSources.Generated(files, markHot: posture.Marked);
                    int lines = sources.Lines;
                    var trees = sources.ParseAll();
                    var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new FixedOptions(posture.Options(files)));
                    var result = await MeasureAsync(trees, trees[files / 2], tree => tree.GetText().ToString().IndexOf("        int threshold", StringComparison.Ordinal), options, edits);
                    report.AppendLine(Invariant($"| {files} files, {lines:N0} lines | {posture.Name} | {result.Row} |"));
                    Console.WriteLine(Invariant($"{lines} lines, {posture.Name}: {result}"));
                }
            }

            return report.ToString();
        }

        /// <summary>
        /// The same loop on a real project: its sources (<see cref="ProjectSources.FromDirectory"/>). Two open documents, the
        /// largest file and one of median size, each edited in its first method with a block body; the postures that need no
        /// change to the source: none hot, twelve <c>hot_path_methods</c> patterns naming methods spread over the project
        /// (as <c>alloc-profile</c> writes them), everything hot.
        /// </summary>
        public static async Task<string> RunProjectAsync(string directory, IReadOnlyList<string> defines, int edits)
        {
            var sources = ProjectSources.FromDirectory(directory, defines);
            var trees = sources.ParseAll();
            var compilation = CSharpCompilation.Create("Project", trees, ProjectSources.FrameworkReferences.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            int errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            int lines = sources.Lines;
            var bySize = trees.Where(t => FirstBody(t) != null).OrderBy(t => t.Length).ToArray();
            var documents = new[] { ("largest file", bySize[bySize.Length - 1]), ("median file", bySize[bySize.Length / 2]) };
            var patterns = SpreadPatterns(compilation, 12);

            var report = Header("the largest file of the project, then one of median size", edits,
                Invariant($"{sources.Name}: {trees.Length} files, {lines:N0} lines, {errors} compile errors against the framework's assemblies alone (defines: {(defines.Count == 0 ? "none" : string.Join(";", defines))}). Patterns: {patterns}."));
            var postures = new (string Name, Dictionary<string, string> Options)[]
            {
                ("no hot code", new Dictionary<string, string>()),
                ("hot_path_methods: 12 patterns", new Dictionary<string, string> { ["alloc_analyzers.hot_path_methods"] = patterns }),
                ("everything hot: hot_path_scope = all", new Dictionary<string, string> { ["alloc_analyzers.hot_path_scope"] = "all" }),
            };
            foreach (var (documentName, document) in documents)
            {
                foreach (var posture in postures)
                {
                    var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new FixedOptions(posture.Options));
                    var result = await MeasureAsync(trees, document, tree => FirstBody(tree)!.OpenBraceToken.Span.End + 1, options, edits);
                    string file = Invariant($"{documentName}, {Path.GetFileName(document.FilePath)} ({document.GetText().Lines.Count:N0} lines)");
                    report.AppendLine(Invariant($"| {file} | {posture.Name} | {result.Row} |"));
                    Console.WriteLine(Invariant($"{file}, {posture.Name}: {result}"));
                }
            }

            return report.ToString();
        }

        private static StringBuilder Header(string openDocument, int edits, string? project = null)
        {
            var report = new StringBuilder();
            report.AppendLine("# Analyzer cost per edit (IDE loop)");
            report.AppendLine();
            if (project != null)
            {
                report.AppendLine(project);
                report.AppendLine();
            }

            report.AppendLine(Invariant($"Each edit inserts a statement into a method of the open document ({openDocument}), makes a new compilation from the previous one with that document's syntax tree replaced (incremental parse; every other tree is the same object, as in an IDE workspace), and computes the open document's analyzer diagnostics, syntax and semantic, as an editor does on every keystroke. {WarmUp} warm-up edits, then the median over {edits} edits; {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
            report.AppendLine();
            report.AppendLine("- **Ours (telemetry)**: our analyzers' execution time as Roslyn measures it for that document, everything they ask for included.");
            report.AppendLine("- **Over a do-nothing analyzer**: the wall clock of the document's analyzer diagnostics with our analyzers minus the same with the baseline analyzer (which asks the driver for the same operations and does nothing), each on its own compilation of the same edit.");
            report.AppendLine("- **Compiler, document**: the compiler's own time for the document on a third compilation of the same edit (`SemanticModel.GetDiagnostics`: binding every body of the file).");
            report.AppendLine();
            report.AppendLine("| Project | Posture | Ours, telemetry (ms) | Over a do-nothing analyzer (ms) | Compiler, document (ms) | Ours / compiler | Diagnostics in the document |");
            report.AppendLine("|---|---|---|---|---|---|---|");
            return report;
        }

        /// <summary>The block body of the document's first method, where an edit goes.</summary>
        private static BlockSyntax? FirstBody(SyntaxTree tree)
            => tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Body).FirstOrDefault(b => b != null);

        /// <summary><paramref name="count"/> patterns <c>M:Type.Method*</c>, each naming a source method with a body, spread evenly over the project's methods.</summary>
        private static string SpreadPatterns(Compilation compilation, int count)
        {
            var methods = compilation.SyntaxTrees
                .SelectMany(t =>
                {
                    var model = compilation.GetSemanticModel(t);
                    return t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Body != null || m.ExpressionBody != null).Select(m => model.GetDeclaredSymbol(m));
                })
                .Where(m => m != null && m.GetDocumentationCommentId() != null)
                .ToArray();
            return string.Join(", ", Enumerable.Range(0, count).Select(i =>
            {
                string id = methods[(int)((long)i * methods.Length / count)]!.GetDocumentationCommentId()!;
                int parameters = id.IndexOf('(');
                return (parameters < 0 ? id : id.Substring(0, parameters)) + "*";
            }));
        }

        /// <summary>
        /// Edits <paramref name="document"/> <paramref name="edits"/> times after <see cref="WarmUp"/> warm-up edits, each
        /// a statement inserted where <paramref name="editAt"/> says, and times the three runs of each edit.
        /// </summary>
        private static async Task<EditCost> MeasureAsync(IReadOnlyList<SyntaxTree> trees, SyntaxTree document, Func<SyntaxTree, int> editAt, AnalyzerOptions options, int edits)
        {
            Compilation previous = CSharpCompilation.Create("Project", trees, ProjectSources.FrameworkReferences.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
            previous.GetDiagnostics(); // the workspace's state before the first keystroke
            var telemetry = new List<double>();
            var over = new List<double>();
            var compiler = new List<double>();
            int diagnostics = 0;
            for (int edit = 0; edit < WarmUp + edits; edit++)
            {
                var text = document.GetText();
                var edited = document.WithChangedText(text.WithChanges(new TextChange(new TextSpan(editAt(document), 0), "        int edit" + edit.ToString(CultureInfo.InvariantCulture) + " = 0;\n")));

                var forCompiler = previous.ReplaceSyntaxTree(document, edited);
                AnalyzerSpeed.Settle();
                var watch = Stopwatch.StartNew();
                forCompiler.GetSemanticModel(edited).GetDiagnostics();
                double compile = watch.Elapsed.TotalMilliseconds;

                var forBaseline = previous.ReplaceSyntaxTree(document, edited);
                AnalyzerSpeed.Settle();
                watch.Restart();
                await DocumentDiagnosticsAsync(forBaseline, edited, Baseline, options, telemetry: false);
                double baselineWall = watch.Elapsed.TotalMilliseconds;

                var forOurs = previous.ReplaceSyntaxTree(document, edited);
                AnalyzerSpeed.Settle();
                watch.Restart();
                var (count, execution) = await DocumentDiagnosticsAsync(forOurs, edited, Ours, options, telemetry: true);
                double oursWall = watch.Elapsed.TotalMilliseconds;

                if (edit >= WarmUp)
                {
                    compiler.Add(compile);
                    over.Add(oursWall - baselineWall);
                    telemetry.Add(execution);
                    diagnostics = count;
                }

                previous = forOurs;
                document = edited;
            }

            return new EditCost(AnalyzerSpeed.Median(telemetry), AnalyzerSpeed.Median(over), AnalyzerSpeed.Median(compiler), diagnostics);
        }

        /// <summary>One posture's medians: our telemetry, the wall clock over the do-nothing analyzer, the compiler's time for the document.</summary>
        private readonly record struct EditCost(double Ours, double Over, double Compiler, int Diagnostics)
        {
            /// <summary>The report's columns after project and posture.</summary>
            public string Row => Invariant($"{Ours:F1} | {Over:F1} | {Compiler:F1} | {Ours / Compiler:F2} | {Diagnostics:N0}");

            public override string ToString() => Invariant($"ours {Ours:F1} ms, over baseline {Over:F1} ms, compiler {Compiler:F1} ms, {Diagnostics} diagnostics");
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
