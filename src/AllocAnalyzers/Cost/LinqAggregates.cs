using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// The LINQ aggregates (Any, Count, First, Sum, Max, Aggregate, ...) allocate no result, but an enumerator when they
    /// must enumerate the source, and whether they must depends on what the source is at run time. Measured on .NET 10
    /// (<c>LinqAggregateRuntimeProofTests</c>): Any(), Count() and Contains read a collection's Count or Contains; First(),
    /// Last(), ElementAt and Last(predicate) index a list; the other predicate forms, Sum, Min, Max, Average and Aggregate
    /// read an array or a List&lt;T&gt; as a span; every other source costs an enumerator (40 bytes for a list of one's
    /// own). The forms with a selector (Sum(x =&gt; ...), Max(x =&gt; ...)) enumerate every source. So a call is
    /// reported when its source's type is an interface, or when it enumerates whatever the source, with the exception in
    /// the message.
    /// </summary>
    internal static class LinqAggregates
    {
        private const string EveryEnumerator = "an enumerator object";

        /// <summary>What the call costs ("an enumerator object, unless …,"), or null when it allocates nothing.</summary>
        public static string? EnumeratorCost(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            if (!method.IsExtensionMethod || call.Arguments.Length == 0)
            {
                return null;
            }

            int parameters = method.Parameters.Length;
            bool selector = parameters == 2 && IsFunc(method.Parameters[1].Type, arity: 2) && !ReturnsBool(method.Parameters[1].Type);
            if (selector && method.Name is "Sum" or "Min" or "Max" or "Average")
            {
                return EveryEnumerator + ", whatever the source";
            }

            var source = call.Arguments[0].Value.WithoutConversions().Type;
            if (source is not { TypeKind: TypeKind.Interface })
            {
                return null;
            }

            bool predicate = parameters == 2 && IsFunc(method.Parameters[1].Type, arity: 2) && ReturnsBool(method.Parameters[1].Type);
            string? unless = method.Name switch
            {
                "Any" or "Count" or "LongCount" when parameters == 1 => "the source is a collection (its Count is read)",
                "Contains" when parameters == 2 => "the source is a collection (its Contains is called)",
                "First" or "FirstOrDefault" or "Last" or "LastOrDefault" when parameters == 1 => "the source is a list (it is indexed)",
                "ElementAt" or "ElementAtOrDefault" when parameters == 2 => "the source is a list (it is indexed)",
                "Last" or "LastOrDefault" when predicate => "the source is a list (it is indexed from the end)",
                "Any" or "All" or "Count" or "LongCount" or "First" or "FirstOrDefault" or "Single" or "SingleOrDefault" when predicate => ArrayOrList,
                "Sum" or "Min" or "Max" or "Average" when parameters == 1 => ArrayOrList,
                "Aggregate" when parameters == 2 => ArrayOrList,
                _ => null,
            };
            return unless == null ? null : EveryEnumerator + ", unless " + unless + ",";
        }

        private const string ArrayOrList = "the source is an array or a List<T> (read as a span)";

        private static bool IsFunc(ITypeSymbol type, int arity)
            => type is INamedTypeSymbol { Name: "Func", IsGenericType: true } func && func.TypeArguments.Length == arity && func.ContainingNamespace.IsNamed("System");

        private static bool ReturnsBool(ITypeSymbol type)
            => type is INamedTypeSymbol { TypeArguments.Length: > 0 } func && func.TypeArguments[func.TypeArguments.Length - 1].SpecialType == SpecialType.System_Boolean;
    }
}
