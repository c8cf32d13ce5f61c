using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// Whether a bare call may name a local function instead of a member, from the syntax alone. A local function is in
    /// scope in the whole of the block, switch statement (all its sections) or top-level statements that declare it,
    /// before its declaration too, and in the lambdas and local functions nested there; so the call's enclosing
    /// statement lists, up to its member, are the only places to look. A local function's siblings are found the same
    /// way when the propagation walks that local function alone.
    /// </summary>
    internal static class LocalFunctionScopes
    {
        /// <summary>
        /// True when a local function named like <paramref name="call"/>'s target is declared in a statement list that
        /// encloses it. <paramref name="declaresAny"/> remembers, per statement list's owner, whether it declares any
        /// local function, so that a body's many calls scan each list at most once when it declares none.
        /// </summary>
        public static bool MayShadow(InvocationExpressionSyntax call, string name, ref Dictionary<SyntaxNode, bool>? declaresAny)
        {
            for (var current = call.Parent; current != null; current = current.Parent)
            {
                switch (current)
                {
                    case BlockSyntax block when Declares(block, block.Statements, name, ref declaresAny):
                        return true;
                    case SwitchStatementSyntax @switch:
                        foreach (var section in @switch.Sections)
                        {
                            if (Declares(section, section.Statements, name, ref declaresAny))
                            {
                                return true;
                            }
                        }

                        break;
                    case CompilationUnitSyntax unit:
                        foreach (var member in unit.Members)
                        {
                            if (member is GlobalStatementSyntax global && LocalFunctionOf(global.Statement) is { } function && function.Identifier.ValueText == name)
                            {
                                return true;
                            }
                        }

                        return false;
                    case MemberDeclarationSyntax and not GlobalStatementSyntax:
                        // The call's member: no local function outside it is in scope.
                        return false;
                }
            }

            return false;
        }

        private static bool Declares(SyntaxNode owner, SyntaxList<StatementSyntax> statements, string name, ref Dictionary<SyntaxNode, bool>? declaresAny)
        {
            if (declaresAny != null && declaresAny.TryGetValue(owner, out bool known) && !known)
            {
                return false;
            }

            bool any = false, named = false;
            foreach (var statement in statements)
            {
                if (LocalFunctionOf(statement) is { } function)
                {
                    any = true;
                    if (function.Identifier.ValueText == name)
                    {
                        named = true;
                        break;
                    }
                }
            }

            (declaresAny ??= new Dictionary<SyntaxNode, bool>())[owner] = any;
            return named;
        }

        /// <summary>The local function a statement declares, behind any labels.</summary>
        private static LocalFunctionStatementSyntax? LocalFunctionOf(StatementSyntax statement)
        {
            while (statement is LabeledStatementSyntax labeled)
            {
                statement = labeled.Statement;
            }

            return statement as LocalFunctionStatementSyntax;
        }
    }
}
