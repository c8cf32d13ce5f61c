using System.Linq;
using AllocAnalyzers.Escape;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace AllocAnalyzers.Tests.Escape
{
    /// <summary>
    /// The variable index the escape analysis follows values through: for every local, parameter and <c>this</c> of a
    /// body, exactly the references a walk of the tree finds, in tree order, however their uses interleave.
    /// </summary>
    public sealed class VariableReferencesTests
    {
        private const string Source = @"
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
class C
{
    int _f;
    int Interleaved(int p, string s)
    {
        var a = new List<int>();
        var b = new int[p];
        a.Add(b.Length);
        b[0] = a.Count + p;
        Func<int> f = () => a.Count + b[0] + _f;
        foreach (var x in a) { b[0] += x; _f += x; }
        var unused = s;
        return f() + this._f + b[0] + a[0] + p;
    }
    async Task<int> Awaits(Task<int> t) { var v = await t; return v; }
    IEnumerable<int> Yields(int n) { for (int i = 0; i < n; i++) yield return i; }
    int Deep(int p, int q) { return DEEP; }
}";

        [Fact]
        public void EveryVariable_HasItsReferencesInTreeOrder() => AssertIndexMatchesWalk("Interleaved");

        [Fact]
        public void AnExpressionNested300Deep_IsIndexedInTreeOrder_AndTheNextIndexToo()
        {
            // The walk's stack grows past its first size here; the next walk on the thread reuses the grown stack.
            AssertIndexMatchesWalk("Deep");
            AssertIndexMatchesWalk("Interleaved");
        }

        private static void AssertIndexMatchesWalk(string method)
        {
            var body = Body(method, out var model);
            var index = VariableReferences.Create(body);
            var expected = body.Descendants()
                .Select(o => (Variable: o switch
                {
                    ILocalReferenceOperation local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } instance => instance.Type,
                    _ => null,
                }, Reference: o))
                .Where(pair => pair.Variable != null)
                .GroupBy(pair => pair.Variable!, SymbolEqualityComparer.Default)
                .ToList();

            Assert.True(expected.Count >= (method == "Deep" ? 2 : 7), "a, b, f, x, unused, p, s and this are all referenced (p and q in Deep)");
            Assert.True(expected.Count(g => g.Count() >= 3) >= 2, "variables are referenced three times or more, interleaved");
            foreach (var group in expected)
            {
                var found = index.Of(group.Key);
                Assert.Equal(group.Select(pair => pair.Reference).ToList(), Enumerable.Range(0, found.Count).Select(i => found[i]).ToList());
            }

            var notInBody = model.Compilation.GetSpecialType(SpecialType.System_Int32);
            Assert.Equal(0, index.Of(notInBody).Count);
            Assert.False(index.HoistsLocals);
        }

        [Theory]
        [InlineData("Awaits")]
        [InlineData("Yields")]
        public void AwaitOrYield_HoistsLocals(string method)
            => Assert.True(VariableReferences.Create(Body(method, out _)).HoistsLocals);

        private static IOperation Body(string method, out SemanticModel model)
        {
            // p - (q - (p - (q - ... 0))): each operand a level deeper than the last.
            string deep = string.Concat(Enumerable.Range(0, 300).Select(i => (i % 2 == 0 ? "p" : "q") + " - (")) + "0" + new string(')', 300);
            var compilation = RuntimeProof.CreateCompilation(Source.Replace("DEEP", deep), "References");
            var tree = compilation.SyntaxTrees.Single();
            model = compilation.GetSemanticModel(tree);
            var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == method);
            return model.GetOperation(declaration)!;
        }
    }
}
