using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Allocations
{
    /// <summary>
    /// ALLOC102 fixes for arrays whose contents never change:
    /// <list type="bullet">
    /// <item>an array of constants passed straight to a BCL method that only reads it (<c>string.Split</c>, <c>Trim</c>,
    /// <c>IndexOfAny</c>, <c>string.Join</c>, ...) → a <c>private static readonly</c> field created once;</item>
    /// <item>an array of constants declared inside a loop and only read there (indexing, <c>Length</c>, <c>foreach</c>,
    /// those same BCL methods) → the declaration moves before the loop.</item>
    /// </list>
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InvariantArrayCodeFix))]
    [Shared]
    public sealed class InvariantArrayCodeFix : AllocCodeFixProvider
    {
        public const string StaticFieldKey = "AllocAnalyzers.Arrays.StaticReadonly";
        public const string HoistKey = "AllocAnalyzers.Arrays.HoistOutOfLoop";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ArrayAllocation);

        public override FixAllProvider GetFixAllProvider() => SequentialFixAll.Create(async (document, site, ct) =>
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null || root.FindNode(site.Span, getInnermostNodeForTie: true) is not ExpressionSyntax creation || !IsConstantArray(creation, model))
            {
                return null;
            }

            return IsReadOnlyArgument(creation, model) ? ToStaticField(document, root, creation, model)
                : TryFindHoist(creation, model) is { } loop ? Hoist(document, root, creation, loop) : null;
        });

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax creation || !IsConstantArray(creation, model))
            {
                return;
            }

            var document = context.Document;
            if (IsReadOnlyArgument(creation, model))
            {
                context.RegisterCodeFix(CodeAction.Create("Create the array once in a static readonly field", _ => Task.FromResult(ToStaticField(document, root, creation, model)), StaticFieldKey), diagnostic);
            }
            else if (TryFindHoist(creation, model) is { } loop)
            {
                context.RegisterCodeFix(CodeAction.Create("Move the array out of the loop", _ => Task.FromResult(Hoist(document, root, creation, loop)), HoistKey), diagnostic);
            }
        }

        /// <summary>A non-empty array whose every element is a compile-time constant.</summary>
        private static bool IsConstantArray(ExpressionSyntax creation, SemanticModel model)
        {
            var initializer = creation switch
            {
                ArrayCreationExpressionSyntax array => array.Initializer,
                ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer,
                _ => null,
            };
            return initializer != null && initializer.Expressions.Count > 0 && initializer.Expressions.All(e => model.GetConstantValue(e).HasValue);
        }

        /// <summary>BCL methods that only read the array they are given.</summary>
        private static bool IsReadOnlyUse(IMethodSymbol method)
            => method.ContainingType?.SpecialType == SpecialType.System_String
               && method.Name is "Split" or "Trim" or "TrimStart" or "TrimEnd" or "IndexOfAny" or "LastIndexOfAny" or "Join" or "Concat";

        private static bool IsReadOnlyArgument(ExpressionSyntax creation, SemanticModel model)
            => creation.Parent is ArgumentSyntax argument && model.GetOperation(argument) is IArgumentOperation { Parent: IInvocationOperation invocation } && IsReadOnlyUse(invocation.TargetMethod);

        private static Document ToStaticField(Document document, SyntaxNode root, ExpressionSyntax creation, SemanticModel model)
        {
            var argument = (IArgumentOperation)model.GetOperation(creation.Parent!)!;
            var invocation = (IInvocationOperation)argument.Parent!;
            var container = creation.FirstAncestorOrSelf<TypeDeclarationSyntax>()!;
            var containerSymbol = (INamedTypeSymbol)model.GetDeclaredSymbol(container)!;
            string stem = invocation.TargetMethod.Name + char.ToUpperInvariant(argument.Parameter!.Name[0]) + argument.Parameter.Name.Substring(1);
            string name = stem;
            for (int i = 2; containerSymbol.GetMembers(name).Any(); i++)
            {
                name = stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            string type = model.GetTypeInfo(creation).Type!.ToMinimalDisplayString(model, creation.SpanStart);
            var field = SyntaxFactory.ParseMemberDeclaration("private static readonly " + type + " " + name + " = " + creation.WithoutTrivia().ToString() + ";")!
                .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed, SyntaxFactory.ElasticLineFeed)
                .WithAdditionalAnnotations(Formatter.Annotation);
            var tracked = root.TrackNodes(creation, container);
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(creation)!, SyntaxFactory.IdentifierName(name).WithTriviaFrom(creation));
            var currentContainer = tracked.GetCurrentNode(container)!;
            return document.WithSyntaxRoot(tracked.ReplaceNode(currentContainer, currentContainer.WithMembers(currentContainer.Members.Insert(0, field))));
        }

        /// <summary>The outermost loop the array's declaration can leave: it is only read, and depends on nothing.</summary>
        private static StatementSyntax? TryFindHoist(ExpressionSyntax creation, SemanticModel model)
        {
            if (!LocalDeclarationSite.TryGet(creation, out _, out var declarator, out var body) || body.Parent is not StatementSyntax loop
                || loop is not (ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
                || loop.Parent is not BlockSyntax || model.GetDeclaredSymbol(declarator) is not ILocalSymbol local)
            {
                return null;
            }

            foreach (var use in body.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == local.Name))
            {
                if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use).Symbol, local))
                {
                    continue;
                }

                bool readOnly = use.Parent switch
                {
                    ElementAccessExpressionSyntax element when element.Expression == use => !(element.Parent is AssignmentExpressionSyntax assignment && assignment.Left == element)
                                                                                           && !(element.Parent is PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax)
                                                                                           && !(element.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 }),
                    MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } => true,
                    ForEachStatementSyntax forEach => forEach.Expression == use,
                    ArgumentSyntax argument => model.GetOperation(argument) is IArgumentOperation { Parent: IInvocationOperation invocation } && IsReadOnlyUse(invocation.TargetMethod),
                    _ => false,
                };
                if (!readOnly || use.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax || a is LocalFunctionStatementSyntax))
                {
                    return null;
                }
            }

            return loop;
        }

        private static Document Hoist(Document document, SyntaxNode root, ExpressionSyntax creation, StatementSyntax loop)
        {
            var statement = creation.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>()!;
            var tracked = root.TrackNodes(statement, loop);
            tracked = tracked.RemoveNode(tracked.GetCurrentNode(statement)!, SyntaxRemoveOptions.KeepNoTrivia)!;
            var currentLoop = tracked.GetCurrentNode(loop)!;
            var outer = (BlockSyntax)currentLoop.Parent!;
            var moved = statement.WithLeadingTrivia(currentLoop.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed).WithAdditionalAnnotations(Formatter.Annotation);
            return document.WithSyntaxRoot(tracked.ReplaceNode(outer, outer.WithStatements(outer.Statements.Insert(outer.Statements.IndexOf(currentLoop), moved))));
        }
    }
}
