using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// ALLOC401–ALLOC406: each rental followed through the method's control-flow graph, its local functions and its
    /// lambdas (<see cref="RentalFlowAnalysis"/>), plus uses of a rented array's full Length
    /// (<see cref="RentedLengthUses"/>). The driver hands every invocation to the family anyway: a rent is noted there,
    /// and the graph is built at the end of the block only when one was seen (most bodies rent nothing).
    /// </summary>
    internal sealed class RentalRule : OperationRule<RentalScope>
    {
        private const int MaxNestedFunctions = 16;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            Descriptors.RentalNotReturned,
            Descriptors.RentalReturnedTwice,
            Descriptors.RentalUsedAfterReturn,
            Descriptors.RentalReturnedToOtherPool,
            Descriptors.RentedLengthAssumed,
            Descriptors.RentalReturnedWithoutClearing);

        public override void AddChecks(OperationChecks<RentalScope> checks)
        {
            checks.On(NoteRent, OperationKind.Invocation);
            checks.AtBlockEnd(AnalyzeBlock);
        }

        private static void NoteRent(OperationAnalysisContext context, RentalScope scope)
        {
            if (PoolApi.IsRent((IInvocationOperation)context.Operation, scope.CustomPools, out _))
            {
                scope.NoteRent();
            }
        }

        private static void AnalyzeBlock(OperationBlockAnalysisContext context, RentalScope scope)
        {
            if (!scope.SawRent)
            {
                return;
            }

            var roots = new HashSet<IOperation>();
            foreach (var operationBlock in context.OperationBlocks)
            {
                var block = operationBlock.Root();
                if (!(block is IMethodBodyOperation || block is IConstructorBodyOperation || block is IBlockOperation) || !roots.Add(block))
                {
                    continue;
                }

                Analyze(context.GetControlFlowGraph(operationBlock), scope, context.ReportDiagnostic, context.CancellationToken, 0);
                RentedLengthUses.Analyze(block, scope.CustomPools, context.ReportDiagnostic);
            }
        }

        private static void Analyze(ControlFlowGraph graph, RentalScope scope, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            new RentalFlowAnalysis(graph, scope.CustomPools, scope.ExceptionPaths, scope.Summaries, report).Run();
            if (depth > MaxNestedFunctions)
            {
                return;
            }

            foreach (var localFunction in graph.LocalFunctions)
            {
                Analyze(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), scope, report, cancellationToken, depth + 1);
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is IFlowAnonymousFunctionOperation function)
                        {
                            Analyze(graph.GetAnonymousFunctionControlFlowGraph(function, cancellationToken), scope, report, cancellationToken, depth + 1);
                        }
                    }
                }
            }
        }
    }
}
