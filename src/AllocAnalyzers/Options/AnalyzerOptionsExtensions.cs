using System.Runtime.CompilerServices;
using System.Threading;
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
        /// <summary>
        /// Each file's options as its last provider gave them: every block of a file asks once per family, and a
        /// provider's answer for a tree does not change. A new provider (an edited .editorconfig) replaces the entry.
        /// </summary>
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<LayeredOptions?>> ByTree = new ConditionalWeakTable<SyntaxTree, StrongBox<LayeredOptions?>>();
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<LayeredOptions?>>.CreateValueCallback NewEntry = _ => new StrongBox<LayeredOptions?>();

        public static AnalyzerConfigOptions ForTree(this AnalyzerConfigOptionsProvider provider, SyntaxTree tree)
        {
            var entry = ByTree.GetValue(tree, NewEntry);
            var known = Volatile.Read(ref entry.Value);
            if (known != null && ReferenceEquals(known.Provider, provider))
            {
                return known;
            }

            var options = new LayeredOptions(provider, provider.GetOptions(tree), provider.GlobalOptions);
            Volatile.Write(ref entry.Value, options);
            return options;
        }

        /// <summary>The file a body is declared in (its first declaration for a partial member), or null.</summary>
        public static SyntaxTree? DeclaringTree(this ISymbol symbol)
            => symbol.DeclaringSyntaxReferences.Length > 0 ? symbol.DeclaringSyntaxReferences[0].SyntaxTree : null;

        private sealed class LayeredOptions : AnalyzerConfigOptions
        {
            private readonly AnalyzerConfigOptions _file;
            private readonly AnalyzerConfigOptions _global;

            public LayeredOptions(AnalyzerConfigOptionsProvider provider, AnalyzerConfigOptions file, AnalyzerConfigOptions global)
            {
                Provider = provider;
                _file = file;
                _global = global;
            }

            /// <summary>The provider these options came from: an entry holds only for it.</summary>
            public AnalyzerConfigOptionsProvider Provider { get; }

#pragma warning disable CS8765 // netstandard2.0 has no [NotNullWhen]; the value is non-null whenever true is returned.
            public override bool TryGetValue(string key, out string? value)
                => _file.TryGetValue(key, out value) || _global.TryGetValue(key, out value);
#pragma warning restore CS8765
        }
    }
}
