using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC101 objects (<c>new</c> of a class, target-typed <c>new()</c>, initializers, anonymous types, <c>with</c> on a
    /// record class), ALLOC102 arrays (<c>new T[n]</c>, <c>new[] { }</c>, collection expressions that build an array or
    /// collection) and ALLOC103 params arrays at call sites, on hot paths.
    /// </summary>
    internal sealed class ObjectAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(Descriptors.ObjectAllocation, Descriptors.ArrayAllocation, Descriptors.ParamsAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeObjectCreation, OperationKind.ObjectCreation, OperationKind.AnonymousObjectCreation);
            checks.On(AnalyzeWith, OperationKind.With);
            checks.On(AnalyzeArrayCreation, OperationKind.ArrayCreation);
            checks.On(AnalyzeOtherOperation, CollectionExpressionKinds);
        }

        /// <summary>
        /// Collection expressions: <c>OperationKind.CollectionExpression</c> on the Roslyn that runs us when it has it
        /// (4.9+), and the untyped operation the 4.8 floor gives them.
        /// </summary>
        private static readonly OperationKind[] CollectionExpressionKinds =
            System.Enum.TryParse<OperationKind>("CollectionExpression", out var kind)
                ? new[] { OperationKind.None, kind }
                : new[] { OperationKind.None };

        private static void AnalyzeObjectCreation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var operation = context.Operation;
            var type = operation.Type;
            if (type == null || !type.IsReferenceType || type.TypeKind == TypeKind.Delegate)
            {
                return;
            }

            int? bytes = AllocationCost.ObjectBytes(scope.Engine, type);
            string what = operation is IAnonymousObjectCreationOperation ? "The anonymous type 'new { ... }'" : "'new " + scope.Display.Of(type) + "'";
            scope.Report(context, Descriptors.ObjectAllocation, operation, operation.Syntax.GetLocation(), what, scope.Cost(bytes, "a new object"), bytes, operation,
                addendum: ConstructorCost(operation, scope, context));
        }

        /// <summary>
        /// What the constructor (its body, the field and property initializers it runs, its base constructor) allocates on
        /// every construction, for the types of this compilation: "; its constructor allocates 32 bytes (new List&lt;int&gt; at Basket.cs:3)".
        /// </summary>
        private static string ConstructorCost(IOperation operation, HotAllocationScope scope, OperationAnalysisContext context)
        {
            if (operation is not IObjectCreationOperation { Constructor: { } constructor }
                || !SymbolEqualityComparer.Default.Equals(constructor.ContainingAssembly, context.Compilation.Assembly)
                || !scope.IsHot(operation, out _))
            {
                return string.Empty;
            }

            var cost = scope.Callees.Of(constructor, context.CancellationToken);
            return cost.Count == 0 ? string.Empty : "; its constructor allocates " + cost.Describe() + " on every construction";
        }

        private static void AnalyzeWith(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var operation = (IWithOperation)context.Operation;
            if (operation.Type is { IsReferenceType: true } type)
            {
                int? bytes = AllocationCost.ObjectBytes(scope.Engine, type);
                scope.Report(context, Descriptors.ObjectAllocation, operation, operation.Syntax.GetLocation(), "The 'with' copy of record '" + type.Name + "'", scope.Cost(bytes, "a new object"), bytes, operation);
            }
        }

        private static void AnalyzeArrayCreation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var operation = (IArrayCreationOperation)context.Operation;
            if (operation.Type is not IArrayTypeSymbol arrayType)
            {
                return;
            }

            if (operation.IsImplicit && operation.Syntax is InitializerExpressionSyntax initializer && initializer.IsKind(SyntaxKind.ArrayInitializerExpression))
            {
                // int[] a = { 1, 2 }; a new array as much as new[] { 1, 2 } is, without the word new.
                ReportArray(context, scope, operation, arrayType, Descriptors.ArrayAllocation, operation.Syntax.GetLocation(),
                    "The array initializer of '" + scope.Display.Of(arrayType) + "'");
                return;
            }

            if (operation.IsImplicit)
            {
                // The compiler's params array: Array.Empty<T>() when there are no arguments.
                if (operation.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray } argument
                    && !(operation.DimensionSizes.Length == 1 && operation.DimensionSizes[0].ConstantValue is { HasValue: true, Value: 0 }))
                {
                    var call = argument.Parent;
                    string name = call is IInvocationOperation invocation ? invocation.TargetMethod.Name
                        : call is IObjectCreationOperation creation ? creation.Type?.Name ?? "constructor" : "the call";
                    ReportArray(context, scope, operation, arrayType, Descriptors.ParamsAllocation, call?.Syntax.GetLocation() ?? operation.Syntax.GetLocation(), "The params array of the call to '" + name + "'");
                }

                return;
            }

            ReportArray(context, scope, operation, arrayType, Descriptors.ArrayAllocation, operation.Syntax.GetLocation(), null);
        }

        private static void ReportArray(OperationAnalysisContext context, HotAllocationScope scope, IArrayCreationOperation operation, IArrayTypeSymbol arrayType, DiagnosticDescriptor descriptor, Location location, string? what)
        {
            int? bytes = null;
            string cost;
            if (arrayType.Rank == 1 && operation.DimensionSizes.Length == 1 && operation.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int length })
            {
                bytes = AllocationCost.ArrayBytes(scope.Engine, arrayType.ElementType, length);
                cost = scope.Cost(bytes, "an array");
            }
            else
            {
                cost = arrayType.Rank == 1 ? AllocationCost.ArrayFormula(scope.Engine, arrayType.ElementType) : "a multi-dimensional array";
            }

            what ??= "'new " + scope.Display.Of(arrayType) + "'";
            scope.Report(context, descriptor, operation, location, what, cost, bytes, operation);
        }

        /// <summary>Collection expressions (an operation kind newer than the Roslyn this package compiles against).</summary>
        private static void AnalyzeOtherOperation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var operation = context.Operation;
            if (operation.IsImplicit && operation.Parent is IArgumentOperation argument && argument.ArgumentKind.ToString() == "ParamCollection")
            {
                // C# 13 params collection (List<T>, IEnumerable<T>, ...): built per call, unless it is a span.
                if (operation.Type is { IsValueType: false } collection && !IsEmptyCollection(operation))
                {
                    string name = argument.Parent is IInvocationOperation invocation ? invocation.TargetMethod.Name : "the call";
                    scope.Report(context, Descriptors.ParamsAllocation, operation, argument.Parent?.Syntax.GetLocation() ?? operation.Syntax.GetLocation(),
                        "The params collection of the call to '" + name + "'", "a new " + collection.Name + " and its storage", null, operation);
                }

                return;
            }

            if (operation.Syntax is not CollectionExpressionSyntax syntax || (operation.Parent?.Syntax == syntax && operation.Parent.Kind == operation.Kind))
            {
                return;
            }

            AnalyzeCollectionExpression(context, scope, operation, syntax);
        }

        internal static void AnalyzeCollectionExpression(OperationAnalysisContext context, HotAllocationScope scope, IOperation operation, CollectionExpressionSyntax syntax)
        {
            var target = operation.Type ?? operation.SemanticModel?.GetTypeInfo(syntax, context.CancellationToken).ConvertedType;
            if (target == null || target.TypeKind == TypeKind.Error)
            {
                return;
            }

            string? gathered = operation.SemanticModel == null ? null : UncountedSpread(syntax, operation.SemanticModel, context.CancellationToken);
            if (target.IsValueType)
            {
                // Span<T> and ReadOnlySpan<T> of constant length live in an inline array on the stack; with a spread the
                // length is known only at run time, and the storage is a heap array (measured: [..numbers, 3] as a
                // ReadOnlySpan<int> allocates the int[5]), or a List<T> that gathers a spread it cannot count.
                if (HasSpread(syntax) && KnownTypeNames.IsSpan(target))
                {
                    string what = "The collection expression building " + scope.Display.Of(target);
                    scope.Report(context, Descriptors.ArrayAllocation, operation, syntax.GetLocation(), what,
                        gathered == null ? "an array (with a spread, the span's storage is on the heap)" : "a List<T>, its storage and an enumerator to gather the spread of '" + gathered + "'",
                        null, operation);
                }

                return;
            }

            bool empty = syntax.Elements.Count == 0;
            if (empty && (target is IArrayTypeSymbol || target.TypeKind == TypeKind.Interface))
            {
                // [] as T[] or as IEnumerable<T>/IReadOnlyList<T>: Array.Empty<T>().
                return;
            }

            int? bytes = null;
            if (target is IArrayTypeSymbol array && !HasSpread(syntax))
            {
                bytes = AllocationCost.ArrayBytes(scope.Engine, array.ElementType, syntax.Elements.Count);
            }

            string cost = bytes != null ? AllocationCost.Bytes(bytes.Value) : target is IArrayTypeSymbol ? "an array" : "a new " + target.Name + " and its storage";
            if (gathered != null && !(target is IArrayTypeSymbol && syntax.Elements.Count == 1))
            {
                // A spread without Count or Length: enumerated (an enumerator), and for an array gathered in a List<T>
                // first (measured: [..sequence, 3] allocates 176 bytes where [..array, 3] allocates the 48-byte array).
                // A lone spread into an array is ToArray(), which a collection copies without enumerating.
                cost += target is IArrayTypeSymbol
                    ? ", and a List<T>, its storage and an enumerator to gather the spread of '" + gathered + "'"
                    : ", and an enumerator for the spread of '" + gathered + "'";
            }

            scope.Report(context, Descriptors.ArrayAllocation, operation, syntax.GetLocation(), "The collection expression building " + scope.Display.Of(target), cost, bytes, operation);
        }

        /// <summary>A params collection with no elements (the compiler passes an empty collection; it may still allocate for List).</summary>
        private static bool IsEmptyCollection(IOperation operation)
        {
            foreach (var _ in operation.ChildOperations)
            {
                return false;
            }

            return operation.Type?.TypeKind == TypeKind.Interface;
        }

        /// <summary>The first spread whose type has no Count or Length (an IEnumerable&lt;T&gt;): it must be enumerated.</summary>
        private static string? UncountedSpread(CollectionExpressionSyntax syntax, SemanticModel model, System.Threading.CancellationToken cancellationToken)
        {
            foreach (var element in syntax.Elements)
            {
                if (element is SpreadElementSyntax spread && model.GetTypeInfo(spread.Expression, cancellationToken).Type is { } type
                    && type.TypeKind != TypeKind.Error && !IsCountable(type))
                {
                    return spread.Expression.ToString();
                }
            }

            return null;
        }

        private static bool IsCountable(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol || KnownTypeNames.IsSpan(type))
            {
                return true;
            }

            for (var t = type; t != null; t = t.BaseType)
            {
                if (HasCount(t))
                {
                    return true;
                }
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (HasCount(implemented))
                {
                    return true;
                }
            }

            return false;
        }

        private static readonly string[] CountNames = { "Count", "Length" };

        private static bool HasCount(ITypeSymbol type)
        {
            foreach (var name in CountNames)
            {
                foreach (var member in type.GetMembers(name))
                {
                    if (member is IPropertySymbol { IsStatic: false, Type.SpecialType: SpecialType.System_Int32 })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool HasSpread(CollectionExpressionSyntax syntax)
        {
            foreach (var element in syntax.Elements)
            {
                if (element.IsKind(SyntaxKind.SpreadElement))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
