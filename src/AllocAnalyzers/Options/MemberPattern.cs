using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// A documentation-ID style pattern with <c>*</c> wildcards naming hot members: <c>M:</c> methods (and
    /// constructors, accessors and operators), <c>P:</c> properties, <c>T:</c> every member of matching types.
    /// <c>M:MyApp.OrderHandler.Handle*</c> matches <c>M:MyApp.OrderHandler.Handle(MyApp.Order)</c>.
    /// </summary>
    internal sealed class MemberPattern
    {
        private MemberPattern(char kind, string text)
        {
            Kind = kind;
            Text = text;
        }

        /// <summary>'M', 'P' or 'T'.</summary>
        public char Kind { get; }

        /// <summary>The whole pattern, prefix included (as written, for reasons shown to users).</summary>
        public string Text { get; }

        /// <summary>One pattern, such as <c>M:MyApp.OrderHandler.Handle*</c>; false when it is not one.</summary>
        public static bool TryParse(string item, out MemberPattern? pattern)
        {
            item = item.Trim();
            if (item.Length < 3 || item[1] != ':' || (item[0] != 'M' && item[0] != 'P' && item[0] != 'T') || !IsWellFormed(item))
            {
                pattern = null;
                return false;
            }

            pattern = new MemberPattern(item[0], item);
            return true;
        }

        /// <summary>True when <paramref name="documentationId"/> (with its own prefix) matches the pattern.</summary>
        public bool Matches(string documentationId) => WildcardMatch(Text, 0, documentationId, 0);

        /// <summary>
        /// True when the pattern names <paramref name="member"/>: a <c>T:</c> pattern by its containing type, a
        /// <c>P:</c> pattern a property, an <c>M:</c> pattern a method, each by its documentation ID.
        /// </summary>
        public bool MatchesMember(ISymbol member)
        {
            switch (Kind)
            {
                case 'T':
                    return member.ContainingType?.GetDocumentationCommentId() is { } typeId && Matches(typeId);
                case 'P':
                    return member is IPropertySymbol && member.GetDocumentationCommentId() is { } propertyId && Matches(propertyId);
                default:
                    return member is IMethodSymbol && member.GetDocumentationCommentId() is { } methodId && Matches(methodId);
            }
        }

        private static bool IsWellFormed(string item)
        {
            for (int i = 2; i < item.Length; i++)
            {
                char c = item[i];
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '*' || c == '`' || c == '#' || c == '(' || c == ')' || c == '{' || c == '}' || c == '@' || c == '[' || c == ']' || c == '~'))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool WildcardMatch(string pattern, int p, string text, int t)
        {
            while (p < pattern.Length)
            {
                if (pattern[p] == '*')
                {
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    if (p == pattern.Length)
                    {
                        return true;
                    }

                    for (int start = t; start <= text.Length; start++)
                    {
                        if (WildcardMatch(pattern, p, text, start))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                if (t >= text.Length || pattern[p] != text[t])
                {
                    return false;
                }

                p++;
                t++;
            }

            return t == text.Length;
        }
    }
}
