using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.CodeFixes.Allocations
{
    /// <summary>
    /// An array held in one local (<c>var x = new T[n];</c> directly in a block) and every use of it, with what the array
    /// rewrites need to know: whether it is empty, its constant size, whether each use works the same on a span, and
    /// whether a span may live where it is declared.
    /// </summary>
    internal sealed class LocalArray
    {
        private LocalArray(LocalDeclarationStatementSyntax statement, ExpressionSyntax creation, ILocalSymbol local, IArrayTypeSymbol type, string elementText, ExpressionSyntax? length, List<IdentifierNameSyntax> uses)
        {
            Statement = statement;
            Creation = creation;
            Local = local;
            Type = type;
            ElementText = elementText;
            Length = length;
            Uses = uses;
        }

        public LocalDeclarationStatementSyntax Statement { get; }

        public ExpressionSyntax Creation { get; }

        public ILocalSymbol Local { get; }

        public IArrayTypeSymbol Type { get; }

        public string ElementText { get; }

        public ExpressionSyntax? Length { get; }

        public List<IdentifierNameSyntax> Uses { get; }

        public string Name => Local.Name;

        public string LengthText => Length?.ToString() ?? ElementCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public bool IsEmpty => ConstantLength == 0;

        public int? ConstantLength { get; private set; }

        public int ElementCount => Creation is ArrayCreationExpressionSyntax { Initializer: { } initializer } ? initializer.Expressions.Count
            : Creation is ImplicitArrayCreationExpressionSyntax implicitCreation ? implicitCreation.Initializer.Expressions.Count : ConstantLength ?? 0;

        public bool HoldsReferences => Type.ElementType.IsReferenceType || !Type.ElementType.IsUnmanagedType;

        public bool SpanCompatible { get; private set; }

        public bool InLoop { get; private set; }

        public bool CanStackalloc { get; private set; }

        /// <summary>An explicit length with no side effects (evaluated twice by the rewrite), and span-compatible uses.</summary>
        public bool CanRent => SpanCompatible && Length != null && IsSideEffectFree(Length) && Creation is ArrayCreationExpressionSyntax { Initializer: null };

        public string RentedName { get; private set; } = string.Empty;

        public static LocalArray? TryFind(SyntaxNode root, SemanticModel model, TextSpan span, int stackallocMaxBytes, CancellationToken cancellationToken)
        {
            var creation = root.FindNode(span, getInnermostNodeForTie: true) as ExpressionSyntax;
            if (creation is not (ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax)
                || !LocalDeclarationSite.TryGet(creation, out var statement, out var declarator, out var block)
                || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local || local.Type is not IArrayTypeSymbol { Rank: 1 } type
                || statement.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) || statement.Modifiers.Any())
            {
                return null;
            }

            ExpressionSyntax? length = null;
            if (creation is ArrayCreationExpressionSyntax { Type.RankSpecifiers.Count: 1 } arrayCreation && arrayCreation.Type.RankSpecifiers[0].Sizes.Count == 1
                && !(arrayCreation.Type.RankSpecifiers[0].Sizes[0] is OmittedArraySizeExpressionSyntax))
            {
                length = arrayCreation.Type.RankSpecifiers[0].Sizes[0];
            }

            var candidate = new LocalArray(statement, creation, local, type, type.ElementType.ToMinimalDisplayString(model, statement.SpanStart), length,
                block.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == local.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol, local)).ToList());
            if (length != null && model.GetConstantValue(length, cancellationToken) is { HasValue: true, Value: int constant })
            {
                candidate.ConstantLength = constant;
            }
            else if (creation is ArrayCreationExpressionSyntax { Initializer: { } initializer })
            {
                candidate.ConstantLength = initializer.Expressions.Count;
            }
            else if (creation is ImplicitArrayCreationExpressionSyntax implicitCreation)
            {
                candidate.ConstantLength = implicitCreation.Initializer.Expressions.Count;
            }

            var member = statement.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax || a is AccessorDeclarationSyntax || a is LocalFunctionStatementSyntax || a is AnonymousFunctionExpressionSyntax);
            bool asyncOrIterator = member == null || IsAsync(member) || member.DescendantNodes().Any(n => n is YieldStatementSyntax);
            candidate.InLoop = statement.Ancestors().TakeWhile(a => a != member).Any(a => a is ForStatementSyntax || a is ForEachStatementSyntax || a is WhileStatementSyntax || a is DoStatementSyntax);
            candidate.SpanCompatible = !asyncOrIterator && candidate.Uses.All(use => IsSpanCompatible(use, member!, model, cancellationToken));
            int elementSize = SizeOf(type.ElementType);
            candidate.CanStackalloc = candidate.SpanCompatible && !candidate.InLoop && type.ElementType.IsUnmanagedType && elementSize > 0
                                      && candidate.ConstantLength is int count && count > 0 && count * elementSize <= stackallocMaxBytes;
            string rented = local.Name + "Rented";
            for (int i = 2; model.LookupSymbols(statement.SpanStart, name: rented).Any(); i++)
            {
                rented = local.Name + "Rented" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            candidate.RentedName = rented;
            return candidate;
        }

        /// <summary>The root with uses a span does not support the same way rewritten: AsSpan() → x, AsSpan(a, b) → x.Slice(a, b), new Span&lt;T&gt;(x) → x.</summary>
        public SyntaxNode RewriteUsesAsSpan(SyntaxNode root)
        {
            var tracked = root.TrackNodes(Uses.Cast<SyntaxNode>().Append(Statement));
            foreach (var use in Uses)
            {
                var current = tracked.GetCurrentNode(use)!;
                switch (current.Parent)
                {
                    case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan" } access when access.Parent is InvocationExpressionSyntax call:
                        ExpressionSyntax replacement = call.ArgumentList.Arguments.Count == 0
                            ? SyntaxFactory.IdentifierName(Name)
                            : SyntaxFactory.InvocationExpression(
                                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(Name), SyntaxFactory.IdentifierName("Slice")),
                                call.ArgumentList);
                        tracked = tracked.ReplaceNode(call, replacement.WithTriviaFrom(call));
                        break;
                    case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax creation } }:
                        tracked = tracked.ReplaceNode(creation, SyntaxFactory.IdentifierName(Name).WithTriviaFrom(creation));
                        break;
                }
            }

            return tracked;
        }

        private static bool IsSpanCompatible(IdentifierNameSyntax use, SyntaxNode member, SemanticModel model, CancellationToken cancellationToken)
        {
            if (use.Ancestors().TakeWhile(a => a != member).Any(a => a is AnonymousFunctionExpressionSyntax || a is LocalFunctionStatementSyntax))
            {
                return false;
            }

            switch (use.Parent)
            {
                case ElementAccessExpressionSyntax element when element.Expression == use:
                    // array[a..b] is a copy (RuntimeHelpers.GetSubArray); span[a..b] is a view of the same memory.
                    return !IsRangeIndex(element, model, cancellationToken);
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } access when access.Expression == use && access.Parent is not AssignmentExpressionSyntax:
                    return true;
                case ForEachStatementSyntax forEach when forEach.Expression == use:
                    return true;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan" } access when access.Expression == use && access.Parent is InvocationExpressionSyntax:
                    return true;
                case ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: ObjectCreationExpressionSyntax { Type: GenericNameSyntax { Identifier.ValueText: "Span" or "ReadOnlySpan" } } } }:
                    return true;
                case ArgumentSyntax argument when argument.RefKindKeyword.IsKind(SyntaxKind.None):
                    // Passed where a Span<T> or ReadOnlySpan<T> is expected, to a call that cannot hand the span back.
                    return model.GetOperation(use, cancellationToken) is { } operation && SpanViews.ViewOf(operation) is IConversionOperation conversion
                           && conversion.ConsumingParent() is IArgumentOperation { Parent: IInvocationOperation invocation } && SpanViews.CannotKeep(invocation.TargetMethod);
                default:
                    return false;
            }
        }

        private static bool IsRangeIndex(ElementAccessExpressionSyntax element, SemanticModel model, CancellationToken cancellationToken)
        {
            foreach (var argument in element.ArgumentList.Arguments)
            {
                if (argument.Expression is RangeExpressionSyntax
                    || KnownTypeNames.Range.Matches(model.GetTypeInfo(argument.Expression, cancellationToken).Type))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsAsync(SyntaxNode member) => member switch
        {
            MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
            _ => false,
        };

        private static bool IsSideEffectFree(ExpressionSyntax expression) => expression switch
        {
            LiteralExpressionSyntax => true,
            IdentifierNameSyntax => true,
            MemberAccessExpressionSyntax access => IsSideEffectFree(access.Expression),
            BinaryExpressionSyntax binary => IsSideEffectFree(binary.Left) && IsSideEffectFree(binary.Right),
            ParenthesizedExpressionSyntax parenthesized => IsSideEffectFree(parenthesized.Expression),
            _ => false,
        };

        private static int SizeOf(ITypeSymbol type) => type.SpecialType switch
        {
            SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
            SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double or SpecialType.System_IntPtr or SpecialType.System_UIntPtr => 8,
            SpecialType.System_Decimal => 16,
            _ => 0,
        };
    }
}
