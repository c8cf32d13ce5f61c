using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Formatting;

namespace AllocAnalyzers.CodeFixes.Boxing
{
    /// <summary>
    /// ALLOC205 fix: give the struct key <c>IEquatable&lt;T&gt;</c>, <c>Equals(object)</c> and <c>GetHashCode()</c> over all its
    /// fields (compared with <c>EqualityComparer&lt;TField&gt;.Default</c>, as ValueType.Equals compares them), so lookups
    /// neither box nor reflect. Offered when the key is a non-record struct declared in source that has none of these
    /// members yet, and <c>System.HashCode</c> exists.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StructKeyEqualityCodeFix))]
    [Shared]
    public sealed class StructKeyEqualityCodeFix : AllocCodeFixProvider
    {
        public const string EquivalenceKey = "AllocAnalyzers.Boxing.ImplementIEquatable";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.StructKeyWithoutEquality);

        public override FixAllProvider GetFixAllProvider() => new FixerFixAll(this);

        internal override void RegisterFix(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (model.GetTypeInfo(node, context.CancellationToken).Type is not INamedTypeSymbol { TypeArguments.Length: > 0 } collection
                || collection.TypeArguments[0] is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsRecord: false } key
                || key.DeclaringSyntaxReferences.Length != 1
                || key.GetMembers().Any(m => m.Name is "Equals" or "GetHashCode")
                || model.Compilation.GetSpecialType(SpecialType.System_Object) is null
                || !HasHashCode(model.Compilation))
            {
                return;
            }

            var fields = LayoutEngine.GetInstanceFields(key).Select(f => (Name: (f.AssociatedSymbol ?? f).Name, f.Type)).ToList();
            if (fields.Count == 0 || fields.Any(f => f.Type.IsRefLikeType))
            {
                return;
            }

            var reference = key.DeclaringSyntaxReferences[0];
            var document = context.Document.Project.Solution.GetDocument(reference.SyntaxTree);
            if (document == null)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Implement IEquatable<" + key.Name + "> (no boxing per lookup)",
                    ct => AddEqualityAsync(document, reference, key, fields, ct),
                    EquivalenceKey),
                diagnostic);
        }

        private static bool HasHashCode(Compilation compilation) => KnownTypes.For(compilation).HashCode != null;

        private static async Task<Solution> AddEqualityAsync(Document document, SyntaxReference reference, INamedTypeSymbol key, List<(string Name, ITypeSymbol Type)> fields, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root == null || model == null || root.FindNode(reference.Span) is not StructDeclarationSyntax declaration)
            {
                return document.Project.Solution;
            }

            string name = key.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            bool nullable = model.GetNullableContext(declaration.SpanStart).AnnotationsEnabled();
            string compare = string.Join(" && ", fields.Select(f =>
                "System.Collections.Generic.EqualityComparer<" + f.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">.Default.Equals(" + f.Name + ", other." + f.Name + ")"));
            string hash = fields.Count <= 8
                ? "System.HashCode.Combine(" + string.Join(", ", fields.Select(f => f.Name)) + ")"
                : "HashAll()";
            var members = new List<string>
            {
                "public bool Equals(" + name + " other) => " + compare + ";",
                "public override bool Equals(object" + (nullable ? "?" : string.Empty) + " obj) => obj is " + name + " other && Equals(other);",
                "public override int GetHashCode() => " + hash + ";",
            };
            if (fields.Count > 8)
            {
                members.Add("private int HashAll() { var hash = new System.HashCode(); " + string.Concat(fields.Select(f => "hash.Add(" + f.Name + "); ")) + "return hash.ToHashCode(); }");
            }

            var parsed = members.Select((m, i) => SyntaxFactory.ParseMemberDeclaration(m)!
                .WithLeadingTrivia(i == 0 ? SyntaxFactory.TriviaList(SyntaxFactory.ElasticLineFeed) : SyntaxFactory.TriviaList(SyntaxFactory.ElasticMarker))
                .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.AddImportsAnnotation, Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation, Formatter.Annotation)).ToList();
            var equatable = FixCleanup.Annotate(SyntaxFactory.SimpleBaseType(SyntaxFactory.ParseTypeName("System.IEquatable<" + name + ">")));
            var baseList = declaration.BaseList == null
                ? SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(equatable))
                : declaration.BaseList.AddTypes(equatable);
            var identifier = declaration.TypeParameterList == null && declaration.BaseList == null
                ? declaration.Identifier.WithTrailingTrivia(SyntaxFactory.Space)
                : declaration.Identifier;
            var updated = declaration.WithIdentifier(identifier).WithBaseList(baseList.WithTrailingTrivia(declaration.BaseList?.GetTrailingTrivia() ?? declaration.Identifier.TrailingTrivia))
                .AddMembers(parsed.ToArray())
                .WithAdditionalAnnotations(Formatter.Annotation);
            return (await FixCleanup.RunAsync(document.WithSyntaxRoot(root.ReplaceNode(declaration, updated)), cancellationToken).ConfigureAwait(false)).Project.Solution;
        }
    }
}
