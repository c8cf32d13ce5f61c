using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// Whether a source method is an iterator (has a <c>yield</c>), decided once per method and compilation. Made at
    /// compilation start: a lock-free read for the calls that ask again (a ConditionalWeakTable serialised them).
    /// </summary>
    internal sealed class IteratorMethods
    {
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _known = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

        public bool IsIterator(IMethodSymbol method)
        {
            if (method.DeclaringSyntaxReferences.IsEmpty || method.ReturnsVoid)
            {
                return false;
            }

            var definition = (IMethodSymbol)method.OriginalDefinition;
            if (!_known.TryGetValue(definition, out bool iterator))
            {
                iterator = HiddenAllocationRule.FirstYield(definition, default) != null;
                _known.TryAdd(definition, iterator);
            }

            return iterator;
        }
    }
}
