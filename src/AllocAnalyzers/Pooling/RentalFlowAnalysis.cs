using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// Forward data-flow over one control-flow graph: for every rental, the set of states it may be in at each point
    /// (not yet rented, rented, returned, released to a new owner), joined at merges and iterated to a fixed point
    /// (loops included). <c>finally</c> regions are applied on the branches that run them; <c>catch</c> regions start from
    /// every state of their <c>try</c>. A final pass replays each block and reports: not returned at an exit (ALLOC401),
    /// returned twice (ALLOC402), used after return (ALLOC403), returned to another pool (ALLOC404), an array of
    /// references returned uncleared (ALLOC406).
    /// </summary>
    internal sealed class RentalFlowAnalysis
    {
        private const int NotRented = 1;
        private const int Rented = 2;
        private const int Returned = 4;
        private const int ReleasedBit = 8;

        private readonly ControlFlowGraph _graph;
        private readonly ImmutableArray<(string Rent, string Return)> _custom;
        private readonly bool _exceptionPaths;
        private readonly Action<Diagnostic> _report;
        private readonly List<Rental> _rentals = new List<Rental>();
        private readonly HashSet<IOperation> _reported = new HashSet<IOperation>();
        private bool _reporting;

        public RentalFlowAnalysis(ControlFlowGraph graph, ImmutableArray<(string Rent, string Return)> custom, bool exceptionPaths, Action<Diagnostic> report)
        {
            _graph = graph;
            _custom = custom;
            _exceptionPaths = exceptionPaths;
            _report = report;
        }

        public void Run()
        {
            Discover();
            if (_rentals.Count == 0)
            {
                return;
            }

            var blocks = _graph.Blocks;
            var inStates = new int[blocks.Length][];
            var outStates = new int[blocks.Length][];
            inStates[0] = Enumerable.Repeat(NotRented, _rentals.Count).ToArray();
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
                    var output = Transfer(block, (int[])input.Clone());
                    if (outStates[block.Ordinal] == null || !outStates[block.Ordinal].SequenceEqual(output))
                    {
                        outStates[block.Ordinal] = output;
                        changed = true;
                    }
                }
            }

            _reporting = true;
            foreach (var block in blocks)
            {
                if (inStates[block.Ordinal] != null)
                {
                    Transfer(block, (int[])inStates[block.Ordinal].Clone());
                }
            }

            ReportExits(blocks, outStates);
        }

        private void Discover()
        {
            foreach (var block in _graph.Blocks)
            {
                foreach (var operation in Operations(block))
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment)
                        {
                            if (assignment.Value.WithoutConversions() is IInvocationOperation invocation && PoolApi.IsRent(invocation, _custom, out var kind))
                            {
                                if (!_rentals.Any(r => r.Locals.Contains(target.Local)))
                                {
                                    _rentals.Add(new Rental(_rentals.Count, target.Local, invocation, kind));
                                }
                            }
                            else if (_rentals.FirstOrDefault(r => r.Refers(assignment.Value)) is { } source)
                            {
                                source.Locals.Add(target.Local);
                            }
                        }
                    }
                }
            }
        }

        private int[]? Join(BasicBlock block, int[]?[] inStates, int[]?[] outStates)
        {
            int[]? joined = null;
            foreach (var predecessor in block.Predecessors)
            {
                var state = outStates[predecessor.Source.Ordinal];
                if (state == null)
                {
                    continue;
                }

                state = ApplyFinally(predecessor, state);
                joined = Or(joined, state);
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
                    if (inStates[i] != null && !IsInFinally(_graph.Blocks[i], tryRegion))
                    {
                        joined = Or(joined, ApplyEnclosingFinally(_graph.Blocks[i], tryRegion, inStates[i]!));
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
                    joined = Or(joined, outStates[i]);
                }
            }

            return joined;
        }

        private int[] ApplyFinally(ControlFlowBranch branch, int[] state)
            => branch.FinallyRegions.IsEmpty ? state : ApplyFinallyRegions(branch.FinallyRegions, state);

        /// <summary>
        /// The state as control leaves the method through <paramref name="branch"/>: after the finally regions it runs.
        /// A throw's branch lists none (the graph leaves exception dispatch out), yet every finally around the throw
        /// runs as the exception propagates.
        /// </summary>
        private int[] StateLeaving(BasicBlock block, ControlFlowBranch branch, int[] state)
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
        private int[] ApplyEnclosingFinally(BasicBlock block, ControlFlowRegion? outer, int[] state)
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

        private int[] ApplyFinallyRegions(ImmutableArray<ControlFlowRegion> regions, int[] state)
        {
            var result = (int[])state.Clone();
            bool reporting = _reporting;
            _reporting = false;
            foreach (var region in regions)
            {
                for (int i = region.FirstBlockOrdinal; i <= region.LastBlockOrdinal; i++)
                {
                    foreach (var operation in Operations(_graph.Blocks[i]))
                    {
                        Apply(operation, result, _graph.Blocks[i]);
                    }
                }
            }

            _reporting = reporting;
            return result;
        }

        private int[] Transfer(BasicBlock block, int[] state)
        {
            foreach (var operation in block.Operations)
            {
                Apply(operation, state, block);
            }

            if (block.BranchValue != null)
            {
                Apply(block.BranchValue, state, block);
                if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                {
                    foreach (var rental in _rentals)
                    {
                        if (rental.Refers(block.BranchValue))
                        {
                            rental.Released = true;
                            state[rental.Index] = ReleasedBit;
                        }
                    }
                }
            }

            return state;
        }

        private void Apply(IOperation operation, int[] state, BasicBlock block)
        {
            var handled = new HashSet<IOperation>();
            foreach (var node in operation.DescendantsAndSelf())
            {
                switch (node)
                {
                    case ISimpleAssignmentOperation assignment:
                        ApplyAssignment(assignment, state, handled);
                        break;
                    case IInvocationOperation invocation:
                        ApplyInvocation(invocation, state, handled, block);
                        break;
                    case IObjectCreationOperation creation:
                        ApplyOwnershipArguments(creation.Arguments, creation.Constructor, state, handled);
                        NoteMayThrow(node, state, block);
                        break;
                    case IFlowAnonymousFunctionOperation function:
                        foreach (var rental in _rentals)
                        {
                            if (Captures(function, rental))
                            {
                                rental.Released = true;
                                state[rental.Index] = ReleasedBit;
                            }
                        }

                        break;
                    case ILocalReferenceOperation reference when !handled.Contains(reference):
                        foreach (var rental in _rentals)
                        {
                            if (rental.Locals.Contains(reference.Local) && (state[rental.Index] & Returned) != 0 && (state[rental.Index] & ReleasedBit) == 0)
                            {
                                Report(Descriptors.RentalUsedAfterReturn, reference, rental, "a path where it was already returned");
                            }
                        }

                        break;
                    case IAwaitOperation _:
                        NoteMayThrow(node, state, block);
                        break;
                }
            }
        }

        private void ApplyAssignment(ISimpleAssignmentOperation assignment, int[] state, HashSet<IOperation> handled)
        {
            handled.Add(assignment.Target);
            if (assignment.Target is ILocalReferenceOperation target && assignment.Value.WithoutConversions() is IInvocationOperation invocation
                && _rentals.FirstOrDefault(r => r.Rent == invocation || (r.Locals.Contains(target.Local) && PoolApi.IsRent(invocation, _custom, out _))) is { } rented)
            {
                if ((state[rented.Index] & Rented) != 0)
                {
                    Report(Descriptors.RentalNotReturned, rented.Rent, rented, "the path that rents into '" + target.Local.Name + "' again before returning the previous rental");
                }

                state[rented.Index] = Rented;
                return;
            }

            foreach (var rental in _rentals)
            {
                if (rental.Refers(assignment.Value) && !(assignment.Target is ILocalReferenceOperation))
                {
                    // Stored to a field, property, array element or out/ref parameter: a new owner.
                    rental.Released = true;
                    state[rental.Index] = ReleasedBit;
                }
            }
        }

        private void ApplyInvocation(IInvocationOperation invocation, int[] state, HashSet<IOperation> handled, BasicBlock block)
        {
            bool isRentOrReturn = PoolApi.IsRent(invocation, _custom, out _);
            foreach (var rental in _rentals)
            {
                if (PoolApi.IsReturn(invocation, rental.Kind, _custom, out var argument) && rental.Refers(argument))
                {
                    isRentOrReturn = true;
                    MarkHandled(argument!, handled);
                    int current = state[rental.Index];
                    if ((current & ReleasedBit) == 0)
                    {
                        if ((current & Returned) != 0)
                        {
                            Report(Descriptors.RentalReturnedTwice, invocation, rental, "a path where it was already returned");
                        }

                        CheckPool(invocation, rental);
                        CheckClearing(invocation, rental);
                    }

                    state[rental.Index] = Returned;
                }
            }

            if (!isRentOrReturn)
            {
                NoteMayThrow(invocation, state, block);
                ApplyOwnershipArguments(invocation.Arguments, invocation.TargetMethod, state, handled);
                if (IsCollectionAdd(invocation.TargetMethod))
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        ReleaseIfRental(argument.Value, state);
                    }
                }
            }
        }

        private void ApplyOwnershipArguments(ImmutableArray<IArgumentOperation> arguments, IMethodSymbol? method, int[] state, HashSet<IOperation> handled)
        {
            bool methodTakesOwnership = method != null && HasTakesOwnership(method);
            foreach (var argument in arguments)
            {
                if (methodTakesOwnership || argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out } || (argument.Parameter != null && HasTakesOwnership(argument.Parameter)))
                {
                    ReleaseIfRental(argument.Value, state);
                }
            }
        }

        private void ReleaseIfRental(IOperation value, int[] state)
        {
            foreach (var rental in _rentals)
            {
                if (rental.Refers(value))
                {
                    rental.Released = true;
                    state[rental.Index] = ReleasedBit;
                }
            }
        }

        private void NoteMayThrow(IOperation operation, int[] state, BasicBlock block)
        {
            if (!_reporting || !_exceptionPaths)
            {
                return;
            }

            // An exception here runs the finally regions around the block, as a throw does (see StateLeaving).
            int[]? afterFinally = null;
            foreach (var rental in _rentals)
            {
                if (rental.ExceptionLeak == null && (state[rental.Index] & Rented) != 0
                    && ((afterFinally ??= ApplyEnclosingFinally(block, null, state))[rental.Index] & Rented) != 0)
                {
                    rental.ExceptionLeak = operation;
                }
            }
        }

        private void ReportExits(ImmutableArray<BasicBlock> blocks, int[]?[] outStates)
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
                        if (leavesMethod && (StateLeaving(block, branch!, state)[rental.Index] & Rented) != 0)
                        {
                            path ??= Describe(block, branch!, _graph.OriginalOperation.Syntax, rental.Rent.Syntax.SpanStart, blocks.Length);
                        }
                    }
                }

                if (path != null)
                {
                    Report(Descriptors.RentalNotReturned, rental.Rent, rental, path);
                }
                else if (rental.ExceptionLeak != null && !rental.Released)
                {
                    Report(Descriptors.RentalNotReturned, rental.Rent, rental,
                        "the exception path: an exception at line " + Line(rental.ExceptionLeak) + " skips the return (return it in a finally block)");
                }
            }
        }

        private static string Describe(BasicBlock block, ControlFlowBranch exit, SyntaxNode root, int rentPosition, int blockCount)
        {
            if (exit.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                return "the path through the throw at line " + Line(block.BranchValue ?? block.Operations.LastOrDefault());
            }

            var last = block.BranchValue ?? block.Operations.LastOrDefault();
            if (last?.Syntax.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.ReturnStatementSyntax>() is { } returnStatement)
            {
                return "the path through the return at line " + (returnStatement.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
            }

            bool early = exit == block.ConditionalSuccessor || block.Ordinal < blockCount - 2;
            if ((last == null || early) && FirstReturnAfter(root, rentPosition) is { } earlyReturn)
            {
                // A bare 'return;' leaves no operation in its block: name the first return after the rental.
                return "the path through the return at line " + (earlyReturn.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
            }

            return "the path that reaches the end of the method";
        }

        private static SyntaxNode? FirstReturnAfter(SyntaxNode root, int position)
        {
            foreach (var node in root.DescendantNodes(n => !(n is Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax || n is Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax)))
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.ReturnStatementSyntax && node.SpanStart > position)
                {
                    return node;
                }
            }

            return null;
        }

        private static string Line(IOperation? operation)
            => operation == null ? "?" : (operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private void CheckPool(IInvocationOperation invocation, Rental rental)
        {
            var pool = PoolApi.PoolSymbol(invocation.Instance);
            if (rental.Kind is RentalKind.Array or RentalKind.Object && pool != null && rental.Pool != null && !SymbolEqualityComparer.Default.Equals(pool, rental.Pool))
            {
                Report(Descriptors.RentalReturnedToOtherPool, invocation, rental, PoolApi.Describe(invocation.Instance));
            }
        }

        private void CheckClearing(IInvocationOperation invocation, Rental rental)
        {
            if (rental.Kind != RentalKind.Array || rental.Local.Type is not IArrayTypeSymbol { ElementType: var element } || !(element.IsReferenceType || (element.IsValueType && !element.IsUnmanagedType)))
            {
                return;
            }

            bool cleared = invocation.Arguments.Length > 1 && invocation.Arguments[1].Value.ConstantValue is { HasValue: true, Value: true }
                           || (invocation.Arguments.Length > 1 && !invocation.Arguments[1].Value.ConstantValue.HasValue && !invocation.Arguments[1].IsImplicit);
            if (!cleared)
            {
                Report(Descriptors.RentalReturnedWithoutClearing, invocation, rental, string.Empty);
            }
        }

        private void Report(DiagnosticDescriptor descriptor, IOperation at, Rental rental, string detail)
        {
            if (!_reporting || !_reported.Add(at))
            {
                return;
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(PoolRentalAnalyzer.FixableProperty, rental.Released || rental.Locals.Count > 1 ? "false" : "true");
            _report(Diagnostic.Create(descriptor, at.Syntax.GetLocation(), properties, rental.Local.Name, rental.PoolText, detail));
        }

        private static void MarkHandled(IOperation operation, HashSet<IOperation> handled)
        {
            foreach (var node in operation.DescendantsAndSelf())
            {
                handled.Add(node);
            }
        }

        private static bool Captures(IFlowAnonymousFunctionOperation function, Rental rental)
        {
            foreach (var node in function.Syntax.DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier && rental.Locals.Any(l => l.Name == identifier.Identifier.ValueText))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsCollectionAdd(IMethodSymbol method)
            => !method.IsStatic && method.Name is "Add" or "Enqueue" or "Push" or "TryAdd" or "Insert" or "AddLast" or "AddFirst" or "TryEnqueue";

        private static bool HasTakesOwnership(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name is "TakesOwnershipAttribute" or "TakesOwnership")
                {
                    return true;
                }
            }

            return false;
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

        private static int[] Or(int[]? left, int[]? right)
        {
            if (left == null)
            {
                return right == null ? null! : (int[])right.Clone();
            }

            if (right != null)
            {
                for (int i = 0; i < left.Length; i++)
                {
                    left[i] |= right[i];
                }
            }

            return left;
        }
    }
}
