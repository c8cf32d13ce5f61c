using System;

namespace AllocAnalyzers.Pooling
{
    /// <summary>The states one rental may be in at a point of the method (a set: several after a merge).</summary>
    [Flags]
    internal enum RentalState : byte
    {
        None = 0,

        /// <summary>Its rent has not run yet on this path.</summary>
        NotRented = 1,

        /// <summary>Rented and owned here: it must go back.</summary>
        Rented = 2,

        /// <summary>Given back to its pool.</summary>
        Returned = 4,

        /// <summary>Ownership left the method (returned to the caller, stored, captured, given to a method that may keep it).</summary>
        Released = 8,
    }

    /// <summary>
    /// The data-flow fact at one point: the states of every rental, and which rentals each tracked local may hold
    /// (a bit per rental), so that aliases are the same rental and a local rented into again holds a new one.
    /// </summary>
    internal sealed class RentalFlowState : IEquatable<RentalFlowState>
    {
        public RentalFlowState(int rentals, int locals)
        {
            States = new RentalState[rentals];
            Holds = new ulong[locals];
        }

        private RentalFlowState(RentalState[] states, ulong[] holds)
        {
            States = states;
            Holds = holds;
        }

        public RentalState[] States { get; }

        /// <summary>For each tracked local, the rentals it may hold.</summary>
        public ulong[] Holds { get; }

        public static RentalFlowState Entry(int rentals, int locals)
        {
            var state = new RentalFlowState(rentals, locals);
            for (int i = 0; i < rentals; i++)
            {
                state.States[i] = RentalState.NotRented;
            }

            return state;
        }

        public RentalFlowState Clone() => new RentalFlowState((RentalState[])States.Clone(), (ulong[])Holds.Clone());

        /// <summary>The merge of two paths: every state and every holding either may have.</summary>
        public static RentalFlowState? Join(RentalFlowState? left, RentalFlowState? right)
        {
            if (left == null || right == null)
            {
                return (left ?? right)?.Clone();
            }

            var joined = left.Clone();
            for (int i = 0; i < joined.States.Length; i++)
            {
                joined.States[i] |= right.States[i];
            }

            for (int i = 0; i < joined.Holds.Length; i++)
            {
                joined.Holds[i] |= right.Holds[i];
            }

            return joined;
        }

        /// <summary>True when a local other than <paramref name="except"/> may hold rental <paramref name="rental"/>.</summary>
        public bool HeldElsewhere(int rental, int except)
        {
            ulong bit = 1UL << rental;
            for (int i = 0; i < Holds.Length; i++)
            {
                if (i != except && (Holds[i] & bit) != 0)
                {
                    return true;
                }
            }

            return false;
        }

        public bool Equals(RentalFlowState? other)
            => other != null && System.Linq.Enumerable.SequenceEqual(States, other.States) && System.Linq.Enumerable.SequenceEqual(Holds, other.Holds);

        public override bool Equals(object? obj) => Equals(obj as RentalFlowState);

        public override int GetHashCode() => States.Length ^ (Holds.Length << 8);
    }
}
