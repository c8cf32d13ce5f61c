using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>
    /// What the compiler takes from .editorconfig sections and global configs, set directly: files marked
    /// <c>generated_code = true</c>, and <c>dotnet_diagnostic.ID.severity</c> per file and globally.
    /// </summary>
    public sealed class TreeOptions : SyntaxTreeOptionsProvider
    {
        private readonly HashSet<string> _generatedPaths;
        private readonly Dictionary<(string Path, string Id), ReportDiagnostic> _byFile;
        private readonly Dictionary<string, ReportDiagnostic> _global;

        public TreeOptions(
            IEnumerable<string>? generatedPaths = null,
            Dictionary<(string Path, string Id), ReportDiagnostic>? byFile = null,
            Dictionary<string, ReportDiagnostic>? global = null)
        {
            _generatedPaths = new HashSet<string>(generatedPaths ?? Enumerable.Empty<string>());
            _byFile = byFile ?? new Dictionary<(string, string), ReportDiagnostic>();
            _global = global ?? new Dictionary<string, ReportDiagnostic>();
        }

        /// <summary>A compilation of <paramref name="trees"/> (the runtime-proof references) that reads these options.</summary>
        public Compilation Compile(string name, params SyntaxTree[] trees)
        {
            var compilation = RuntimeProof.CreateCompilation(string.Empty, name).RemoveAllSyntaxTrees().AddSyntaxTrees(trees);
            return compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(this));
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
            => _generatedPaths.Contains(tree.FilePath) ? GeneratedKind.MarkedGenerated : GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _byFile.TryGetValue((tree.FilePath, diagnosticId), out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _global.TryGetValue(diagnosticId, out severity);
    }
}
