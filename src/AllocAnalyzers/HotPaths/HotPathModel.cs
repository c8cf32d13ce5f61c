using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// Decides, for any method, constructor, accessor or operator (and so the lambdas and local functions inside it),
    /// whether it is on a hot path and why. In order:
    /// <list type="number">
    /// <item><c>[ColdPath]</c> / <c>[HotPath(false)]</c> on it or an enclosing declaration: cold;</item>
    /// <item><c>[HotPath]</c>, <c>[PerformanceSensitive]</c> or <c>[Benchmark]</c> on it, its property or its type: hot;</item>
    /// <item><c>alloc_analyzers.hot_path_scope = all</c>, or a hot assembly attribute: hot;</item>
    /// <item>a match of <c>alloc_analyzers.hot_path_methods</c>: hot;</item>
    /// <item>called (directly, or from a lambda or local function) by a hot member, at most
    /// <c>alloc_analyzers.hot_path_depth</c> calls away: hot.</item>
    /// </list>
    /// An instance field or property initializer runs inside every constructor that does not chain to <c>this(...)</c>,
    /// so it is hot when one of the type's instance constructors is (the implicit one as hot as the type's marker).
    /// Static constructors and static initializers are never hot. One model per compilation; the propagation
    /// (the only part that binds code) is built once, lazily, thread-safe, and walks only hot bodies.
    /// </summary>
    internal sealed class HotPathModel
    {
        private static readonly ConditionalWeakTable<Compilation, HotPathModel> Models = new ConditionalWeakTable<Compilation, HotPathModel>();

        private readonly Compilation _compilation;
        private readonly AnalyzerConfigOptionsProvider _options;
        private readonly object _gate = new object();
        private HotPathPropagation.HotMembers? _propagated;
        private string? _assemblyReason;

        private HotPathModel(Compilation compilation, AnalyzerConfigOptionsProvider options)
        {
            _compilation = compilation;
            _options = options;
            Cold = ColdCode.For(compilation);
        }

        /// <summary>Each body's hot code, once decided (see <see cref="CodeOf"/>); null for a body with none.</summary>
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ISymbol, HotCode?> _codeByBody =
            new System.Collections.Concurrent.ConcurrentDictionary<ISymbol, HotCode?>(SymbolEqualityComparer.Default);

        /// <summary>The compilation's cold code (one definition for the rules and the propagation).</summary>
        public ColdCode Cold { get; }

        public static HotPathModel For(Compilation compilation, AnalyzerOptions options)
            => Models.GetValue(compilation, c => new HotPathModel(c, options.AnalyzerConfigOptionsProvider));

        /// <summary>
        /// The hot code of the body owned by <paramref name="owningSymbol"/>: all of it when the member is hot, else the
        /// local functions marked hot inside it; null when none (decided once per body and compilation).
        /// </summary>
        public HotCode? CodeOf(ISymbol owningSymbol, CancellationToken cancellationToken)
        {
            if (_codeByBody.TryGetValue(owningSymbol, out var known))
            {
                return known;
            }

            var hotCode = DecideCode(owningSymbol, cancellationToken);
            _codeByBody.TryAdd(owningSymbol, hotCode);
            return hotCode;
        }

        private HotCode? DecideCode(ISymbol owningSymbol, CancellationToken cancellationToken)
        {
            if (IsHot(owningSymbol, cancellationToken, out var reason))
            {
                return new HotCode(reason, ImmutableArray<(TextSpan, string)>.Empty, Cold);
            }

            // Local functions marked hot inside a member that is not.
            var hotLocalFunctions = ImmutableArray<(TextSpan, string)>.Empty;
            foreach (var reference in owningSymbol.DeclaringSyntaxReferences)
            {
                foreach (var declaration in HotPathMarkers.HotDeclarations(reference.SyntaxTree, cancellationToken))
                {
                    if (declaration is LocalFunctionStatementSyntax localFunction && reference.Span.Contains(localFunction.Span))
                    {
                        HotPathMarkers.FindEnclosing(localFunction, out var localReason);
                        hotLocalFunctions = hotLocalFunctions.Add((localFunction.Span, "local function " + localFunction.Identifier.ValueText + " " + localReason));
                    }
                }
            }

            return hotLocalFunctions.IsEmpty ? null : new HotCode(string.Empty, hotLocalFunctions, Cold);
        }

        /// <summary>True when code owned by <paramref name="symbol"/> is hot; <paramref name="reason"/> says why.</summary>
        public bool IsHot(ISymbol symbol, CancellationToken cancellationToken, out string reason)
        {
            reason = string.Empty;
            if (symbol is IFieldSymbol { IsStatic: false, IsConst: false } or IPropertySymbol { IsStatic: false })
            {
                return IsInitializerHot(symbol, cancellationToken, out reason);
            }

            if (symbol is not IMethodSymbol method || method.MethodKind == MethodKind.StaticConstructor)
            {
                return false;
            }

            var references = method.DeclaringSyntaxReferences;
            if (references.IsEmpty)
            {
                return false;
            }

            foreach (var reference in references)
            {
                var marker = HotPathMarkers.FindEnclosing(reference.GetSyntax(cancellationToken), out var markerReason);
                if (marker == HotMarker.Cold)
                {
                    return false;
                }

                if (marker == HotMarker.Hot)
                {
                    reason = markerReason;
                    return true;
                }
            }

            // A throw helper runs only on the way to an exception, however it is reached: asked only of a method that
            // would otherwise be hot (its attributes are bound to answer it).
            if (!IsHotUnmarked(method, references[0].SyntaxTree, cancellationToken, out reason) || Cold.NeverReturns(method))
            {
                reason = string.Empty;
                return false;
            }

            return true;
        }

        /// <summary>Hot by the scope, an assembly marker or the propagation, for a method with no marker of its own.</summary>
        private bool IsHotUnmarked(IMethodSymbol method, SyntaxTree tree, CancellationToken cancellationToken, out string reason)
        {
            if (AllocOptions.HotPathScope.Read(_options.ForTree(tree)) == "all")
            {
                reason = AllocOptions.HotPathScope.Key + " = all";
                return true;
            }

            if (AssemblyReason.Length > 0)
            {
                reason = AssemblyReason;
                return true;
            }

            return GetPropagated(cancellationToken).TryGetReason((IMethodSymbol)method.OriginalDefinition, out reason);
        }

        /// <summary>An instance initializer: hot when a constructor it runs in is; the implicit constructor goes by the type.</summary>
        private bool IsInitializerHot(ISymbol member, CancellationToken cancellationToken, out string reason)
        {
            reason = string.Empty;
            foreach (var constructor in member.ContainingType.InstanceConstructors)
            {
                if (constructor.IsImplicitlyDeclared)
                {
                    if (member.DeclaringSyntaxReferences.Length == 0)
                    {
                        continue;
                    }

                    var syntax = member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
                    var marker = HotPathMarkers.FindEnclosing(syntax, out var markerReason);
                    if (marker == HotMarker.Hot)
                    {
                        reason = markerReason;
                        return true;
                    }

                    if (marker != HotMarker.Cold && AllocOptions.HotPathScope.Read(_options.ForTree(syntax.SyntaxTree)) == "all")
                    {
                        reason = AllocOptions.HotPathScope.Key + " = all";
                        return true;
                    }

                    continue;
                }

                if (IsHot(constructor, cancellationToken, out var constructorReason))
                {
                    reason = "an initializer run by a hot constructor (" + constructorReason + ")";
                    return true;
                }
            }

            return false;
        }

        private string AssemblyReason
        {
            get
            {
                if (_assemblyReason == null)
                {
                    _assemblyReason = HotPathMarkers.ForAssembly(_compilation.Assembly, out var reason) == HotMarker.Hot ? reason : string.Empty;
                }

                return _assemblyReason;
            }
        }

        private HotPathPropagation.HotMembers GetPropagated(CancellationToken cancellationToken)
        {
            var propagated = Volatile.Read(ref _propagated);
            if (propagated != null)
            {
                return propagated;
            }

            lock (_gate)
            {
                // A cancelled build stores nothing; the next caller builds again.
                return _propagated ??= new HotPathPropagation(_compilation, _options, Cold, cancellationToken).Build();
            }
        }
    }
}
