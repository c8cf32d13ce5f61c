using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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
        /// <summary>"true" when the try/finally fix may be offered (no ownership transfer, no alias).</summary>
        public const string FixableProperty = "Fixable";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            Descriptors.RentalNotReturned,
            Descriptors.RentalReturnedTwice,
            Descriptors.RentalUsedAfterReturn,
            Descriptors.RentalReturnedToOtherPool,
            Descriptors.RentedLengthAssumed,
            Descriptors.RentalReturnedWithoutClearing);

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
            => context.RegisterOperationBlockStartAction(start =>
            {
                // The driver hands every invocation to us anyway: note a rent there, and build the control-flow graph at
                // the end of the block only when one was seen (most bodies rent nothing and cost nothing more).
                var tree = start.OwningSymbol.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree;
                if (tree == null)
                {
                    return;
                }

                var options = start.Options.AnalyzerConfigOptionsProvider.ForTree(tree);
                var custom = AllocOptions.PoolMethods.Read(options);
                if (!MayRent(start.OperationBlocks, custom, start.CancellationToken))
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
                        AnalyzeBlock(end, custom, exceptionPaths);
                    }
                });
            });

        /// <summary>
        /// A body that never names a rent method (<c>Rent</c>, <c>Get</c> or a configured one) rents nothing: one pass
        /// over its tokens decides that before any operation callback is registered for it.
        /// </summary>
        private static bool MayRent(ImmutableArray<IOperation> blocks, ImmutableArray<(string Rent, string Return)> custom, System.Threading.CancellationToken cancellationToken)
        {
            foreach (var block in blocks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var token in block.Syntax.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && IsRentName(token.ValueText, custom))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool IsRentName(string name, ImmutableArray<(string Rent, string Return)> custom)
        {
            if (name == "Rent" || name == "Get")
            {
                return true;
            }

            foreach (var pair in custom)
            {
                int dot = pair.Rent.LastIndexOf('.');
                if (pair.Rent.Length - dot - 1 == name.Length && string.CompareOrdinal(pair.Rent, dot + 1, name, 0, name.Length) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static void AnalyzeBlock(OperationBlockAnalysisContext context, ImmutableArray<(string Rent, string Return)> custom, bool exceptionPaths)
        {
            var roots = new System.Collections.Generic.HashSet<IOperation>();
            foreach (var operationBlock in context.OperationBlocks)
            {
                var block = operationBlock;
                while (block.Parent != null)
                {
                    block = block.Parent;
                }

                if (!(block is IMethodBodyOperation || block is IConstructorBodyOperation || block is IBlockOperation) || !roots.Add(block))
                {
                    continue;
                }

                Analyze(context.GetControlFlowGraph(operationBlock), custom, exceptionPaths, context.ReportDiagnostic, context.CancellationToken, 0);
                RentedLengthUses.Analyze(block, custom, context.ReportDiagnostic);
            }
        }

        private static void Analyze(ControlFlowGraph graph, ImmutableArray<(string Rent, string Return)> custom, bool exceptionPaths, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            new RentalFlowAnalysis(graph, custom, exceptionPaths, report).Run();
            if (depth > 16)
            {
                return;
            }

            foreach (var localFunction in graph.LocalFunctions)
            {
                Analyze(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), custom, exceptionPaths, report, cancellationToken, depth + 1);
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is IFlowAnonymousFunctionOperation function)
                        {
                            Analyze(graph.GetAnonymousFunctionControlFlowGraph(function, cancellationToken), custom, exceptionPaths, report, cancellationToken, depth + 1);
                        }
                    }
                }
            }
        }
    }
}
