using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>One rental tracked through a method: the local it lives in (and its aliases), where and from what it was rented.</summary>
    internal sealed class Rental
    {
        public Rental(int index, ILocalSymbol local, IInvocationOperation rent, RentalKind kind)
        {
            Index = index;
            Local = local;
            Rent = rent;
            Kind = kind;
            Locals.Add(local);
            Pool = PoolApi.PoolSymbol(rent.Instance);
            PoolText = PoolApi.Describe(rent.Instance);
        }

        public int Index { get; }

        public ILocalSymbol Local { get; }

        public IInvocationOperation Rent { get; }

        public RentalKind Kind { get; }

        /// <summary>The local and every alias assigned from it (<c>var b = a;</c>).</summary>
        public HashSet<ILocalSymbol> Locals { get; } = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

        public ISymbol? Pool { get; }

        public string PoolText { get; }

        /// <summary>Ownership moved elsewhere on some path (returned from the method, stored, captured, given away).</summary>
        public bool Released { get; set; }

        /// <summary>The first operation that may throw while the rental is outstanding and unprotected by a finally that returns it.</summary>
        public IOperation? ExceptionLeak { get; set; }

        public bool Refers(IOperation? operation)
        {
            return operation?.WithoutConversions() is ILocalReferenceOperation reference && Locals.Contains(reference.Local);
        }
    }
}
