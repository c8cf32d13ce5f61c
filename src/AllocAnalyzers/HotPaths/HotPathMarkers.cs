using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>What an attribute says about hotness.</summary>
    internal enum HotMarker
    {
        None,
        Hot,
        Cold,
    }

    /// <summary>
    /// Recognises the hot-path attributes by simple name, in any namespace, so users need no package reference:
    /// <c>[HotPath]</c>, Roslyn's <c>[PerformanceSensitive]</c> and BenchmarkDotNet's <c>[Benchmark]</c> mark hot code;
    /// <c>[ColdPath]</c> and <c>[HotPath(false)]</c> mark cold code. Purely syntactic, and cached per syntax tree, so
    /// an unchanged file costs nothing on the next keystroke.
    /// </summary>
    internal static class HotPathMarkers
    {
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ImmutableArray<SyntaxNode>>> MarkedByTree =
            new ConditionalWeakTable<SyntaxTree, StrongBox<ImmutableArray<SyntaxNode>>>();

        /// <summary>The declarations in <paramref name="tree"/> that carry a hot marker (roots for propagation).</summary>
        public static ImmutableArray<SyntaxNode> HotDeclarations(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (MarkedByTree.TryGetValue(tree, out var cached))
            {
                return cached.Value;
            }

            // Only nodes whose span holds a marker's name can be or contain a marked declaration: the walk descends
            // into those alone, so the bodies of a file with a few markers are not visited.
            var builder = ImmutableArray.CreateBuilder<SyntaxNode>();
            var positions = SourceTextSearch.Positions(tree.GetText(cancellationToken), "HotPath", "PerformanceSensitive", "Benchmark");
            var nodes = positions.Length == 0 ? System.Linq.Enumerable.Empty<SyntaxNode>()
                : tree.GetRoot(cancellationToken).DescendantNodes(node => SourceTextSearch.AnyWithin(positions, node.FullSpan));
            foreach (var node in nodes)
            {
                var lists = GetAttributeLists(node);
                if (lists.Count > 0 && Read(lists, out _) == HotMarker.Hot)
                {
                    builder.Add(node);
                }
            }

            var result = builder.ToImmutable();
            return MarkedByTree.GetValue(tree, _ => new StrongBox<ImmutableArray<SyntaxNode>>(result)).Value;
        }

        /// <summary>
        /// The marker nearest to <paramref name="declaration"/>: on itself, or on an enclosing member, local function,
        /// accessor's property or type. <paramref name="reason"/> says where it was found.
        /// </summary>
        public static HotMarker FindEnclosing(SyntaxNode declaration, out string reason)
        {
            bool self = true;
            for (var node = declaration; node != null; node = node.Parent)
            {
                var lists = GetAttributeLists(node);
                if (lists.Count > 0)
                {
                    var marker = Read(lists, out var name);
                    if (marker != HotMarker.None)
                    {
                        reason = self ? "annotated [" + name + "]" : "inside " + DescribeDeclaration(node) + " annotated [" + name + "]";
                        return marker;
                    }
                }

                if (node is MemberDeclarationSyntax || node is LocalFunctionStatementSyntax || node is AccessorDeclarationSyntax)
                {
                    self = self && node is AccessorDeclarationSyntax;
                }
            }

            reason = string.Empty;
            return HotMarker.None;
        }

        /// <summary>The marker among assembly-level attributes.</summary>
        public static HotMarker ForAssembly(IAssemblySymbol assembly, out string reason)
        {
            foreach (var attribute in assembly.GetAttributes())
            {
                if (attribute.AttributeClass is { } type && Classify(type.Name, attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is false) is var marker && marker != HotMarker.None)
                {
                    reason = "assembly annotated [" + Trim(type.Name) + "]";
                    return marker;
                }
            }

            reason = string.Empty;
            return HotMarker.None;
        }

        /// <summary>The marker an attribute list states (cold wins over hot on the same declaration).</summary>
        public static HotMarker Read(SyntaxList<AttributeListSyntax> lists, out string name)
        {
            var result = HotMarker.None;
            name = string.Empty;
            foreach (var list in lists)
            {
                if (list.Target != null && !list.Target.Identifier.IsKind(SyntaxKind.MethodKeyword))
                {
                    continue;
                }

                foreach (var attribute in list.Attributes)
                {
                    var simpleName = SimpleName(attribute.Name);
                    bool falseArgument = attribute.ArgumentList is { Arguments.Count: 1 } arguments
                        && arguments.Arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression);
                    var marker = Classify(simpleName, falseArgument);
                    if (marker == HotMarker.Cold || (marker == HotMarker.Hot && result == HotMarker.None))
                    {
                        result = marker;
                        name = Trim(simpleName) + (falseArgument ? "(false)" : string.Empty);
                    }
                }
            }

            return result;
        }

        private static HotMarker Classify(string simpleName, bool falseArgument)
        {
            switch (Trim(simpleName))
            {
                case "HotPath":
                    return falseArgument ? HotMarker.Cold : HotMarker.Hot;
                case "PerformanceSensitive":
                case "Benchmark":
                    return HotMarker.Hot;
                case "ColdPath":
                    return HotMarker.Cold;
                default:
                    return HotMarker.None;
            }
        }

        private static string Trim(string name)
            => name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;

        private static string SimpleName(NameSyntax name)
        {
            switch (name)
            {
                case IdentifierNameSyntax identifier:
                    return identifier.Identifier.ValueText;
                case QualifiedNameSyntax qualified:
                    return SimpleName(qualified.Right);
                case AliasQualifiedNameSyntax alias:
                    return alias.Name.Identifier.ValueText;
                default:
                    return string.Empty;
            }
        }

        private static SyntaxList<AttributeListSyntax> GetAttributeLists(SyntaxNode node)
        {
            switch (node)
            {
                case MemberDeclarationSyntax member:
                    return member.AttributeLists;
                case LocalFunctionStatementSyntax localFunction:
                    return localFunction.AttributeLists;
                case AccessorDeclarationSyntax accessor:
                    return accessor.AttributeLists;
                default:
                    return default;
            }
        }

        private static string DescribeDeclaration(SyntaxNode node)
        {
            switch (node)
            {
                case BaseTypeDeclarationSyntax type:
                    return "type " + type.Identifier.ValueText;
                case PropertyDeclarationSyntax property:
                    return "property " + property.Identifier.ValueText;
                case MethodDeclarationSyntax method:
                    return "method " + method.Identifier.ValueText;
                case LocalFunctionStatementSyntax localFunction:
                    return "local function " + localFunction.Identifier.ValueText;
                default:
                    return "a declaration";
            }
        }
    }
}
