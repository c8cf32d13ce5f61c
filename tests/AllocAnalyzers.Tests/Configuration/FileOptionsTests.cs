using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AllocAnalyzers.Tests.Configuration
{
    /// <summary>A file's options are kept per tree for its provider; a new provider (an edited .editorconfig) is read afresh.</summary>
    public class FileOptionsTests
    {
        [Fact]
        public void EachProviderOfTheSameTreeGetsItsOwnValues()
        {
            var tree = CSharpSyntaxTree.ParseText("class C { }");
            var before = new TestOptions("alloc_analyzers.hot_path_scope = annotated");
            var after = new TestOptions("alloc_analyzers.hot_path_scope = all");

            Assert.True(before.ForTree(tree).TryGetValue("alloc_analyzers.hot_path_scope", out var first));
            Assert.Equal("annotated", first);
            Assert.Same(before.ForTree(tree), before.ForTree(tree));

            Assert.True(after.ForTree(tree).TryGetValue("alloc_analyzers.hot_path_scope", out var second));
            Assert.Equal("all", second);

            // Back to the first provider (two hosts analysing the same tree in turn): its own values again.
            Assert.True(before.ForTree(tree).TryGetValue("alloc_analyzers.hot_path_scope", out var third));
            Assert.Equal("annotated", third);
        }
    }
}
