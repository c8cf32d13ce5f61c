using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    internal static class NamespaceExtensions
    {
        /// <summary>True when <paramref name="type"/> (or the generic type it constructs) is <paramref name="ns"/>.<paramref name="metadataName"/> ("List`1").</summary>
        public static bool IsNamedType(this INamedTypeSymbol? type, string ns, string metadataName)
            => type != null && type.OriginalDefinition.MetadataName == metadataName && type.ContainingNamespace.IsNamed(ns);

        /// <summary>
        /// True when <paramref name="ns"/> is the namespace <paramref name="dottedName"/> ("System.Linq"), compared name by
        /// name from the innermost out: what <c>ToDisplayString() == dottedName</c> answers, without building a string
        /// on every call (these checks run for every invocation of hot code). The global namespace has no such name.
        /// </summary>
        public static bool IsNamed(this INamespaceSymbol? ns, string dottedName)
        {
            int end = dottedName.Length;
            while (true)
            {
                if (end == 0 || ns == null || ns.IsGlobalNamespace)
                {
                    return false;
                }

                int start = dottedName.LastIndexOf('.', end - 1) + 1;
                string name = ns.Name;
                if (name.Length != end - start || string.CompareOrdinal(name, 0, dottedName, start, end - start) != 0)
                {
                    return false;
                }

                ns = ns.ContainingNamespace;
                if (start == 0)
                {
                    return ns == null || ns.IsGlobalNamespace;
                }

                end = start - 1;
            }
        }
    }
}
