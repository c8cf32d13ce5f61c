using System.Collections.Generic;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// The structs of a compilation whose layout native code depends on: used (directly, through pointers, refs or
    /// arrays, or as a field of such a struct) in the signature of a <c>DllImport</c>/<c>extern</c> or
    /// <c>LibraryImport</c> method, of an <c>[UnmanagedFunctionPointer]</c> delegate, or of an unmanaged function
    /// pointer type. Candidate declarations are found syntactically and cached per syntax tree; only they are bound,
    /// once per compilation, and only when a rule asks.
    /// </summary>
    internal sealed class InteropUsage
    {
        private static readonly ConditionalWeakTable<Compilation, InteropUsage> Cache = new ConditionalWeakTable<Compilation, InteropUsage>();
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ImmutableArray<SyntaxNode>>> CandidatesByTree =
            new ConditionalWeakTable<SyntaxTree, StrongBox<ImmutableArray<SyntaxNode>>>();

        private readonly Compilation _compilation;
        private HashSet<ITypeSymbol>? _structs;

        private InteropUsage(Compilation compilation)
        {
            _compilation = compilation;
        }

        public static InteropUsage For(Compilation compilation) => Cache.GetValue(compilation, c => new InteropUsage(c));

        public bool IsUsedInInterop(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var structs = LazyInitializer.EnsureInitialized(ref _structs, () => Collect(cancellationToken))!;
            return structs.Contains(type.OriginalDefinition);
        }

        private HashSet<ITypeSymbol> Collect(CancellationToken cancellationToken)
        {
            var found = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var tree in _compilation.SyntaxTrees)
            {
                var candidates = Candidates(tree, cancellationToken);
                if (candidates.IsEmpty)
                {
                    continue;
                }

#pragma warning disable RS1030 // Only the few interop declarations are bound, once per compilation.
                var model = _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                foreach (var node in candidates)
                {
                    switch (node)
                    {
                        case FunctionPointerTypeSyntax pointer when model.GetTypeInfo(pointer, cancellationToken).Type is IFunctionPointerTypeSymbol type
                                                                   && type.Signature.CallingConvention != SignatureCallingConvention.Default:
                            AddSignature(type.Signature, found);
                            break;
                        case MethodDeclarationSyntax method when model.GetDeclaredSymbol(method, cancellationToken) is { } symbol:
                            AddSignature(symbol, found);
                            break;
                        case DelegateDeclarationSyntax declaration when model.GetDeclaredSymbol(declaration, cancellationToken) is { DelegateInvokeMethod: { } invoke }:
                            AddSignature(invoke, found);
                            break;
                    }
                }
            }

            return found;
        }

        /// <summary>Extern methods, methods and delegates with a *Import or UnmanagedFunctionPointer attribute, function pointer types.</summary>
        private static ImmutableArray<SyntaxNode> Candidates(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (CandidatesByTree.TryGetValue(tree, out var cached))
            {
                return cached.Value;
            }

            var builder = ImmutableArray.CreateBuilder<SyntaxNode>();
            bool mayHave = SourceTextSearch.Contains(tree.GetText(cancellationToken), wholeWord: false, "extern", "Import", "UnmanagedFunctionPointer", "delegate");
            foreach (var node in mayHave ? tree.GetRoot(cancellationToken).DescendantNodes() : System.Linq.Enumerable.Empty<SyntaxNode>())
            {
                switch (node)
                {
                    case MethodDeclarationSyntax method when method.Modifiers.Any(SyntaxKind.ExternKeyword) || HasAttribute(method.AttributeLists, "Import"):
                    case DelegateDeclarationSyntax declaration when HasAttribute(declaration.AttributeLists, "UnmanagedFunctionPointer"):
                    case FunctionPointerTypeSyntax:
                        builder.Add(node);
                        break;
                }
            }

            var result = builder.ToImmutable();
            return CandidatesByTree.GetValue(tree, _ => new StrongBox<ImmutableArray<SyntaxNode>>(result)).Value;
        }

        private static bool HasAttribute(SyntaxList<AttributeListSyntax> lists, string nameFragment)
        {
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    if (attribute.Name.ToString().IndexOf(nameFragment, System.StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static void AddSignature(IMethodSymbol method, HashSet<ITypeSymbol> found)
        {
            AddType(method.ReturnType, found, 0);
            foreach (var parameter in method.Parameters)
            {
                AddType(parameter.Type, found, 0);
            }
        }

        private static void AddType(ITypeSymbol type, HashSet<ITypeSymbol> found, int depth)
        {
            var unwrapped = Unwrap(type);
            if (depth > 32 || unwrapped is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named || !found.Add(named.OriginalDefinition))
            {
                return;
            }

            foreach (var member in named.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false } field)
                {
                    AddType(field.Type, found, depth + 1);
                }
            }
        }

        private static ITypeSymbol Unwrap(ITypeSymbol type)
        {
            while (true)
            {
                switch (type)
                {
                    case IPointerTypeSymbol pointer:
                        type = pointer.PointedAtType;
                        break;
                    case IArrayTypeSymbol array:
                        type = array.ElementType;
                        break;
                    default:
                        return type;
                }
            }
        }
    }
}
