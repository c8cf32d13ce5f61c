using System.Threading.Tasks;
using AllocAnalyzers.Boxing;
using AllocAnalyzers.CodeFixes.Boxing;
using AllocAnalyzers.CodeFixes.Pooling;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// <c>dotnet format analyzers</c> starts Fix All with the equivalence key of the first diagnostic's first action:
    /// none when that site has no fix. Every fixer must still fix the sites it can fix (it used to print "didn't return
    /// a Fix All action" and fix nothing). Each case puts an unfixable site first.
    /// </summary>
    public sealed class FixAllAsDotnetFormatTests
    {
        public static TheoryData<string> Cases() => new TheoryData<string> { "BoxingConversion", "GenericConstraint", "StructKeyEquality", "ReturnInFinally" };

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task FirstSiteHasNoFix_TheOthersAreStillFixed(string name)
        {
            var (analyzer, fix, id, source, expected) = Case(name);
            var (count, firstHasFix) = await CodeFixRunner.FirstSiteAsync(analyzer, fix, source, id);
            Assert.True(count >= 2 && !firstHasFix, "the case must put a site without a fix first: " + count + " sites, first fixable: " + firstHasFix);
            string fixedSource = await CodeFixRunner.FixAllAsync(analyzer, fix, source, id);
            Assert.Contains(expected, fixedSource);
            RuntimeProof.Compile(fixedSource);
        }

        private static (DiagnosticAnalyzer, CodeFixProvider, string, string, string) Case(string name) => name switch
        {
            "BoxingConversion" => (new BoxingAnalyzer(), new BoxingConversionCodeFix(), RuleIds.BoxingConversion, """
                using System;
                using System.Text;
                public static class C
                {
                    public static string M(StringBuilder builder, Guid id) { object first = 42; builder.Append(id); return builder.ToString() + first; }
                }
                """, "builder.Append(id.ToString())"),
            "GenericConstraint" => (new BoxingAnalyzer(), new BoxingConversionCodeFix(), RuleIds.BoxingConversion, """
                public interface IShape { double Area(); }
                public struct Square : IShape { public double Side; public double Area() => Side * Side; }
                public static class C
                {
                    public static double M(Square s) { object first = s; return Total(s) + first.GetHashCode(); }
                    private static double Total(IShape shape) => shape.Area();
                }
                """, "Total<TShape>(TShape shape) where TShape : IShape"),
            "StructKeyEquality" => (new BoxingAnalyzer(), new StructKeyEqualityCodeFix(), RuleIds.StructKeyWithoutEquality, """
                using System.Collections.Generic;
                public struct Key { public int A; public int B; }
                public static class C
                {
                    public static Dictionary<KeyValuePair<int, int>, int> First = new Dictionary<KeyValuePair<int, int>, int>();
                    public static Dictionary<Key, int> Second = new Dictionary<Key, int>();
                }
                """, "IEquatable<Key>"),
            _ => (new PoolRentalAnalyzer(), new ReturnRentalInFinallyCodeFix(), RuleIds.RentalNotReturned, """
                using System.Buffers;
                public static class C
                {
                    private static void Fill(int[] buffer) { buffer[0] = 1; }
                    public static int M()
                    {
                        int[] first;
                        first = ArrayPool<int>.Shared.Rent(4);
                        Fill(first);
                        int a = first[0];
                        ArrayPool<int>.Shared.Return(first);
                        var second = ArrayPool<int>.Shared.Rent(4);
                        Fill(second);
                        int b = second[0];
                        ArrayPool<int>.Shared.Return(second);
                        return a + b;
                    }
                }
                """, "finally"),
        };
    }
}
