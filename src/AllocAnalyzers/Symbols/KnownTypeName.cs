using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// A framework type recognised by its namespace and metadata name (see <see cref="KnownTypeNames"/>): the test
    /// a rule makes on every invocation or creation it looks at, so it compares names and builds no string.
    /// </summary>
    internal sealed class KnownTypeName
    {
        public KnownTypeName(string ns, string metadataName)
        {
            Namespace = ns;
            MetadataName = metadataName;
            FullMetadataName = ns + "." + metadataName;
        }

        /// <summary>"System.Buffers".</summary>
        public string Namespace { get; }

        /// <summary>"ArrayPool`1".</summary>
        public string MetadataName { get; }

        /// <summary>"System.Buffers.ArrayPool`1", what <see cref="KnownTypes"/> resolves.</summary>
        public string FullMetadataName { get; }

        /// <summary>True when <paramref name="type"/> is this type, or a constructed form of it.</summary>
        public bool Matches(ITypeSymbol? type)
            => type is INamedTypeSymbol named && named.HasMetadataName(MetadataName) && named.ContainingNamespace.IsNamed(Namespace);

        /// <summary>True when <paramref name="type"/> is this type or derives from it.</summary>
        public bool IsBaseOf(ITypeSymbol? type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (Matches(current))
                {
                    return true;
                }
            }

            return false;
        }

        public override string ToString() => FullMetadataName;
    }
}
