using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Escape;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// The transfer function of <see cref="RentalFlowAnalysis"/>: what one operation does to the rentals. A rent into a
    /// tracked local makes the local hold a new rental; <c>a = b</c> makes <c>a</c> hold what <c>b</c> holds; a Return gives
    /// back what its argument holds. Any other use of a rental must be proven to leave it with the method (the escape
    /// analysis: element and length reads, span views, framework calls that only read, methods of the compilation whose
    /// summary says they keep nothing); every use that is not proven is an ownership transfer, which ends tracking on
    /// that path with no diagnostic. A Return, or a rent again, through a local that may hold more than one rental makes
    /// those rentals lost: never reported.
    /// </summary>
    internal sealed class RentalTransfer
    {
        private readonly List<Rental> _rentals;
        private readonly Dictionary<ILocalSymbol, int> _locals;
        private readonly ImmutableArray<(string Rent, string Return)> _custom;
        private readonly RentalReporter _reporter;
        private readonly EscapeAnalysis.Walk _walk;
        private readonly Func<BasicBlock, RentalFlowState, RentalFlowState> _afterEnclosingFinally;
        private readonly bool _exceptionPaths;

        /// <summary>Whether each use stays with the method: a property of the operation, not of the flow state, so asked once however often the fixed point replays it.</summary>
        private readonly Dictionary<IOperation, bool> _staysLocal = new Dictionary<IOperation, bool>();

        public RentalTransfer(List<Rental> rentals, Dictionary<ILocalSymbol, int> locals, ImmutableArray<(string Rent, string Return)> custom, RentalReporter reporter,
            EscapeAnalysis.Walk walk, bool exceptionPaths, Func<BasicBlock, RentalFlowState, RentalFlowState> afterEnclosingFinally)
        {
            _rentals = rentals;
            _locals = locals;
            _custom = custom;
            _reporter = reporter;
            _walk = walk;
            _exceptionPaths = exceptionPaths;
            _afterEnclosingFinally = afterEnclosingFinally;
        }

        public void Apply(IOperation operation, RentalFlowState state, BasicBlock block)
        {
            var handled = new HashSet<IOperation>();
            foreach (var node in operation.DescendantsAndSelf())
            {
                switch (node)
                {
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when _locals.TryGetValue(target.Local, out int local):
                        handled.Add(target);
                        Assign(local, target.Local, assignment.Value, state, handled);
                        break;
                    case IInvocationOperation invocation:
                        ApplyInvocation(invocation, state, handled, block);
                        break;
                    case IObjectCreationOperation _:
                    case IAwaitOperation _:
                        NoteMayThrow(node, state, block);
                        break;
                    case IFlowAnonymousFunctionOperation function:
                        foreach (var pair in _locals)
                        {
                            if (Captures(function, pair.Key))
                            {
                                Release(state.Holds[pair.Value], state);
                            }
                        }

                        break;
                    case ILocalReferenceOperation reference when !handled.Contains(reference) && _locals.TryGetValue(reference.Local, out int used):
                        Use(reference, state.Holds[used], state);
                        break;
                }
            }
        }

        private void Assign(int local, ILocalSymbol symbol, IOperation value, RentalFlowState state, HashSet<IOperation> handled)
        {
            var source = value.WithoutConversions();
            ulong previous = state.Holds[local];
            if (source is IInvocationOperation invocation && RentalAt(invocation) is { } rented)
            {
                ForEach(previous, rental =>
                {
                    if (rental == rented && state.HeldElsewhere(rental.Index, local))
                    {
                        // Rented again (a loop) while the earlier one is still held by another local: two objects, one name.
                        rental.Lost = true;
                    }
                    else if ((state.States[rental.Index] & RentalState.Rented) != 0 && !state.HeldElsewhere(rental.Index, local))
                    {
                        _reporter.Report(Descriptors.RentalNotReturned, rental.Rent, rental, "the path that rents into '" + symbol.Name + "' again before returning the previous rental");
                    }
                });
                if (state.HeldElsewhere(rented.Index, local))
                {
                    rented.Lost = true;
                }

                state.States[rented.Index] = RentalState.Rented;
                state.Holds[local] = Bit(rented);
                return;
            }

            ulong held = source is ILocalReferenceOperation other && _locals.TryGetValue(other.Local, out int from) ? state.Holds[from] : 0;
            if (held != 0)
            {
                handled.Add(source);
                ForEach(held, rental => rental.Aliased = true);
            }

            // The local lets go of what it held: if it was the only holder of an outstanding rental, that one can no longer be followed.
            ForEach(previous & ~held, rental =>
            {
                if ((state.States[rental.Index] & RentalState.Rented) != 0 && !state.HeldElsewhere(rental.Index, local))
                {
                    rental.Lost = true;
                }
            });
            state.Holds[local] = held;
        }

        private void ApplyInvocation(IInvocationOperation invocation, RentalFlowState state, HashSet<IOperation> handled, BasicBlock block)
        {
            if (PoolApi.IsRent(invocation, _custom, out _))
            {
                return;
            }

            foreach (var kind in ReturnKinds)
            {
                if (PoolApi.IsReturn(invocation, kind, _custom, out var argument) && argument!.WithoutConversions() is ILocalReferenceOperation reference
                    && _locals.TryGetValue(reference.Local, out int local))
                {
                    MarkHandled(argument!, handled);
                    GiveBack(invocation, state.Holds[local], state);
                    return;
                }
            }

            NoteMayThrow(invocation, state, block);
            bool takesOwnership = HasTakesOwnership(invocation.TargetMethod);
            foreach (var argument in invocation.Arguments)
            {
                if ((takesOwnership || (argument.Parameter != null && HasTakesOwnership(argument.Parameter)))
                    && argument.Value.WithoutConversions() is ILocalReferenceOperation reference && _locals.TryGetValue(reference.Local, out int local))
                {
                    MarkHandled(argument.Value, handled);
                    Release(state.Holds[local], state);
                }
            }
        }

        private static readonly RentalKind[] ReturnKinds = { RentalKind.Array, RentalKind.Object, RentalKind.Owner, RentalKind.Custom };

        /// <summary>A Return of what a local holds: of each rental it may hold whose pool kind this call gives back.</summary>
        private void GiveBack(IInvocationOperation invocation, ulong held, RentalFlowState state)
        {
            bool single = IsSingle(held);
            ForEach(held, rental =>
            {
                if (!PoolApi.IsReturn(invocation, rental.Kind, _custom, out _))
                {
                    return;
                }

                if (!single)
                {
                    rental.Lost = true;
                    state.States[rental.Index] |= RentalState.Returned;
                    return;
                }

                var current = state.States[rental.Index];
                if ((current & RentalState.Released) == 0)
                {
                    if ((current & RentalState.Returned) != 0)
                    {
                        _reporter.Report(Descriptors.RentalReturnedTwice, invocation, rental, "a path where it was already returned");
                    }

                    CheckPool(invocation, rental);
                    CheckClearing(invocation, rental);
                }

                state.States[rental.Index] = RentalState.Returned;
            });
        }

        /// <summary>A use of a local that holds rentals: proven to stay with the method, or a transfer of ownership.</summary>
        private void Use(ILocalReferenceOperation reference, ulong held, RentalFlowState state)
        {
            if (held == 0)
            {
                return;
            }

            if (!_staysLocal.TryGetValue(reference, out bool local))
            {
                _staysLocal.Add(reference, local = EscapeAnalysis.Follow(reference, _walk, 0, out _) == EscapeKind.Local);
            }

            if (!local)
            {
                Release(held, state);
                return;
            }

            if (IsSingle(held))
            {
                ForEach(held, rental =>
                {
                    var current = state.States[rental.Index];
                    if ((current & RentalState.Returned) != 0 && (current & RentalState.Released) == 0)
                    {
                        _reporter.Report(Descriptors.RentalUsedAfterReturn, reference, rental, "a path where it was already returned");
                    }
                });
            }
        }

        private void Release(ulong held, RentalFlowState state)
            => ForEach(held, rental =>
            {
                rental.Released = true;
                state.States[rental.Index] = RentalState.Released;
            });

        private void NoteMayThrow(IOperation operation, RentalFlowState state, BasicBlock block)
        {
            if (!_reporter.Reporting || !_exceptionPaths)
            {
                return;
            }

            // An exception here runs the finally regions around the block, as a throw does.
            RentalFlowState? afterFinally = null;
            foreach (var rental in _rentals)
            {
                if (rental.ExceptionLeak == null && (state.States[rental.Index] & RentalState.Rented) != 0
                    && ((afterFinally ??= _afterEnclosingFinally(block, state)).States[rental.Index] & RentalState.Rented) != 0)
                {
                    rental.ExceptionLeak = operation;
                }
            }
        }

        private Rental? RentalAt(IInvocationOperation invocation)
        {
            foreach (var rental in _rentals)
            {
                if (rental.Rent == invocation)
                {
                    return rental;
                }
            }

            return null;
        }

        private void ForEach(ulong held, Action<Rental> action)
        {
            for (int i = 0; held != 0 && i < _rentals.Count; i++, held >>= 1)
            {
                if ((held & 1) != 0)
                {
                    action(_rentals[i]);
                }
            }
        }

        private static ulong Bit(Rental rental) => 1UL << rental.Index;

        private static bool IsSingle(ulong held) => held != 0 && (held & (held - 1)) == 0;

        private void CheckPool(IInvocationOperation invocation, Rental rental)
        {
            var pool = PoolApi.PoolSymbol(invocation.Instance);
            if (rental.Kind is RentalKind.Array or RentalKind.Object && pool != null && rental.Pool != null && !SymbolEqualityComparer.Default.Equals(pool, rental.Pool))
            {
                _reporter.Report(Descriptors.RentalReturnedToOtherPool, invocation, rental, PoolApi.Describe(invocation.Instance));
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
                _reporter.Report(Descriptors.RentalReturnedWithoutClearing, invocation, rental, string.Empty);
            }
        }

        private static void MarkHandled(IOperation operation, HashSet<IOperation> handled)
        {
            foreach (var node in operation.DescendantsAndSelf())
            {
                handled.Add(node);
            }
        }

        private static bool Captures(IFlowAnonymousFunctionOperation function, ILocalSymbol local)
        {
            foreach (var node in function.Syntax.DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier && identifier.Identifier.ValueText == local.Name)
                {
                    return true;
                }
            }

            return false;
        }

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
    }
}
