using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>
    /// Fix All by the fixer's own code actions, one site at a time over the whole scope: every diagnostic's node is
    /// annotated first; then, document by document and from the last site to the first, each site is found again in
    /// the current solution and gets the action with the Fix All's equivalence key or, failing that, the first action
    /// the fixer offers for it (ours offer at most one per diagnostic), and that action's whole change is applied
    /// (a fix may edit another document, as making a method generic does). Sites without a fix do not stop the rest:
    /// <c>dotnet format</c> starts Fix All with the key of the first diagnostic's first action (none when that one site
    /// has no fix), and the batch fixer then fixes nothing and reports that it "didn't return a Fix All action".
    /// A site whose node an earlier fix rewrote is left for the next run.
    /// </summary>
    internal sealed class FixerFixAll : FixAllProvider
    {
        private readonly CodeFixProvider _fixer;

        public FixerFixAll(CodeFixProvider fixer) => _fixer = fixer;

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
            => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
        {
            var diagnostics = await DiagnosticsInScopeAsync(context).ConfigureAwait(false);
            if (diagnostics.IsEmpty)
            {
                return null;
            }

            return CodeAction.Create(
                context.CodeActionEquivalenceKey is { } key ? "Fix all: " + key : "Fix all",
                ct => FixAllAsync(context.Solution, diagnostics, context.CodeActionEquivalenceKey, ct),
                context.CodeActionEquivalenceKey);
        }

        private async Task<Solution> FixAllAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, string? key, CancellationToken cancellationToken)
        {
            // Annotate every site first, so that each can be found again after the fixes before it.
            var original = solution;
            var sites = new List<(DocumentId Document, SyntaxAnnotation Annotation, Diagnostic Diagnostic)>();
            foreach (var group in diagnostics.Where(d => d.Location.IsInSource).GroupBy(d => d.Location.SourceTree!))
            {
                var document = await FindDocumentAsync(solution, group.Key, cancellationToken).ConfigureAwait(false);
                var root = document == null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (document == null || root == null)
                {
                    continue;
                }

                var (annotated, documentSites) = FixSites.Annotate(root, group);
                sites.AddRange(documentSites.Select(site => (document.Id, site.Annotation, site.Diagnostic)));
                solution = solution.WithDocumentSyntaxRoot(document.Id, annotated);
            }

            var fixedDocuments = new HashSet<DocumentId>();
            foreach (var (documentId, annotation, diagnosticBefore) in sites)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var document = solution.GetDocument(documentId);
                var root = document == null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var node = root?.GetAnnotatedNodes(annotation).FirstOrDefault();
                if (document == null || root == null || node == null)
                {
                    continue;
                }

                var diagnostic = Diagnostic.Create(diagnosticBefore.Descriptor, Location.Create(root.SyntaxTree, node.Span), diagnosticBefore.Properties);
                var actions = new List<CodeAction>();
                await _fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken)).ConfigureAwait(false);
                var chosen = actions.FirstOrDefault(a => key != null && a.EquivalenceKey == key) ?? actions.FirstOrDefault();
                if (chosen == null)
                {
                    continue;
                }

                foreach (var operation in await chosen.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (operation is ApplyChangesOperation apply)
                    {
                        foreach (var changed in apply.ChangedSolution.GetChanges(solution).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
                        {
                            fixedDocuments.Add(changed);
                        }

                        solution = apply.ChangedSolution;
                    }
                }
            }

            // A document none of the fixes changed goes back as it was: annotations alone are not an edit (a later
            // fixer in the same run must still find its syntax trees).
            foreach (var documentId in sites.Select(s => s.Document).Distinct())
            {
                if (!fixedDocuments.Contains(documentId) && original.GetDocument(documentId) is { } unchanged
                    && await unchanged.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root)
                {
                    solution = solution.WithDocumentSyntaxRoot(documentId, root);
                }
            }

            return solution;
        }

        /// <summary>
        /// The document a diagnostic's tree is, in <paramref name="solution"/>: by the tree, or (when an earlier fix
        /// in the same run replaced the tree) by its file path, provided the text is still the one the diagnostic's
        /// position refers to. Null when the text changed since the diagnostics were computed: their spans no longer
        /// point at their sites.
        /// </summary>
        private static async Task<Document?> FindDocumentAsync(Solution solution, SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (solution.GetDocument(tree) is { } same)
            {
                return same;
            }

            if (string.IsNullOrEmpty(tree.FilePath))
            {
                return null;
            }

            var analysed = await tree.GetTextAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in solution.GetDocumentIdsWithFilePath(tree.FilePath))
            {
                if (solution.GetDocument(id) is { } document && (await document.GetTextAsync(cancellationToken).ConfigureAwait(false)).ContentEquals(analysed))
                {
                    return document;
                }
            }

            return null;
        }

        private static async Task<ImmutableArray<Diagnostic>> DiagnosticsInScopeAsync(FixAllContext context)
        {
            switch (context.Scope)
            {
                case FixAllScope.Document when context.Document != null:
                    return await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false);
                case FixAllScope.Project:
                    return await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false);
                case FixAllScope.Solution:
                    var all = ImmutableArray.CreateBuilder<Diagnostic>();
                    foreach (var project in context.Solution.Projects)
                    {
                        all.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    }

                    return all.ToImmutable();
                default:
                    return ImmutableArray<Diagnostic>.Empty;
            }
        }
    }
}
