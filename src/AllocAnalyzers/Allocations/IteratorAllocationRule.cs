using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC109: iterator state machines: calls to iterator methods, reads of iterator properties, and a hot iterator
    /// itself (at its first <c>yield</c>).
    /// </summary>
    internal sealed class IteratorAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.IteratorAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
            checks.On(AnalyzeYield, OperationKind.YieldReturn, OperationKind.YieldBreak);
            checks.On(AnalyzePropertyRead, OperationKind.PropertyReference);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (scope.HiddenCallOf(invocation) == HiddenCall.Iterator)
            {
                scope.Report(context, Descriptors.IteratorAllocation, invocation, invocation.NameLocation(), "The call to iterator method '" + invocation.TargetMethod.Name + "'",
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
    }
}
