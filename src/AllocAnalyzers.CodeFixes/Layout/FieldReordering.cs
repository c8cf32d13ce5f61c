using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.CodeFixes.Layout
{
    /// <summary>
    /// Turns a <see cref="ReorderPlan"/> into a permutation of a struct declaration's members: the member
    /// declarations that hold instance fields (fields, fixed buffers, auto-properties) trade places so the fields end
    /// up in the plan's order; every other member stays where it is, and each moved member keeps its own comments,
    /// doc comments and attributes. Returns <c>null</c> where the rewrite would not be safe.
    /// </summary>
    internal static class FieldReordering
    {
        /// <summary>For each member index, the index of the original member that goes there.</summary>
        public static ImmutableArray<int>? TryCreatePermutation(TypeDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
        {
            if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type || type.IsRecord)
            {
                // Records print their members in declaration order (ToString): a reorder would change behaviour.
                return null;
            }

            var plan = ReorderPlan.Create(LayoutEngine.For(model.Compilation), type);
            if (plan == null || plan.Saving <= 0)
            {
                return null;
            }

            // The member that declares each field, in field (declaration) order.
            var members = declaration.Members;
            var memberOfField = new int[plan.Fields.Length];
            for (int i = 0; i < plan.Fields.Length; i++)
            {
                memberOfField[i] = FindDeclaringMember(declaration, plan.Fields[i], cancellationToken);
                if (memberOfField[i] < 0 || !IsSafeToMove(members[memberOfField[i]], model, cancellationToken))
                {
                    return null;
                }
            }

            // Slots: the distinct members holding fields, in source order; and the same members in the proposed order.
            var slots = new List<int>();
            var proposed = new List<int>();
            foreach (int fieldIndex in memberOfField)
            {
                if (!slots.Contains(fieldIndex))
                {
                    slots.Add(fieldIndex);
                }
            }

            foreach (int fieldIndex in plan.Order)
            {
                int member = memberOfField[fieldIndex];
                if (proposed.Count == 0 || proposed[proposed.Count - 1] != member)
                {
                    if (proposed.Contains(member))
                    {
                        // The fields of one declaration would be split apart; never happens for an alignment sort.
                        return null;
                    }

                    proposed.Add(member);
                }
            }

            slots.Sort();
            var permutation = new int[members.Count];
            for (int i = 0; i < permutation.Length; i++)
            {
                permutation[i] = i;
            }

            for (int i = 0; i < slots.Count; i++)
            {
                permutation[slots[i]] = proposed[i];
            }

            return ImmutableArray.Create(permutation);
        }

        /// <summary>
        /// Applies a permutation from <see cref="TryCreatePermutation"/> to (a possibly rewritten copy of) the declaration.
        /// A moved member takes its comments, doc comments and attributes along, while the blank lines that separated
        /// members stay where they were, so the layout of the type body does not change.
        /// </summary>
        public static TypeDeclarationSyntax Apply(TypeDeclarationSyntax declaration, ImmutableArray<int> permutation)
        {
            var members = declaration.Members;
            if (members.Count != permutation.Length)
            {
                return declaration;
            }

            var reordered = new MemberDeclarationSyntax[members.Count];
            for (int i = 0; i < reordered.Length; i++)
            {
                var moved = members[permutation[i]];
                if (permutation[i] != i)
                {
                    var separator = SplitLeadingTrivia(members[i].GetLeadingTrivia(), out _);
                    SplitLeadingTrivia(moved.GetLeadingTrivia(), out var attached);
                    moved = moved.WithLeadingTrivia(separator.AddRange(attached));
                }

                reordered[i] = moved;
            }

            return declaration.WithMembers(SyntaxFactory.List(reordered));
        }

        /// <summary>
        /// Splits a member's leading trivia into the blank lines that separate it from the previous member (returned)
        /// and what belongs to the member itself: indentation, comments and doc comments (<paramref name="attached"/>).
        /// </summary>
        private static SyntaxTriviaList SplitLeadingTrivia(SyntaxTriviaList trivia, out SyntaxTriviaList attached)
        {
            int firstContent = 0;
            while (firstContent < trivia.Count && (trivia[firstContent].IsKind(SyntaxKind.WhitespaceTrivia) || trivia[firstContent].IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                firstContent++;
            }

            int split = 0;
            for (int i = 0; i < firstContent; i++)
            {
                if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    split = i + 1;
                }
            }

            attached = SyntaxFactory.TriviaList(trivia.Skip(split));
            return SyntaxFactory.TriviaList(trivia.Take(split));
        }

        private static int FindDeclaringMember(TypeDeclarationSyntax declaration, IFieldSymbol field, CancellationToken cancellationToken)
        {
            var symbol = (ISymbol?)field.AssociatedSymbol ?? field;
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(reference.Span))
                {
                    continue;
                }

                for (var node = reference.GetSyntax(cancellationToken); node != null; node = node.Parent)
                {
                    if (node is MemberDeclarationSyntax member && member.Parent == declaration)
                    {
                        return declaration.Members.IndexOf(member);
                    }
                }
            }

            return -1;
        }

        /// <summary>
        /// A member may move when it carries no preprocessor directive and every initializer it has is a constant
        /// (initializers run in declaration order, so moving one with side effects would change behaviour).
        /// </summary>
        private static bool IsSafeToMove(MemberDeclarationSyntax member, SemanticModel model, CancellationToken cancellationToken)
        {
            if (member.ContainsDirectives)
            {
                return false;
            }

            switch (member)
            {
                case BaseFieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer != null && !model.GetConstantValue(variable.Initializer.Value, cancellationToken).HasValue)
                        {
                            return false;
                        }
                    }

                    return true;
                case PropertyDeclarationSyntax property:
                    return property.Initializer == null || model.GetConstantValue(property.Initializer.Value, cancellationToken).HasValue;
                default:
                    return false;
            }
        }
    }
}
