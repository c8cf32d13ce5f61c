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

            // Which callees can be summarised (one body, not overridable, not async, ...) is CalleeAllocations' call; here
            // only those of this compilation with a declaration to read a cold marker from, called from hot code.
            if (callee.DeclaringSyntaxReferences.Length != 1 || !SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, context.Compilation.Assembly)
                || !scope.IsHot(invocation, out _))
            {
                return;
            }

            // A hot callee's sites are reported where they are (with everything hot, every callee: the answer is cached per
            // body). A cold-marked one's cost is accepted.
            if (HotCode.For(callee.OriginalDefinition, context.Options, scope.KnownTypes, context.CancellationToken) != null
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
