using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Boxing
{
    /// <summary>
    /// ALLOC201 fixes, offered only where the rewrite does exactly what the boxing code did:
    /// <c>StringBuilder.Append(object)</c> with a struct → <c>Append(value.ToString())</c> (Append(object) calls
    /// ToString()); <c>object.Equals(a, b)</c> on two values of one type that implements <c>IEquatable&lt;T&gt;</c> (or a
    /// primitive or enum) → <c>EqualityComparer&lt;T&gt;.Default.Equals(a, b)</c>; and a struct passed to an interface
    /// parameter of a private method → that method made generic (<see cref="GenericConstraintFix"/>). One provider for
    /// the rule, because <c>dotnet format</c> runs one fixer per diagnostic ID.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BoxingConversionCodeFix))]
    [Shared]
    public sealed class BoxingConversionCodeFix : AllocCodeFixProvider
    {
        public const string AppendToStringKey = "AllocAnalyzers.Boxing.AppendToString";
        public const string EqualityComparerKey = "AllocAnalyzers.Boxing.EqualityComparer";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.BoxingConversion);

        public override FixAllProvider GetFixAllProvider() => new FixerFixAll(this);

        internal override async Task RegisterFixAsync(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            RegisterFix(context, root, model, diagnostic);
            await GenericConstraintFix.RegisterAsync(context, root, model, diagnostic).ConfigureAwait(false);
        }

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node is not ExpressionSyntax expression || FindConversion(model, expression, context.CancellationToken) is not { } conversion
                || conversion.Parent is not IArgumentOperation { Parent: IInvocationOperation invocation })
            {
                return;
            }

            if (IsStringBuilderAppendObject(invocation.TargetMethod))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Append the value's ToString() (no box)", ct => AppendToStringAsync(context.Document, expression, ct), AppendToStringKey),
                    diagnostic);
            }
            else if (IsObjectEquals(invocation.TargetMethod) && invocation.Syntax is InvocationExpressionSyntax call
                     && SameEquatableType(invocation, out var type))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Compare with EqualityComparer<T>.Default (no box)", ct => UseEqualityComparerAsync(context.Document, call, type!, ct), EqualityComparerKey),
                    diagnostic);
            }
        }

        private static IConversionOperation? FindConversion(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken)
        {
            for (var operation = model.GetOperation(expression, cancellationToken); operation != null; operation = operation.Parent)
            {
                if (operation is IConversionOperation conversion)
                {
                    return conversion;
                }

                if (operation is IArgumentOperation)
                {
                    return null;
                }
            }

            return null;
        }

        private static bool IsStringBuilderAppendObject(IMethodSymbol method)
            => method.Name == "Append" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
               && KnownTypeNames.StringBuilder.Matches(method.ContainingType);

        private static bool IsObjectEquals(IMethodSymbol method)
            => method.Name == "Equals" && method.IsStatic && method.Parameters.Length == 2 && method.ContainingType?.SpecialType == SpecialType.System_Object;

        private static bool SameEquatableType(IInvocationOperation invocation, out ITypeSymbol? type)
        {
            type = null;
            var types = invocation.Arguments.Select(a => a.Value is IConversionOperation c ? c.Operand.Type : a.Value.Type).ToList();
            if (types.Count != 2 || types[0] == null || !SymbolEqualityComparer.Default.Equals(types[0], types[1]) || !(types[0]!.IsValueType))
            {
                return false;
            }

            var candidate = types[0]!;
            type = candidate;
            return candidate.SpecialType != SpecialType.None || candidate.TypeKind == TypeKind.Enum
                   || candidate.AllInterfaces.Any(i => KnownTypeNames.IEquatable.Matches(i) && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], candidate));
        }

        private static async Task<Document> AppendToStringAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var receiver = expression is IdentifierNameSyntax || expression is MemberAccessExpressionSyntax || expression is InvocationExpressionSyntax
                           || expression is ElementAccessExpressionSyntax || expression is ObjectCreationExpressionSyntax || expression is ParenthesizedExpressionSyntax
                ? expression.WithoutTrivia()
                : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia());
            var call = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("ToString")))
                .WithTriviaFrom(expression);
            editor.ReplaceNode(expression, call);
            return editor.GetChangedDocument();
        }

        private static async Task<Document> UseEqualityComparerAsync(Document document, InvocationExpressionSyntax call, ITypeSymbol type, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var equals = SyntaxFactory.ParseExpression(
                "System.Collections.Generic.EqualityComparer<" + type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">.Default.Equals");
            var replacement = FixCleanup.Annotate(SyntaxFactory.InvocationExpression(equals, call.ArgumentList.WithoutTrivia())
                .WithTriviaFrom(call));
            editor.ReplaceNode(call, replacement);
            return await FixCleanup.RunAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
        }
    }
}
