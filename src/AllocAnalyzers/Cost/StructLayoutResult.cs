using System.Collections.Immutable;

namespace AllocAnalyzers.Cost
{
    /// <summary>The runtime layout of one struct: algorithm, size, alignment and each field's offset (declaration order).</summary>
    internal sealed class StructLayoutResult
    {
        public StructLayoutResult(LayoutAlgorithm algorithm, int size, int alignment, bool holdsReferences, ImmutableArray<int> offsets)
        {
            Algorithm = algorithm;
            Size = size;
            Alignment = alignment;
            HoldsReferences = holdsReferences;
            Offsets = offsets;
        }

        public LayoutAlgorithm Algorithm { get; }

        /// <summary>Bytes one instance takes as a field or array element (<c>Unsafe.SizeOf</c>).</summary>
        public int Size { get; }

        /// <summary>The alignment the struct gets when it is itself a field.</summary>
        public int Alignment { get; }

        public bool HoldsReferences { get; }

        /// <summary>Managed byte offset of each field, in declaration order.</summary>
        public ImmutableArray<int> Offsets { get; }

        /// <summary>How the struct behaves as a field of another struct.</summary>
        public TypeLayout AsField => TypeLayout.ValueType(Size, Alignment, HoldsReferences);
    }
}
