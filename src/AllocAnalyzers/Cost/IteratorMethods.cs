using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// Whether a source method is an iterator (has a <c>yield</c>), decided once per method and compilation. Made at
    /// compilation start: a lock-free read for the calls that ask again (a ConditionalWeakTable serialised them).
    /// Only a method returning one of the iterator interfaces can be one (C# spec, "Iterators"), so the body of any
    /// other is never searched for a <c>yield</c>.
    /// </summary>
    internal sealed class IteratorMethods
    {
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _known = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

        public bool IsIterator(IMethodSymbol method)
        {
            if (method.DeclaringSyntaxReferences.IsEmpty || !ReturnsIteratorInterface(method))
            {
                return false;
            }

            var definition = (IMethodSymbol)method.OriginalDefinition;
            if (!_known.TryGetValue(definition, out bool iterator))
            {
                iterator = FirstYield(definition, default) != null;
                _known.TryAdd(definition, iterator);
            }

            return iterator;
        }

        /// <summary>
        /// IEnumerable, IEnumerator, their generic forms, IAsyncEnumerable&lt;T&gt; or IAsyncEnumerator&lt;T&gt;. The
        /// async ones and any that does not bind yet (code being typed) by name.
        /// </summary>
        private static bool ReturnsIteratorInterface(IMethodSymbol method)
        {
            if (method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                return false;
            }

            var type = method.ReturnType.OriginalDefinition;
            switch (type.SpecialType)
            {
                case SpecialType.System_Collections_IEnumerable:
                case SpecialType.System_Collections_IEnumerator:
                case SpecialType.System_Collections_Generic_IEnumerable_T:
                case SpecialType.System_Collections_Generic_IEnumerator_T:
                    return true;
                default:
                    return type.TypeKind == TypeKind.Error ? type.Name is "IEnumerable" or "IEnumerator" or "IAsyncEnumerable" or "IAsyncEnumerator"
                        : type.TypeKind == TypeKind.Interface && type.Name is "IAsyncEnumerable" or "IAsyncEnumerator";
            }
        }

        /// <summary>The first <c>yield</c> of <paramref name="method"/>'s own body (not of the functions nested in it), or null.</summary>
        internal static SyntaxNode? FirstYield(IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                // The root itself may be a local function (a local iterator): only the functions nested in it are skipped.
                var root = reference.GetSyntax(cancellationToken);
                foreach (var node in root.DescendantNodes(n => n == root || !(n is LambdaExpressionSyntax || n is AnonymousMethodExpressionSyntax || n is LocalFunctionStatementSyntax)))
                {
                    if (node is YieldStatementSyntax)
                    {
                        return node;
                    }
                }
            }

            return null;
        }
    }
}
