using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Layout
{
    /// <summary>What the copy checks of one hot body share: the size limit, read once per body, not per copy.</summary>
    internal sealed class LargeStructCopyScope : RuleScope
    {
        public LargeStructCopyScope(FamilyServices services, HotCode hot, AnalyzerConfigOptions options)
            : base(services, hot, options)
        {
            Limit = AllocOptions.LargeStructBytes.Read(options);
        }

        /// <summary>Copies of structs larger than this many bytes are reported (<c>alloc_analyzers.large_struct_bytes</c>).</summary>
        public int Limit { get; }
    }
}
