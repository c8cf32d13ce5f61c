using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Escape;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// Forward data-flow over one control-flow graph (<see cref="RentalFlowState"/>: for every rental, the set of states
    /// it may be in; for every local, the rentals it may hold), joined at merges and iterated to a fixed point (loops
    /// included). <c>finally</c> regions are applied on every branch that runs them (return, break, continue, goto) and
    /// on every exception path; <c>catch</c> regions start from every state of their <c>try</c>. What one operation does is
    /// <see cref="RentalTransfer"/>'s; a final replay of each block reports through <see cref="RentalReporter"/>: not
    /// returned at an exit (ALLOC401), returned twice (ALLOC402), used after return (ALLOC403), returned to another
    /// pool (ALLOC404), an array of references returned uncleared (ALLOC406).
    /// </summary>
    internal sealed class RentalFlowAnalysis
    {
        /// <summary>Rentals are bits of a 64-bit holding set: a method with more is not analysed.</summary>
        private const int MaxRentals = 64;

        private readonly ControlFlowGraph _graph;
        private readonly ImmutableArray<(string Rent, string Return)> _custom;
        private readonly RentalReporter _reporter;
        private readonly List<Rental> _rentals = new List<Rental>();
        private readonly Dictionary<ILocalSymbol, int> _locals = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
        private readonly bool _exceptionPaths;
        private readonly MethodSummaries _summaries;
        private RentalTransfer _transfer = null!;

        public RentalFlowAnalysis(ControlFlowGraph graph, ImmutableArray<(string Rent, string Return)> custom, bool exceptionPaths, MethodSummaries summaries, Action<Diagnostic> report)
        {
            _graph = graph;
            _custom = custom;
            _exceptionPaths = exceptionPaths;
            _summaries = summaries;
            _reporter = new RentalReporter(report);
        }

        public void Run()
        {
            Discover();
            if (_rentals.Count == 0 || _rentals.Count > MaxRentals)
            {
                return;
            }

            // Only a body that rents into a local pays for the index of its variables.
            var walk = new EscapeAnalysis.Walk(VariableReferences.Create(_graph.OriginalOperation), _summaries, null, null);
            _transfer = new RentalTransfer(_rentals, _locals, _custom, _reporter, walk, _exceptionPaths, (block, state) => ApplyEnclosingFinally(block, null, state));

            var blocks = _graph.Blocks;
            var inStates = new RentalFlowState?[blocks.Length];
            var outStates = new RentalFlowState?[blocks.Length];
            inStates[0] = RentalFlowState.Entry(_rentals.Count, _locals.Count);
            bool changed = true;
            for (int iteration = 0; changed && iteration < 200; iteration++)
            {
                changed = false;
                foreach (var block in blocks)
                {
                    var input = block.Ordinal == 0 ? inStates[0] : Join(block, inStates, outStates);
                    if (input == null)
                    {
                        continue;
                    }

                    inStates[block.Ordinal] = input;
                    var output = Transfer(block, input.Clone());
                    if (!output.Equals(outStates[block.Ordinal]))
                    {
                        outStates[block.Ordinal] = output;
                        changed = true;
                    }
                }
            }

            _reporter.Reporting = true;
            foreach (var block in blocks)
            {
                if (inStates[block.Ordinal] is { } input)
                {
                    Transfer(block, input.Clone());
                }
            }

            ReportExits(blocks, outStates);
        }

        /// <summary>The rentals (rent calls assigned to a local) and the locals that may hold one (assigned a rent or such a local).</summary>
        private void Discover()
        {
            var assignments = new List<ISimpleAssignmentOperation>();
            foreach (var block in _graph.Blocks)
            {
                foreach (var operation in Operations(block))
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local.RefKind: RefKind.None } } assignment)
                        {
                            assignments.Add(assignment);
                        }
                    }
                }
            }

            for (bool grew = true; grew;)
            {
                grew = false;
                foreach (var assignment in assignments)
                {
                    var local = ((ILocalReferenceOperation)assignment.Target).Local;
                    var value = assignment.Value.WithoutConversions();
                    if (value is IInvocationOperation invocation && PoolApi.IsRent(invocation, _custom, out var kind))
                    {
                        if (!_rentals.Any(r => r.Rent == invocation))
                        {
                            _rentals.Add(new Rental(_rentals.Count, local, invocation, kind));
                        }
                    }
                    else if (!(value is ILocalReferenceOperation source && _locals.ContainsKey(source.Local)))
                    {
                        continue;
                    }

                    if (!_locals.ContainsKey(local))
                    {
                        _locals.Add(local, _locals.Count);
                        grew = true;
                    }
                }
            }
        }

        private RentalFlowState? Join(BasicBlock block, RentalFlowState?[] inStates, RentalFlowState?[] outStates)
        {
            RentalFlowState? joined = null;
            foreach (var predecessor in block.Predecessors)
            {
                if (outStates[predecessor.Source.Ordinal] is { } state)
                {
                    joined = RentalFlowState.Join(joined, ApplyFinally(predecessor, state));
                }
            }

            // A catch region starts from any state of its try region.
            if (block.EnclosingRegion is { Kind: ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler } handler && handler.FirstBlockOrdinal == block.Ordinal
                && handler.EnclosingRegion is { } tryCatch && tryCatch.NestedRegions.Length > 0)
            {
                var tryRegion = tryCatch.NestedRegions[0];
                for (int i = tryRegion.FirstBlockOrdinal; i <= tryRegion.LastBlockOrdinal; i++)
                {
                    // An exception thrown in a nested try runs that try's finally before it reaches this catch; code inside
                    // a finally (which only returns rentals) is not taken to throw.
                    if (inStates[i] is { } state && !IsInFinally(_graph.Blocks[i], tryRegion))
                    {
                        joined = RentalFlowState.Join(joined, ApplyEnclosingFinally(_graph.Blocks[i], tryRegion, state));
                    }
                }
            }

            // A finally region is applied on the branches that run it; its blocks are replayed from the try's states.
            if (block.EnclosingRegion is { Kind: ControlFlowRegionKind.Finally } finallyRegion && finallyRegion.FirstBlockOrdinal == block.Ordinal
                && finallyRegion.EnclosingRegion is { } tryFinally && tryFinally.NestedRegions.Length > 0)
            {
                var tryRegion = tryFinally.NestedRegions[0];
                for (int i = tryRegion.FirstBlockOrdinal; i <= tryRegion.LastBlockOrdinal; i++)
                {
                    joined = RentalFlowState.Join(joined, outStates[i]);
                }
            }

            return joined;
        }

        private RentalFlowState ApplyFinally(ControlFlowBranch branch, RentalFlowState state)
            => branch.FinallyRegions.IsEmpty ? state : ApplyFinallyRegions(branch.FinallyRegions, state);

        /// <summary>
        /// The state as control leaves the method through <paramref name="branch"/>: after the finally regions it runs.
        /// A throw's branch lists none (the graph leaves exception dispatch out), yet every finally around the throw
        /// runs as the exception propagates.
        /// </summary>
        private RentalFlowState StateLeaving(BasicBlock block, ControlFlowBranch branch, RentalFlowState state)
            => branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow
                ? ApplyEnclosingFinally(block, null, state)
                : ApplyFinally(branch, state);

        private static bool IsInFinally(BasicBlock block, ControlFlowRegion outer)
        {
            for (var region = block.EnclosingRegion; region != null && region != outer; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Finally)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The state after the finally regions between <paramref name="block"/> and <paramref name="outer"/> (null: the method) run.</summary>
        private RentalFlowState ApplyEnclosingFinally(BasicBlock block, ControlFlowRegion? outer, RentalFlowState state)
        {
            var finallyRegions = ImmutableArray.CreateBuilder<ControlFlowRegion>();
            for (var region = block.EnclosingRegion; region != null && region != outer; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndFinally } tryFinally)
                {
                    finallyRegions.Add(tryFinally.NestedRegions[1]);
                }
            }

            return finallyRegions.Count == 0 ? state : ApplyFinallyRegions(finallyRegions.ToImmutable(), state);
        }

        private RentalFlowState ApplyFinallyRegions(ImmutableArray<ControlFlowRegion> regions, RentalFlowState state)
        {
            var result = state.Clone();
            bool reporting = _reporter.Reporting;
            _reporter.Reporting = false;
            foreach (var region in regions)
            {
                for (int i = region.FirstBlockOrdinal; i <= region.LastBlockOrdinal; i++)
                {
                    foreach (var operation in Operations(_graph.Blocks[i]))
                    {
                        _transfer.Apply(operation, result, _graph.Blocks[i]);
                    }
                }
            }

            _reporter.Reporting = reporting;
            return result;
        }

        private RentalFlowState Transfer(BasicBlock block, RentalFlowState state)
        {
            foreach (var operation in Operations(block))
            {
                _transfer.Apply(operation, state, block);
            }

            return state;
        }

        private void ReportExits(ImmutableArray<BasicBlock> blocks, RentalFlowState?[] outStates)
        {
            foreach (var rental in _rentals)
            {
                string? path = null;
                foreach (var block in blocks)
                {
                    var state = outStates[block.Ordinal];
                    if (state == null || block.Kind == BasicBlockKind.Exit)
                    {
                        continue;
                    }

                    foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
                    {
                        bool leavesMethod = branch != null && (branch.Destination?.Kind == BasicBlockKind.Exit
                                                               || branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow);
                        if (leavesMethod && (StateLeaving(block, branch!, state).States[rental.Index] & RentalState.Rented) != 0)
                        {
                            path ??= RentalReporter.Describe(block, branch!, _graph.OriginalOperation.Syntax, rental.Rent.Syntax.SpanStart, blocks.Length);
                        }
                    }
                }

                if (path != null)
                {
                    _reporter.Report(Descriptors.RentalNotReturned, rental.Rent, rental, path);
                }
                else if (rental.ExceptionLeak != null && !rental.Released)
                {
                    _reporter.Report(Descriptors.RentalNotReturned, rental.Rent, rental,
                        "the exception path: an exception at line " + RentalReporter.Line(rental.ExceptionLeak) + " skips the return (return it in a finally block)");
                }
            }
        }

        private static IEnumerable<IOperation> Operations(BasicBlock block)
        {
            foreach (var operation in block.Operations)
            {
                yield return operation;
            }

            if (block.BranchValue != null)
            {
                yield return block.BranchValue;
            }
        }
    }
}
