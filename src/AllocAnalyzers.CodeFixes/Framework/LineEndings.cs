using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>
    /// Fixes write the line endings of the file they change. The text a fix inserts gets its line breaks from the
    /// syntax factory (<c>\n</c>) or from the formatter's options (<c>end_of_line</c> in .editorconfig), either of which
    /// can differ from the file's own: a CRLF file would get LF lines, or an LF file CRLF ones from a CRLF
    /// .editorconfig. After a fix to a file whose lines all end alike, every line break of the result is made that
    /// one; a file that mixes them is left as the fix wrote it.
    /// </summary>
    internal static class LineEndings
    {
        /// <summary><paramref name="after"/> with the line breaks it adds to <paramref name="before"/> written as <paramref name="before"/> writes them.</summary>
        public static async Task<Document> KeepAsync(Document before, Document after, CancellationToken cancellationToken)
        {
            var original = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var (newLine, uniform) = Dominant(original);
            if (newLine == null)
            {
                return after;
            }

            if (!uniform)
            {
                // A file that mixes line breaks (or has lone CRs) is left as the fix wrote it: telling the fix's
                // breaks from the file's own, inside a verbatim string say, is not safe.
                return after;
            }

            // Every line break of the file was this one: any other in the result is the fix's (a text change may end
            // between the two characters of a CRLF, so the changes alone would not show them all).
            var text = (await after.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
            string normalized = Normalize(text, newLine);
            return normalized == text ? after : after.WithText(SourceText.From(normalized, original.Encoding, original.ChecksumAlgorithm));
        }

        /// <summary>Every document <paramref name="after"/> changed against <paramref name="before"/>, with its own line breaks.</summary>
        public static async Task<Solution> KeepAsync(Solution before, Solution after, CancellationToken cancellationToken)
        {
            foreach (var project in after.GetChanges(before).GetProjectChanges())
            {
                foreach (var id in project.GetChangedDocuments())
                {
                    if (before.GetDocument(id) is { } original && after.GetDocument(id) is { } changed)
                    {
                        var kept = await KeepAsync(original, changed, cancellationToken).ConfigureAwait(false);
                        after = kept.Project.Solution;
                    }
                }
            }

            return after;
        }

        private static string Normalize(string text, string newLine)
        {
            string lf = text.Replace("\r\n", "\n").Replace("\r", "\n");
            return newLine == "\n" ? lf : lf.Replace("\n", newLine);
        }

        /// <summary>The line break most of the text's lines end with (null when it has none), and whether every line ends with it.</summary>
        private static (string? NewLine, bool Uniform) Dominant(SourceText text)
        {
            int crlf = 0, lf = 0, other = 0;
            foreach (var line in text.Lines)
            {
                int width = line.EndIncludingLineBreak - line.End;
                if (width == 2)
                {
                    crlf++;
                }
                else if (width == 1 && text[line.End] == '\n')
                {
                    lf++;
                }
                else if (width > 0)
                {
                    // A lone CR or a Unicode line separator: the file is not uniform, so only the fix's own text is touched.
                    other++;
                }
            }

            return crlf + lf == 0 ? (null, false) : (crlf > lf ? "\r\n" : "\n", other == 0 && (crlf == 0 || lf == 0));
        }

        /// <summary>A fix's action whose result keeps the changed files' line endings (everything else is the action's own).</summary>
        public static CodeAction Wrap(CodeAction action, Solution before) => new KeepingAction(action, before);

        private sealed class KeepingAction : CodeAction
        {
            private readonly CodeAction _inner;
            private readonly Solution _before;

            public KeepingAction(CodeAction inner, Solution before)
            {
                _inner = inner;
                _before = before;
            }

            public override string Title => _inner.Title;

            public override string? EquivalenceKey => _inner.EquivalenceKey;

            protected override async Task<IEnumerable<CodeActionOperation>> ComputeOperationsAsync(CancellationToken cancellationToken)
            {
                var operations = new List<CodeActionOperation>();
                foreach (var operation in await _inner.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
                {
                    operations.Add(operation is ApplyChangesOperation apply
                        ? new ApplyChangesOperation(await KeepAsync(_before, apply.ChangedSolution, cancellationToken).ConfigureAwait(false))
                        : operation);
                }

                return operations;
            }
        }
    }
}
