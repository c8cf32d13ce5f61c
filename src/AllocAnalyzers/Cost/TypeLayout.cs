namespace AllocAnalyzers.Cost
{
    /// <summary>How CoreCLR's auto layout groups a field (CLR-LAYOUT §3): references, primitives, other value types.</summary>
    internal enum LayoutBucket
    {
        Reference,
        Primitive,
        ValueType,
    }

    /// <summary>The size and alignment a type takes as a field of a struct on CoreCLR x64.</summary>
    internal readonly struct TypeLayout
    {
        public TypeLayout(int size, int alignment, LayoutBucket bucket, bool holdsReferences)
        {
            Size = size;
            Alignment = alignment;
            Bucket = bucket;
            HoldsReferences = holdsReferences;
        }

        /// <summary>Bytes the type takes as a field or array element.</summary>
        public int Size { get; }

        /// <summary>Alignment inside a sequential struct (before any <c>Pack</c>).</summary>
        public int Alignment { get; }

        public LayoutBucket Bucket { get; }

        /// <summary>True when the type is, or transitively contains, a GC reference.</summary>
        public bool HoldsReferences { get; }

        public static TypeLayout Reference { get; } = new TypeLayout(8, 8, LayoutBucket.Reference, holdsReferences: true);

        public static TypeLayout Primitive(int size) => new TypeLayout(size, size, LayoutBucket.Primitive, holdsReferences: false);

        public static TypeLayout ValueType(int size, int alignment, bool holdsReferences = false)
            => new TypeLayout(size, alignment, LayoutBucket.ValueType, holdsReferences);
    }
}
