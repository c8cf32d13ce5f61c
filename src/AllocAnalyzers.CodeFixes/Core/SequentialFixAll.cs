using System;
using System.Collections.Generic;
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
            => Create((_, document, site, ct) => fixOne(document, site, ct));

        /// <summary>
        /// Fix All by the fixer's own code actions (<see cref="FixerFixAll"/>): for fixers whose fix may change more
        /// than the diagnostic's document, or offers different actions at different sites.
        /// </summary>
        public static FixAllProvider ForFixer(CodeFixProvider fixer) => new FixerFixAll(fixer);

        private static FixAllProvider Create(Func<FixAllContext, Document, TextSpanLocation, CancellationToken, Task<Document?>> fixOne)
            => FixAllProvider.Create(async (context, document, diagnostics) =>
            {
                var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (root == null)
                {
                    return document;
                }

                var sites = new List<(SyntaxAnnotation Annotation, Diagnostic Diagnostic, int Start)>();
                var annotated = new Dictionary<SyntaxNode, SyntaxAnnotation>();
                foreach (var diagnostic in diagnostics)
                {
                    var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                    if (!annotated.TryGetValue(node, out var annotation))
                    {
                        annotated[node] = annotation = new SyntaxAnnotation();
                        sites.Add((annotation, diagnostic, diagnostic.Location.SourceSpan.Start));
                    }
                }

                document = document.WithSyntaxRoot(root.ReplaceNodes(annotated.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotated[original])));
                foreach (var site in sites.OrderByDescending(s => s.Start))
                {
                    var current = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                    var node = current?.GetAnnotatedNodes(site.Annotation).FirstOrDefault();
                    if (node == null)
                    {
                        continue;
                    }

                    var fixedDocument = await fixOne(context, document, new TextSpanLocation(node.Span, site.Diagnostic.Properties, site.Diagnostic.Descriptor), context.CancellationToken).ConfigureAwait(false);
                    if (fixedDocument != null)
                    {
                        document = fixedDocument;
                    }
                }

                var original = context.Solution.GetDocument(document.Id) ?? document;
                return await LineEndings.KeepAsync(original, await FixCleanup.RunAsync(document, context.CancellationToken).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);
            });
    }

    /// <summary>Where a site is in the current document and what its diagnostic said.</summary>
    internal readonly struct TextSpanLocation
    {
        public TextSpanLocation(Microsoft.CodeAnalysis.Text.TextSpan span, ImmutableDictionary<string, string?> properties, DiagnosticDescriptor? descriptor = null)
        {
            Span = span;
            Properties = properties;
            Descriptor = descriptor;
        }

        /// <summary>The rule the diagnostic was reported under.</summary>
        public DiagnosticDescriptor? Descriptor { get; }

        public Microsoft.CodeAnalysis.Text.TextSpan Span { get; }

        public ImmutableDictionary<string, string?> Properties { get; }
    }
}
