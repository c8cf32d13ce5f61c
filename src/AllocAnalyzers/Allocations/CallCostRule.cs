using System.Collections.Immutable;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC112: a call from hot code to a method of the same compilation that is not hot itself (so none of its
    /// allocations is reported where it is) and that allocates on every call (<see cref="CalleeAllocations"/>). Not
    /// reported for a callee marked cold (<c>[ColdPath]</c>, <c>[HotPath(false)]</c>): the user said its cost is accepted.
    /// </summary>
    internal sealed class CallCostRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CallAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks) => checks.On(AnalyzeInvocation, OperationKind.Invocation);

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var callee = invocation.TargetMethod;
            if (callee.DeclaringSyntaxReferences.Length != 1 || callee.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction
                || invocation.IsVirtual && !(callee.IsSealed || callee.ContainingType.IsSealed || callee.ContainingType.IsValueType)
                || !SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, context.Compilation.Assembly))
            {
                return;
            }

            // Hot callees first (with everything hot, that is every call, and the answer is a lookup).
            if (scope.Model.IsHot(callee.OriginalDefinition, context.CancellationToken, out _)
                || HotPathMarkers.FindEnclosing(callee.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken), out _) == HotMarker.Cold)
            {
                return;
            }

            var cost = scope.Callees.Of(callee, context.CancellationToken);
            if (cost.Count > 0)
            {
                scope.ReportCall(context, invocation, invocation.NameLocation(), cost);
            }
        }
    }
}
