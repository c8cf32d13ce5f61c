using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Configuration.ConfigurationAnalyzer>;
using Xunit;

namespace AllocAnalyzers.Tests.Configuration
{
    /// <summary>ALLOC001 for every option: one clear diagnostic naming key and value, never an exception.</summary>
    public sealed class ConfigurationAnalyzerTests
    {
        [Theory]
        [InlineData("alloc_analyzers.layout_min_saving_bytes", "lots", "expected a whole number from 1 to 1048576", "1")]
        [InlineData("alloc_analyzers.layout_min_saving_bytes", "-4", "expected a whole number from 1 to 1048576", "1")]
        [InlineData("alloc_analyzers.layout_min_saving_bytes", "0", "expected a whole number from 1 to 1048576", "1")]
        [InlineData("alloc_analyzers.layout_include_declared_sequential", "yes", "expected true or false", "false")]
        [InlineData("alloc_analyzers.hot_path_depth", "-1", "expected a whole number from 0 to 16", "2")]
        [InlineData("alloc_analyzers.hot_path_depth", "deep", "expected a whole number from 0 to 16", "2")]
        [InlineData("alloc_analyzers.hot_path_scope", "everything", "expected one of annotated, all", "annotated")]
        [InlineData("alloc_analyzers.large_struct_bytes", "0", "expected a whole number from 1 to 1048576", "64")]
        [InlineData("alloc_analyzers.rental_exception_paths", "sometimes", "expected one of all, ignore", "all")]
        [InlineData("alloc_analyzers.stackalloc_max_bytes", "-1", "expected a whole number from 0 to 65536", "256")]
        public Task InvalidValue_ReportsKeyValueExpectationAndDefault(string key, string value, string expectation, string defaultValue)
            => Verifier.AnalyzerAsync(
                "{|#0:public|} struct S { }",
                key + " = " + value,
                Verifier.Diagnostic(RuleIds.InvalidConfiguration).WithLocation(0).WithArguments(key, "has the invalid value '" + value + "': " + expectation, "the default (" + defaultValue + ") is used instead"));

        private const string Patterns = "expected documentation-ID patterns such as M:MyApp.OrderHandler.Handle* or T:MyApp.Pipeline.*";
        private const string Pairs = "expected pairs such as MyApp.BufferPool.Take:MyApp.BufferPool.Give";

        [Theory]
        [InlineData("alloc_analyzers.hot_path_methods", "MyApp.Handler.Handle", "MyApp.Handler.Handle", Patterns, "the default (none) is used instead")]
        [InlineData("alloc_analyzers.hot_path_methods", "M:MyApp.Handler.Handle*, X:Foo", "X:Foo", Patterns, "the other entries are used")]
        [InlineData("alloc_analyzers.hot_path_methods", "M:My App", "M:My App", Patterns, "the default (none) is used instead")]
        [InlineData("alloc_analyzers.pool_methods", "Take:Give", "Take:Give", Pairs, "the default (none) is used instead")]
        [InlineData("alloc_analyzers.pool_methods", "MyApp.Pool.Take:MyApp.Pool.Give, MyApp.Pool.Take", "MyApp.Pool.Take", Pairs, "the other entries are used")]
        public Task InvalidListEntry_ReportsTheEntry_AndKeepsTheOthers(string key, string value, string entry, string expectation, string consequence)
            => Verifier.AnalyzerAsync(
                "{|#0:public|} struct S { }",
                key + " = " + value,
                Verifier.Diagnostic(RuleIds.InvalidConfiguration).WithLocation(0).WithArguments(key, "has the invalid entry '" + entry + "': " + expectation, consequence));

        [Fact]
        public Task TwoInvalidEntries_AreReportedOneByOne()
            => Verifier.AnalyzerAsync(
                "{|#0:public|} struct S { }",
                "alloc_analyzers.hot_path_methods = Q:One, M:App.Ok*, Two",
                Verifier.Diagnostic(RuleIds.InvalidConfiguration).WithLocation(0).WithArguments("alloc_analyzers.hot_path_methods", "has the invalid entry 'Q:One': " + Patterns, "the other entries are used"),
                Verifier.Diagnostic(RuleIds.InvalidConfiguration).WithLocation(0).WithArguments("alloc_analyzers.hot_path_methods", "has the invalid entry 'Two': " + Patterns, "the other entries are used"));

        [Theory]
        [InlineData("alloc_analyzers.hot_path_metods", " (did you mean 'alloc_analyzers.hot_path_methods'?)")]
        [InlineData("alloc_analyzers.hotpath_depth", " (did you mean 'alloc_analyzers.hot_path_depth'?)")]
        [InlineData("alloc_analyzers.JIT_ELISON", " (did you mean 'alloc_analyzers.jit_elision'?)")]
        [InlineData("alloc_analyzers.something_else_entirely", "")]
        public Task UnknownKey_IsReported_WithTheNearestKey(string key, string suggestion)
            => Verifier.AnalyzerAsync(
                "{|#0:public|} struct S { }",
                key + " = 1",
                Verifier.Diagnostic(RuleIds.InvalidConfiguration).WithLocation(0).WithArguments(key.ToLowerInvariant(), "is not an AllocAnalyzers option" + suggestion, "it is ignored"));

        [Theory]
        [InlineData("alloc_analyzers.layout_min_saving_bytes = 16")]
        [InlineData("alloc_analyzers.layout_include_declared_sequential = TRUE")]
        [InlineData("alloc_analyzers.hot_path_scope = All")]
        [InlineData("alloc_analyzers.hot_path_depth = 0")]
        [InlineData("alloc_analyzers.hot_path_methods = M:MyApp.Handler.Handle*, T:MyApp.Pipeline.*")]
        [InlineData("some_other_tool.option = whatever")]
        public Task ValidValue_NoDiagnostic(string line)
            => Verifier.AnalyzerAsync("public struct S { }", line);

        [Fact]
        public async Task InvalidValue_TheRuleFallsBackToTheDefault()
        {
            await Verify<AllocAnalyzers.Layout.StructLayoutAnalyzer>.AnalyzerAsync(
                "public struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }",
                "alloc_analyzers.layout_min_saving_bytes = lots");
        }
    }
}
