using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Formatting;

namespace AllocAnalyzers.CodeFixes.Allocations
{
    /// <summary>
    /// ALLOC102 fixes for a local array (<c>var buffer = new T[n];</c>):
    /// <list type="bullet">
    /// <item>empty (<c>new T[0]</c>, <c>new T[] { }</c>) → <c>Array.Empty&lt;T&gt;()</c>;</item>
    /// <item>small, constant-size, unmanaged, outside loops → <c>Span&lt;T&gt; buffer = stackalloc T[n];</c>;</item>
    /// <item>otherwise, when it does not escape → rented from <c>ArrayPool&lt;T&gt;.Shared</c> in try/finally, with
    /// <c>buffer</c> becoming a cleared <c>Span&lt;T&gt;</c> of exactly the requested length.</item>
    /// </list>
    /// The stackalloc and ArrayPool rewrites are offered only for an array the escape analysis proves local (a span of
    /// either must not outlive the method), and only when every use of the array is one a span supports the same way (indexing
    /// by position, not by a range, which copies an array but slices a span; <c>Length</c>, <c>foreach</c>, <c>AsSpan</c>, <c>new Span&lt;T&gt;(array)</c>), never in async methods, iterators,
    /// lambdas or local functions that capture it.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArrayAllocationCodeFix))]
    [Shared]
    public sealed class ArrayAllocationCodeFix : AllocCodeFixProvider
    {
        public const string ArrayEmptyKey = "AllocAnalyzers.Arrays.ArrayEmpty";
        public const string StackallocKey = "AllocAnalyzers.Arrays.Stackalloc";
        public const string ArrayPoolKey = "AllocAnalyzers.Arrays.ArrayPool";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ArrayAllocation);

        public override FixAllProvider GetFixAllProvider() => SequentialFixAll.Create(async (document, site, ct) =>
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return null;
            }

            var candidate = LocalArray.TryFind(root, model, site.Span, StackallocLimit(document, root), ct);
            if (candidate == null)
            {
                return EmptyArrayElsewhere(document, root, model, site.Span, out _);
            }

            // Fix All applies the best safe rewrite for each site.
            var fixedDocument = candidate.IsEmpty ? UseArrayEmpty(document, root, candidate)
                : candidate.CanStackalloc && AllocationProperties.IsPoolable(site.Properties) ? UseStackalloc(document, root, candidate)
                : candidate.CanRent && AllocationProperties.IsPoolable(site.Properties) ? RentFromPool(document, root, candidate)
                : null;
            return fixedDocument;
        });

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            var document = context.Document;
            var candidate = LocalArray.TryFind(root, model, diagnostic.Location.SourceSpan, StackallocLimit(document, root), context.CancellationToken);
            if (candidate == null)
            {
                if (EmptyArrayElsewhere(document, root, model, diagnostic.Location.SourceSpan, out var element) is { } fixedDocument)
                {
                    context.RegisterCodeFix(CodeAction.Create("Use Array.Empty<" + element + ">()", ct => FixCleanup.RunAsync(fixedDocument, ct), ArrayEmptyKey), diagnostic);
                }

                return;
            }

            if (candidate.IsEmpty)
            {
                context.RegisterCodeFix(CodeAction.Create("Use Array.Empty<" + candidate.ElementText + ">()", ct => FixCleanup.RunAsync(UseArrayEmpty(document, root, candidate), ct), ArrayEmptyKey), diagnostic);
                return;
            }

            if (candidate.CanStackalloc && AllocationProperties.IsPoolable(diagnostic.Properties))
            {
                context.RegisterCodeFix(CodeAction.Create("Use stackalloc (no heap allocation)", ct => FixCleanup.RunAsync(UseStackalloc(document, root, candidate), ct), StackallocKey), diagnostic);
            }

            if (candidate.CanRent && AllocationProperties.IsPoolable(diagnostic.Properties))
            {
                context.RegisterCodeFix(CodeAction.Create("Rent from ArrayPool<" + candidate.ElementText + ">.Shared", ct => FixCleanup.RunAsync(RentFromPool(document, root, candidate), ct), ArrayPoolKey), diagnostic);
            }
        }

        /// <summary>An empty array anywhere (an argument, a return) can still be the shared empty array.</summary>
        private static Document? EmptyArrayElsewhere(Document document, SyntaxNode root, SemanticModel model, Microsoft.CodeAnalysis.Text.TextSpan span, out string element)
        {
            element = string.Empty;
            if (root.FindNode(span, getInnermostNodeForTie: true) is not ArrayCreationExpressionSyntax empty || !IsEmpty(empty, model)
                || model.GetTypeInfo(empty).Type is not IArrayTypeSymbol { Rank: 1 } arrayType)
            {
                return null;
            }

            element = arrayType.ElementType.ToMinimalDisplayString(model, empty.SpanStart);
            return document.WithSyntaxRoot(root.ReplaceNode(empty, FixCleanup.Annotate(SyntaxFactory.ParseExpression("System.Array.Empty<" + element + ">()").WithTriviaFrom(empty))));
        }

        private static int StackallocLimit(Document document, SyntaxNode root)
            => AllocOptions.StackallocMaxBytes.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.ForTree(root.SyntaxTree));

        private static bool IsEmpty(ArrayCreationExpressionSyntax creation, SemanticModel model)
            => creation.Initializer is { Expressions.Count: 0 }
               || (creation.Initializer == null && creation.Type.RankSpecifiers.Count == 1 && creation.Type.RankSpecifiers[0].Sizes.Count == 1
                   && model.GetConstantValue(creation.Type.RankSpecifiers[0].Sizes[0]) is { HasValue: true, Value: 0 });

        private static Document UseArrayEmpty(Document document, SyntaxNode root, LocalArray candidate)
        {
            var replacement = FixCleanup.Annotate(SyntaxFactory.ParseExpression("System.Array.Empty<" + candidate.ElementText + ">()").WithTriviaFrom(candidate.Creation));
            return document.WithSyntaxRoot(root.ReplaceNode(candidate.Creation, replacement));
        }

        private static Document UseStackalloc(Document document, SyntaxNode root, LocalArray candidate)
        {
            var rewritten = candidate.RewriteUsesAsSpan(root);
            var statement = rewritten.GetCurrentNode(candidate.Statement)!;
            var allocation = candidate.Creation is ArrayCreationExpressionSyntax { Initializer: { } initializer }
                ? "stackalloc " + candidate.ElementText + "[] " + initializer.ToString()
                : "stackalloc " + candidate.ElementText + "[" + candidate.LengthText + "]";
            var declaration = FixCleanup.Annotate(SyntaxFactory.ParseStatement("System.Span<" + candidate.ElementText + "> " + candidate.Name + " = " + allocation + ";")
                .WithTriviaFrom(statement));
            return document.WithSyntaxRoot(rewritten.ReplaceNode(statement, declaration));
        }

        private static Document RentFromPool(Document document, SyntaxNode root, LocalArray candidate)
        {
            var rewritten = candidate.RewriteUsesAsSpan(root);
            var statement = rewritten.GetCurrentNode(candidate.Statement)!;
            var block = (BlockSyntax)statement.Parent!;
            int index = block.Statements.IndexOf(statement);
            string rented = candidate.RentedName;
            string pool = "System.Buffers.ArrayPool<" + candidate.ElementText + ">.Shared";
            var rent = BlockRewrite.Parse(candidate.ElementText + "[] " + rented + " = " + pool + ".Rent(" + candidate.LengthText + ");").WithLeadingTrivia(statement.GetLeadingTrivia());
            var head = new[]
            {
                BlockRewrite.Parse("System.Span<" + candidate.ElementText + "> " + candidate.Name + " = new System.Span<" + candidate.ElementText + ">(" + rented + ", 0, " + candidate.LengthText + ");"),
                BlockRewrite.Parse(candidate.Name + ".Clear();"),
            };
            var giveBack = BlockRewrite.Parse(pool + ".Return(" + rented + (candidate.HoldsReferences ? ", clearArray: true" : string.Empty) + ");");
            var newBlock = BlockRewrite.WrapRestInTryFinally(block, index, new[] { FixCleanup.Annotate(rent) }, head.Select(FixCleanup.Annotate), block.Statements.Skip(index + 1), FixCleanup.Annotate(giveBack));
            return document.WithSyntaxRoot(rewritten.ReplaceNode(block, newBlock));
        }
    }
}
