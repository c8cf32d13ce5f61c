using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>A corpus file analyzed with every member hot, compiled, and its IL read: the inputs of the IL completeness tests.</summary>
    public sealed record CorpusAnalysis(List<Diagnostic> Diagnostics, CSharpCompilation Compilation, List<IlSite> Sites)
    {
        public static async Task<CorpusAnalysis> RunAsync(string file, IEnumerable<DiagnosticAnalyzer> analyzers)
        {
            var source = Corpus.Read(file);
            var diagnostics = new List<Diagnostic>();
            foreach (var analyzer in analyzers)
            {
                diagnostics.AddRange(await CodeFixRunner.GetDiagnosticsAsync(analyzer, source, "alloc_analyzers.hot_path_scope = all"));
            }

            var compilation = RuntimeProof.CreateCompilation(source);
            return new CorpusAnalysis(diagnostics, compilation, IlSites.Read(compilation));
        }
    }
}
