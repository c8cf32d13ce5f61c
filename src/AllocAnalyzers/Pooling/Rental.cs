using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// One rental: a rent call whose result goes to a local, followed through the method as an object (the locals that
    /// hold it are in <see cref="RentalFlowState.Holds"/>), with where and from what it was rented.
    /// </summary>
    internal sealed class Rental
    {
        public Rental(int index, ILocalSymbol local, IInvocationOperation rent, RentalKind kind)
        {
            Index = index;
            Local = local;
            Rent = rent;
            Kind = kind;
            Pool = PoolApi.PoolSymbol(rent.Instance);
            PoolText = PoolApi.Describe(rent);
        }

        public int Index { get; }

        /// <summary>The local it is rented into (named in the messages).</summary>
        public ILocalSymbol Local { get; }

        public IInvocationOperation Rent { get; }

        public RentalKind Kind { get; }

        public ISymbol? Pool { get; }

        public string PoolText { get; }

        /// <summary>Ownership moved elsewhere on some path (returned from the method, stored, captured, given away).</summary>
        public bool Released { get; set; }

        /// <summary>
        /// The analysis cannot tell this rental apart from another object: it was returned or given away through a
        /// local that may hold more than one rental, or rented again while an earlier one was still held elsewhere. It
        /// is reported nowhere.
        /// </summary>
        public bool Lost { get; set; }

        /// <summary>Another local than <see cref="Local"/> held it on some path.</summary>
        public bool Aliased { get; set; }

        /// <summary>The first operation that may throw while the rental is outstanding and unprotected by a finally that returns it.</summary>
        public IOperation? ExceptionLeak { get; set; }

        /// <summary>Only the try/finally rewrite's precondition: never given away, never aliased, always told apart.</summary>
        public bool Fixable => !Released && !Lost && !Aliased;
    }
}
