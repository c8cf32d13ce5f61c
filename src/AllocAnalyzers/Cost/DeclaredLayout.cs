namespace AllocAnalyzers.Cost
{
    /// <summary>What a struct declares about its layout: <c>[StructLayout]</c> kind, Pack and Size, and <c>[InlineArray]</c>.</summary>
    internal readonly struct DeclaredLayout
    {
        public DeclaredLayout(DeclaredLayoutKind kind, bool kindWritten, int pack, int size, int inlineArrayLength)
        {
            Kind = kind;
            KindWritten = kindWritten;
            Pack = pack;
            Size = size;
            InlineArrayLength = inlineArrayLength;
        }

        public static DeclaredLayout Default { get; } = new DeclaredLayout(DeclaredLayoutKind.Sequential, kindWritten: false, pack: 0, size: 0, inlineArrayLength: 0);

        public DeclaredLayoutKind Kind { get; }

        /// <summary>True when the user wrote <c>[StructLayout]</c> (a sign of interop intent).</summary>
        public bool KindWritten { get; }

        /// <summary>0 when not set.</summary>
        public int Pack { get; }

        /// <summary>0 when not set.</summary>
        public int Size { get; }

        /// <summary>0 when the struct is not an inline array.</summary>
        public int InlineArrayLength { get; }

        /// <summary>The Pack cap on field alignment: Pack when it is a power of two, otherwise none.</summary>
        public int PackCap => Pack > 0 && (Pack & (Pack - 1)) == 0 ? Pack : int.MaxValue;
    }

    /// <summary>The values of <c>System.Runtime.InteropServices.LayoutKind</c>.</summary>
    internal enum DeclaredLayoutKind
    {
        Sequential = 0,
        Explicit = 2,
        Auto = 3,
    }
}
