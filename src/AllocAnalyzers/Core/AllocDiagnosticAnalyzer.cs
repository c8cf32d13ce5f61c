using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// Base of every AllocAnalyzers analyzer: concurrent, silent in generated code, and handed the per-compilation
    /// <see cref="KnownTypes"/> once at compilation start. Derived analyzers only register what they need there.
    /// </summary>
    public abstract class AllocDiagnosticAnalyzer : DiagnosticAnalyzer
    {
        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start => OnCompilationStart(start, KnownTypes.For(start.Compilation)));
        }

        /// <summary>Registers the analyzer's actions for one compilation.</summary>
        internal abstract void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes);
    }
}
