using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AllocAnalyzers.Tests.Boxing
{
    /// <summary>
    /// With every member hot, on realistic code: every <c>box</c> the runtime keeps is reported by an ALLOC2xx
    /// diagnostic on its line, and every ALLOC2xx diagnostic stands on a line whose IL boxes: a <c>box</c>, or a
    /// <c>constrained.</c> call to a method of object, ValueType or Enum (which boxes at run time). Boxes the JIT
    /// removes (box followed by unbox.any, isinst or a null test) and boxes on type parameters are exempt.
    /// </summary>
    public sealed class BoxingIlCompletenessTests
    {
        public static TheoryData<string> Files => new TheoryData<string>(Corpus.Files);

        [Theory]
        [MemberData(nameof(Files))]
        public async Task CorpusFile_EveryKeptBoxIsReported_AndEveryReportBoxes(string file)
        {
            var (diagnostics, compilation, sites) = await CorpusAnalysis.RunAsync(file, new Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer[]
            {
                new AllocAnalyzers.Boxing.BoxingAnalyzer(),
            });
            var reportedLines = diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToHashSet();
            var genericLines = compilation.SyntaxTrees.Single().GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
                .Where(m => m.TypeParameterList != null).SelectMany(m => Enumerable.Range(m.GetLocation().GetLineSpan().StartLinePosition.Line + 1, m.GetLocation().GetLineSpan().EndLinePosition.Line - m.GetLocation().GetLineSpan().StartLinePosition.Line + 1)).ToHashSet();

            var missing = sites.Where(s => s.OpCode == "box" && s.Line > 0 && !genericLines.Contains(s.Line) && !IsRemovedByJit(s) && !reportedLines.Contains(s.Line))
                .Select(s => $"line {s.Line}: box {s.Type} in {s.Method} is not reported").ToList();
            var unfounded = diagnostics.Where(d => d.Id != RuleIds.StructKeyWithoutEquality && d.Id != RuleIds.BoxingEnumeration)
                .Where(d =>
                {
                    int line = d.Location.GetLineSpan().StartLinePosition.Line + 1;
                    return !sites.Any(s => s.Line == line && (s.OpCode == "box" || (s.Constrained && s.Type is "System.Object" or "System.ValueType" or "System.Enum")));
                })
                .Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage()} has no box in the IL").ToList();

            Assert.True(missing.Count == 0, "Unreported boxes:\n" + string.Join("\n", missing));
            Assert.True(unfounded.Count == 0, "Diagnostics without boxes:\n" + string.Join("\n", unfounded));
        }

        private static bool IsRemovedByJit(IlSite box) => box.Next is "unbox.any" or "isinst" or "brtrue" or "brtrue.s" or "brfalse" or "brfalse.s";
    }
}
