using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Allocations
{
    /// <summary>Whether a source method is an iterator (has a <c>yield</c>), decided once per method symbol.</summary>
    internal static class IteratorMethods
    {
        private static readonly ConditionalWeakTable<IMethodSymbol, object> Cache = new ConditionalWeakTable<IMethodSymbol, object>();
        private static readonly object Yes = new object();
        private static readonly object No = new object();

        public static bool IsIterator(IMethodSymbol method)
        {
            if (method.DeclaringSyntaxReferences.IsEmpty || method.ReturnsVoid)
            {
                return false;
            }

            var definition = (IMethodSymbol)method.OriginalDefinition;
            return Cache.GetValue(definition, m => HiddenAllocationAnalyzer.FirstYield(m, default) != null ? Yes : No) == Yes;
        }
    }
}
