using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>The rewrite the pooling fixes share: the rest of a block moves into try/finally after a rental.</summary>
    internal static class BlockRewrite
    {
        /// <summary>
        /// <paramref name="block"/> with the statement at <paramref name="index"/> replaced by <paramref name="rental"/>, and
        /// <c>try { head…; rest… } finally { giveBack }</c> after it, where <paramref name="rest"/> are (some of) the statements
        /// that followed. New statements get line breaks and the try statement is formatted.
        /// </summary>
        public static BlockSyntax WrapRestInTryFinally(BlockSyntax block, int index, IEnumerable<StatementSyntax> rental, IEnumerable<StatementSyntax> head, IEnumerable<StatementSyntax> rest, StatementSyntax giveBack)
        {
            var tryStatement = SyntaxFactory.TryStatement(
                    SyntaxFactory.Block(head.Select(WithLineBreak).Concat(rest)),
                    default,
                    SyntaxFactory.FinallyClause(SyntaxFactory.Block(WithLineBreak(giveBack))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            var statements = block.Statements.Take(index).Concat(rental.Select(WithLineBreak)).Concat(new StatementSyntax[] { tryStatement });
            return block.WithStatements(SyntaxFactory.List(statements));
        }

        public static StatementSyntax Parse(string text) => SyntaxFactory.ParseStatement(text);

        private static StatementSyntax WithLineBreak(StatementSyntax statement)
            => statement.HasTrailingTrivia && statement.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia))
                ? statement
                : statement.WithTrailingTrivia(SyntaxFactory.ElasticLineFeed);
    }
}
