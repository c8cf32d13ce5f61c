using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AllocAnalyzers.Tests.Catalog
{
    /// <summary>
    /// The messages the docs show are messages the analyzers print: every example on a rule page (a line starting
    /// <c>warning ALLOCnnn:</c> or <c>info ALLOCnnn:</c>; <c>...</c> stands for any text) is a diagnostic of the
    /// samples in an optimized build, and every diagnostic line the README quotes is one of the samples' default
    /// (Debug) build, at the same file, line and column. The samples are analysed in process, with their own
    /// <c>.editorconfig</c> and target framework, as their build analyses them.
    /// </summary>
    public sealed class DocsExamplesTests
    {
        private static readonly string Samples = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "AllocAnalyzers.Samples");

        [Fact]
        public async Task EveryRulePageExample_IsAMessageTheSamplesPrint()
        {
            var printed = (await AnalyzeSamplesAsync(optimized: true)).Select(d => d.Diagnostic.Id + ": " + d.Diagnostic.GetMessage()).ToHashSet();
            var missing = new List<string>();
            foreach (var page in Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "rules"), "ALLOC*.md").OrderBy(p => p, StringComparer.Ordinal))
            {
                foreach (Match example in Regex.Matches(File.ReadAllText(page).Replace("\r\n", "\n"), @"^(?:warning|info) (ALLOC\d{3}: .*)$", RegexOptions.Multiline))
                {
                    var pattern = new Regex("^" + Regex.Escape(example.Groups[1].Value).Replace(Regex.Escape("..."), ".*") + "$");
                    if (!printed.Any(pattern.IsMatch))
                    {
                        missing.Add(Path.GetFileName(page) + ": " + example.Groups[1].Value);
                    }
                }
            }

            Assert.True(missing.Count == 0, "docs examples the samples do not print:\n" + string.Join("\n", missing));
        }

        [Fact]
        public async Task EveryReadmeDiagnosticLine_IsOneTheSamplesPrint()
        {
            var printed = (await AnalyzeSamplesAsync(optimized: false))
                .Select(d => Relative(d.Diagnostic.Location.SourceTree!.FilePath) + "(" + (d.Diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1) + "," + (d.Diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1) + "): "
                             + d.Level + " " + d.Diagnostic.Id + ": " + d.Diagnostic.GetMessage())
                .ToHashSet();
            var quoted = Regex.Matches(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "README.md")).Replace("\r\n", "\n"), @"^samples/AllocAnalyzers\.Samples/\S+\(\d+,\d+\): (?:warning|info) ALLOC\d{3}: .*$", RegexOptions.Multiline)
                .Select(m => m.Value).ToList();
            Assert.NotEmpty(quoted);
            Assert.All(quoted, line => Assert.Contains(line, printed));
        }

        private static string Relative(string path) => Path.GetRelativePath(TestEnvironment.RepositoryRoot, path).Replace('\\', '/');

        /// <summary>The analyzers' diagnostics on the samples, from their own .editorconfig, for net10.0.</summary>
        private static async Task<List<(Diagnostic Diagnostic, string Level)>> AnalyzeSamplesAsync(bool optimized)
        {
            var files = Directory.GetFiles(Samples, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f)), parse, path: f)).ToList();
            var compilation = CSharpCompilation.Create("AllocAnalyzers.Samples", trees, TestReferences.Net100,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: optimized ? OptimizationLevel.Release : OptimizationLevel.Debug, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
            var editorConfig = Path.Combine(Samples, ".editorconfig");
            var set = AnalyzerConfigSet.Create(new[] { AnalyzerConfig.Parse(File.ReadAllText(editorConfig), editorConfig) });
            var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new SampleOptions(set, new Dictionary<string, string>
            {
                ["build_property.TargetFramework"] = "net10.0",
                ["build_property.TargetFrameworkIdentifier"] = ".NETCoreApp",
                ["build_property.TargetFrameworkVersion"] = "v10.0",
            }));
            var analyzers = RuleCatalog.CreateAnalyzers();
            var diagnostics = await compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: true, logAnalyzerExecutionTime: false)).GetAnalyzerDiagnosticsAsync();
            // As the build reports them: the severities the .editorconfig sets, none of those it turns off.
            return diagnostics.Where(d => d.Id.StartsWith("ALLOC", StringComparison.Ordinal))
                .Select(d => (Diagnostic: d, Level: ConfiguredLevel(d, set))).Where(d => d.Level != null).Select(d => (d.Diagnostic, d.Level!)).ToList();
        }

        /// <summary>The level the build shows: the .editorconfig's severity for the rule where it sets one; null when it turns the rule off.</summary>
        private static string? ConfiguredLevel(Diagnostic diagnostic, AnalyzerConfigSet set)
        {
            var path = diagnostic.Location.SourceTree?.FilePath;
            var severity = diagnostic.Severity;
            if (path != null && set.GetOptionsForSourcePath(path).TreeOptions.TryGetValue(diagnostic.Id, out var configured))
            {
                if (configured == ReportDiagnostic.Suppress)
                {
                    return null;
                }

                severity = configured switch
                {
                    ReportDiagnostic.Warn => DiagnosticSeverity.Warning,
                    ReportDiagnostic.Error => DiagnosticSeverity.Error,
                    ReportDiagnostic.Info => DiagnosticSeverity.Info,
                    _ => severity,
                };
            }

            return severity switch { DiagnosticSeverity.Warning => "warning", DiagnosticSeverity.Error => "error", _ => "info" };
        }

        private sealed class SampleOptions : AnalyzerConfigOptionsProvider
        {
            private readonly AnalyzerConfigSet _set;
            private readonly Values _global;

            public SampleOptions(AnalyzerConfigSet set, Dictionary<string, string> global)
            {
                _set = set;
                _global = new Values(global.ToImmutableDictionary());
            }

            public override AnalyzerConfigOptions GlobalOptions => _global;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(_set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values(_set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

            private sealed class Values : AnalyzerConfigOptions
            {
                private readonly ImmutableDictionary<string, string> _values;

                public Values(ImmutableDictionary<string, string> values) => _values = values;

                public override IEnumerable<string> Keys => _values.Keys;

                public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
            }
        }
    }
}
