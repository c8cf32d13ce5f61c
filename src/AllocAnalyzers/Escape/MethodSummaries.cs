using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Escape
{
    /// <summary>What a method does with a value passed to one of its parameters (or as <c>this</c>).</summary>
    internal enum ParameterUse
    {
        /// <summary>Not proven: it may store, capture or keep it.</summary>
        Unknown,

        /// <summary>Only read: it neither stores, captures nor returns it.</summary>
        Local,

        /// <summary>Only read, but it may hand it back as its result (<c>return this;</c>, <c>return x;</c>).</summary>
        MayBeReturned,
    }

    /// <summary>
    /// Per-compilation summaries of the methods of the compilation, for <see cref="EscapeAnalysis"/>: for each parameter
    /// and for <c>this</c>, whether the method stores, captures or returns the value it receives, found by the same
    /// escape analysis over the method's own body (callees followed a few levels deep). Computed once per
    /// (method, parameter) and cached. Not summarised, and so <see cref="ParameterUse.Unknown"/>: methods without one
    /// body in source (metadata, partial, extern), virtual and abstract methods and overridable overrides (another body
    /// may run), iterators and async methods (their parameters live in a state machine), and recursion. One per
    /// compilation (<see cref="For"/>), shared by the hot-allocation and the pool-rental analyzers.
    /// </summary>
    internal sealed class MethodSummaries
    {
        private const int MaxNesting = 3;

        private static readonly ConditionalWeakTable<Compilation, MethodSummaries> Cache = new ConditionalWeakTable<Compilation, MethodSummaries>();

        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), ParameterUse> _known =
            new ConcurrentDictionary<(IMethodSymbol, int), ParameterUse>(new KeyComparer());
        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();

        private MethodSummaries(Compilation compilation)
        {
            _compilation = compilation;
        }

        public static MethodSummaries For(Compilation compilation) => Cache.GetValue(compilation, c => new MethodSummaries(c));

        /// <summary>What <paramref name="method"/> does with parameter <paramref name="ordinal"/> (-1: <c>this</c>).</summary>
        public ParameterUse Of(IMethodSymbol method, int ordinal, EscapeAnalysis.Walk caller)
        {
            var definition = method.OriginalDefinition;
            if (definition.PartialImplementationPart is { } implementation)
            {
                definition = implementation;
            }

            var key = (definition, ordinal);
            if (_known.TryGetValue(key, out var use))
            {
                return use;
            }

            if (!CanSummarise(definition, ordinal) || Nesting(caller, key) is not { } nesting)
            {
                return ParameterUse.Unknown;
            }

            use = Compute(definition, ordinal, caller, nesting);
            _known.TryAdd(key, use);
            return use;
        }

        /// <summary>An auto-property: its accessors only read or write a field of the object.</summary>
        public static bool IsAutoProperty(IPropertySymbol property)
        {
            if (property.DeclaringSyntaxReferences.Length != 1)
            {
                return false;
            }

            return property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
                   && accessors.Accessors.Count > 0 && AllWithoutBodies(accessors);
        }

        private static bool AllWithoutBodies(AccessorListSyntax accessors)
        {
            foreach (var accessor in accessors.Accessors)
            {
                if (accessor.Body != null || accessor.ExpressionBody != null)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool CanSummarise(IMethodSymbol method, int ordinal)
        {
            if (method.DeclaringSyntaxReferences.Length != 1 || method.IsExtern || method.IsAbstract || method.IsAsync
                || ordinal >= method.Parameters.Length || (ordinal < 0 && method.IsStatic))
            {
                return false;
            }

            bool overridable = method.IsVirtual || (method.IsOverride && !method.IsSealed);
            return !overridable || method.ContainingType is { IsSealed: true } or { TypeKind: TypeKind.Struct };
        }

        /// <summary>How many summaries are being computed around this one; null for recursion or too deep a chain.</summary>
        private static int? Nesting(EscapeAnalysis.Walk caller, (IMethodSymbol Method, int Ordinal) key)
        {
            int nesting = 0;
            for (var walk = caller; walk != null; walk = walk.Outer)
            {
                if (walk.Summarising is { } summarising && SymbolEqualityComparer.Default.Equals(summarising, key.Method))
                {
                    return null;
                }

                nesting++;
            }

            return nesting > MaxNesting ? null : nesting;
        }

        private ParameterUse Compute(IMethodSymbol method, int ordinal, EscapeAnalysis.Walk caller, int nesting)
        {
            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(CancellationToken.None);
            var body = _models.GetOrAdd(syntax.SyntaxTree, Model).GetOperation(syntax);
            if (body is not (IMethodBodyOperation or IConstructorBodyOperation or ILocalFunctionOperation or IBlockOperation))
            {
                return ParameterUse.Unknown;
            }

            var references = VariableReferences.Create(body);
            ISymbol variable = ordinal < 0 ? method.ContainingType : method.Parameters[ordinal];
            var walk = new EscapeAnalysis.Walk(references, this, caller, method);
            var kind = EscapeAnalysis.FollowVariable(variable, walk, nesting, out var detail);
            return kind switch
            {
                EscapeKind.Local => ParameterUse.Local,
                EscapeKind.Returned when detail == EscapeAnalysis.ReturnedDirectly => ParameterUse.MayBeReturned,
                _ => ParameterUse.Unknown,
            };
        }

        internal SemanticModel Model(SyntaxTree tree)
        {
#pragma warning disable RS1030 // Only the bodies of methods that hot allocations are passed to, once per compilation.
            return _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        }

        private sealed class KeyComparer : System.Collections.Generic.IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
        {
            public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y)
                => x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

            public int GetHashCode((IMethodSymbol Method, int Ordinal) key)
                => (SymbolEqualityComparer.Default.GetHashCode(key.Method) * 31) + key.Ordinal;
        }
    }
}
