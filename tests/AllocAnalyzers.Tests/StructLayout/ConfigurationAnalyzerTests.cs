using System.Threading.Tasks;
using Xunit;
using AllocAnalyzers.Tests.Infrastructure;
using Verifier = AllocAnalyzers.Tests.Infrastructure.Verify<AllocAnalyzers.Configuration.ConfigurationAnalyzer>;

namespace AllocAnalyzers.Tests.StructLayout
{
    /// <summary>ALLOC001 for the layout options: one clear diagnostic naming key and value, never an exception.</summary>
    public sealed class ConfigurationAnalyzerTests
    {
        [Theory]
        [InlineData("alloc_analyzers.layout_min_saving_bytes", "lots", "expected a whole number from 1 to 1048576", "1")]
        [InlineData("alloc_analyzers.layout_min_saving_bytes", "-4", "expected a whole number from 1 to 1048576", "1")]
        [InlineData("alloc_analyzers.layout_min_saving_bytes", "0", "expected a whole number from 1 to 1048576", "1")]
        [InlineData("alloc_analyzers.layout_include_declared_sequential", "yes", "expected true or false", "false")]
        public Task InvalidValue_ReportsKeyValueExpectationAndDefault(string key, string value, string expectation, string defaultValue)
            => Verifier.AnalyzerAsync(
                "{|#0:public|} struct S { }",
                key + " = " + value,
                Verifier.Diagnostic(RuleIds.InvalidConfiguration).WithLocation(0).WithArguments(key, value, expectation, defaultValue));

        [Theory]
        [InlineData("alloc_analyzers.layout_min_saving_bytes = 16")]
        [InlineData("alloc_analyzers.layout_include_declared_sequential = TRUE")]
        [InlineData("some_other_tool.option = whatever")]
        public Task ValidValue_NoDiagnostic(string line)
            => Verifier.AnalyzerAsync("public struct S { }", line);

        [Fact]
        public async Task InvalidValue_TheRuleFallsBackToTheDefault()
        {
            await Verify<AllocAnalyzers.Layout.PaddedStructAnalyzer>.AnalyzerAsync(
                "public struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }",
                "alloc_analyzers.layout_min_saving_bytes = lots");
        }
    }
}
