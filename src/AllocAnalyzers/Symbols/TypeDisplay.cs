using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// Type names as the messages show them (<see cref="SymbolDisplayFormat.MinimallyQualifiedFormat"/>: no namespaces,
    /// C# keywords for special types, <c>?</c> on annotated reference types). <c>ToDisplayString</c> composes a list of
    /// display parts on every call, and an operation hands out a new symbol object for a reference type each time (one
    /// per nullable annotation), so the names are kept per compilation and keyed by symbol equality with nullability
    /// included, which is everything the display depends on.
    /// </summary>
    internal static class TypeDisplay
    {
        private static readonly ConditionalWeakTable<Compilation, TypeNames<string>> ByCompilation = new ConditionalWeakTable<Compilation, TypeNames<string>>();

        public static TypeNames<string> For(Compilation compilation)
            => ByCompilation.GetValue(compilation, _ => new TypeNames<string>(SymbolEqualityComparer.IncludeNullability, type => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }
}
