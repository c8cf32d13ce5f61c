using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>
    /// With every member hot, on realistic code: every allocating IL instruction the compiler emitted (newobj of a
    /// class, newarr, closure and delegate construction, string building) is reported by an ALLOC1xx diagnostic on its
    /// statement, and every ALLOC1xx diagnostic stands on a statement whose IL allocates. Exempt by design: cached
    /// delegates, exceptions and anything in throw/catch code, field initializers and static constructors.
    /// </summary>
    public sealed class IlCompletenessTests
    {
        public static TheoryData<string> Files => new TheoryData<string>(Corpus.Files);

        [Theory]
        [MemberData(nameof(Files))]
        public async Task CorpusFile_IlAllocationsAndDiagnosticsMatch(string file)
        {
            var (diagnostics, compilation, allSites) = await CorpusAnalysis.RunAsync(file, AllocationRuntimeProofTests.Analyzers);
            var root = compilation.SyntaxTrees.Single().GetRoot();
            var sites = allSites.Where(s => !s.Method.EndsWith("::.cctor", StringComparison.Ordinal)).ToList();
            var coldLines = root.DescendantNodes().Where(n => n is ThrowStatementSyntax || n is ThrowExpressionSyntax || n is CatchClauseSyntax).SelectMany(Lines).ToHashSet();
            var initializerLines = root.DescendantNodes().OfType<EqualsValueClauseSyntax>()
                .Where(e => e.Parent is PropertyDeclarationSyntax || e.Parent?.Parent?.Parent is FieldDeclarationSyntax).SelectMany(Lines).ToHashSet();
            var reported = diagnostics.GroupBy(d => StatementLine(root, d.Location.SourceSpan)).ToDictionary(g => g.Key, g => g.Select(d => d.Id).ToHashSet());
            bool Has(int line, params string[] ids) => reported.TryGetValue(line, out var found) && ids.Any(found.Contains);

            var missing = new List<string>();
            foreach (var site in sites.Where(s => s.Line > 0 && !coldLines.Contains(s.Line) && !initializerLines.Contains(s.Line)))
            {
                string? expected = Expected(compilation, site, out bool inMember);
                if (expected == null)
                {
                    continue;
                }

                var ids = expected.Split('|');
                bool found = inMember ? MemberLines(root, site.Line).Any(l => Has(l, ids)) : Has(site.Line, ids);
                if (!found)
                {
                    missing.Add($"line {site.Line}: IL {site.OpCode} {site.Type}::{site.Member} in {site.Method} has no {expected}");
                }
            }

            var unfounded = new List<string>();
            foreach (var diagnostic in diagnostics)
            {
                int line = StatementLine(root, diagnostic.Location.SourceSpan);
                var onLine = sites.Where(s => s.Line == line).ToList();
                bool backed = diagnostic.Id switch
                {
                    RuleIds.ObjectAllocation => onLine.Any(s => (s.OpCode == "newobj" && !s.IsDelegateConstructor && !IsValueType(compilation, s.Type)) || s.Member == "<Clone>$"),
                    RuleIds.ArrayAllocation => onLine.Any(s => s.OpCode == "newarr" || (s.OpCode == "newobj" && !IsValueType(compilation, s.Type))),
                    RuleIds.ParamsAllocation => onLine.Any(s => s.OpCode == "newarr"),
                    RuleIds.ClosureAllocation or RuleIds.DelegateAllocation => onLine.Any(s => s.IsDelegateConstructor && !s.IsCachedDelegate),
                    RuleIds.StringAllocation => onLine.Any(IsStringBuilding),
                    RuleIds.EnumeratorAllocation => onLine.Any(s => s.Member == "GetEnumerator"),
                    RuleIds.LinqAllocation => onLine.Any(s => s.Type == "System.Linq.Enumerable"),
                    RuleIds.IteratorAllocation => onLine.Any(s => s.OpCode.StartsWith("call", StringComparison.Ordinal))
                        || sites.Any(s => s.OpCode == "newobj" && s.Type.Contains("<" + EnclosingMethodName(root, diagnostic.Location.SourceSpan) + ">d__", StringComparison.Ordinal)),
                    _ => true,
                };
                if (!backed)
                {
                    unfounded.Add($"line {line}: {diagnostic.Id} {diagnostic.GetMessage()} has no allocating IL");
                }
            }

            Assert.True(missing.Count == 0, "Unreported IL allocations:\n" + string.Join("\n", missing));
            Assert.True(unfounded.Count == 0, "Diagnostics without IL allocations:\n" + string.Join("\n", unfounded));
            Assert.NotEmpty(diagnostics);
        }

        /// <summary>The diagnostic IDs an IL site needs ('|'-separated), or null when it is exempt.</summary>
        private static string? Expected(Compilation compilation, IlSite site, out bool inMember)
        {
            inMember = false;
            switch (site.OpCode)
            {
                case "newarr":
                    // string.Concat of more than four operands builds a string[]: part of ALLOC106's cost.
                    return RuleIds.ArrayAllocation + "|" + RuleIds.ParamsAllocation + (site.Type == "System.String" ? "|" + RuleIds.StringAllocation : string.Empty);
                case "newobj":
                    if (site.IsCachedDelegate || IsValueType(compilation, site.Type) || site.Type.EndsWith("Exception", StringComparison.Ordinal))
                    {
                        return null;
                    }

                    if (site.Type.Contains("<>c__DisplayClass", StringComparison.Ordinal))
                    {
                        inMember = true;
                        return RuleIds.ClosureAllocation;
                    }

                    if (site.Type.Contains(">d__", StringComparison.Ordinal))
                    {
                        inMember = true;
                        return RuleIds.IteratorAllocation;
                    }

                    return site.IsDelegateConstructor
                        ? RuleIds.ClosureAllocation + "|" + RuleIds.DelegateAllocation
                        : RuleIds.ObjectAllocation + "|" + RuleIds.ArrayAllocation;
                default:
                    return IsStringBuilding(site) && site.Member != "ToString" ? RuleIds.StringAllocation : null;
            }
        }

        private static bool IsStringBuilding(IlSite site)
            => (site.Type == "System.String" && site.Member is "Concat" or "Format" or "Join")
               || (site.Type == "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler" && site.Member == "ToStringAndClear")
               || site.Member == "ToString";

        private static bool IsValueType(Compilation compilation, string metadataName)
            => metadataName.Length > 0 && compilation.GetTypeByMetadataName(metadataName) is { IsValueType: true };

        private static IEnumerable<int> Lines(SyntaxNode node)
        {
            var span = node.GetLocation().GetLineSpan();
            return Enumerable.Range(span.StartLinePosition.Line + 1, span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
        }

        /// <summary>The 1-based line the compiler's sequence point for this code starts on: its statement's first line.</summary>
        private static int StatementLine(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            var anchor = node.AncestorsAndSelf().FirstOrDefault(n => n is StatementSyntax || n is ArrowExpressionClauseSyntax || n is EqualsValueClauseSyntax
                || n is SwitchExpressionArmSyntax || (n.Parent is LambdaExpressionSyntax lambda && lambda.ExpressionBody == n)) ?? node;
            if (anchor is ForEachStatementSyntax forEach && !forEach.Statement.Span.Contains(span))
            {
                anchor = forEach.Expression.Span.Contains(span) ? forEach.Expression : forEach;
            }

            return anchor.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        }

        private static string EnclosingMethodName(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
            => root.FindNode(span).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText ?? "?";

        /// <summary>The lines of the member (method, accessor, constructor, local function) containing the 1-based line.</summary>
        private static IEnumerable<int> MemberLines(SyntaxNode root, int line)
        {
            var text = root.SyntaxTree.GetText();
            var position = text.Lines[line - 1].Start;
            var member = root.FindToken(position).Parent?.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax || n is AccessorDeclarationSyntax || n is LocalFunctionStatementSyntax || n is PropertyDeclarationSyntax);
            return member == null ? new[] { line } : Lines(member);
        }
    }
}
