using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AllocAnalyzers.HotPaths;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AllocAnalyzers.Tests.HotPaths
{
    /// <summary>
    /// Hot-path propagation reuses, in a new compilation, the calls it resolved in an earlier one for every file an
    /// edit did not touch (as an IDE makes a compilation per keystroke). The oracle: after each edit, every method's
    /// answer (hot or not, and why) equals the answer of a compilation parsed from scratch from the same texts.
    /// </summary>
    public sealed class HotPathsAcrossEditsTests
    {
        private const string Markers = """
            [System.AttributeUsage(System.AttributeTargets.All)] public sealed class HotPathAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.All)] public sealed class ColdPathAttribute : System.Attribute { }
            """;

        private const string Root = """
            namespace App
            {
                public class Handler
                {
                    private readonly Store _store = new Store();
                    [HotPath] public void Handle() { _store.Save(1); Local(); void Local() { Audit.Write(); } }
                }
            }
            """;

        private const string StoreFile = """
            namespace App
            {
                public class Store
                {
                    public void Save(long id) { Index(id); }
                    public void Index(long id) { }
                    public void Unused() { }
                }
            }
            """;

        private const string AuditFile = """
            namespace App
            {
                public static class Audit
                {
                    public static void Write() { Flush(); }
                    public static void Flush() { }
                    public static void Rotate() { }
                }
            }
            """;

        public static IEnumerable<object[]> Postures()
        {
            yield return new object[] { "" };
            yield return new object[] { "alloc_analyzers.hot_path_methods = M:App.Handler.Handle*" };
            yield return new object[] { "alloc_analyzers.hot_path_depth = 1" };
        }

        [Theory]
        [MemberData(nameof(Postures))]
        public void EveryEdit_GivesTheAnswersOfAFreshCompilation(string options)
        {
            string root = options.Contains("hot_path_methods") ? Root.Replace("[HotPath] ", "") : Root;
            var texts = new[] { Markers, root, StoreFile, AuditFile };
            var trees = texts.Select(Parse).ToArray();
            Compilation compilation = CSharpCompilation.Create("Edits", trees, TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            AssertSameAsFresh(compilation, options, "before any edit");

            var edits = new (int File, string Find, string Replace, string What)[]
            {
                (1, "Local();", "Local(); Audit.Rotate();", "a hot body calls another method"),
                (2, "Index(id); }", "Index(id); Index(id + 1); }", "the callee's own file is edited (its body)"),
                (3, "public static void Rotate() { }", "public static void Rotate() { Flush(); }", "a callee's body gains a call"),
                (2, "public void Index(long id) { }", "public void Index(long id) { }\n        public void Save(int id) { Unused(); }", "an overload in another file takes an unchanged file's call"),
                (3, "public static void Flush() { }", "[ColdPath] public static void Flush() { }", "a callee is marked cold"),
                (1, "Audit.Rotate();", "", "a call is removed"),
            };
            foreach (var (file, find, replace, what) in edits)
            {
                var old = trees[file];
                string text = old.GetText().ToString();
                int at = text.IndexOf(find, System.StringComparison.Ordinal);
                Assert.True(at >= 0, what);
                var edited = old.WithChangedText(old.GetText().WithChanges(new TextChange(new TextSpan(at, find.Length), replace)));
                compilation = compilation.ReplaceSyntaxTree(old, edited);
                trees[file] = edited;
                Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
                AssertSameAsFresh(compilation, options, what);
            }
        }

        /// <summary>
        /// The roots a pattern matched are kept for the next compilation with the same declarations, but only under the
        /// same settings: a compilation read with other patterns or another depth finds its roots again. Each step's
        /// answers differ from the step before, so a root list reused across a settings change fails it.
        /// </summary>
        [Fact]
        public void PatternRoots_AreReusedAcrossBodyEdits_OnlyUnderTheSameSettings()
        {
            var texts = new[] { Markers, Root.Replace("[HotPath] ", ""), StoreFile, AuditFile };
            var trees = texts.Select(Parse).ToArray();
            Compilation compilation = CSharpCompilation.Create("Edits", trees, TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var steps = new (string Options, string Find, string Replace)[]
            {
                ("alloc_analyzers.hot_path_methods = M:App.Handler.Handle*", "Index(id); }", "Index(id); Index(id + 2); }"),
                ("alloc_analyzers.hot_path_methods = M:App.Audit.Write*", "Index(id + 2);", "Index(id + 3);"),
                ("alloc_analyzers.hot_path_methods = M:App.Audit.Write*\nalloc_analyzers.hot_path_depth = 0", "Index(id + 3);", "Index(id + 4);"),
                ("alloc_analyzers.hot_path_methods = M:App.Store.Save*", "Index(id + 4);", "Index(id + 5);"),
                ("alloc_analyzers.hot_path_methods = M:App.Store.Save*\nalloc_analyzers.hot_path_depth = 0", "Index(id + 5);", "Index(id + 6);"),
            };
            string? previous = null;
            foreach (var (options, find, replace) in steps)
            {
                var old = trees[2];
                string text = old.GetText().ToString();
                int at = text.IndexOf(find, System.StringComparison.Ordinal);
                var edited = old.WithChangedText(old.GetText().WithChanges(new TextChange(new TextSpan(at, find.Length), replace)));
                compilation = compilation.ReplaceSyntaxTree(old, edited);
                trees[2] = edited;

                var fresh = CSharpCompilation.Create("Edits", compilation.SyntaxTrees.Select((t, i) => Parse(t.GetText().ToString(), i)), TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
                string answers = string.Join("\n", Answers(compilation, options));
                Assert.Equal(string.Join("\n", Answers(fresh, options)), answers);
                Assert.NotEqual(previous, answers);
                previous = answers;
            }
        }

        [Fact]
        public void AnOverloadAddedElsewhere_MovesTheHotPath()
        {
            // The call in the unchanged root file binds to Save(long) first, to the new Save(int) after the edit.
            var trees = new[] { Markers, Root, StoreFile, AuditFile }.Select(Parse).ToArray();
            Compilation before = CSharpCompilation.Create("Edits", trees, TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.True(Answers(before, "")["Store.Unused()"] == "not hot");

            var edited = trees[2].WithChangedText(SourceText.From(StoreFile.Replace("public void Unused() { }", "public void Unused() { }\n        public void Save(int id) { Unused(); }")));
            var after = before.ReplaceSyntaxTree(trees[2], edited);
            Assert.StartsWith("called from Store.Save", Answers(after, "")["Store.Unused()"]);
        }

        /// <summary>
        /// The command-line compiler's resolvers throw from GetHashCode, so hashing a compilation's options throws
        /// there (it did: AD0001 in every build with hot code, while in-process tests passed). Options are keyed by
        /// identity; every analyzer runs clean on such a compilation.
        /// </summary>
        [Fact]
        public async System.Threading.Tasks.Task OptionsWhoseHashThrows_AsTheCommandLineCompilersDo_AreNoProblem()
        {
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary).WithMetadataReferenceResolver(new UnhashableResolver());
            Assert.Throws<System.NotImplementedException>(() => options.GetHashCode());
            const string allocating = "namespace App { public static class Factory { [HotPath] public static object Make() => new object(); } }";
            var compilation = CSharpCompilation.Create("Edits", new[] { Markers, Root, StoreFile, AuditFile, allocating }.Select(Parse), TestReferences.Net100, options);
            // AnalyzeAsync throws when an analyzer threw (AD0001).
            var diagnostics = await CodeFixRunner.AnalyzeAsync(compilation, RuleCatalog.CreateAnalyzers(), TestOptions.Create("alloc_analyzers.hot_path_methods = M:App.Store.Save*"));
            Assert.Contains(diagnostics, d => d.Id == RuleIds.ObjectAllocation);
            Assert.StartsWith("called from Handler.Handle", Answers(compilation, "")["Store.Save()"]);
        }

        private sealed class UnhashableResolver : MetadataReferenceResolver
        {
            public override bool Equals(object? other) => ReferenceEquals(this, other);

            public override int GetHashCode() => throw new System.NotImplementedException();

            public override System.Collections.Immutable.ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
                => System.Collections.Immutable.ImmutableArray<PortableExecutableReference>.Empty;
        }

        private static SyntaxTree Parse(string text, int index)
            => CSharpSyntaxTree.ParseText(text, RuntimeProof.ParseOptions, path: "/edits/File" + index + ".cs");

        private static void AssertSameAsFresh(Compilation compilation, string options, string what)
        {
            var fresh = CSharpCompilation.Create("Edits", compilation.SyntaxTrees.Select((t, i) => Parse(t.GetText().ToString(), i)), TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Equal(string.Join("\n", Answers(fresh, options)), string.Join("\n", Answers(compilation, options)));
            Assert.True(Answers(compilation, options).Values.Any(a => a.StartsWith("called from", System.StringComparison.Ordinal)), what + ": the propagation found nothing");
        }

        private static SortedDictionary<string, string> Answers(Compilation compilation, string options)
        {
            var model = HotPathModel.For(compilation, TestOptions.Create(options));
            var answers = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var method in compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IMethodSymbol>().Where(m => !m.DeclaringSyntaxReferences.IsEmpty))
            {
                string name = method.ContainingType.Name + "." + method.Name + "(" + string.Join(",", method.Parameters.Select(p => p.Type.Name)) + ")";
                answers[name.Replace("(Int64)", "()").Replace("(Int32)", "(int)")] = model.IsHot(method, CancellationToken.None, out var reason) ? reason : "not hot";
            }

            return answers;
        }
    }
}
