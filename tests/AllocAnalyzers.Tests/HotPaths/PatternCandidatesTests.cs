using System.Linq;
using AllocAnalyzers.HotPaths;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AllocAnalyzers.Tests.HotPaths
{
    /// <summary>
    /// The members a pattern is tested against come from its names, not from every member of the compilation; the
    /// members it matches must be exactly those a test of every member finds.
    /// </summary>
    public sealed class PatternCandidatesTests
    {
        private const string Source = """
            namespace App.Orders
            {
                public interface IHandler { void Handle(int id); }
                public class OrderHandler : IHandler, System.IDisposable
                {
                    public OrderHandler() { }
                    public void Handle(int id) { }
                    public void Handle(string id) { }
                    void IHandler.Handle(int id) { }
                    void System.IDisposable.Dispose() { }
                    public T Map<T>(T value) => value;
                    public int Count { get; set; }
                    public int this[int i] => i;
                    public static OrderHandler operator +(OrderHandler a, OrderHandler b) => a;
                    public class Inner { public void Handle() { } }
                }
                public class Cache<TKey, TValue> { public void Put(TKey key, TValue value) { } public class Entry { public void Touch() { } } }
            }
            namespace App.OrdersArchive { public class Old { public void Handle() { } } }
            namespace Other { public class OrderHandler { public void Handle() { } } }
            public class TopLevel { public void Handle() { } }
            """;

        [Theory]
        [InlineData("M:App.Orders.OrderHandler.Handle*")]
        [InlineData("M:App.Orders.OrderHandler.Handle(System.Int32)")]
        [InlineData("M:App.Orders.OrderHandler.#ctor")]
        [InlineData("M:App.Orders.OrderHandler.App#Orders#IHandler#Handle*")]
        [InlineData("M:App.Orders.OrderHandler.System#IDisposable#Dispose")]
        [InlineData("M:App.Orders.OrderHandler.Map``1*")]
        [InlineData("M:App.Orders.OrderHandler.op_*")]
        [InlineData("M:App.Orders.OrderHandler.Inner.Handle")]
        [InlineData("M:App.Orders*")]
        [InlineData("M:App.Orders.*Handle*")]
        [InlineData("M:App.Orders.Cache`2.Put*")]
        [InlineData("M:App.Orders.Cache`2.Entry.*")]
        [InlineData("M:*Handle")]
        [InlineData("M:TopLevel.Handle")]
        [InlineData("P:App.Orders.OrderHandler.Count")]
        [InlineData("P:App.Orders.OrderHandler.Item*")]
        [InlineData("T:App.Orders.*")]
        [InlineData("T:App.Orders.OrderHandler")]
        [InlineData("T:App.Orders.Cache`2*")]
        [InlineData("T:*OrderHandler")]
        [InlineData("M:App.Nothing.Here*")]
        public void Candidates_HoldEveryMemberThePatternMatches(string text)
        {
            Assert.True(MemberPattern.TryParse(text, out var parsed));
            var compilation = CSharpCompilation.Create("Patterns", new[] { CSharpSyntaxTree.ParseText(Source, RuntimeProof.ParseOptions) }, TestReferences.Net100, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var pattern = parsed!;

            // Nested types are not roots (a T: pattern reaches their members through their own containing type).
            var everyMember = compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member).Concat(AllAccessors(compilation)).Where(m => m is not INamedTypeSymbol);
            var expected = everyMember.Where(pattern.MatchesMember).Select(Id).Distinct().OrderBy(s => s, System.StringComparer.Ordinal).ToList();
            var found = PatternCandidates.For(pattern, compilation.Assembly.GlobalNamespace).Where(pattern.MatchesMember).Select(Id).Distinct().OrderBy(s => s, System.StringComparer.Ordinal).ToList();
            Assert.Equal(expected, found);
        }

        [Fact]
        public void AnExactPattern_TouchesOneType()
        {
            Assert.True(MemberPattern.TryParse("M:App.Orders.OrderHandler.Handle(System.Int32)", out var pattern));
            var compilation = CSharpCompilation.Create("Patterns", new[] { CSharpSyntaxTree.ParseText(Source, RuntimeProof.ParseOptions) }, TestReferences.Net100);
            var types = PatternCandidates.For(pattern!, compilation.Assembly.GlobalNamespace).Select(m => m.ContainingType.Name).Distinct().ToList();
            Assert.Equal(new[] { "OrderHandler" }, types);
        }

        private static string Id(ISymbol symbol) => symbol.GetDocumentationCommentId() ?? symbol.Name;

        private static System.Collections.Generic.IEnumerable<ISymbol> AllAccessors(Compilation compilation)
            => compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type).OfType<INamedTypeSymbol>().SelectMany(t => t.GetMembers());
    }
}
