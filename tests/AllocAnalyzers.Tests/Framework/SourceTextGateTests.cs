using System.Collections.Immutable;
using AllocAnalyzers.Pooling;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
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

        [Theory]
        [InlineData(0)]
        [InlineData(4093)]
        [InlineData(4095)]
        [InlineData(4096)]
        [InlineData(8191)]
        public void Positions_FindsEveryOccurrenceOnce_InOrder_AcrossWindowEdges(int position)
        {
            // Two needles, one a fragment of a longer word, one crossing a window edge when position is near 4096.
            string text = new string(' ', position) + "[HotPath]" + new string(' ', 5000) + "[Benchmark] [HotPathAttribute]" + new string(' ', 3);
            int first = position + 1;
            int second = position + 9 + 5000 + 1;
            int third = second + "Benchmark] [".Length;
            Assert.Equal(new[] { first, second, third }, SourceTextSearch.Positions(SourceText.From(text), "HotPath", "Benchmark"));
            Assert.Empty(SourceTextSearch.Positions(SourceText.From(text), "ColdPath"));
        }

        [Fact]
        public void AnyWithin_AsksWhetherASpanHoldsAPosition()
        {
            var positions = new[] { 10, 50 };
            Assert.True(SourceTextSearch.AnyWithin(positions, TextSpan.FromBounds(0, 11)));
            Assert.True(SourceTextSearch.AnyWithin(positions, TextSpan.FromBounds(50, 51)));
            Assert.False(SourceTextSearch.AnyWithin(positions, TextSpan.FromBounds(11, 50)));
            Assert.False(SourceTextSearch.AnyWithin(positions, TextSpan.FromBounds(51, 90)));
            Assert.False(SourceTextSearch.AnyWithin(System.Array.Empty<int>(), TextSpan.FromBounds(0, 90)));
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
