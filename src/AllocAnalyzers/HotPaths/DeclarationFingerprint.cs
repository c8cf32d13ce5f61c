using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// A 64-bit hash of everything in a compilation that can change what a call in an unchanged file binds to: every
    /// file's tokens outside member bodies and initializers (namespaces, usings, types, signatures, attributes), its
    /// parse options, the compilation's options and its references. An edit inside a method body, the commonest
    /// keystroke, leaves it unchanged, so call targets resolved in one compilation stay valid in the next for every
    /// file the edit did not touch. Each file's part is computed once per syntax tree.
    /// </summary>
    internal static class DeclarationFingerprint
    {
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<long>> ByTree = new ConditionalWeakTable<SyntaxTree, StrongBox<long>>();

        private const long Prime = 1099511628211L;

        public static long Of(Compilation compilation, CancellationToken cancellationToken)
        {
            long hash = Mix(unchecked((long)14695981039346656037UL), compilation.Options.GetHashCode());
            foreach (var reference in compilation.References)
            {
                hash = Mix(hash, RuntimeHelpers.GetHashCode(reference));
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                hash = Mix(hash, ForTree(tree, cancellationToken));
            }

            return hash;
        }

        private static long ForTree(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (ByTree.TryGetValue(tree, out var known))
            {
                return known.Value;
            }

            long hash = Mix(unchecked((long)14695981039346656037UL), tree.Options.GetHashCode());
            foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens(node => !IsBody(node)))
            {
                hash = Mix(hash, token.RawKind);
                hash = Mix(hash, token.ValueText.GetHashCode());
            }

            return ByTree.GetValue(tree, _ => new StrongBox<long>(hash)).Value;
        }

        /// <summary>
        /// Code whose text other files cannot bind against: bodies, expression bodies, initializers of fields that are
        /// not constants (a constant's value can decide an overload elsewhere) and of properties, top-level statements.
        /// </summary>
        private static bool IsBody(SyntaxNode node)
            => node is BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax }
               || node is ArrowExpressionClauseSyntax
               || node is EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax }
               || (node is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } } && !field.Modifiers.Any(SyntaxKind.ConstKeyword))
               || node is GlobalStatementSyntax;

        private static long Mix(long hash, long value) => unchecked((hash ^ value) * Prime);
    }
}
