using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// One compilation's type names as the messages show them (<see cref="SymbolDisplayFormat.MinimallyQualifiedFormat"/>:
    /// no namespaces, C# keywords for special types, <c>?</c> on annotated reference types), each built once.
    /// <c>ToDisplayString</c> composes a list of display parts on every call, and a project's messages name the same few
    /// types thousands of times, through a new symbol object each time for a reference type (one per nullable
    /// annotation an operation carries). So the names are keyed by symbol equality with nullability included, which is
    /// everything the display depends on. Safe to share between threads.
    /// </summary>
    internal sealed class TypeDisplay
    {
        private static readonly ConditionalWeakTable<Compilation, TypeDisplay> ByCompilation = new ConditionalWeakTable<Compilation, TypeDisplay>();

        private readonly ConcurrentDictionary<ITypeSymbol, string> _names = new ConcurrentDictionary<ITypeSymbol, string>(SymbolEqualityComparer.IncludeNullability);

        private TypeDisplay()
        {
        }

        public static TypeDisplay For(Compilation compilation) => ByCompilation.GetValue(compilation, _ => new TypeDisplay());

        public string Of(ITypeSymbol type)
        {
            if (!_names.TryGetValue(type, out var name))
            {
                name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                _names.TryAdd(type, name);
            }

            return name;
        }
    }
}
