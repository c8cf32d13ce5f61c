using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    internal static class NamespaceExtensions
    {
        /// <summary>True when <paramref name="type"/> (or the generic type it constructs) is <paramref name="ns"/>.<paramref name="metadataName"/> ("List`1").</summary>
        public static bool IsNamedType(this INamedTypeSymbol? type, string ns, string metadataName)
            => type != null && type.HasMetadataName(metadataName) && type.ContainingNamespace.IsNamed(ns);

        /// <summary>
        /// True when <paramref name="type"/>'s metadata name is <paramref name="metadataName"/> ("List`1", "Console"):
        /// what <c>MetadataName == metadataName</c> answers, without the string the compiler composes on every read of a
        /// generic type's MetadataName. A generic type's metadata name is its name, a backtick and its arity (the
        /// convention every .NET compiler follows); a file-local type's is mangled, and read as it is.
        /// </summary>
        public static bool HasMetadataName(this INamedTypeSymbol type, string metadataName)
        {
            if (type.IsFileLocal)
            {
                return type.MetadataName == metadataName;
            }

            int tick = metadataName.IndexOf('`');
            if (tick < 0)
            {
                // A non-generic type's MetadataName is its name.
                return type.Name == metadataName && type.MetadataName == metadataName;
            }

            string name = type.Name;
            return type.Arity > 0 && name.Length == tick && string.CompareOrdinal(name, 0, metadataName, 0, tick) == 0
                && ArityIs(metadataName, tick + 1, type.Arity);
        }

        private static bool ArityIs(string metadataName, int start, int arity)
        {
            int value = 0;
            for (int index = start; index < metadataName.Length; index++)
            {
                char digit = metadataName[index];
                if (digit < '0' || digit > '9')
                {
                    return false;
                }

                value = (value * 10) + (digit - '0');
            }

            return start < metadataName.Length && value == arity;
        }

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
