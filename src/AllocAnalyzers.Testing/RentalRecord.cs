using System.Diagnostics;

namespace AllocAnalyzers.Testing
{
    /// <summary>What a strict pool knows about one item it rented: who rents it now, and where it was rented and returned.</summary>
    internal sealed class RentalRecord
    {
        public RentalRecord(RentalLedger owner, string description)
        {
            Owner = owner;
            Description = description;
        }

        /// <summary>The pool that rented the item (an item is only ever rented by the pool that created it).</summary>
        public RentalLedger Owner { get; }

        /// <summary>The item as violations name it, such as <c>byte[4096]</c>.</summary>
        public string Description { get; }

        public RentalState State { get; set; }

        public StackTrace? RentStack { get; set; }

        public StackTrace? ReturnStack { get; set; }

        /// <summary>Set once Verify has reported the item as not returned, so that it is reported once.</summary>
        public bool ReportedAsOutstanding { get; set; }
    }

    internal enum RentalState
    {
        Rented,

        /// <summary>Back in the pool (in quarantine or ready to be rented again).</summary>
        Returned,

        /// <summary>Returned, and dropped by the pool's policy instead of kept: never handed out again.</summary>
        Dropped,
    }
}
