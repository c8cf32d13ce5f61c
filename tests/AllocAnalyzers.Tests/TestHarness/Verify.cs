using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>
    /// The one verifier every rule test uses: markup spans (<c>{|ALLOC301:Packet|}</c>), options from an
    /// <c>.editorconfig</c> text, .NET 10 references, the newest C#, and (for fixes) Fix All in document, project and
    /// solution checked by the testing library.
    /// </summary>
    public static class Verify<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

        /// <summary>Checks that <paramref name="source"/> produces exactly the markup and <paramref name="expected"/> diagnostics.</summary>
        public static Task AnalyzerAsync(string source, string? editorConfig = null, params DiagnosticResult[] expected)
        {
            var test = Create(source, editorConfig);
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Checks the diagnostics of <paramref name="source"/>, that the fix turns it into <paramref name="fixedSource"/>, and Fix All.</summary>
        public static Task CodeFixAsync(string source, string fixedSource, string? editorConfig = null, params DiagnosticResult[] expected)
        {
            var test = Create(source, editorConfig);
            test.FixedCode = fixedSource;
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Checks that the fix is not offered for the markup diagnostics of <paramref name="source"/>.</summary>
        public static Task NoCodeFixAsync(string source, string? editorConfig = null)
        {
            var test = Create(source, editorConfig);
            test.FixedCode = source;
            return test.RunAsync(CancellationToken.None);
        }

        public static Test Create(string source, string? editorConfig)
        {
            var test = new Test { TestCode = source };
            if (editorConfig != null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
            }

            return test;
        }

        public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            public Test()
            {
                ReferenceAssemblies = TestReferences.None;
                TestState.AdditionalReferences.AddRange(TestReferences.Net100);
            }

            protected override ParseOptions CreateParseOptions()
                => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);

            protected override CompilationOptions CreateCompilationOptions()
                => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithAllowUnsafe(true);
        }
    }

    /// <summary>Analyzer-only tests.</summary>
    public static class Verify<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static DiagnosticResult Diagnostic(string id) => Verify<TAnalyzer, EmptyCodeFixProvider>.Diagnostic(id);

        public static Task AnalyzerAsync(string source, string? editorConfig = null, params DiagnosticResult[] expected)
            => Verify<TAnalyzer, EmptyCodeFixProvider>.AnalyzerAsync(source, editorConfig, expected);
    }
}
