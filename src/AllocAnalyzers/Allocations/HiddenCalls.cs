using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>What a call allocates that the code does not spell out, one answer per call (ALLOC107–110 share it).</summary>
    internal enum HiddenCall
    {
        None,
        /// <summary>A LINQ operator that builds an iterator or a collection (ALLOC108).</summary>
        LinqOperator,
        /// <summary>Another LINQ call (an aggregate: ALLOC108 reports its enumerator when it must enumerate, <see cref="LinqAggregates"/>).</summary>
        LinqAggregate,
        /// <summary>A source async method returning Task&lt;T&gt; (ALLOC110).</summary>
        AsyncTask,
        /// <summary>GetEnumerator called on an interface (ALLOC107).</summary>
        InterfaceEnumerator,
        /// <summary>A source iterator method (ALLOC109).</summary>
        Iterator,
    }

    /// <summary>
    /// Classifies a call for the hidden-allocation rules, in one order (a LINQ operator first, then an async method, an
    /// interface's GetEnumerator, an iterator), so that each call draws at most one of them.
    /// </summary>
    internal static class HiddenCalls
    {
        public static HiddenCall Classify(IInvocationOperation invocation, IteratorMethods iterators)
        {
            var method = invocation.TargetMethod;
            if (IsLinq(method))
            {
                return AllocatesPerCall(method) ? HiddenCall.LinqOperator : HiddenCall.LinqAggregate;
            }

            if (method.IsAsync && !method.DeclaringSyntaxReferences.IsEmpty && KnownTypeNames.TaskOfT.Matches(method.ReturnType))
            {
                return HiddenCall.AsyncTask;
            }

            if (method.Name == "GetEnumerator" && method.Parameters.IsEmpty && invocation.Instance?.WithoutConversions().Type is { TypeKind: TypeKind.Interface }
                && method.ReturnType.IsReferenceType)
            {
                return HiddenCall.InterfaceEnumerator;
            }

            return iterators.IsIterator(method) ? HiddenCall.Iterator : HiddenCall.None;
        }

        public static bool IsLinq(IMethodSymbol method)
            => KnownTypeNames.Enumerable.Matches(method.ContainingType);

        /// <summary>Operators that build an iterator or a collection (not Count/Any/First/Sum-style aggregates).</summary>
        public static bool AllocatesPerCall(IMethodSymbol method)
        {
            if (method.Name.StartsWith("To", System.StringComparison.Ordinal))
            {
                return true;
            }

            var returnType = method.ReturnType.OriginalDefinition;
            return returnType.Name is "IEnumerable" or "IOrderedEnumerable" or "IGrouping" && method.Name != "AsEnumerable" && method.Name != "Empty";
        }
    }
}
