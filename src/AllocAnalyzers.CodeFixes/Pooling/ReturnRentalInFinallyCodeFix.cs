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
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Pooling
{
    /// <summary>
    /// ALLOC401 fix: every statement after <c>var x = pool.Rent(n);</c> in its block moves into
    /// <c>try { … } finally { pool.Return(x); }</c>, and the top-level Return the code already had is folded into the
    /// finally (as written, arguments kept). A MemoryPool owner becomes a <c>using</c> declaration. A pool configured
    /// in <c>alloc_analyzers.pool_methods</c> gets its own Return call (see <see cref="ReturnCall"/>). Offered only when
    /// the rental has no alias and no new owner, and no other Return or label is in the moved statements.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnRentalInFinallyCodeFix))]
    [Shared]
    public sealed class ReturnRentalInFinallyCodeFix : AllocCodeFixProvider
    {
        public const string EquivalenceKey = "AllocAnalyzers.Pooling.ReturnInFinally";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.RentalNotReturned);

        public override FixAllProvider GetFixAllProvider() => new FixerFixAll(this);

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            if (!RentalProperties.IsFixable(diagnostic.Properties))
            {
                return;
            }

            var rent = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            var custom = AllocOptions.PoolMethods.Read(context.Document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.ForTree(root.SyntaxTree));
            if (LocalDeclarationSite.TryGet(rent, out var statement, out var declarator, out var block)
                && model.GetDeclaredSymbol(declarator, context.CancellationToken) is ILocalSymbol local
                && model.GetOperation(rent!, context.CancellationToken) is IInvocationOperation invocation
                && PoolApi.IsRent(invocation, custom, out var kind)
                && Plan(new Site(model, block, statement, local, kind, custom, context.CancellationToken), invocation) is { } newBlock)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(kind == RentalKind.Owner ? "Dispose the rental with 'using'" : "Return the rental in a finally block",
                        ct => Simplify(context.Document.WithSyntaxRoot(root.ReplaceNode(block, newBlock)), ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static BlockSyntax? Plan(Site site, IInvocationOperation rent)
        {
            var block = site.Block;
            var statement = site.Statement;
            if (site.Kind == RentalKind.Owner)
            {
                if (!statement.UsingKeyword.IsKind(SyntaxKind.None))
                {
                    return null;
                }

                var remaining = block.Statements.Where(s => !site.IsTopLevelReturn(s)).ToList();
                int index = remaining.IndexOf(statement);
                var leading = statement.GetLeadingTrivia();
                remaining[index] = statement.WithoutLeadingTrivia()
                    .WithUsingKeyword(SyntaxFactory.Token(leading, SyntaxKind.UsingKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
                return block.WithStatements(SyntaxFactory.List(remaining));
            }

            int position = block.Statements.IndexOf(statement);
            StatementSyntax? existing = null;
            var moved = new List<StatementSyntax>();
            foreach (var next in block.Statements.Skip(position + 1))
            {
                if (site.IsTopLevelReturn(next))
                {
                    existing ??= next;
                    continue;
                }

                moved.Add(next);
            }

            // Any other Return of it (nested in a branch) or a label a goto could jump to: leave the code alone.
            if (moved.Any(s => s.DescendantNodesAndSelf().Any(n => n is LabeledStatementSyntax || (n is InvocationExpressionSyntax call && site.IsReturn(call)))))
            {
                return null;
            }

            var giveBack = existing?.WithoutTrivia() ?? ReturnCall.For(site, rent);
            return giveBack == null ? null : BlockRewrite.WrapRestInTryFinally(block, position, new[] { statement }, System.Array.Empty<StatementSyntax>(), moved, giveBack);
        }

        private static async Task<Document> Simplify(Document document, CancellationToken cancellationToken)
            => await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);

        /// <summary>What the fix knows about one rental: where it is declared, its kind and the configured pools.</summary>
        internal sealed class Site
        {
            public Site(SemanticModel model, BlockSyntax block, LocalDeclarationStatementSyntax statement, ILocalSymbol local, RentalKind kind, ImmutableArray<(string Rent, string Return)> custom, CancellationToken cancellationToken)
            {
                Model = model;
                Block = block;
                Statement = statement;
                Local = local;
                Kind = kind;
                Custom = custom;
                CancellationToken = cancellationToken;
            }

            public SemanticModel Model { get; }

            public BlockSyntax Block { get; }

            public LocalDeclarationStatementSyntax Statement { get; }

            public ILocalSymbol Local { get; }

            public RentalKind Kind { get; }

            public ImmutableArray<(string Rent, string Return)> Custom { get; }

            public CancellationToken CancellationToken { get; }

            /// <summary>True for a statement that is only a Return (or Dispose) of this rental.</summary>
            public bool IsTopLevelReturn(StatementSyntax statement)
                => statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && IsReturn(call);

            /// <summary>True for a call that gives this rental back, by the same test the analyzer uses.</summary>
            public bool IsReturn(InvocationExpressionSyntax call)
                => Model.GetOperation(call, CancellationToken) is IInvocationOperation invocation
                    && PoolApi.IsReturn(invocation, Kind, Custom, out var rental)
                    && rental?.WithoutConversions() is ILocalReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Local, Local);
        }
    }
}
