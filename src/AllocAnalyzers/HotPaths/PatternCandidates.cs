using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// The source members a <c>hot_path_methods</c> pattern can match, found without touching the rest of the
    /// compilation. A documentation ID starts with its namespaces and types joined by dots, so the pattern's literal
    /// start (up to its first <c>*</c> or parameter list) is followed from the global namespace by name lookups: every
    /// whole segment selects namespaces or types of that name, and the unfinished last segment is a prefix of the
    /// member or type that follows. Only the members of the types found on that path (or, where a wildcard follows, in
    /// them and below them) are candidates; the pattern itself decides on their documentation IDs. A pattern that
    /// starts with a wildcard names no path and makes every source type a candidate.
    /// </summary>
    internal static class PatternCandidates
    {
        public static IEnumerable<ISymbol> For(MemberPattern pattern, INamespaceSymbol globalNamespace)
        {
            string body = pattern.Text.Substring(2);
            int end = body.IndexOfAny(new[] { '*', '(' });
            bool wildcard = end >= 0 && body[end] == '*';
            string literal = end < 0 ? body : body.Substring(0, end);
            var segments = literal.Split('.');

            var containers = new List<INamespaceOrTypeSymbol> { globalNamespace };
            for (int i = 0; i < segments.Length - 1 && containers.Count > 0; i++)
            {
                var next = new List<INamespaceOrTypeSymbol>();
                foreach (var container in containers)
                {
                    foreach (var child in Children(container))
                    {
                        if (DocumentationName(child) == segments[i])
                        {
                            next.Add(child);
                        }
                    }
                }

                containers = next;
            }

            string last = segments[segments.Length - 1];
            foreach (var container in containers)
            {
                if (container is INamedTypeSymbol type)
                {
                    foreach (var member in type.GetMembers())
                    {
                        if (member is not INamedTypeSymbol && MemberDocumentationName(member).StartsWith(last, System.StringComparison.Ordinal))
                        {
                            yield return member;
                        }
                    }
                }

                foreach (var child in Children(container))
                {
                    string name = DocumentationName(child);
                    if (wildcard ? name.StartsWith(last, System.StringComparison.Ordinal) : name == last)
                    {
                        // A wildcard may stand for the rest of a dotted path: everything below is a candidate.
                        foreach (var member in MembersAtOrBelow(child, deep: wildcard))
                        {
                            yield return member;
                        }
                    }
                }
            }
        }

        private static IEnumerable<INamespaceOrTypeSymbol> Children(INamespaceOrTypeSymbol container)
        {
            if (container is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetMembers())
                {
                    yield return member;
                }
            }
            else
            {
                foreach (var nested in ((INamedTypeSymbol)container).GetTypeMembers())
                {
                    yield return nested;
                }
            }
        }

        /// <summary>The members of <paramref name="start"/> if it is a type and, when <paramref name="deep"/>, of every type below it.</summary>
        private static IEnumerable<ISymbol> MembersAtOrBelow(INamespaceOrTypeSymbol start, bool deep)
        {
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(start);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (current is INamedTypeSymbol type)
                {
                    foreach (var member in type.GetMembers())
                    {
                        if (member is not INamedTypeSymbol)
                        {
                            yield return member;
                        }
                    }
                }

                if (deep || current is INamespaceSymbol)
                {
                    foreach (var child in Children(current))
                    {
                        pending.Push(child);
                    }
                }
            }
        }

        /// <summary>A namespace's or type's segment in a documentation ID (<c>List`1</c> for a generic type).</summary>
        private static string DocumentationName(INamespaceOrTypeSymbol symbol)
            => symbol is INamedTypeSymbol { Arity: > 0 } type ? type.Name + "`" + type.Arity.ToString(CultureInfo.InvariantCulture) : symbol.Name;

        /// <summary>A member's last segment in a documentation ID: <c>#ctor</c>, <c>System#IDisposable#Dispose</c>, <c>Map``1</c>, <c>Item</c> for an indexer.</summary>
        private static string MemberDocumentationName(ISymbol member)
        {
            string name = (member is IPropertySymbol { IsIndexer: true } ? member.MetadataName : member.Name).Replace('.', '#');
            return member is IMethodSymbol { Arity: > 0 } method ? name + "``" + method.Arity.ToString(CultureInfo.InvariantCulture) : name;
        }
    }
}
