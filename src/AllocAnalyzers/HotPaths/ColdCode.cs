using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// The one definition of cold code: code that runs only on the way to an exception, or not at all, even inside a
    /// hot member. It is
    /// <list type="bullet">
    /// <item>a <c>throw</c> (statement or expression) and everything it evaluates;</item>
    /// <item>a <c>catch</c> block (with its filter);</item>
    /// <item>the construction of an exception (<c>new XException(...)</c> and its arguments);</item>
    /// <item>a call to a method that never returns (<c>[DoesNotReturn]</c>, or a non-virtual method whose body always
    /// throws: a throw helper), with its arguments; and the body of a method that always throws;</item>
    /// <item>a local function marked <c>[ColdPath]</c> / <c>[HotPath(false)]</c>;</item>
    /// <item>attribute arguments, which are metadata, not code that runs.</item>
    /// </list>
    /// Rules ask through <see cref="HotCode"/> (operations); the hot-path propagation through <see cref="SkipsSyntax"/>,
    /// which binds only constructions and calls that may name a throw helper, so both see the same cold code.
    /// </summary>
    internal sealed class ColdCode
    {
        private static readonly ConditionalWeakTable<Compilation, ColdCode> ByCompilation = new ConditionalWeakTable<Compilation, ColdCode>();

        private readonly KnownTypes _knownTypes;
        private readonly ConcurrentDictionary<IMethodSymbol, Ending> _endings = new ConcurrentDictionary<IMethodSymbol, Ending>(SymbolEqualityComparer.Default);

        /// <summary>How a method's body ends, once decided per method (rules ask at every call their sites are inside).</summary>
        [System.Flags]
        private enum Ending : byte
        {
            Returns = 0,
            DoesNotReturnAttribute = 1,
            AlwaysThrows = 2,
        }

        private ColdCode(KnownTypes knownTypes) => _knownTypes = knownTypes;

        /// <summary>The cold code of <paramref name="compilation"/> (which methods never return is remembered per compilation).</summary>
        public static ColdCode For(Compilation compilation) => ByCompilation.GetValue(compilation, c => new ColdCode(KnownTypes.For(c)));

        /// <summary>True when constructing <paramref name="type"/> is cold code: an exception.</summary>
        public bool IsExceptionType(ITypeSymbol? type) => _knownTypes.IsException(type);

        /// <summary>True when <paramref name="call"/> cannot return (see <see cref="NeverReturns"/>), so it and its arguments are cold.</summary>
        public bool NeverReturns(IInvocationOperation call) => CallNeverReturns(call.TargetMethod, call.IsVirtual);

        /// <summary>True when <paramref name="operation"/> is in cold code (see the class remarks).</summary>
        public bool Contains(IOperation operation)
        {
            if (operation.Syntax.FirstAncestorOrSelf<AttributeSyntax>() != null)
            {
                return true;
            }

            for (var current = operation; current != null; current = current.Parent)
            {
                switch (current)
                {
                    case IThrowOperation _:
                    case ICatchClauseOperation _:
                        return true;
                    case IObjectCreationOperation creation when _knownTypes.IsException(creation.Type):
                        return true;
                    case IInvocationOperation invocation when CallNeverReturns(invocation.TargetMethod, invocation.IsVirtual):
                        return true;
                    case ILocalFunctionOperation localFunction when localFunction.Syntax is LocalFunctionStatementSyntax syntax
                                                                    && HotPathMarkers.Read(syntax.AttributeLists, out _) == HotMarker.Cold:
                        return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True when a walk of hot code should not enter <paramref name="node"/>: syntax that is cold by its shape, an
        /// exception's construction, or a call that never returns (<paramref name="callee"/>: what the walk resolved the
        /// call to, or null). <paramref name="mayNameSourceType"/> says whether the node's name is one the compilation
        /// declares. To bind little, a construction is bound only when its type is target-typed, declared in source, or
        /// named "...Exception" (as every framework exception is), and a call is resolved by the walk only when it may
        /// name a source method or a throw helper (<see cref="MayNameThrowHelper"/>).
        /// </summary>
        public bool SkipsSyntax(SyntaxNode node, SemanticModel model, IMethodSymbol? callee, bool mayNameSourceType, CancellationToken cancellationToken)
        {
            switch (node)
            {
                case ThrowStatementSyntax _:
                case ThrowExpressionSyntax _:
                case CatchClauseSyntax _:
                case AttributeListSyntax _:
                    return true;
                case LocalFunctionStatementSyntax localFunction:
                    return HotPathMarkers.Read(localFunction.AttributeLists, out _) == HotMarker.Cold;
                case ImplicitObjectCreationExpressionSyntax creation:
                    return _knownTypes.IsException(model.GetTypeInfo(creation, cancellationToken).Type);
                case ObjectCreationExpressionSyntax creation when mayNameSourceType || NameOf(creation.Type).EndsWith("Exception", System.StringComparison.Ordinal):
                    return _knownTypes.IsException(model.GetTypeInfo(creation, cancellationToken).Type);
                case InvocationExpressionSyntax _:
                    return callee != null && CallNeverReturns(callee, isVirtual: callee.IsVirtual || callee.IsAbstract || callee.IsOverride);
                default:
                    return false;
            }
        }

        /// <summary>
        /// True when the body of <paramref name="method"/> runs only to throw: <c>[DoesNotReturn]</c>, or a body that
        /// always throws. Such a method is never hot unless it is marked hot itself.
        /// </summary>
        public bool NeverReturns(IMethodSymbol method) => EndingOf(method) != Ending.Returns;

        /// <summary>A call that cannot return: to a <c>[DoesNotReturn]</c> method, or to a throw helper the call cannot dispatch away from.</summary>
        private bool CallNeverReturns(IMethodSymbol method, bool isVirtual)
        {
            var ending = EndingOf(method);
            return (ending & Ending.DoesNotReturnAttribute) != 0 || (!isVirtual && ending != Ending.Returns);
        }

        private Ending EndingOf(IMethodSymbol method)
        {
            var definition = (IMethodSymbol)method.OriginalDefinition;
            if (!_endings.TryGetValue(definition, out var ending))
            {
                ending = (HasDoesNotReturn(definition) ? Ending.DoesNotReturnAttribute : Ending.Returns) | (AlwaysThrows(definition) ? Ending.AlwaysThrows : Ending.Returns);
                _endings.TryAdd(definition, ending);
            }

            return ending;
        }

        /// <summary>By name, as the compiler does: libraries for older frameworks declare their own copy of the attribute.</summary>
        private static bool HasDoesNotReturn(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (KnownTypeNames.DoesNotReturnAttribute.Matches(attribute.AttributeClass))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A source body that cannot complete normally: <c>=&gt; throw ...</c>, or a block ending in <c>throw</c> with no
        /// <c>return</c> or <c>yield</c> of its own. Async methods and iterators return before their body throws. A body
        /// with a loop or a <c>goto</c> is not one: a worker loop ending in an unreachable throw runs hot forever.
        /// </summary>
        private static bool AlwaysThrows(IMethodSymbol method)
        {
            if (method.IsAsync || method.DeclaringSyntaxReferences.Length != 1)
            {
                return false;
            }

            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
            var (block, expression) = syntax switch
            {
                BaseMethodDeclarationSyntax declaration => (declaration.Body, declaration.ExpressionBody?.Expression),
                LocalFunctionStatementSyntax local => (local.Body, local.ExpressionBody?.Expression),
                AccessorDeclarationSyntax accessor => (accessor.Body, accessor.ExpressionBody?.Expression),
                _ => (null, null),
            };
            if (expression != null)
            {
                return expression is ThrowExpressionSyntax;
            }

            if (block == null || block.Statements.Count == 0 || block.Statements[block.Statements.Count - 1] is not ThrowStatementSyntax)
            {
                return false;
            }

            foreach (var node in block.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax || n is LocalFunctionStatementSyntax)))
            {
                if (node is ReturnStatementSyntax || node is YieldStatementSyntax || node is GotoStatementSyntax
                    || node is WhileStatementSyntax || node is DoStatementSyntax || node is ForStatementSyntax || node is CommonForEachStatementSyntax)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A call whose name starts with "Throw": the walk resolves it even when no source method has that name.</summary>
        public static bool MayNameThrowHelper(InvocationExpressionSyntax invocation) => NameOf(invocation.Expression).StartsWith("Throw", System.StringComparison.Ordinal);

        private static string NameOf(SyntaxNode expression) => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => string.Empty,
        };
    }
}
