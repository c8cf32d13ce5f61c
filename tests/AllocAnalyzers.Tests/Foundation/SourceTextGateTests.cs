using System.Collections.Immutable;
using AllocAnalyzers.Pooling;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AllocAnalyzers.Tests.Foundation
{
    /// <summary>The per-file text gates (rentals, hot markers, interop): whole words or fragments, across the 4 KB windows, never a miss.</summary>
    public sealed class SourceTextGateTests
    {
        [Theory]
        [InlineData("var b = ArrayPool<byte>.Shared.Rent(10);", true)]
        [InlineData("var o = pool.Get();", true)]
        [InlineData("var o = pool . Get ( );", true)]
        [InlineData("int h = x.GetHashCode(); bool ok = d.TryGetValue(k, out _);", false)]
        [InlineData("class Parent { int Rental; int Rented; }", false)]
        [InlineData("Rent", true)]
        [InlineData("_Rent Rent_ Rent2", false)]
        public void WholeWordsOnly(string text, bool expected)
            => Assert.Equal(expected, SourceTextSearch.Contains(SourceText.From(text), wholeWord: true, "Rent", "Get"));

        [Theory]
        [InlineData(4090)]
        [InlineData(4093)]
        [InlineData(4094)]
        [InlineData(4095)]
        [InlineData(4096)]
        [InlineData(4097)]
        [InlineData(8190)]
        public void FindsAWordWhereverItFalls_AcrossWindowEdges(int position)
        {
            string text = new string(' ', position) + "Rent(" + new string(' ', 9000);
            Assert.True(SourceTextSearch.Contains(SourceText.From(text), wholeWord: true, "Rent", "Get"));
            string noisy = new string('x', position) + "Rent" + new string('x', 9000);
            Assert.False(SourceTextSearch.Contains(SourceText.From(noisy), wholeWord: true, "Rent", "Get"));
            Assert.True(SourceTextSearch.Contains(SourceText.From(noisy), wholeWord: false, "Import", "Rent"));
            Assert.False(SourceTextSearch.Contains(SourceText.From(noisy), wholeWord: false, "Import"));
        }

        [Fact]
        public void ConfiguredRentMethods_AreLookedFor_ByTheirSimpleName()
        {
            var tree = CSharpSyntaxTree.ParseText("class C { void M(MyApp.BufferPool p) { var b = p.Take(); } }");
            Assert.False(RentMentions.MayRent(tree, ImmutableArray<(string, string)>.Empty, default));
            Assert.True(RentMentions.MayRent(tree, ImmutableArray.Create(("MyApp.BufferPool.Take", "MyApp.BufferPool.Give")), default));
        }
    }
}
