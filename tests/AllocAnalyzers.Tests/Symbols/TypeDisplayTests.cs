using System.Collections.Generic;
using System.Linq;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Symbols
{
    /// <summary>
    /// The messages' type names come from <c>TypeDisplay</c>, built once per equal symbol (nullability included): it
    /// must answer exactly what <c>ToDisplayString(MinimallyQualifiedFormat)</c> answers for every type an operation has
    /// (nullable annotations, tuples with and without names, arrays, pointers, native integers beside <c>IntPtr</c>,
    /// <c>dynamic</c> beside <c>object</c>, nested and generic types, type parameters), one cache answering all of
    /// them in turn, so two types that share an entry must display alike; and an equal symbol reached through another
    /// object must not build the name again.
    /// </summary>
    public sealed class TypeDisplayTests
    {
        private const string Source = @"
#nullable enable
using System;
using System.Collections.Generic;
namespace N
{
    public class Outer<T> { public struct Inner { } }
    public unsafe class C
    {
        public object Run<U>(U u, string? maybe, string sure, int? n, (int A, string B) named, (int, long) plain, int[,] grid, int* p)
        {
            var list = new List<int?> { n };
            var map = new Dictionary<string, Outer<U>.Inner>();
            object o1 = maybe ?? sure;
            object o2 = named;
            object o3 = plain;
            object o4 = grid;
            object o5 = new Outer<string?>.Inner();
            object o6 = u!;
            object o7 = (IntPtr)p;
            nint native = 1;
            dynamic late = sure;
            object o8 = native;
            object o9 = late;
            Func<int, int> f = x => x;
            return (o1, o2, o3, o4, o5, o6, o7, list, map, f, DayOfWeek.Monday);
        }
    }
}";

        [Fact]
        public void Of_AnswersAsTheDisplayString_ForEveryOperationsType_AndOnceAnswersFromTheTable()
        {
            var compilation = RuntimeProof.CreateCompilation(Source, "Display");
            compilation = compilation.WithOptions(compilation.Options.WithAllowUnsafe(true));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var tree = compilation.SyntaxTrees.Single();
            var model = compilation.GetSemanticModel(tree);
            var types = new List<ITypeSymbol>();
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetOperation(node) is { Type: { } type })
                {
                    types.Add(type);
                }
            }

            var shown = types.Select(t => t.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)).Distinct().ToList();
            Assert.Contains("string?", shown);
            Assert.Contains("string", shown);
            Assert.Contains("(int A, string B)", shown);
            Assert.Contains("Dictionary<string, Inner>", shown);
            Assert.Contains("int*", shown);
            Assert.Contains("List<int?>", shown);
            Assert.Contains("nint", shown);
            Assert.Contains("dynamic", shown);
            var display = TypeDisplay.For(compilation);
            foreach (var type in types)
            {
                Assert.Equal(type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), display.Of(type));
            }

            // The reference types' operations hand out a new symbol object each: their names are still built once.
            var strings = types.Where(t => t.SpecialType == SpecialType.System_String && t.NullableAnnotation == NullableAnnotation.NotAnnotated).ToList();
            Assert.True(strings.Count >= 2 && !ReferenceEquals(strings[0], strings[1]), "two objects for the same string type");
            Assert.Same(display.Of(strings[0]), display.Of(strings[1]));
        }
    }
}
