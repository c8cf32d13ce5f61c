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
            var sites = new List<(DocumentId Document, SyntaxAnnotation Annotation, Diagnostic Diagnostic)>();
            foreach (var group in diagnostics.Where(d => d.Location.IsInSource).GroupBy(d => d.Location.SourceTree!))
            {
                var document = solution.GetDocument(group.Key);
                var root = document == null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (document == null || root == null)
                {
                    continue;
                }

                var annotated = new Dictionary<SyntaxNode, SyntaxAnnotation>();
                foreach (var diagnostic in group.OrderByDescending(d => d.Location.SourceSpan.Start))
                {
                    var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                    if (!annotated.ContainsKey(node))
                    {
                        annotated[node] = new SyntaxAnnotation();
                        sites.Add((document.Id, annotated[node], diagnostic));
                    }
                }

                solution = solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNodes(annotated.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotated[original])));
            }

            foreach (var (documentId, annotation, original) in sites)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var document = solution.GetDocument(documentId);
                var root = document == null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var node = root?.GetAnnotatedNodes(annotation).FirstOrDefault();
                if (document == null || root == null || node == null)
                {
                    continue;
                }

                var diagnostic = Diagnostic.Create(original.Descriptor, Location.Create(root.SyntaxTree, node.Span), original.Properties);
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
                        solution = apply.ChangedSolution;
                    }
                }
            }

            return solution;
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
