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
    /// Fix All for rewrites that move the statements after a site (so two fixes in one block would overlap): the
    /// document is fixed one diagnostic at a time, from the last to the first, each fix re-analysed on the updated
    /// document, so no edit is lost or merged wrongly.
    /// </summary>
    internal static class SequentialFixAll
    {
        public static FixAllProvider Create(Func<Document, TextSpanLocation, CancellationToken, Task<Document?>> fixOne)
            => FixAllProvider.Create(async (context, document, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start))
                {
                    var fixedDocument = await fixOne(document, new TextSpanLocation(diagnostic), context.CancellationToken).ConfigureAwait(false);
                    if (fixedDocument != null)
                    {
                        document = fixedDocument;
                    }
                }

                return document;
            });
    }

    /// <summary>Where a diagnostic was and what it said, valid while the text before it is unchanged.</summary>
    internal readonly struct TextSpanLocation
    {
        public TextSpanLocation(Diagnostic diagnostic)
        {
            Span = diagnostic.Location.SourceSpan;
            Properties = diagnostic.Properties;
        }

        public Microsoft.CodeAnalysis.Text.TextSpan Span { get; }

        public ImmutableDictionary<string, string?> Properties { get; }
    }
}
