using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// What every family's rules share in one compilation, made once at compilation start: the known types, the layout
    /// engine, the escape summaries of the compilation's methods, the target runtime, and the hot-path model.
    /// </summary>
    internal sealed class FamilyServices
    {
        public FamilyServices(Compilation compilation, AnalyzerOptions options, KnownTypes knownTypes)
        {
            KnownTypes = knownTypes;
            Engine = LayoutEngine.For(compilation);
            Summaries = MethodSummaries.For(compilation);
            Target = TargetRuntime.For(compilation, options.AnalyzerConfigOptionsProvider.GlobalOptions);
            RuntimeNames = RuntimeTypeName.For(compilation);
            Display = TypeDisplay.For(compilation);
        }

        public KnownTypes KnownTypes { get; }

        public LayoutEngine Engine { get; }

        /// <summary>What the compilation's methods do with the values passed to them, for the escape analysis.</summary>
        public MethodSummaries Summaries { get; }

        /// <summary>The runtime names of the compilation's types, for the reports' allocated-type property.</summary>
        public TypeNames<string?> RuntimeNames { get; }

        /// <summary>The compilation's type names as the messages show them.</summary>
        public TypeNames<string> Display { get; }

        /// <summary>The framework the project targets and whether it builds optimized, for the messages' claims.</summary>
        public TargetRuntime Target { get; }

        /// <summary>The hot code of <paramref name="block"/> (null when none of it is hot), decided once per body by <see cref="HotPathModel"/>.</summary>
        public HotCode? HotCodeOf(in BlockStart block)
            => HotCode.For(block.OwningSymbol, block.AnalyzerOptions, KnownTypes, block.CancellationToken);
    }
}
