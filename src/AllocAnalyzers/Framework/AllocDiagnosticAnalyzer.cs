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
            // Generated code is not analysed (no Analyze flag): the driver hands no generated file, generated-marked symbol
            // or declaration to any action, so every diagnostic lies in hand-written code. Reporting is not filtered again
            // (ReportDiagnostics): that filter walks every token of each file with a diagnostic looking for [GeneratedCode],
            // 1-2 ms per 900-line file (the speed benchmark's reporting floor), for nothing. A rule that reports outside
            // the code it is handed checks GeneratedFiles itself.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start => OnCompilationStart(start, KnownTypes.For(start.Compilation)));
        }

        /// <summary>Registers the analyzer's actions for one compilation.</summary>
        internal abstract void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes);
    }
}
