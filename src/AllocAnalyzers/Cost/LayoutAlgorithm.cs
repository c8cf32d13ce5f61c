namespace AllocAnalyzers.Cost
{
    /// <summary>Which of CoreCLR's field layout algorithms places a struct's fields (CLR-LAYOUT §1).</summary>
    internal enum LayoutAlgorithm
    {
        /// <summary>Declaration order, each field at its (Pack-capped) alignment.</summary>
        Sequential,

        /// <summary>References, then primitives by size, then other value types: declared Auto, or holding a reference.</summary>
        Auto,

        /// <summary><c>[FieldOffset]</c> as written.</summary>
        Explicit,

        /// <summary><c>[InlineArray(N)]</c>: N copies of the one field.</summary>
        InlineArray,
    }
}
