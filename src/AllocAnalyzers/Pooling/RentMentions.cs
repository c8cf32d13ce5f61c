using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// Whether a file can rent at all: a rental needs a call to a method named <c>Rent</c>, <c>Get</c> or a configured
    /// rent method, and that name appears in the file's text as a whole word. One pass over the text per syntax tree
    /// (cached), far cheaper than a walk over the syntax, lets the rental analysis skip every body of a file that never
    /// names one. Comments and strings can only make the answer "maybe", never hide a call.
    /// </summary>
    internal static class RentMentions
    {
        private const int Chunk = 4096;
        private static readonly ConditionalWeakTable<SyntaxTree, object> BuiltIn = new ConditionalWeakTable<SyntaxTree, object>();
        private static readonly object Yes = new object();
        private static readonly object No = new object();

        public static bool MayRent(SyntaxTree tree, ImmutableArray<(string Rent, string Return)> custom, CancellationToken cancellationToken)
        {
            if (BuiltIn.GetValue(tree, t => ContainsWord(t.GetText(cancellationToken), "Rent", "Get") ? Yes : No) == Yes)
            {
                return true;
            }

            foreach (var pair in custom)
            {
                string name = pair.Rent.Substring(pair.Rent.LastIndexOf('.') + 1);
                if (name.Length > 0 && ContainsWord(tree.GetText(cancellationToken), name, name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when <paramref name="first"/> or <paramref name="second"/> occurs as a whole identifier-like word.</summary>
        internal static bool ContainsWord(SourceText text, string first, string second)
        {
            int overlap = System.Math.Max(first.Length, second.Length) + 1;
            var buffer = new char[Chunk + (2 * overlap)];
            for (int start = 0; start < text.Length; start += Chunk)
            {
                // Each window also holds the character before the chunk and enough after it for a word crossing its end.
                int from = start == 0 ? 0 : start - 1;
                int count = System.Math.Min(buffer.Length, text.Length - from);
                text.CopyTo(from, buffer, 0, count);
                if (Contains(buffer, count, first) || Contains(buffer, count, second))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Contains(char[] buffer, int count, string word)
        {
            for (int i = 0; i + word.Length <= count; i++)
            {
                if (buffer[i] != word[0] || (i > 0 && IsWordChar(buffer[i - 1])))
                {
                    continue;
                }

                int k = 1;
                while (k < word.Length && buffer[i + k] == word[k])
                {
                    k++;
                }

                if (k == word.Length && (i + k >= count || !IsWordChar(buffer[i + k])))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
