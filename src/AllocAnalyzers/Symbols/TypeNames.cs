using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// One compilation's names for its types under one naming rule, each composed on the first ask: every report names
    /// its type, and a project boxes and allocates the same few types again and again. The rule says which symbols
    /// are the same type for its names (<paramref name="comparer"/> of the constructor): equal symbols share one entry,
    /// so the comparer must tell apart every two types the rule names differently. Safe to share between threads.
    /// </summary>
    internal sealed class TypeNames<TName>
    {
        private readonly ConcurrentDictionary<ITypeSymbol, TName> _known;
        private readonly Func<ITypeSymbol, TName> _compose;

        public TypeNames(IEqualityComparer<ISymbol?> comparer, Func<ITypeSymbol, TName> compose)
        {
            _known = new ConcurrentDictionary<ITypeSymbol, TName>(comparer);
            _compose = compose;
        }

        public TName Of(ITypeSymbol type)
        {
            if (!_known.TryGetValue(type, out var name))
            {
                name = _compose(type);
                _known.TryAdd(type, name);
            }

            return name;
        }
    }
}
