using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>
    /// Base of every AllocAnalyzers code fix: fetches the document's syntax root and semantic model once, then asks
    /// the fix about each diagnostic; every action it registers writes the line endings of the files it changes.
    /// </summary>
    public abstract class AllocCodeFixProvider : CodeFixProvider
    {
        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return;
            }

            // Every action registered keeps the line endings of the files it changes (LineEndings).
            var solution = context.Document.Project.Solution;
            var keeping = new CodeFixContext(context.Document, context.Span, context.Diagnostics, (action, diagnostics) => context.RegisterCodeFix(LineEndings.Wrap(action, solution), diagnostics), context.CancellationToken);
            foreach (var diagnostic in context.Diagnostics)
            {
                await RegisterFixAsync(keeping, root, model, diagnostic).ConfigureAwait(false);
            }
        }

        /// <summary>Registers the fix for one diagnostic, when it is safe.</summary>
        internal virtual void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
        }

        /// <summary>For fixes that must look further (other documents, a trial compilation) before offering themselves.</summary>
        internal virtual Task RegisterFixAsync(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            RegisterFix(context, root, model, diagnostic);
            return Task.CompletedTask;
        }
    }
}
