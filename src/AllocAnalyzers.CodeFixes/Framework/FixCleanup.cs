using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>
    /// The last step of fixes that generate code with fully qualified names: add the using directives they need, shorten
    /// the names those usings allow, and format what was generated (nodes carry <see cref="Annotate{T}"/>).
    /// </summary>
    internal static class FixCleanup
    {
        public static T Annotate<T>(T node)
            where T : SyntaxNode
            => node.WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation, Formatter.Annotation);

        public static async Task<Document> RunAsync(Document document, CancellationToken cancellationToken)
        {
            document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
