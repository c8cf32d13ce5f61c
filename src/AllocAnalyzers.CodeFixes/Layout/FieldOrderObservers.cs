using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.CodeFixes.Layout
{
    /// <summary>
    /// Whether a program can see the order of a struct's fields, in which case reordering them changes what it does:
    /// the struct is reinterpreted as memory (<c>MemoryMarshal</c>, <c>Unsafe</c>, <c>Marshal</c>, pointers, <c>&amp;x</c>,
    /// <c>fixed</c>), read by reflection (<c>typeof</c>), handed to a serializer (System.Text.Json, XML, DataContract,
    /// Newtonsoft.Json, MessagePack, protobuf: they write fields in declaration order), or marked for serialization or
    /// marshalling (<c>[Serializable]</c>, <c>[DataContract]</c>, serializer attributes, <c>[MarshalAs]</c>, on it or its
    /// fields). Every document of the solution that names the struct is searched. What a consumer in
    /// another assembly does with a public struct cannot be seen here (docs/rules/ALLOC301.md says what it may observe).
    /// </summary>
    internal static class FieldOrderObservers
    {
        private static readonly string[] ObserverNamespaces =
        {
            "System.Runtime.InteropServices", "System.Runtime.CompilerServices", "System.Text.Json", "System.Xml.Serialization",
            "System.Runtime.Serialization", "Newtonsoft.Json", "MessagePack", "ProtoBuf", "System.Reflection",
        };

        public static async Task<bool> IsObservableAsync(Solution solution, INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (HasObservingAttribute(type) || type.GetMembers().OfType<IFieldSymbol>().Any(HasObservingAttribute))
            {
                return true;
            }

            foreach (var project in solution.Projects.Where(p => p.Language == LanguageNames.CSharp))
            {
                foreach (var document in project.Documents)
                {
                    var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    if (text.ToString().IndexOf(type.Name, System.StringComparison.Ordinal) < 0)
                    {
                        continue;
                    }

                    var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                    var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    if (root != null && model != null && root.DescendantNodes().Any(node => Observes(node, type, model, cancellationToken)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool Observes(SyntaxNode node, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
        {
            switch (node)
            {
                case PointerTypeSyntax pointer:
                    return Mentions(model.GetTypeInfo(pointer.ElementType, cancellationToken).Type, type);
                case TypeOfExpressionSyntax typeOf:
                    return Mentions(model.GetTypeInfo(typeOf.Type, cancellationToken).Type, type);
                case PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.AddressOfExpression } addressOf:
                    return Mentions(model.GetTypeInfo(addressOf.Operand, cancellationToken).Type, type);
                case FixedStatementSyntax fixedStatement:
                    return fixedStatement.Declaration.Variables.Any(v => v.Initializer != null && Mentions(model.GetTypeInfo(v.Initializer.Value, cancellationToken).Type, type));
                case InvocationExpressionSyntax or ObjectCreationExpressionSyntax:
                    if (model.GetSymbolInfo(node, cancellationToken).Symbol is not IMethodSymbol method || !IsObserver(method.ContainingType))
                    {
                        return false;
                    }

                    var arguments = node is InvocationExpressionSyntax invocation ? invocation.ArgumentList.Arguments : ((ObjectCreationExpressionSyntax)node).ArgumentList?.Arguments ?? default;
                    return method.TypeArguments.Any(t => Mentions(t, type)) || method.ContainingType.TypeArguments.Any(t => Mentions(t, type))
                           || arguments.Any(a => Mentions(model.GetTypeInfo(a.Expression, cancellationToken).Type, type));
                default:
                    return false;
            }
        }

        /// <summary>A type in one of <see cref="ObserverNamespaces"/> or a namespace nested in one.</summary>
        private static bool IsObserver(INamedTypeSymbol? type)
        {
            for (var ns = type?.ContainingNamespace; ns != null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
            {
                if (ObserverNamespaces.Any(ns.IsNamed))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when <paramref name="candidate"/> is <paramref name="type"/> or holds it (an array, a pointer, a type argument).</summary>
        private static bool Mentions(ITypeSymbol? candidate, INamedTypeSymbol type)
        {
            switch (candidate)
            {
                case null:
                    return false;
                case IArrayTypeSymbol array:
                    return Mentions(array.ElementType, type);
                case IPointerTypeSymbol pointer:
                    return Mentions(pointer.PointedAtType, type);
                case INamedTypeSymbol named:
                    return SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, type.OriginalDefinition) || named.TypeArguments.Any(t => Mentions(t, type));
                default:
                    return false;
            }
        }

        /// <summary>Serialization and marshalling attributes (a declared [StructLayout] alone is the user's opt-in to the rule, not an observer).</summary>
        private static bool HasObservingAttribute(ISymbol symbol)
            => symbol.GetAttributes().Any(a => a.AttributeClass is { } attribute
                && (attribute.Name is "SerializableAttribute" or "FieldOffsetAttribute" or "MarshalAsAttribute"
                    || (IsObserver(attribute) && !attribute.ContainingNamespace.IsNamed("System.Runtime.InteropServices") && !attribute.ContainingNamespace.IsNamed("System.Runtime.CompilerServices")
                        && !attribute.ContainingNamespace.IsNamed("System.Reflection"))));
    }
}
