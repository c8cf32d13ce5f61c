using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// The speed benchmark's project (the generated one, or a real project's sources) as fresh compilations, our analyzers and the postures they run in: what
    /// <see cref="AnalyzerSpeed"/> measures and <see cref="RepeatedRuns"/> runs for a profiler.
    /// </summary>
    internal sealed class SpeedProject
    {
        public static readonly string[] Postures = { "default (annotated)", "everything hot (scope = all)" };

        public SpeedProject(ProjectSources sources) => Sources = sources;

        public ProjectSources Sources { get; }

        public int Lines => Sources.Lines;

        /// <summary>
        /// A compilation of freshly parsed trees, as every command-line build has: nothing the analyzers cache per
        /// syntax tree carries over from one measured run to the next.
        /// </summary>
        public CSharpCompilation Fresh(bool oneThread = false) => CSharpCompilation.Create(
            "Project",
            Sources.ParseAll(),
            ProjectSources.FrameworkReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, concurrentBuild: !oneThread, allowUnsafe: true));

        /// <summary>Every analyzer we ship, or only the one named <paramref name="only"/>.</summary>
        public static ImmutableArray<DiagnosticAnalyzer> Ours(string? only = null)
        {
            var analyzers = typeof(AllocAnalyzers.Descriptors).Assembly.GetTypes()
                .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
                .Where(t => only == null || t.Name == only)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();
            return analyzers.IsEmpty ? throw new ArgumentException("no analyzer named '" + only + "'") : analyzers;
        }

        /// <summary>The options of a posture: nothing set (only the [HotPath] methods are hot), or every method hot.</summary>
        public static AnalyzerOptions OptionsFor(string posture)
            => new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new FixedOptions(posture.StartsWith("everything", StringComparison.Ordinal)
                ? new Dictionary<string, string> { ["alloc_analyzers.hot_path_scope"] = "all" }
                : new Dictionary<string, string>()));

        /// <summary>An analyzer run: callbacks concurrent as in a build, or one at a time.</summary>
        public static Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, bool concurrent = false)
            => compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: false)).GetAnalyzerDiagnosticsAsync();
    }
}
