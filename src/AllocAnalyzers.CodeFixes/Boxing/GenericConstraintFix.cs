using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Boxing
{
    /// <summary>
    /// ALLOC201 fix for a struct passed to an interface parameter of a private or internal method:
    /// <c>void M(IShape s)</c> becomes <c>void M&lt;TShape&gt;(TShape s) where TShape : IShape</c>, so each struct gets its
    /// own specialized code and calls through the constraint never box. Offered only for non-virtual methods that
    /// implement nothing, and only when the method and every document that references it still compile with no new
    /// error after the change (checked before the fix is offered), and only when the method uses the parameter through
    /// its interface members alone: a value passed on, copied, compared by reference or locked on is one shared box
    /// today and would be a fresh copy each time after the change. One of the ALLOC201 fixes that
    /// <see cref="BoxingConversionCodeFix"/> offers (one provider per rule: <c>dotnet format</c> runs one fixer per ID).
    /// </summary>
    internal static class GenericConstraintFix
    {
        public const string EquivalenceKey = "AllocAnalyzers.Boxing.GenericConstraint";

        public static async Task RegisterAsync(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var operation = model.GetOperation(node, context.CancellationToken);
            while (operation != null && operation is not IArgumentOperation)
            {
                operation = operation.Parent;
            }

            if (operation is not IArgumentOperation { Parameter: { RefKind: RefKind.None, Type: INamedTypeSymbol { TypeKind: TypeKind.Interface } contract } parameter }
                || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsVirtual: false, IsAbstract: false, IsOverride: false, IsExtern: false, PartialDefinitionPart: null, PartialImplementationPart: null } method
                || !method.ExplicitInterfaceImplementations.IsEmpty || ImplementsInterfaceMember(method)
                || method.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Internal)
                || method.DeclaringSyntaxReferences.Length != 1)
            {
                return;
            }

            var solution = context.Document.Project.Solution;
            var changed = await MakeGenericAsync(solution, method, parameter, contract, context.CancellationToken).ConfigureAwait(false);
            if (changed != solution)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make '" + method.Name + "' generic over " + contract.Name + " (no box)", _ => Task.FromResult(changed), EquivalenceKey),
                    diagnostic);
            }
        }

        private static bool ImplementsInterfaceMember(IMethodSymbol method)
        {
            foreach (var implemented in method.ContainingType.AllInterfaces)
            {
                foreach (var member in implemented.GetMembers())
                {
                    if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static async Task<Solution> MakeGenericAsync(Solution solution, IMethodSymbol method, IParameterSymbol parameter, INamedTypeSymbol contract, CancellationToken cancellationToken)
        {
            var reference = method.DeclaringSyntaxReferences[0];
            var document = solution.GetDocument(reference.SyntaxTree);
            if (document == null || await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not MethodDeclarationSyntax declaration)
            {
                return solution;
            }

            string name = TypeParameterName(contract, method);
            int index = method.Parameters.IndexOf(parameter);
            var parameterSyntax = declaration.ParameterList.Parameters[index];
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model == null || !OnlyMemberAccesses(declaration, parameter, model, cancellationToken))
            {
                return solution;
            }

            string contractText = contract.ToMinimalDisplayString(model!, declaration.SpanStart);
            var updated = declaration
                .ReplaceNode(parameterSyntax, parameterSyntax.WithType(SyntaxFactory.IdentifierName(name).WithTriviaFrom(parameterSyntax.Type!)))
                .AddTypeParameterListParameters(SyntaxFactory.TypeParameter(name))
                .AddConstraintClauses(SyntaxFactory.TypeParameterConstraintClause(SyntaxFactory.IdentifierName(name))
                    .AddConstraints(SyntaxFactory.TypeConstraint(SyntaxFactory.ParseTypeName(contractText))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var changed = solution.WithDocumentSyntaxRoot(document.Id, root!.ReplaceNode(declaration, updated));

            // Every document that mentions the method must compile with no new error.
            var documents = new HashSet<DocumentId> { document.Id };
            foreach (var found in await SymbolFinder.FindReferencesAsync(method, solution, cancellationToken).ConfigureAwait(false))
            {
                foreach (var location in found.Locations)
                {
                    documents.Add(location.Document.Id);
                }
            }

            foreach (var id in documents)
            {
                if (await ErrorCountAsync(changed.GetDocument(id)!, cancellationToken).ConfigureAwait(false) > await ErrorCountAsync(solution.GetDocument(id)!, cancellationToken).ConfigureAwait(false))
                {
                    return solution;
                }
            }

            return changed;
        }

        /// <summary>
        /// True when every use of <paramref name="parameter"/> in the method calls or reads a member of its interface
        /// directly (<c>shape.Area()</c>). Those behave the same on one box and on a constrained type parameter. Any other use
        /// does not: passing it on, storing or copying it, comparing it by reference, locking on it, capturing it or
        /// calling an extension method on it shares one box today, but would box a fresh copy each time after the change.
        /// </summary>
        private static bool OnlyMemberAccesses(MethodDeclarationSyntax declaration, IParameterSymbol parameter, SemanticModel model, CancellationToken cancellationToken)
        {
            foreach (var identifier in declaration.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText != parameter.Name
                    || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, parameter))
                {
                    continue;
                }

                if (identifier.Ancestors().TakeWhile(a => a != declaration).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                    || identifier.Parent is not MemberAccessExpressionSyntax access || access.Expression != identifier
                    || model.GetSymbolInfo(access, cancellationToken).Symbol is not { } member
                    || member is IMethodSymbol { IsExtensionMethod: true } or IMethodSymbol { ReducedFrom: not null }
                    || member.ContainingType is not { TypeKind: TypeKind.Interface } && member.ContainingType?.SpecialType != SpecialType.System_Object)
                {
                    return false;
                }
            }

            return true;
        }

        private static async Task<int> ErrorCountAsync(Document document, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return model!.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        }

        private static string TypeParameterName(INamedTypeSymbol contract, IMethodSymbol method)
        {
            string stem = contract.Name.Length > 1 && contract.Name[0] == 'I' && char.IsUpper(contract.Name[1]) ? contract.Name.Substring(1) : contract.Name;
            string name = "T" + stem;
            var taken = new HashSet<string>(method.TypeParameters.Select(t => t.Name).Concat(method.ContainingType.TypeParameters.Select(t => t.Name)).Concat(method.Parameters.Select(p => p.Name)));
            for (int i = 2; taken.Contains(name); i++)
            {
                name = "T" + stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return name;
        }
    }
}
