using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>
    /// Runs an analyzer and applies its code fix in a real workspace, against the running runtime's assemblies, so a
    /// test can compile and run the code before and after the fix with <see cref="RuntimeProof"/>.
    /// </summary>
    public static class CodeFixRunner
    {
        /// <summary>The analyzer's diagnostics on <paramref name="source"/> (compiled as <see cref="RuntimeProof"/> compiles).</summary>
        public static async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(DiagnosticAnalyzer analyzer, string source, string? editorConfig = null)
        {
            var document = CreateDocument(source, editorConfig);
            return await GetDiagnosticsAsync(analyzer, document).ConfigureAwait(false);
        }

        /// <summary>
        /// Applies the first fix offered for each diagnostic of <paramref name="id"/>, one at a time, re-analysing after
        /// each, until none is left or no fix is offered; returns the final source.
        /// </summary>
        public static async Task<string> ApplyAllAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string source, string id, string? editorConfig = null)
        {
            var document = CreateDocument(source, editorConfig);
            for (int round = 0; round < 100; round++)
            {
                var diagnostics = (await GetDiagnosticsAsync(analyzer, document).ConfigureAwait(false)).Where(d => d.Id == id).ToList();
                CodeAction? action = null;
                foreach (var diagnostic in diagnostics)
                {
                    var actions = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
                    await fix.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                    if (actions.Count > 0)
                    {
                        action = actions[0];
                        break;
                    }
                }

                if (action == null)
                {
                    break;
                }

                var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
                var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
                document = solution.GetDocument(document.Id)!;
            }

            return (await document.GetTextAsync().ConfigureAwait(false)).ToString();
        }

        /// <summary>
        /// Fix All for the diagnostics of <paramref name="id"/>, exactly as <c>dotnet format analyzers</c> starts it: the
        /// equivalence key of the first action offered for the first diagnostic (none when that site has no fix), Fix
        /// All in the solution; returns the final source. A fixer that returns no Fix All action fails the test, as
        /// dotnet format then prints "didn't return a Fix All action" and fixes nothing.
        /// </summary>
        public static async Task<string> FixAllAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string source, string id, string? editorConfig = null)
        {
            var document = CreateDocument(source, editorConfig);
            var diagnostics = (await GetDiagnosticsAsync(analyzer, document).ConfigureAwait(false)).Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
            if (diagnostics.IsEmpty || fix.GetFixAllProvider() is not { } provider)
            {
                return source;
            }

            var actions = new List<CodeAction>();
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (a, _) => actions.Add(a), CancellationToken.None)).ConfigureAwait(false);
            string? key = actions.Count > 0 ? actions[0].EquivalenceKey : null;

            if (!provider.GetSupportedFixAllScopes().Contains(FixAllScope.Solution))
            {
                throw new InvalidOperationException(fix.GetType().Name + " doesn't support Fix All in Solution");
            }

            var context = new FixAllContext(document, fix, FixAllScope.Solution, key!, new[] { id }, new FixedDiagnostics(diagnostics), CancellationToken.None);
            var action = await provider.GetFixAsync(context).ConfigureAwait(false);
            if (action == null)
            {
                throw new InvalidOperationException(fix.GetType().Name + " didn't return a Fix All action");
            }

            var operations = await action!.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
            var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            return (await solution.GetDocument(document.Id)!.GetTextAsync().ConfigureAwait(false)).ToString();
        }

        /// <summary>How many diagnostics of <paramref name="id"/> the source has, and whether the first (by position) is offered a fix.</summary>
        public static async Task<(int Count, bool FirstHasFix)> FirstSiteAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string source, string id, string? editorConfig = null)
        {
            var document = CreateDocument(source, editorConfig);
            var diagnostics = (await GetDiagnosticsAsync(analyzer, document).ConfigureAwait(false)).Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).ToList();
            if (diagnostics.Count == 0)
            {
                return (0, false);
            }

            var actions = new List<CodeAction>();
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (a, _) => actions.Add(a), CancellationToken.None)).ConfigureAwait(false);
            return (diagnostics.Count, actions.Count > 0);
        }

        private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly ImmutableArray<Diagnostic> _diagnostics;

            public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(ImmutableArray<Diagnostic>.Empty);
        }

        private static async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(DiagnosticAnalyzer analyzer, Document document)
        {
            var compilation = (await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
            return await AnalyzeAsync(compilation, ImmutableArray.Create(analyzer), document.Project.AnalyzerOptions).ConfigureAwait(false);
        }

        /// <summary>
        /// The analyzers' diagnostics on <paramref name="compilation"/>, one callback at a time; throws when the
        /// source does not compile or an analyzer throws.
        /// </summary>
        public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions analyzerOptions)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("The source does not compile: " + string.Join(Environment.NewLine, errors));
            }

            var exceptions = new List<Exception>();
            var options = new CompilationWithAnalyzersOptions(analyzerOptions, (e, _, _) => exceptions.Add(e), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
            if (exceptions.Count > 0)
            {
                throw new AggregateException("An analyzer threw.", exceptions);
            }

            return diagnostics;
        }

        private static Document CreateDocument(string source, string? editorConfig)
        {
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var solution = workspace.CurrentSolution
                .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Proof", "Proof", LanguageNames.CSharp,
                    filePath: "/src/Proof.csproj",
                    compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable),
                    parseOptions: RuntimeProof.ParseOptions,
                    metadataReferences: RuntimeProof.References));
            var documentId = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(documentId, "Proof.cs", SourceText.From(source), filePath: "/src/Proof.cs");
            if (editorConfig != null)
            {
                solution = solution.AddAnalyzerConfigDocument(
                    DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From("root = true\n\n[*.cs]\n" + editorConfig), filePath: "/src/.editorconfig");
            }

            return solution.GetDocument(documentId)!;
        }
    }
}
