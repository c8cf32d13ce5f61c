using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>What a family needs to know of a block to decide its scope: its owner, file, options and cancellation.</summary>
    internal readonly struct BlockStart
    {
        public BlockStart(ISymbol owningSymbol, SyntaxTree tree, AnalyzerOptions analyzerOptions, System.Threading.CancellationToken cancellationToken)
        {
            OwningSymbol = owningSymbol;
            Tree = tree;
            AnalyzerOptions = analyzerOptions;
            CancellationToken = cancellationToken;
        }

        public ISymbol OwningSymbol { get; }

        public SyntaxTree Tree { get; }

        public AnalyzerOptions AnalyzerOptions { get; }

        /// <summary>The options of the block's file (.editorconfig and global configs).</summary>
        public AnalyzerConfigOptions Options => AnalyzerOptions.AnalyzerConfigOptionsProvider.ForTree(Tree);

        public System.Threading.CancellationToken CancellationToken { get; }
    }

    /// <summary>Makes the scope of one block's checks, or null when the family has nothing to look at there.</summary>
    internal delegate TScope? BlockScopeFactory<TScope>(in BlockStart block)
        where TScope : class;
}
