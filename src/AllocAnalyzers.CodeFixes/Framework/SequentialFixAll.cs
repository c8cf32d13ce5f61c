using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>
    /// Fix All for rewrites that move statements or add members (so fixes in one document would overlap): every
    /// diagnostic's node is annotated first, then the document is fixed one site at a time, from the last to the first,
    /// each site found again by its annotation in the updated document, and the generated code is cleaned up once
    /// (usings added, names shortened, formatting) at the end. No edit is lost or merged wrongly.
    /// </summary>
    internal static class SequentialFixAll
    {
        public static FixAllProvider Create(Func<Document, TextSpanLocation, CancellationToken, Task<Document?>> fixOne)
            => FixAllProvider.Create(async (context, document, diagnostics) =>
            {
                var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (root == null)
                {
                    return document;
                }

                var original = document;
                var (annotated, sites) = FixSites.Annotate(root, diagnostics);
                document = document.WithSyntaxRoot(annotated);
                foreach (var (annotation, diagnostic) in sites)
                {
                    var current = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                    var node = current?.GetAnnotatedNodes(annotation).FirstOrDefault();
                    if (node == null)
                    {
                        continue;
                    }

                    var fixedDocument = await fixOne(document, new TextSpanLocation(node.Span, diagnostic.Properties), context.CancellationToken).ConfigureAwait(false);
                    if (fixedDocument != null)
                    {
                        document = fixedDocument;
                    }
                }

                return await LineEndings.KeepAsync(original, await FixCleanup.RunAsync(document, context.CancellationToken).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);
            });
    }

    /// <summary>Where a site is in the current document and what its diagnostic said.</summary>
    internal readonly struct TextSpanLocation
    {
        public TextSpanLocation(Microsoft.CodeAnalysis.Text.TextSpan span, ImmutableDictionary<string, string?> properties)
        {
            Span = span;
            Properties = properties;
        }

        public Microsoft.CodeAnalysis.Text.TextSpan Span { get; }

        public ImmutableDictionary<string, string?> Properties { get; }
    }
}
