using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace AllocAnalyzers.Testing
{
    /// <summary>Compares items by reference, whatever Equals they define (two equal arrays are two rentals).</summary>
    internal sealed class IdentityComparer : IEqualityComparer<object>
    {
        public static readonly IdentityComparer Instance = new IdentityComparer();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
