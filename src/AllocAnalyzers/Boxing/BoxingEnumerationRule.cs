using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// ALLOC204: <c>Enumerable.Cast&lt;T&gt;</c> or <c>OfType&lt;T&gt;</c> over a sequence of value types, which enumerates it
    /// as non-generic <c>IEnumerable</c> and boxes every element. ALLOC205: a Dictionary, HashSet or ConcurrentDictionary
    /// created with a struct key that has no equality members of its own and no comparer.
    /// </summary>
    internal sealed class BoxingEnumerationRule : OperationRule<BoxingScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BoxingEnumeration, Descriptors.StructKeyWithoutEquality);

        public override void AddChecks(OperationChecks<BoxingScope> checks)
        {
            checks.On(AnalyzeCastOrOfType, OperationKind.Invocation);
            checks.On(AnalyzeKeyedCollection, OperationKind.ObjectCreation);
        }

        private static void AnalyzeCastOrOfType(OperationAnalysisContext context, BoxingScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.Name is not ("Cast" or "OfType") || method.ContainingType?.Name != "Enumerable" || !method.ContainingType.ContainingNamespace.IsNamed("System.Linq")
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
            scope.Report(context, Descriptors.BoxingEnumeration, invocation, invocation.Syntax.GetLocation(), "'" + method.Name + "<" + BoxingRules.Describe(method.TypeArguments[0]) + ">'", element!, "object", cost, bytes);
        }

        private static void AnalyzeKeyedCollection(OperationAnalysisContext context, BoxingScope scope)
        {
            var creation = (IObjectCreationOperation)context.Operation;
            if (creation.Type is not INamedTypeSymbol { IsGenericType: true } type || !IsKeyedCollection(type) || HasComparerArgument(creation))
            {
                return;
            }

            var key = type.TypeArguments[0];
            if (!BoxingRules.IsConcreteValueType(key) || key.SpecialType != SpecialType.None || key.TypeKind == TypeKind.Enum || HasOwnEquality(key))
            {
                return;
            }

            string cost = scope.BoxCost(key, out int? bytes) + " per key hashed or compared";
            scope.Report(context, Descriptors.StructKeyWithoutEquality, creation, creation.Syntax.GetLocation(), "Every lookup in this " + type.Name, key, "object", cost, bytes,
                paidElsewhere: "paid wherever the collection is used");
        }

        private static bool IsKeyedCollection(INamedTypeSymbol type)
        {
            string ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            return (ns == "System.Collections.Generic" && type.MetadataName is "Dictionary`2" or "HashSet`1")
                   || (ns == "System.Collections.Concurrent" && type.MetadataName == "ConcurrentDictionary`2");
        }

        private static bool HasComparerArgument(IObjectCreationOperation creation)
        {
            foreach (var argument in creation.Arguments)
            {
                if (argument.Parameter?.Type.Name == "IEqualityComparer")
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>IEquatable&lt;T&gt; implemented, or both Equals(object) and GetHashCode overridden.</summary>
        private static bool HasOwnEquality(ITypeSymbol key)
        {
            foreach (var implemented in key.AllInterfaces)
            {
                if (implemented.MetadataName == "IEquatable`1" && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0], key))
                {
                    return true;
                }
            }

            bool equals = false;
            bool hash = false;
            foreach (var member in key.GetMembers())
            {
                if (member is IMethodSymbol { IsOverride: true } method)
                {
                    equals |= method.Name == "Equals" && method.Parameters.Length == 1;
                    hash |= method.Name == "GetHashCode" && method.Parameters.IsEmpty;
                }
            }

            return equals && hash;
        }

        private static ITypeSymbol? ElementType(ITypeSymbol? type)
        {
            if (type is IArrayTypeSymbol array)
            {
                return array.ElementType;
            }

            if (type is INamedTypeSymbol named && named.MetadataName == "IEnumerable`1")
            {
                return named.TypeArguments[0];
            }

            foreach (var implemented in type?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
            {
                if (implemented.MetadataName == "IEnumerable`1" && implemented.ContainingNamespace.IsNamed("System.Collections.Generic"))
                {
                    return implemented.TypeArguments[0];
                }
            }

            return null;
        }
    }
}
