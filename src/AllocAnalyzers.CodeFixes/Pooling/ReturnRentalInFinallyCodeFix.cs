using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Pooling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Pooling
{
    /// <summary>
    /// ALLOC401 fix: every statement after <c>var x = pool.Rent(n);</c> in its block moves into
    /// <c>try { … } finally { pool.Return(x); }</c>, and the top-level Return the code already had is folded into the
    /// finally (its arguments kept). A MemoryPool owner becomes a <c>using</c> declaration. Offered only when the
    /// rental has no alias and no new owner, and no other Return or label is in the moved statements.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnRentalInFinallyCodeFix))]
    [Shared]
    public sealed class ReturnRentalInFinallyCodeFix : AllocCodeFixProvider
    {
        public const string EquivalenceKey = "AllocAnalyzers.Pooling.ReturnInFinally";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.RentalNotReturned);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            if (!RentalProperties.IsFixable(diagnostic.Properties))
            {
                return;
            }

            var rent = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (LocalDeclarationSite.TryGet(rent, out var statement, out var declarator, out var block)
                && model.GetOperation(rent!, context.CancellationToken) is IInvocationOperation invocation
                && PoolApi.IsRent(invocation, ImmutableArray<(string, string)>.Empty, out var kind)
                && Plan(block, statement, declarator.Identifier.ValueText, rent!, kind) is { } newBlock)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(kind == RentalKind.Owner ? "Dispose the rental with 'using'" : "Return the rental in a finally block",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(block, newBlock))),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static BlockSyntax? Plan(BlockSyntax block, LocalDeclarationStatementSyntax statement, string name, InvocationExpressionSyntax rent, RentalKind kind)
        {
            if (kind == RentalKind.Owner)
            {
                if (!statement.UsingKeyword.IsKind(SyntaxKind.None))
                {
                    return null;
                }

                var remaining = block.Statements.Where(s => !IsCallOn(s, name, "Dispose", out _)).ToList();
                int index = remaining.IndexOf(statement);
                var leading = statement.GetLeadingTrivia();
                remaining[index] = statement.WithoutLeadingTrivia()
                    .WithUsingKeyword(SyntaxFactory.Token(leading, SyntaxKind.UsingKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
                return block.WithStatements(SyntaxFactory.List(remaining));
            }

            if (kind is not (RentalKind.Array or RentalKind.Object) || rent.Expression is not MemberAccessExpressionSyntax { Expression: var pool })
            {
                return null;
            }

            int position = block.Statements.IndexOf(statement);
            var after = block.Statements.Skip(position + 1).ToList();
            ArgumentListSyntax? arguments = null;
            var moved = new List<StatementSyntax>();
            foreach (var next in after)
            {
                if (IsCallOn(next, name, "Return", out var existing))
                {
                    arguments ??= existing;
                    continue;
                }

                moved.Add(next);
            }

            // Any other Return of it (nested in a branch) or a label a goto could jump to: leave the code alone.
            if (moved.Any(s => s.DescendantNodesAndSelf().Any(n => n is LabeledStatementSyntax
                || (n is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Return" } } call
                    && call.ArgumentList.Arguments.Any(a => a.Expression is IdentifierNameSyntax id && id.Identifier.ValueText == name)))))
            {
                return null;
            }

            arguments ??= SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(name))));
            var returnCall = SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pool.WithoutTrivia(), SyntaxFactory.IdentifierName("Return")), arguments.WithoutTrivia()));
            return BlockRewrite.WrapRestInTryFinally(block, position, new[] { statement }, System.Array.Empty<StatementSyntax>(), moved, returnCall);
        }

        /// <summary>True for a statement <c>something.Method(name, ...)</c> (or <c>name.Method()</c> for Dispose).</summary>
        private static bool IsCallOn(StatementSyntax statement, string name, string method, out ArgumentListSyntax? arguments)
        {
            arguments = null;
            if (statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call }
                && access.Name.Identifier.ValueText == method)
            {
                bool onArgument = call.ArgumentList.Arguments.Count > 0 && call.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax first && first.Identifier.ValueText == name;
                bool onReceiver = method == "Dispose" && access.Expression is IdentifierNameSyntax receiver && receiver.Identifier.ValueText == name;
                if (onArgument || onReceiver)
                {
                    arguments = call.ArgumentList;
                    return true;
                }
            }

            return false;
        }
    }
}
