using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// ALLOC401–ALLOC406: pool rentals (ArrayPool, ObjectPool, MemoryPool owners, configured pools) followed through
    /// each method's control-flow graph, its local functions and its lambdas (see <see cref="RentalFlowAnalysis"/>),
    /// plus uses of a rented array's full Length (<see cref="RentedLengthUses"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PoolRentalAnalyzer : AllocDiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            Descriptors.RentalNotReturned,
            Descriptors.RentalReturnedTwice,
            Descriptors.RentalUsedAfterReturn,
            Descriptors.RentalReturnedToOtherPool,
            Descriptors.RentedLengthAssumed,
            Descriptors.RentalReturnedWithoutClearing);

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var summaries = Escape.MethodSummaries.For(context.Compilation);
            context.RegisterOperationBlockStartAction(start =>
            {
                // The driver hands every invocation to us anyway: note a rent there, and build the control-flow graph at
                // the end of the block only when one was seen (most bodies rent nothing and cost nothing more).
                var tree = start.OwningSymbol.DeclaringTree();
                if (tree == null)
                {
                    return;
                }

                var options = start.Options.AnalyzerConfigOptionsProvider.ForTree(tree);
                var custom = AllocOptions.PoolMethods.Read(options);
                if (!RentMentions.MayRent(tree, custom, start.CancellationToken))
                {
                    return;
                }

                bool exceptionPaths = AllocOptions.RentalExceptionPaths.Read(options) == "all";
                int rents = 0;
                start.RegisterOperationAction(
                    c =>
                    {
                        if (PoolApi.IsRent((IInvocationOperation)c.Operation, custom, out _))
                        {
                            System.Threading.Interlocked.Increment(ref rents);
                        }
                    },
                    OperationKind.Invocation);
                start.RegisterOperationBlockEndAction(end =>
                {
                    if (System.Threading.Volatile.Read(ref rents) > 0)
                    {
                        AnalyzeBlock(end, custom, exceptionPaths, summaries);
                    }
                });
            });
        }

        private static void AnalyzeBlock(OperationBlockAnalysisContext context, ImmutableArray<(string Rent, string Return)> custom, bool exceptionPaths, Escape.MethodSummaries summaries)
        {
            var roots = new System.Collections.Generic.HashSet<IOperation>();
            foreach (var operationBlock in context.OperationBlocks)
            {
                var block = operationBlock.Root();

                if (!(block is IMethodBodyOperation || block is IConstructorBodyOperation || block is IBlockOperation) || !roots.Add(block))
                {
                    continue;
                }

                Analyze(context.GetControlFlowGraph(operationBlock), custom, exceptionPaths, summaries, context.ReportDiagnostic, context.CancellationToken, 0);
                RentedLengthUses.Analyze(block, custom, context.ReportDiagnostic);
            }
        }

        private static void Analyze(ControlFlowGraph graph, ImmutableArray<(string Rent, string Return)> custom, bool exceptionPaths, Escape.MethodSummaries summaries, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            new RentalFlowAnalysis(graph, custom, exceptionPaths, summaries, report).Run();
            if (depth > 16)
            {
                return;
            }

            foreach (var localFunction in graph.LocalFunctions)
            {
                Analyze(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), custom, exceptionPaths, summaries, report, cancellationToken, depth + 1);
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is IFlowAnonymousFunctionOperation function)
                        {
                            Analyze(graph.GetAnonymousFunctionControlFlowGraph(function, cancellationToken), custom, exceptionPaths, summaries, report, cancellationToken, depth + 1);
                        }
                    }
                }
            }
        }
    }
}
