using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers
{
    /// <summary>Where a diagnostic about a call goes.</summary>
    internal static class InvocationLocations
    {
        /// <summary>From the method's name to the end of the call (<c>text.Split(',')</c> → <c>Split(',')</c>): the whole call when it has no receiver.</summary>
        public static Location NameLocation(this IInvocationOperation invocation)
            => invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } syntax
                ? Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(access.Name.SpanStart, syntax.Span.End))
                : invocation.Syntax.GetLocation();
    }
}
