using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// ALLOC204: <c>Enumerable.Cast&lt;T&gt;</c> or <c>OfType&lt;T&gt;</c> over a sequence of value types, which enumerates it
    /// as non-generic <c>IEnumerable</c> and boxes every element.
    /// </summary>
    internal sealed class BoxingEnumerationRule : OperationRule<BoxingScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BoxingEnumeration);

        public override void AddChecks(OperationChecks<BoxingScope> checks)
        {
            checks.On(AnalyzeCastOrOfType, OperationKind.Invocation);
        }

        private static void AnalyzeCastOrOfType(OperationAnalysisContext context, BoxingScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.Name is not ("Cast" or "OfType") || !KnownTypeNames.Enumerable.Matches(method.ContainingType)
                || invocation.Arguments.Length != 1 || method.TypeArguments.Length != 1)
            {
                return;
            }

            var source = invocation.Arguments[0].Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : invocation.Arguments[0].Value.Type;
            var element = ElementType(source);
            if (!BoxingRules.IsConcreteValueType(element)
                || (method.Name == "Cast" && SymbolEqualityComparer.Default.Equals(element, method.TypeArguments[0])))
            {
                return;
            }

            string cost = scope.BoxCost(element!, out int? bytes) + " per element";
            scope.Report(context, Descriptors.BoxingEnumeration, invocation, invocation.Syntax.GetLocation(), "'" + method.Name + "<" + scope.Display.Of(method.TypeArguments[0]) + ">'", element!, "object", cost, bytes);
        }

        private static ITypeSymbol? ElementType(ITypeSymbol? type)
        {
            if (type is IArrayTypeSymbol array)
            {
                return array.ElementType;
            }

            if (type is INamedTypeSymbol named && KnownTypeNames.IEnumerableOfT.Matches(named))
            {
                return named.TypeArguments[0];
            }

            foreach (var implemented in type?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
            {
                if (KnownTypeNames.IEnumerableOfT.Matches(implemented))
                {
                    return implemented.TypeArguments[0];
                }
            }

            return null;
        }
    }
}
