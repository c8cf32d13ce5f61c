using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// A 64-bit hash of everything in a compilation that can change what a call in an unchanged file binds to: every
    /// file's text outside member bodies and initializers (namespaces, usings, types, signatures, attributes), its
    /// parse options, the compilation's options and its references (these three by identity). An edit inside a method body, the commonest
    /// keystroke, leaves it unchanged, so call targets resolved in one compilation stay valid in the next for every
    /// file the edit did not touch. Each file's part is computed once per syntax tree.
    /// </summary>
    internal static class DeclarationFingerprint
    {
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<long>> ByTree = new ConditionalWeakTable<SyntaxTree, StrongBox<long>>();

        private const long Prime = 1099511628211L;

        public static long Of(Compilation compilation, CancellationToken cancellationToken)
        {
            // The options by identity: their GetHashCode hashes the host's resolvers, and the command-line compiler's
            // throw NotImplementedException. A new options object only makes the next compilation bind again.
            long hash = Mix(unchecked((long)14695981039346656037UL), RuntimeHelpers.GetHashCode(compilation.Options));
            foreach (var reference in compilation.References)
            {
                hash = Mix(hash, RuntimeHelpers.GetHashCode(reference));
            }

            char[]? buffer = null; // one for the files not hashed before, made on first need
            foreach (var tree in compilation.SyntaxTrees)
            {
                hash = Mix(hash, ForTree(tree, ref buffer, cancellationToken));
            }

            return hash;
        }

        private static long ForTree(SyntaxTree tree, ref char[]? buffer, CancellationToken cancellationToken)
        {
            if (ByTree.TryGetValue(tree, out var known))
            {
                return known.Value;
            }

            // The text outside the bodies, hashed character by character: a walk of the declarations alone finds the
            // bodies (no token of a body is visited), and hashing text is far cheaper than visiting tokens. Whitespace
            // and comments between members count too: an edit there only makes the next compilation bind again.
            var text = tree.GetText(cancellationToken);
            long hash = Mix(unchecked((long)14695981039346656037UL), RuntimeHelpers.GetHashCode(tree.Options));
            int position = 0;
            buffer ??= new char[4096];
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(IsDeclarationLevel))
            {
                if (IsBody(node))
                {
                    hash = HashText(text, position, node.SpanStart, buffer, hash);
                    position = node.Span.End;
                }
            }

            hash = HashText(text, position, text.Length, buffer, hash);
            return ByTree.GetValue(tree, _ => new StrongBox<long>(hash)).Value;
        }

        private static long HashText(Microsoft.CodeAnalysis.Text.SourceText text, int start, int end, char[] buffer, long hash)
        {
            for (int at = start; at < end; at += buffer.Length)
            {
                int count = System.Math.Min(buffer.Length, end - at);
                text.CopyTo(at, buffer, 0, count);
                for (int i = 0; i < count; i++)
                {
                    hash = unchecked((hash ^ buffer[i]) * Prime);
                }
            }

            return hash;
        }

        /// <summary>Declarations and what holds them; the walk descends into nothing else.</summary>
        private static bool IsDeclarationLevel(SyntaxNode node)
            => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or MemberDeclarationSyntax
               or AccessorListSyntax or AccessorDeclarationSyntax or VariableDeclarationSyntax or VariableDeclaratorSyntax;

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
