using System.Collections.Immutable;
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
            string what = operation is IAnonymousObjectCreationOperation ? "The anonymous type 'new { ... }'" : "'new " + type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'";
            scope.Report(context, Descriptors.ObjectAllocation, operation, operation.Syntax.GetLocation(), what, scope.Cost(bytes, "a new object"), bytes, operation);
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

            what ??= "'new " + arrayType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'";
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
            if (target == null || target.IsValueType || target.TypeKind == TypeKind.Error)
            {
                // Span<T>, ReadOnlySpan<T>, ImmutableArray<T> builders on the stack, inline arrays: no heap array.
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
            scope.Report(context, Descriptors.ArrayAllocation, operation, syntax.GetLocation(), "The collection expression building " + target.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), cost, bytes, operation);
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
