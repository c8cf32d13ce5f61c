using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// The options that apply to a file: its .editorconfig sections first, then global AnalyzerConfig files (where
    /// the package's AllocAnalyzersMode postures and users' .globalconfig put their <c>alloc_analyzers.*</c> keys).
    /// </summary>
    internal static class AnalyzerOptionsExtensions
    {
        public static AnalyzerConfigOptions ForTree(this AnalyzerConfigOptionsProvider provider, SyntaxTree tree)
            => new LayeredOptions(provider.GetOptions(tree), provider.GlobalOptions);

        /// <summary>The file a body is declared in (its first declaration for a partial member), or null.</summary>
        public static SyntaxTree? DeclaringTree(this ISymbol symbol)
            => symbol.DeclaringSyntaxReferences.Length > 0 ? symbol.DeclaringSyntaxReferences[0].SyntaxTree : null;

        private sealed class LayeredOptions : AnalyzerConfigOptions
        {
            private readonly AnalyzerConfigOptions _file;
            private readonly AnalyzerConfigOptions _global;

            public LayeredOptions(AnalyzerConfigOptions file, AnalyzerConfigOptions global)
            {
                _file = file;
                _global = global;
            }

#pragma warning disable CS8765 // netstandard2.0 has no [NotNullWhen]; the value is non-null whenever true is returned.
            public override bool TryGetValue(string key, out string? value)
                => _file.TryGetValue(key, out value) || _global.TryGetValue(key, out value);
#pragma warning restore CS8765
        }
    }
}
