using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// Allocations the code does not spell out: ALLOC107 the enumerator of a <c>foreach</c> over an interface-typed
    /// collection (or one whose enumerator is a class), ALLOC108 LINQ operators (and the enumerator of an aggregate
    /// that must enumerate, <see cref="LinqAggregates"/>), ALLOC109 iterator state machines
    /// (calls to iterator methods, and <c>yield</c> in hot code), ALLOC110 the Task&lt;T&gt; of async methods.
    /// </summary>
    internal sealed class HiddenAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(Descriptors.EnumeratorAllocation, Descriptors.LinqAllocation, Descriptors.IteratorAllocation, Descriptors.AsyncTaskAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeForEach, OperationKind.Loop);
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
            checks.On(AnalyzeYield, OperationKind.YieldReturn, OperationKind.YieldBreak);
            checks.On(AnalyzePropertyRead, OperationKind.PropertyReference);
        }

        private static void AnalyzeForEach(OperationAnalysisContext context, HotAllocationScope scope)
        {
            if (context.Operation is not IForEachLoopOperation { IsAsynchronous: false } loop || loop.Syntax is not ForEachStatementSyntax syntax
                || loop.SemanticModel == null)
            {
                return;
            }

            var collectionType = loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : loop.Collection.Type;
            if (collectionType == null || collectionType.TypeKind == TypeKind.Array || collectionType.SpecialType == SpecialType.System_String)
            {
                // Lowered to an index loop: no enumerator.
                return;
            }

            var enumerator = loop.SemanticModel.GetForEachStatementInfo(syntax).GetEnumeratorMethod?.ReturnType;
            if (enumerator == null || !enumerator.IsReferenceType || IsFreshIterator(loop.Collection.WithoutConversions(), scope))
            {
                return;
            }

            var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.ForEachKeyword.SpanStart, syntax.InKeyword.Span.End));
            string what = "foreach over " + collectionType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            string cost = enumerator.TypeKind == TypeKind.Interface ? "an enumerator object (a boxed struct enumerator or an iterator)" : "an enumerator object";
            scope.Report(context, Descriptors.EnumeratorAllocation, loop, location, what, cost, null, null);
        }

        /// <summary>
        /// A call to an iterator method, or to a LINQ operator that builds an iterator: its object is its own first
        /// enumerator (GetEnumerator on the thread that made it returns it), so the foreach allocates nothing more than
        /// the call, which ALLOC109 or ALLOC108 reports. One allocation, one diagnostic.
        /// </summary>
        private static bool IsFreshIterator(IOperation collection, HotAllocationScope scope)
            => (collection is IInvocationOperation call
                && (scope.Iterators.IsIterator(call.TargetMethod)
                    || (IsLinq(call.TargetMethod) && AllocatesPerCall(call.TargetMethod) && !call.TargetMethod.Name.StartsWith("To", System.StringComparison.Ordinal))))
               || (collection is IPropertyReferenceOperation { Property.GetMethod: { } getter } && scope.Iterators.IsIterator(getter));

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (IsLinq(method) && AllocatesPerCall(method))
            {
                bool materializes = method.Name.StartsWith("To", System.StringComparison.Ordinal);
                scope.Report(context, Descriptors.LinqAllocation, invocation, invocation.NameLocation(), "The LINQ call '" + method.Name + "'",
                    materializes ? "a new collection holding every element" : "an iterator object", null, invocation);
            }
            else if (IsLinq(method) && LinqAggregates.EnumeratorCost(invocation) is { } enumerator)
            {
                // The enumerator lives and dies inside the LINQ method: nothing of it reaches this method.
                scope.Report(context, Descriptors.LinqAllocation, invocation, invocation.NameLocation(), "The LINQ call '" + method.Name + "'",
                    enumerator, null, null, EscapeKind.Local);
            }
            else if (method.IsAsync && !method.DeclaringSyntaxReferences.IsEmpty && method.ReturnType is INamedTypeSymbol task
                     && KnownTypeNames.TaskOfT.Matches(task))
            {
                string what = "The call to async method '" + method.Name + "'";
                if (task.TypeArguments[0].SpecialType == SpecialType.System_Boolean)
                {
                    // Both results are cached tasks: a call that completes synchronously allocates nothing (measured).
                    scope.ReportCached(context, Descriptors.AsyncTaskAllocation, invocation, invocation.NameLocation(), what,
                        "nothing when it completes synchronously (the runtime caches the Task<bool> of both results), and a state machine box when it suspends");
                    return;
                }

                scope.Report(context, Descriptors.AsyncTaskAllocation, invocation, invocation.NameLocation(), what,
                    "a " + task.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " for each result the runtime does not cache (even when it completes synchronously), and a state machine box when it suspends",
                    null, invocation);
            }
            else if (method.Name == "GetEnumerator" && method.Parameters.IsEmpty && invocation.Instance?.WithoutConversions().Type is { TypeKind: TypeKind.Interface } receiver
                     && method.ReturnType.IsReferenceType)
            {
                // What foreach does, spelled out: an interface's enumerator is an object (ALLOC107's cost).
                scope.Report(context, Descriptors.EnumeratorAllocation, invocation, invocation.NameLocation(),
                    "The call to 'GetEnumerator' on " + receiver.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    "an enumerator object (a boxed struct enumerator or an iterator)", null, invocation);
            }
            else if (scope.Iterators.IsIterator(method))
            {
                scope.Report(context, Descriptors.IteratorAllocation, invocation, invocation.NameLocation(), "The call to iterator method '" + method.Name + "'",
                    "its state machine object", null, invocation);
            }
        }

        /// <summary>A read of a property whose getter is an iterator: a new state machine per read, like a call.</summary>
        private static void AnalyzePropertyRead(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var read = (IPropertyReferenceOperation)context.Operation;
            if (read.Property.GetMethod is { } getter && !IsAssignmentTarget(read) && scope.Iterators.IsIterator(getter))
            {
                scope.Report(context, Descriptors.IteratorAllocation, read, read.Syntax.GetLocation(), "The read of iterator property '" + read.Property.Name + "'",
                    "its state machine object", null, read);
            }
        }

        private static bool IsAssignmentTarget(IOperation operation)
            => operation.Parent is IAssignmentOperation assignment && assignment.Target == operation;

        private static void AnalyzeYield(OperationAnalysisContext context, HotAllocationScope scope)
        {
            // Report the hot iterator once, at its first yield.
            var operation = context.Operation;
            // A local iterator is reported at its calls instead, which are in the same member: one allocation, one diagnostic.
            if (operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart, context.CancellationToken) is IMethodSymbol { MethodKind: not MethodKind.LocalFunction } method
                && IteratorMethods.FirstYield(method, context.CancellationToken) is { } first && first.Span == operation.Syntax.Span)
            {
                string what = method.AssociatedSymbol is IPropertySymbol property ? "The hot iterator property '" + property.Name + "'" : "The hot iterator method '" + method.Name + "'";
                scope.Report(context, Descriptors.IteratorAllocation, operation, operation.Syntax.GetLocation(), what,
                    "its state machine object", null, null, EscapeKind.Returned, EscapeAnalysis.ReturnedDirectly);
            }
        }

        private static bool IsLinq(IMethodSymbol method)
            => KnownTypeNames.Enumerable.Matches(method.ContainingType);

        /// <summary>Operators that build an iterator or a collection (not Count/Any/First/Sum-style aggregates).</summary>
        private static bool AllocatesPerCall(IMethodSymbol method)
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
