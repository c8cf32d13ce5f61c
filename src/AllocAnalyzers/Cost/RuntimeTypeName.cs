using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// A type's name as the runtime reports it in allocation events (<c>System.Int32[]</c>,
    /// <c>System.ValueTuple`2[System.Int32,System.Int64]</c>, <c>MyApp.Outer+Inner</c>): what a profile of the
    /// program's allocations calls the objects a finding claims, so that the two can be joined. Null for a type the
    /// compiler does not know at the site (a type parameter, an error type).
    /// </summary>
    internal static class RuntimeTypeName
    {
        private static readonly ConditionalWeakTable<Compilation, TypeNames<string?>> ByCompilation = new ConditionalWeakTable<Compilation, TypeNames<string?>>();

        public static string? Of(ITypeSymbol? type)
        {
            var text = new StringBuilder();
            return Append(text, type) ? text.ToString() : null;
        }

        /// <summary>
        /// The runtime names of <paramref name="compilation"/>'s types, each composed once (composing one walks the
        /// namespace chain and the type arguments). Equal symbols have one name: nullability is not part of it.
        /// </summary>
        public static TypeNames<string?> For(Compilation compilation)
            => ByCompilation.GetValue(compilation, _ => new TypeNames<string?>(SymbolEqualityComparer.Default, Of));

        /// <summary><c>Namespace.Outer`1+Inner</c>: the names of the nesting chain, without type arguments.</summary>
        private static void AppendDefinitionName(StringBuilder text, INamedTypeSymbol named)
        {
            if (named.ContainingType != null)
            {
                AppendDefinitionName(text, named.ContainingType);
                text.Append('+');
            }
            else if (named.ContainingNamespace is { IsGlobalNamespace: false } ns)
            {
                text.Append(ns.ToDisplayString()).Append('.');
            }

            text.Append(named.MetadataName);
        }

        private static bool Append(StringBuilder text, ITypeSymbol? type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    if (!Append(text, array.ElementType))
                    {
                        return false;
                    }

                    text.Append('[').Append(',', array.Rank - 1).Append(']');
                    return true;
                case INamedTypeSymbol named when named.TypeKind != TypeKind.Error:
                    AppendDefinitionName(text, named);

                    // The runtime lists the type arguments of the whole nesting chain at the end: Outer`1+Inner[System.Int32].
                    var arguments = new System.Collections.Generic.List<ITypeSymbol>();
                    for (var current = named; current != null; current = current.ContainingType)
                    {
                        arguments.InsertRange(0, current.TypeArguments);
                    }

                    if (arguments.Count > 0)
                    {
                        text.Append('[');
                        for (int i = 0; i < arguments.Count; i++)
                        {
                            if (i > 0)
                            {
                                text.Append(',');
                            }

                            if (!Append(text, arguments[i]))
                            {
                                return false;
                            }
                        }

                        text.Append(']');
                    }

                    return true;
                default:
                    return false;
            }
        }
    }
}
