using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC108: LINQ operators that build an iterator or a collection, and the enumerator of an aggregate that must
    /// enumerate its source (<see cref="LinqAggregates"/>).
    /// </summary>
    internal sealed class LinqAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.LinqAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            switch (scope.HiddenCallOf(invocation))
            {
                case HiddenCall.LinqOperator:
                    bool materializes = method.Name.StartsWith("To", System.StringComparison.Ordinal);
                    scope.Report(context, Descriptors.LinqAllocation, invocation, invocation.NameLocation(), "The LINQ call '" + method.Name + "'",
                        materializes ? "a new collection holding every element" : "an iterator object", null, invocation);
                    break;
                case HiddenCall.LinqAggregate when LinqAggregates.EnumeratorCost(invocation) is { } enumerator:
                    // The enumerator lives and dies inside the LINQ method: nothing of it reaches this method.
                    scope.Report(context, Descriptors.LinqAllocation, invocation, invocation.NameLocation(), "The LINQ call '" + method.Name + "'",
                        enumerator, null, null, EscapeKind.Local);
                    break;
            }
        }
    }
}
