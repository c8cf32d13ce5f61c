using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.CodeFixes.Layout
{
    /// <summary>
    /// ALLOC301/ALLOC303 fix: reorder the struct's field declarations into the smallest layout (by descending alignment
    /// for a sequential struct; the best order of the value-type fields for an auto-layout one). Not offered when the
    /// program can see the order of the fields (<see cref="FieldOrderObservers"/>): reinterpreted as bytes, serialized,
    /// read by reflection or marked for layout or serialization.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReorderStructFieldsCodeFix))]
    [Shared]
    public sealed class ReorderStructFieldsCodeFix : AllocCodeFixProvider
    {
        public const string EquivalenceKey = "AllocAnalyzers.ReorderStructFields";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PaddedStruct, RuleIds.PaddedAutoLayoutStruct);

        /// <summary>Fix All reorders every flagged struct of a document in one rewrite, so nested structs compose.</summary>
        public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

        internal override async Task RegisterFixAsync(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            if (FindDeclaration(root, diagnostic) is { } declaration
                && FieldReordering.TryCreatePermutation(declaration, model, context.CancellationToken) is { } permutation
                && !await ObservedAsync(context.Document, model, declaration, context.CancellationToken).ConfigureAwait(false))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Reorder fields to remove padding",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, FieldReordering.Apply(declaration, permutation)))),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return document;
            }

            var permutations = new Dictionary<TypeDeclarationSyntax, ImmutableArray<int>>();
            foreach (var diagnostic in diagnostics)
            {
                if (FindDeclaration(root, diagnostic) is { } declaration && !permutations.ContainsKey(declaration)
                    && FieldReordering.TryCreatePermutation(declaration, model, context.CancellationToken) is { } permutation
                    && !await ObservedAsync(document, model, declaration, context.CancellationToken).ConfigureAwait(false))
                {
                    permutations[declaration] = permutation;
                }
            }

            var newRoot = root.ReplaceNodes(permutations.Keys, (original, rewritten) => FieldReordering.Apply(rewritten, permutations[original]));
            return document.WithSyntaxRoot(newRoot);
        }

        private static async Task<bool> ObservedAsync(Document document, SemanticModel model, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
            => model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type
               || await FieldOrderObservers.IsObservableAsync(document.Project.Solution, type, cancellationToken).ConfigureAwait(false);

        private static TypeDeclarationSyntax? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
            => root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
    }
}
