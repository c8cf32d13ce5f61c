using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// Every analyzer and code fix over the corpus and over code in the middle of being typed: prefix truncations and
    /// random single-token deletions of every corpus file, with every member hot. Zero analyzer exceptions, zero
    /// code-fix exceptions. CI runs a bounded, seeded sample; set ALLOC_ROBUSTNESS_FULL=1 for every token boundary.
    /// </summary>
    public sealed class RobustnessSweepTests
    {
        private static readonly bool Full = Environment.GetEnvironmentVariable("ALLOC_ROBUSTNESS_FULL") == "1";
        private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = RuleCatalog.CreateAnalyzers();
        private static readonly ImmutableArray<CodeFixProvider> Fixes = RuleCatalog.CreateCodeFixes();

        public static TheoryData<string> Files => new TheoryData<string>(Corpus.Files);

        [Theory]
        [MemberData(nameof(Files))]
        public async Task Truncations_AndTokenDeletions_NeverThrow(string file)
        {
            var source = Corpus.Read(file);
            var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
            // A seed stable across runs (string.GetHashCode is randomized per process).
            var random = new Random(file.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0x7FFF);
            int samples = Full ? tokens.Count : 40;
            var variants = new List<string>();
            for (int i = 0; i < samples; i++)
            {
                var cut = Full ? tokens[i] : tokens[random.Next(tokens.Count)];
                variants.Add(source.Substring(0, cut.Span.End));
                var deleted = Full ? tokens[i] : tokens[random.Next(tokens.Count)];
                variants.Add(source.Remove(deleted.SpanStart, deleted.Span.Length));
            }

            var failures = new ConcurrentBag<string>();
            foreach (var variant in variants)
            {
                await AnalyzeAsync(variant, failures, applyFixes: !Full && variants.IndexOf(variant) % 8 == 0);
            }

            Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        }

        [Theory]
        [MemberData(nameof(Files))]
        public async Task WholeFile_FixAllForEveryId_AddsNoCompilerError(string file)
        {
            var source = Corpus.Read(file);
            var failures = new ConcurrentBag<string>();
            await AnalyzeAsync(source, failures, applyFixes: true);
            Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));

            var errorsBefore = Errors(source);
            foreach (var fix in Fixes)
            {
                foreach (var id in fix.FixableDiagnosticIds)
                {
                    var analyzer = Analyzers.First(a => a.SupportedDiagnostics.Any(d => d.Id == id));
                    var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, fix, source, id, "alloc_analyzers.hot_path_scope = all");
                    var errorsAfter = Errors(fixedSource);
                    Assert.True(errorsAfter.Count <= errorsBefore.Count, $"{id} fix broke {file}: {string.Join("; ", errorsAfter)}");
                }
            }
        }

        [Theory]
        [InlineData("parentheses")]
        [InlineData("ifs")]
        [InlineData("concatenation")]
        [InlineData("lambdas")]
        [InlineData("constructor")]
        public async Task DeepNesting_NeverOverflowsOrThrows(string shape)
        {
            const int depth = 2000;
            string body = shape switch
            {
                "parentheses" => "return " + new string('(', depth) + "x" + new string(')', depth) + ";",
                "ifs" => string.Concat(Enumerable.Repeat("if (x > 0) { ", depth)) + "x++;" + new string('}', depth) + " return x;",
                "concatenation" => "return (\"a\" + " + string.Join(" + ", Enumerable.Repeat("x", depth)) + ").Length;",
                // The constructor's own body is summarised for the new (ALLOC101's constructor part).
                "constructor" => "return new Built(x).V; } } public sealed class Built { public int V; public Built(int x) { V = (\"a\" + " + string.Join(" + ", Enumerable.Repeat("x", depth)) + ").Length;",
                _ => "System.Func<int, int> f = " + string.Concat(Enumerable.Repeat("y => ", 1)) + string.Join("", Enumerable.Range(0, 200).Select(i => "((System.Func<int, int>)(z" + i + " => ")) + "x" + new string(')', 400) + "(1); return f(x);",
            };
            var source = "public static class Deep { public static int M(int x) { " + body + " } }";
            var failures = new ConcurrentBag<string>();
            await AnalyzeAsync(source, failures, applyFixes: false);
            Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        }

        /// <summary>
        /// A huge body: thousands of allocations, each into a local followed to its uses (the escape analysis indexes
        /// the body's variable references once; a walk per allocation was quadratic, seconds at this size).
        /// </summary>
        [Fact]
        public async Task HugeBody_ThousandsOfAllocationsIntoLocals_EachReportedWithItsEscape()
        {
            const int count = 4000;
            var body = string.Concat(Enumerable.Range(0, count).Select(i => i % 2 == 0
                ? $"var x{i} = new int[3]; x{i}[0] = {i}; s += x{i}[0]; "
                : $"var x{i} = new int[3]; kept[{i % 7}] = x{i}; "));
            var source = "public static class Huge { public static int M(int[][] kept) { int s = 0; " + body + "return s; } }";
            var tree = CSharpSyntaxTree.ParseText(source, RuntimeProof.ParseOptions, path: "/src/Huge.cs");
            var compilation = CSharpCompilation.Create("Huge", new[] { tree }, TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var options = new CompilationWithAnalyzersOptions(TestOptions.Create("alloc_analyzers.hot_path_scope = all"), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AllocAnalyzers.Allocations.HotAllocationAnalyzer()), options).GetAnalyzerDiagnosticsAsync();

            var escapes = diagnostics.Where(d => d.Id == RuleIds.ArrayAllocation).Select(d => AllocAnalyzers.Cost.AllocationProperties.ReadEscape(d.Properties)).ToList();
            Assert.Equal(count, escapes.Count);
            Assert.Equal(count / 2, escapes.Count(e => e == AllocAnalyzers.Escape.EscapeKind.Local));
            Assert.Equal(count / 2, escapes.Count(e => e == AllocAnalyzers.Escape.EscapeKind.Stored));
        }

        private static async Task AnalyzeAsync(string source, ConcurrentBag<string> failures, bool applyFixes)
        {
            var tree = CSharpSyntaxTree.ParseText(source, RuntimeProof.ParseOptions, path: "/src/Sweep.cs");
            var compilation = CSharpCompilation.Create("Sweep", new[] { tree }, TestReferences.Net100,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
            var options = new CompilationWithAnalyzersOptions(TestOptions.Create("alloc_analyzers.hot_path_scope = all"),
                (e, a, _) => failures.Add(a.GetType().Name + " threw on " + Describe(source) + ": " + e), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
            foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
            {
                failures.Add(ad0001.GetMessage());
            }

            if (!applyFixes)
            {
                return;
            }

            var document = CreateDocument(source);
            foreach (var diagnostic in diagnostics)
            {
                foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    try
                    {
                        var actions = new List<CodeAction>();
                        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                        foreach (var action in actions)
                        {
                            await action.GetOperationsAsync(CancellationToken.None);
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Add(fix.GetType().Name + " threw on " + Describe(source) + ": " + e);
                    }
                }
            }
        }

        private static Document CreateDocument(string source)
        {
            var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Sweep", "Sweep", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true),
                parseOptions: RuntimeProof.ParseOptions, metadataReferences: TestReferences.Net100));
            return workspace.AddDocument(project.Id, "Sweep.cs", SourceText.From(source));
        }

        private static List<string> Errors(string source)
            => CSharpCompilation.Create("Check", new[] { CSharpSyntaxTree.ParseText(source, RuntimeProof.ParseOptions) }, TestReferences.Net100,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable))
                .GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + " " + d.GetMessage()).ToList();

        private static string Describe(string source) => source.Length + " chars ending \"" + source.Substring(Math.Max(0, source.Length - 40)).Replace('\n', ' ') + "\"";
    }
}
