using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

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
        private static readonly ConditionalWeakTable<SyntaxTree, object> BuiltIn = new ConditionalWeakTable<SyntaxTree, object>();
        private static readonly object Yes = new object();
        private static readonly object No = new object();

        public static bool MayRent(SyntaxTree tree, ImmutableArray<(string Rent, string Return)> custom, CancellationToken cancellationToken)
        {
            if (BuiltIn.GetValue(tree, t => SourceTextSearch.Contains(t.GetText(cancellationToken), wholeWord: true, "Rent", "Get") ? Yes : No) == Yes)
            {
                return true;
            }

            foreach (var pair in custom)
            {
                string name = pair.Rent.Substring(pair.Rent.LastIndexOf('.') + 1);
                if (name.Length > 0 && SourceTextSearch.Contains(tree.GetText(cancellationToken), wholeWord: true, name))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
