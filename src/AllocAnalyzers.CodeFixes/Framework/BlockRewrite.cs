using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>The rewrite the pooling fixes share: the rest of a block moves into try/finally after a rental.</summary>
    internal static class BlockRewrite
    {
        /// <summary>
        /// <paramref name="block"/> with the statement at <paramref name="index"/> replaced by <paramref name="rental"/>, and
        /// <c>try { head…; rest… } finally { giveBack }</c> after it, where <paramref name="rest"/> are (some of) the statements
        /// that followed. The try statement is laid out here, not by the formatter: the statements it moves keep their
        /// own formatting (spacing, comments, wrapped lines), one indentation deeper, and preprocessor directives keep
        /// their column; only the new statements are left to the formatter.
        /// </summary>
        public static BlockSyntax WrapRestInTryFinally(BlockSyntax block, int index, IEnumerable<StatementSyntax> rental, IEnumerable<StatementSyntax> head, IEnumerable<StatementSyntax> rest, StatementSyntax giveBack)
        {
            string indent = IndentationOf(block.Statements[index]);
            string unit = IndentUnit(block, indent);
            string inner = indent + unit;
            // The block's own line break, not an elastic one: nothing here is left for a formatter to redo.
            var newLine = block.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } existing
                ? existing
                : SyntaxFactory.EndOfLine("\n");
            SyntaxToken Line(SyntaxKind kind) => SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indent)), kind, SyntaxFactory.TriviaList(newLine));

            var body = head.Select(s => WithLineBreak(s.WithLeadingTrivia(SyntaxFactory.Whitespace(inner))))
                .Concat(rest.Select(s => Indented(s, unit)));
            var tryStatement = SyntaxFactory.TryStatement(
                    Line(SyntaxKind.TryKeyword),
                    SyntaxFactory.Block(Line(SyntaxKind.OpenBraceToken), SyntaxFactory.List(body), Line(SyntaxKind.CloseBraceToken)),
                    default,
                    SyntaxFactory.FinallyClause(
                        Line(SyntaxKind.FinallyKeyword),
                        SyntaxFactory.Block(Line(SyntaxKind.OpenBraceToken), SyntaxFactory.SingletonList(WithLineBreak(giveBack.WithLeadingTrivia(SyntaxFactory.Whitespace(inner)))), Line(SyntaxKind.CloseBraceToken))));
            var statements = block.Statements.Take(index).Concat(rental.Select(WithLineBreak)).Concat(new StatementSyntax[] { tryStatement });
            return block.WithStatements(SyntaxFactory.List(statements));
        }

        /// <summary>The whitespace before <paramref name="node"/> on its own line.</summary>
        private static string IndentationOf(SyntaxNode node)
        {
            var leading = node.GetLeadingTrivia();
            return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1].ToString() : string.Empty;
        }

        /// <summary>One level of indentation as the file writes it: the block's statements against its brace, else four spaces.</summary>
        private static string IndentUnit(BlockSyntax block, string statementIndent)
        {
            string brace = block.OpenBraceToken.LeadingTrivia.Count > 0 && block.OpenBraceToken.LeadingTrivia[block.OpenBraceToken.LeadingTrivia.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
                ? block.OpenBraceToken.LeadingTrivia[block.OpenBraceToken.LeadingTrivia.Count - 1].ToString()
                : string.Empty;
            return statementIndent.Length > brace.Length && statementIndent.StartsWith(brace, System.StringComparison.Ordinal) ? statementIndent.Substring(brace.Length)
                : statementIndent.Contains("\t") ? "\t" : "    ";
        }

        /// <summary>
        /// <paramref name="statement"/> one level deeper: every line it starts (its own, and each line break inside it
        /// followed by code or a comment) gets <paramref name="unit"/> more indentation; directives stay where they are,
        /// and nothing else changes (the text inside string literals is tokens, never trivia, so it is not touched).
        /// </summary>
        private static StatementSyntax Indented(StatementSyntax statement, string unit)
        {
            bool atLineStart = true;
            return statement.ReplaceTokens(statement.DescendantTokens(), (original, _) =>
            {
                var leading = Indent(original.LeadingTrivia, unit, ref atLineStart);
                var token = original.WithLeadingTrivia(leading);
                atLineStart = original.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                return token;
            });
        }

        private static SyntaxTriviaList Indent(SyntaxTriviaList trivia, string unit, ref bool atLineStart)
        {
            var result = new List<SyntaxTrivia>(trivia.Count + 2);
            for (int i = 0; i < trivia.Count; i++)
            {
                var current = trivia[i];
                if (atLineStart && !current.IsKind(SyntaxKind.EndOfLineTrivia) && !current.IsDirective && !current.IsKind(SyntaxKind.DisabledTextTrivia))
                {
                    result.Add(current.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.Whitespace(unit + current.ToString()) : SyntaxFactory.Whitespace(unit));
                    if (!current.IsKind(SyntaxKind.WhitespaceTrivia))
                    {
                        result.Add(current);
                    }

                    atLineStart = false;
                    continue;
                }

                result.Add(current);
                atLineStart = current.IsKind(SyntaxKind.EndOfLineTrivia) || current.IsDirective;
            }

            if (atLineStart)
            {
                // The token itself starts the line.
                result.Add(SyntaxFactory.Whitespace(unit));
                atLineStart = false;
            }

            return SyntaxFactory.TriviaList(result);
        }

        public static StatementSyntax Parse(string text) => SyntaxFactory.ParseStatement(text);

        private static StatementSyntax WithLineBreak(StatementSyntax statement)
            => statement.HasTrailingTrivia && statement.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia))
                ? statement
                : statement.WithTrailingTrivia(SyntaxFactory.ElasticLineFeed);
    }
}
