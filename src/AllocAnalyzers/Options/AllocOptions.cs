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

        /// <summary><c>annotated</c>: only marked or configured code (and what it calls) is hot; <c>all</c>: every member is.</summary>
        public static readonly ChoiceOption HotPathScope = new ChoiceOption("alloc_analyzers.hot_path_scope", "annotated", "all");

        /// <summary>How many calls deep hotness propagates from a hot member to what it calls (0 turns it off).</summary>
        public static readonly IntOption HotPathDepth = new IntOption("alloc_analyzers.hot_path_depth", 2, min: 0, max: 16);

        /// <summary>Documentation-ID patterns of hot members (<c>M:App.Handler.Handle*</c>, <c>T:App.Pipeline.*</c>).</summary>
        public static readonly PatternListOption HotPathMethods = new PatternListOption("alloc_analyzers.hot_path_methods");

        /// <summary>ALLOC302 reports by-value copies of structs larger than this many bytes on hot paths.</summary>
        public static readonly IntOption LargeStructBytes = new IntOption("alloc_analyzers.large_struct_bytes", 64, min: 1, max: 1 << 20);

        /// <summary>The ALLOC102 fix turns constant-size arrays of at most this many bytes into stackalloc.</summary>
        public static readonly IntOption StackallocMaxBytes = new IntOption("alloc_analyzers.stackalloc_max_bytes", 256, min: 0, max: 1 << 16);

        /// <summary><c>all</c>: a rental an exception between Rent and Return would leak is ALLOC401; <c>ignore</c>: only normal paths count.</summary>
        public static readonly ChoiceOption RentalExceptionPaths = new ChoiceOption("alloc_analyzers.rental_exception_paths", "all", "ignore");

        /// <summary>User pools: <c>Namespace.Type.RentMethod:Namespace.Type.ReturnMethod</c> pairs, comma-separated.</summary>
        public static readonly PoolMethodsOption PoolMethods = new PoolMethodsOption("alloc_analyzers.pool_methods");

        /// <summary>
        /// <c>assume</c>: an allocation the target's JIT may remove in optimized code is a suggestion, with no pooling
        /// fix; <c>ignore</c>: it is reported as allocating on every execution, as on runtimes before .NET 9.
        /// </summary>
        public static readonly ChoiceOption JitElision = new ChoiceOption("alloc_analyzers.jit_elision", "assume", "ignore");

        public static readonly ImmutableArray<AllocOption> All = ImmutableArray.Create<AllocOption>(
            LayoutMinSavingBytes,
            LayoutIncludeDeclaredSequential,
            HotPathScope,
            HotPathDepth,
            HotPathMethods,
            LargeStructBytes,
            StackallocMaxBytes,
            RentalExceptionPaths,
            PoolMethods,
            JitElision);

        /// <summary>True when <paramref name="key"/> (case-insensitive, as .editorconfig keys are) is one of <see cref="All"/>.</summary>
        public static bool IsKnownKey(string key)
        {
            foreach (var option in All)
            {
                if (string.Equals(option.Key, key, System.StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
