using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace AllocAnalyzers.Testing
{
    /// <summary>
    /// The bookkeeping both strict pools share: the record of every item rented (held weakly, for as long as the item
    /// lives, so a late second Return is still recognised), the items out now (held strongly, so a leak is listed even
    /// if the renter dropped it), and the violations found. Its members are called under <see cref="Gate"/>, but for the two that say otherwise.
    /// </summary>
    internal sealed class RentalLedger
    {
        private static readonly ConditionalWeakTable<object, RentalRecord> Records = new ConditionalWeakTable<object, RentalRecord>();

        private readonly Dictionary<object, RentalRecord> outstanding = new Dictionary<object, RentalRecord>(IdentityComparer.Instance);
        private readonly List<PoolViolation> violations = new List<PoolViolation>();

        private readonly Func<object, string> describe;

        /// <param name="poolKind">The pool's type as messages name it.</param>
        /// <param name="options">The checks.</param>
        /// <param name="describe">An item as messages name it (<c>byte[4096]</c>), asked for once per item.</param>
        public RentalLedger(string poolKind, StrictPoolOptions options, Func<object, string> describe)
        {
            this.describe = describe;
            Options = options;
            PoolName = options.Name == null ? poolKind : poolKind + " '" + options.Name + "'";
        }

        public object Gate { get; } = new object();

        public StrictPoolOptions Options { get; }

        /// <summary>The pool as violations name it: <c>StrictArrayPool&lt;byte&gt; 'frames'</c>.</summary>
        public string PoolName { get; }

        /// <summary>How many items are out now (takes the gate itself).</summary>
        public int OutstandingCount
        {
            get
            {
                lock (Gate)
                {
                    return outstanding.Count;
                }
            }
        }

        /// <summary>Throws <paramref name="violation"/> at the offending call when the options say so (outside the gate).</summary>
        public void Raise(PoolViolation? violation)
        {
            if (violation != null && Options.ThrowOnViolation)
            {
                throw new StrictPoolException(new[] { violation });
            }
        }

        /// <summary>Records that <paramref name="item"/> (new, or back from quarantine) is rented now.</summary>
        public void Rented(object item)
        {
            if (!Records.TryGetValue(item, out var record))
            {
                record = new RentalRecord(this, describe(item));
                Records.Add(item, record);
            }

            record.State = RentalState.Rented;
            record.RentStack = CallStacks.Capture(Options.Stacks);
            record.ReturnStack = null;
            record.ReportedAsOutstanding = false;
            outstanding[item] = record;
        }

        /// <summary>
        /// Checks a Return of <paramref name="item"/>: the violation when it is not out from this pool now (returned
        /// already, or never rented here), else null, and the item counts as returned from here on.
        /// </summary>
        public PoolViolation? Returned(object item)
        {
            var stack = CallStacks.Capture(Options.Stacks);
            if (!Records.TryGetValue(item, out var record) || record.Owner != this)
            {
                string origin = record == null
                    ? "; it was allocated elsewhere or rented from a pool this one does not know"
                    : " but from " + record.Owner.PoolName;
                return Add(PoolViolationKind.NotFromThisPool,
                    describe(item) + " was returned to " + PoolName + origin + ": a pool that accepts it hands memory someone else owns to its next renter",
                    stack, record);
            }

            if (record.State != RentalState.Rented)
            {
                return Add(PoolViolationKind.ReturnedTwice,
                    record.Description + " rented from " + PoolName + " was returned a second time: it was back in the pool already, so the pool would hand it to two renters",
                    stack, record);
            }

            record.State = RentalState.Returned;
            record.ReturnStack = stack;
            outstanding.Remove(item);
            return null;
        }

        /// <summary>Records that the pool's policy dropped a returned item rather than keep it.</summary>
        public void Dropped(object item)
        {
            if (Records.TryGetValue(item, out var record))
            {
                record.State = RentalState.Dropped;
            }
        }

        /// <summary>Records a write to a returned item, found when it leaves quarantine or at Verify.</summary>
        public PoolViolation UsedAfterReturn(object item, string what)
        {
            Records.TryGetValue(item, out var record);
            return Add(PoolViolationKind.UsedAfterReturn, what, CallStacks.Capture(Options.Stacks), record);
        }

        /// <summary>Records an array of references returned without clearing (just after <see cref="Returned"/> accepted it).</summary>
        public PoolViolation NotCleared(object item)
        {
            Records.TryGetValue(item, out var record);
            var violation = new PoolViolation(PoolViolationKind.ReturnedWithoutClearing,
                describe(item) + " was returned to " + PoolName + " without clearArray: true; the pool would keep every object it references alive and hand them to its next renter (the strict pool clears it)",
                Render(record?.ReturnStack), Render(record?.RentStack), returnStack: null);
            violations.Add(violation);
            return violation;
        }

        /// <summary>
        /// Every violation recorded since the last call, then each item still out that was not listed before (ALLOC401),
        /// and empties the list: what Verify reports.
        /// </summary>
        public List<PoolViolation> TakeViolations(bool withOutstanding)
        {
            var found = new List<PoolViolation>(violations);
            violations.Clear();
            if (withOutstanding)
            {
                foreach (var record in outstanding.Values.Where(r => !r.ReportedAsOutstanding))
                {
                    record.ReportedAsOutstanding = true;
                    found.Add(new PoolViolation(PoolViolationKind.NotReturned,
                        record.Description + " rented from " + PoolName + " was never returned",
                        offendingStack: null, Render(record.RentStack), returnStack: null));
                }
            }

            return found;
        }

        private string? Render(System.Diagnostics.StackTrace? stack) => CallStacks.Render(stack, Options.Stacks);

        private PoolViolation Add(PoolViolationKind kind, string message, System.Diagnostics.StackTrace? at, RentalRecord? record)
        {
            var violation = new PoolViolation(kind, message, Render(at), Render(record?.RentStack), Render(record?.ReturnStack));
            violations.Add(violation);
            return violation;
        }
    }
}
