using System.Linq;
using AllocAnalyzers.Pooling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace AllocAnalyzers.CodeFixes.Pooling
{
    /// <summary>
    /// The statement that gives a rental back, built from how it was rented: <c>pool.Return(x)</c> for ArrayPool and
    /// ObjectPool, and for a pool configured in <c>alloc_analyzers.pool_methods</c> the configured method in the one
    /// shape it can be called: an instance method of the pool called on the same receiver as the rent, a static method
    /// taking the rental, or a method of the rental itself. Null when no shape fits (the fix is then not offered).
    /// </summary>
    internal static class ReturnCall
    {
        public static StatementSyntax? For(ReturnRentalInFinallyCodeFix.Site site, IInvocationOperation rent)
        {
            var rental = SyntaxFactory.IdentifierName(site.Local.Name);
            var receiver = (rent.Syntax as InvocationExpressionSyntax)?.Expression is MemberAccessExpressionSyntax access ? access.Expression.WithoutTrivia() : null;
            switch (site.Kind)
            {
                case RentalKind.Array:
                case RentalKind.Object:
                    return receiver == null ? null : Statement(Call(receiver, "Return", rental));
                case RentalKind.Custom:
                    return PoolApi.ConfiguredReturn(rent.TargetMethod, site.Custom) is { } name ? Configured(site, rent, name, receiver, rental) : null;
                default:
                    return null;
            }
        }

        private static StatementSyntax? Configured(ReturnRentalInFinallyCodeFix.Site site, IInvocationOperation rent, string qualifiedName, ExpressionSyntax? receiver, IdentifierNameSyntax rental)
        {
            int dot = qualifiedName.LastIndexOf('.');
            string typeName = qualifiedName.Substring(0, dot);
            string methodName = qualifiedName.Substring(dot + 1);
            var rentType = rent.TargetMethod.ContainingType;
            var rentalType = site.Local.Type;
            var compilation = site.Model.Compilation;
            var returnType = PoolApi.TypeName(rentType) == typeName ? rentType : KnownTypes.For(compilation).Configured(typeName);
            if (returnType == null)
            {
                return null;
            }

            foreach (var method in returnType.GetMembers(methodName).OfType<IMethodSymbol>())
            {
                if (!IsAccessible(site, method))
                {
                    continue;
                }

                bool takesRental = method.Parameters.Length > 0 && Accepts(compilation, rentalType, method.Parameters[0].Type) && RestOptional(method, 1);
                if (takesRental && !method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, rentType) && !rent.TargetMethod.IsStatic)
                {
                    // pool.Take() → pool.Give(x); Take() inside the pool → Give(x).
                    return Statement(receiver == null ? Call(methodName, rental) : Call(receiver, methodName, rental));
                }

                if (takesRental && method.IsStatic)
                {
                    var type = SyntaxFactory.ParseTypeName(method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation);
                    return Statement(Call(type, methodName, rental));
                }

                if (!method.IsStatic && method.Parameters.All(p => p.IsOptional) && Accepts(compilation, rentalType, method.ContainingType))
                {
                    // The rental gives itself back: x.Release().
                    return Statement(SyntaxFactory.InvocationExpression(Member(rental, methodName)));
                }
            }

            return null;
        }

        private static bool IsAccessible(ReturnRentalInFinallyCodeFix.Site site, IMethodSymbol method)
            => site.Model.IsAccessible(site.Statement.SpanStart, method) && !method.IsGenericMethod;

        private static bool Accepts(Compilation compilation, ITypeSymbol from, ITypeSymbol to)
            => compilation.ClassifyCommonConversion(from, to) is { Exists: true, IsImplicit: true, IsUserDefined: false };

        private static bool RestOptional(IMethodSymbol method, int from) => method.Parameters.Skip(from).All(p => p.IsOptional);

        private static MemberAccessExpressionSyntax Member(ExpressionSyntax target, string name)
            => SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target, SyntaxFactory.IdentifierName(name));

        private static InvocationExpressionSyntax Call(ExpressionSyntax target, string name, ExpressionSyntax argument)
            => SyntaxFactory.InvocationExpression(Member(target, name), Arguments(argument));

        private static InvocationExpressionSyntax Call(string name, ExpressionSyntax argument)
            => SyntaxFactory.InvocationExpression(SyntaxFactory.IdentifierName(name), Arguments(argument));

        private static ArgumentListSyntax Arguments(ExpressionSyntax argument)
            => SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument)));

        private static StatementSyntax Statement(ExpressionSyntax expression) => SyntaxFactory.ExpressionStatement(expression);
    }
}
