using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers
{
    /// <summary>
    /// Span views of an array (<c>array.AsSpan(…)</c>, or the implicit conversion to <c>Span&lt;T&gt;</c> or
    /// <c>ReadOnlySpan&lt;T&gt;</c>) and whether a call that receives one can keep it. A span is a ref struct: a callee
    /// can hold on to it only by handing it back, through its result or a ref-like <c>ref</c>/<c>out</c> parameter.
    /// </summary>
    internal static class SpanViews
    {
        /// <summary>The span-typed operation made from <paramref name="array"/>, when its consumer only views it.</summary>
        public static IOperation? ViewOf(IOperation array)
        {
            if (array.Parent is IConversionOperation { Type: { IsRefLikeType: true } } conversion && KnownTypeNames.IsSpan(conversion.Type))
            {
                return conversion;
            }

            if (array.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "AsSpan", IsExtensionMethod: true } } invocation } argument
                && invocation.Arguments.Length > 0 && invocation.Arguments[0] == argument
                && KnownTypeNames.MemoryExtensions.Matches(invocation.TargetMethod.ContainingType))
            {
                return invocation;
            }

            return null;
        }

        /// <summary>True when <paramref name="method"/> cannot return or store a span passed to it.</summary>
        public static bool CannotKeep(IMethodSymbol? method)
        {
            if (method == null || method.ReturnsByRef || method.ReturnsByRefReadonly || method.ReturnType.IsRefLikeType)
            {
                return false;
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind is RefKind.Ref or RefKind.Out && parameter.Type.IsRefLikeType)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
