using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>The shape every statement-moving fix starts from: <c>var x = value;</c>, one variable, directly in a block.</summary>
    internal static class LocalDeclarationSite
    {
        public static bool TryGet(ExpressionSyntax? value, out LocalDeclarationStatementSyntax statement, out VariableDeclaratorSyntax declarator, out BlockSyntax block)
        {
            statement = null!;
            declarator = null!;
            block = null!;
            if (value?.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax parent } local } } variable })
            {
                statement = local;
                declarator = variable;
                block = parent;
                return true;
            }

            return false;
        }
    }
}
