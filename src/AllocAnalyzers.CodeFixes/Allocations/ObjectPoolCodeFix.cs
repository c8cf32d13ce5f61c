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
    /// ALLOC101 fix: <c>var request = new OrderRequest { ... };</c> that does not escape becomes a rental from a
    /// <c>private static readonly ObjectPool&lt;OrderRequest&gt;</c> field (added to the containing type, or reused), with
    /// the rest of the block in <c>try { ... } finally { pool.Return(request); }</c>. The rented object must behave as a
    /// new one: types implementing <c>IResettable</c> are reset by the pool; otherwise the fix is offered only for a
    /// class declared in source with an implicit or empty parameterless constructor, no field initializers and every
    /// field writable from here, and it writes the reset (every field back to its default) right after Get.
    /// Not offered when the project does not reference Microsoft.Extensions.ObjectPool.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ObjectPoolCodeFix))]
    [Shared]
    public sealed class ObjectPoolCodeFix : AllocCodeFixProvider
    {
        public const string EquivalenceKey = "AllocAnalyzers.Objects.ObjectPool";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ObjectAllocation);

        public override FixAllProvider GetFixAllProvider() => SequentialFixAll.Create(async (document, site, ct) =>
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            return root != null && model != null && AllocationProperties.IsPoolable(site.Properties)
                && Plan.TryCreate(root, model, site.Span, ct) is { } plan ? plan.Apply(document, root) : null;
        });

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            if (!AllocationProperties.IsPoolable(diagnostic.Properties)
                || Plan.TryCreate(root, model, diagnostic.Location.SourceSpan, context.CancellationToken) is not { } plan)
            {
                return;
            }

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Rent " + plan.TypeText + " from an ObjectPool", ct => FixCleanup.RunAsync(plan.Apply(document, root), ct), EquivalenceKey),
                diagnostic);
        }

        private sealed class Plan
        {
            private Plan(LocalDeclarationStatementSyntax statement, ObjectCreationExpressionSyntax creation, TypeDeclarationSyntax container, string typeText, string name, string pool, bool addField, List<string> resets)
            {
                Statement = statement;
                Creation = creation;
                Container = container;
                TypeText = typeText;
                Name = name;
                Pool = pool;
                AddField = addField;
                Resets = resets;
            }

            public LocalDeclarationStatementSyntax Statement { get; }

            public ObjectCreationExpressionSyntax Creation { get; }

            public TypeDeclarationSyntax Container { get; }

            public string TypeText { get; }

            public string Name { get; }

            public string Pool { get; }

            public bool AddField { get; }

            public List<string> Resets { get; }

            public static Plan? TryCreate(SyntaxNode root, SemanticModel model, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
            {
                if (root.FindNode(span, getInnermostNodeForTie: true) is not ObjectCreationExpressionSyntax creation
                    || creation.ArgumentList is { Arguments.Count: > 0 }
                    || !LocalDeclarationSite.TryGet(creation, out var statement, out var declarator, out _)
                    || statement.UsingKeyword.IsKind(SyntaxKind.UsingKeyword)
                    || creation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } container
                    || model.GetTypeInfo(creation, cancellationToken).Type is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } type
                    || model.GetDeclaredSymbol(container, cancellationToken) is not INamedTypeSymbol containingType)
                {
                    return null;
                }

                var knownTypes = KnownTypes.For(model.Compilation);
                var objectPool = knownTypes.ObjectPool;
                var resettable = knownTypes.Resettable;
                if (objectPool == null)
                {
                    return null;
                }

                bool isResettable = resettable != null && type.AllInterfaces.Contains(resettable, SymbolEqualityComparer.Default);
                var resets = new List<string>();
                string name = declarator.Identifier.ValueText;
                if (!isResettable && !TryPlanReset(type, containingType, name, model.Compilation, resets))
                {
                    return null;
                }

                string typeText = type.ToMinimalDisplayString(model, creation.SpanStart);
                var poolType = objectPool.Construct(type);
                var existing = containingType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.IsStatic && SymbolEqualityComparer.Default.Equals(f.Type, poolType));
                string pool = existing?.Name ?? type.Name + "Pool";
                if (existing == null && containingType.GetMembers(pool).Any())
                {
                    return null;
                }

                return new Plan(statement, creation, container, typeText, name, pool, existing == null, resets);
            }

            /// <summary>Every instance field of the type and its bases back to default, when all are writable from here and a new instance has only defaults.</summary>
            private static bool TryPlanReset(INamedTypeSymbol type, INamedTypeSymbol from, string local, Compilation compilation, List<string> resets)
            {
                for (var current = type; current != null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
                {
                    if (current.DeclaringSyntaxReferences.IsEmpty
                        || current.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared && (c.Parameters.IsEmpty ? HasBody(c) : false))
                        || !current.InstanceConstructors.Any(c => c.Parameters.IsEmpty))
                    {
                        return false;
                    }

                    foreach (var member in current.GetMembers())
                    {
                        if (member is not IFieldSymbol { IsStatic: false, IsConst: false } field)
                        {
                            continue;
                        }

                        var target = (ISymbol?)field.AssociatedSymbol ?? field;
                        bool writable = target is IFieldSymbol { IsReadOnly: false } writableField ? compilation.IsSymbolAccessibleWithin(writableField, from)
                            : target is IPropertySymbol { SetMethod: { IsInitOnly: false } setter } ? compilation.IsSymbolAccessibleWithin(setter, from) : false;
                        if (!writable || HasInitializer(target))
                        {
                            return false;
                        }

                        resets.Add(local + "." + target.Name + " = default;");
                    }
                }

                return true;
            }

            private static bool HasBody(IMethodSymbol constructor)
                => constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax { Body.Statements.Count: > 0 } or ConstructorDeclarationSyntax { ExpressionBody: not null } or ConstructorDeclarationSyntax { Initializer: not null });

            private static bool HasInitializer(ISymbol symbol)
                => symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax() switch
                {
                    VariableDeclaratorSyntax variable => variable.Initializer != null,
                    PropertyDeclarationSyntax property => property.Initializer != null,
                    _ => true,
                });

            public Document Apply(Document document, SyntaxNode root)
            {
                var tracked = root.TrackNodes(Statement, Container);
                var statement = tracked.GetCurrentNode(Statement)!;
                var block = (BlockSyntax)statement.Parent!;
                int index = block.Statements.IndexOf(statement);
                var rent = BlockRewrite.Parse("var " + Name + " = " + Pool + ".Get();").WithLeadingTrivia(statement.GetLeadingTrivia());
                var head = Resets.Select(BlockRewrite.Parse).ToList();
                if (Creation.Initializer != null)
                {
                    foreach (var expression in Creation.Initializer.Expressions)
                    {
                        if (expression is not AssignmentExpressionSyntax { Left: IdentifierNameSyntax member } assignment)
                        {
                            return document;
                        }

                        head.Add(BlockRewrite.Parse(Name + "." + member.Identifier.ValueText + " = " + assignment.Right.ToString() + ";"));
                    }
                }

                var giveBack = BlockRewrite.Parse(Pool + ".Return(" + Name + ");");
                tracked = tracked.ReplaceNode(block, BlockRewrite.WrapRestInTryFinally(block, index, new[] { FixCleanup.Annotate(rent) }, head.Select(FixCleanup.Annotate), block.Statements.Skip(index + 1), FixCleanup.Annotate(giveBack)));
                if (AddField)
                {
                    var container = tracked.GetCurrentNode(Container)!;
                    var field = SyntaxFactory.ParseMemberDeclaration(
                            "private static readonly Microsoft.Extensions.ObjectPool.ObjectPool<" + TypeText + "> " + Pool
                            + " = new Microsoft.Extensions.ObjectPool.DefaultObjectPool<" + TypeText + ">(new Microsoft.Extensions.ObjectPool.DefaultPooledObjectPolicy<" + TypeText + ">());")!
                        .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed, SyntaxFactory.ElasticLineFeed);
                    field = FixCleanup.Annotate(field);
                    tracked = tracked.ReplaceNode(container, container.WithMembers(container.Members.Insert(0, field)));
                }

                return document.WithSyntaxRoot(tracked);
            }
        }
    }
}
