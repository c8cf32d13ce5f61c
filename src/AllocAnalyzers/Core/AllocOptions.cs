using System.Collections.Immutable;

namespace AllocAnalyzers
{
    /// <summary>Every <c>alloc_analyzers.*</c> option the package reads (documented in docs/configuration.md).</summary>
    internal static class AllocOptions
    {
        /// <summary>ALLOC301 stays silent when a reorder saves fewer bytes than this.</summary>
        public static readonly IntOption LayoutMinSavingBytes = new IntOption("alloc_analyzers.layout_min_saving_bytes", 1, min: 1, max: 1 << 20);

        /// <summary>ALLOC301 also checks structs that declare <c>[StructLayout(LayoutKind.Sequential)]</c> themselves.</summary>
        public static readonly BoolOption LayoutIncludeDeclaredSequential = new BoolOption("alloc_analyzers.layout_include_declared_sequential", false);

        public static readonly ImmutableArray<AllocOption> All = ImmutableArray.Create<AllocOption>(
            LayoutMinSavingBytes,
            LayoutIncludeDeclaredSequential);
    }
}
