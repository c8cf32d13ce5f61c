using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// A method hot-path propagation reaches, named so that a later compilation can find it again: by its
    /// documentation ID, or (for a local function, which has none) by its place in its syntax tree, which holds as long
    /// as that tree is unchanged. <see cref="IsMarkedCold"/> was read from its declaration when the call was resolved.
    /// </summary>
    internal sealed class CallTarget
    {
        public CallTarget(string key, string name, ImmutableArray<SyntaxReference> declarations, bool isMarkedCold)
        {
            Key = key;
            Name = name;
            Declarations = declarations;
            IsMarkedCold = isMarkedCold;
        }

        public string Key { get; }

        /// <summary>The method's name (<see cref="ISymbol.Name"/>): a cheap first test before a documentation ID is computed.</summary>
        public string Name { get; }

        public ImmutableArray<SyntaxReference> Declarations { get; }

        public bool IsMarkedCold { get; }

        /// <summary>True when the key is a documentation ID, which names the member in any compilation.</summary>
        public bool HasDocumentationId => Key.Length > 2 && Key[1] == ':';

        public static string KeyOf(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.LocalFunction && method.GetDocumentationCommentId() is { Length: > 0 } id)
            {
                return id;
            }

            var reference = method.DeclaringSyntaxReferences.IsEmpty ? null : method.DeclaringSyntaxReferences[0];
            return reference == null
                ? "@" + method.Name
                : "@" + RuntimeHelpers.GetHashCode(reference.SyntaxTree).ToString(CultureInfo.InvariantCulture) + ":" + reference.Span.Start.ToString(CultureInfo.InvariantCulture) + ":" + method.Name;
        }

        /// <summary>True when every declaration is in a tree <paramref name="compilation"/> still has.</summary>
        public bool IsIn(Compilation compilation)
        {
            foreach (var declaration in Declarations)
            {
                if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
                {
                    return false;
                }
            }

            return !Declarations.IsEmpty;
        }
    }

    /// <summary>The calls one method's body makes that propagation follows, resolved in the compilation whose declarations <see cref="Fingerprint"/> hashes.</summary>
    internal sealed class CallerEdges
    {
        public static readonly CallerEdges None = new CallerEdges(0, string.Empty, ImmutableArray<SyntaxReference>.Empty, ImmutableArray<CallTarget>.Empty);

        public CallerEdges(long fingerprint, string callerName, ImmutableArray<SyntaxReference> bodies, ImmutableArray<CallTarget> callees)
        {
            Fingerprint = fingerprint;
            CallerName = callerName;
            Bodies = bodies;
            Callees = callees;
        }

        /// <summary>The caller's declarations that were walked (a partial method has two, perhaps in two files).</summary>
        public ImmutableArray<SyntaxReference> Bodies { get; }

        public long Fingerprint { get; }

        /// <summary><c>Type.Method</c>, as reasons show it.</summary>
        public string CallerName { get; }

        public ImmutableArray<CallTarget> Callees { get; }

        /// <summary>
        /// True when the edges hold in <paramref name="compilation"/>: the same declarations, and every callee still
        /// findable (in an unchanged tree, or by its documentation ID).
        /// </summary>
        public bool HoldsIn(Compilation compilation, long fingerprint)
        {
            if (fingerprint != Fingerprint)
            {
                return false;
            }

            foreach (var body in Bodies)
            {
                if (!compilation.ContainsSyntaxTree(body.SyntaxTree))
                {
                    return false;
                }
            }

            foreach (var callee in Callees)
            {
                if (!callee.HasDocumentationId && !callee.IsIn(compilation))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Each method body's resolved calls, kept with the syntax tree of the body: a new compilation that shares the
    /// tree (every file but the one being edited, in an IDE) and has the same declarations reuses them instead of
    /// binding the body again. Entries die with their tree.
    /// </summary>
    internal static class CallGraphCache
    {
        private static readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<int, CallerEdges>> ByTree =
            new ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<int, CallerEdges>>();

        public static bool TryGet(CallTarget caller, Compilation compilation, long fingerprint, out CallerEdges edges)
        {
            var first = caller.Declarations[0];
            if (ByTree.TryGetValue(first.SyntaxTree, out var entries) && entries.TryGetValue(first.Span.Start, out var known) && known.HoldsIn(compilation, fingerprint))
            {
                edges = known;
                return true;
            }

            edges = CallerEdges.None;
            return false;
        }

        private static readonly ConditionalWeakTable<SyntaxTree, Fingerprinted<ImmutableArray<CallTarget>>> RootsByTree = new ConditionalWeakTable<SyntaxTree, Fingerprinted<ImmutableArray<CallTarget>>>();

        /// <summary>The methods a file's hot markers stand for, resolved under the declarations <paramref name="fingerprint"/> hashes.</summary>
        public static bool TryGetRoots(SyntaxTree tree, long fingerprint, out ImmutableArray<CallTarget> roots)
        {
            if (RootsByTree.TryGetValue(tree, out var known) && known.Fingerprint == fingerprint)
            {
                roots = known.Value;
                return true;
            }

            roots = ImmutableArray<CallTarget>.Empty;
            return false;
        }

        public static void StoreRoots(SyntaxTree tree, long fingerprint, ImmutableArray<CallTarget> roots)
        {
            RootsByTree.Remove(tree);
            RootsByTree.GetValue(tree, _ => new Fingerprinted<ImmutableArray<CallTarget>>(fingerprint, roots));
        }

        private static readonly ConditionalWeakTable<CompilationOptions, PatternRoots> PatternRootsByOptions = new ConditionalWeakTable<CompilationOptions, PatternRoots>();

        /// <summary>
        /// The <c>hot_path_methods</c> roots found in an earlier compilation of the same project (kept by its options
        /// object, which an IDE keeps while only documents change) when its declarations and every file's pattern and
        /// depth settings are the same: then the same members match, with the same limits.
        /// </summary>
        public static bool TryGetPatternRoots(Compilation compilation, long fingerprint, string?[] settings, out ImmutableArray<PatternRoot> roots)
        {
            if (PatternRootsByOptions.TryGetValue(compilation.Options, out var known) && known.HoldsFor(fingerprint, settings))
            {
                roots = known.Roots;
                return true;
            }

            roots = ImmutableArray<PatternRoot>.Empty;
            return false;
        }

        public static void StorePatternRoots(Compilation compilation, PatternRoots roots)
        {
            PatternRootsByOptions.Remove(compilation.Options);
            PatternRootsByOptions.GetValue(compilation.Options, _ => roots);
        }

        public static void Store(CallTarget caller, CallerEdges edges)
        {
            var first = caller.Declarations[0];
            ByTree.GetValue(first.SyntaxTree, _ => new ConcurrentDictionary<int, CallerEdges>())[first.Span.Start] = edges;
        }
    }

    /// <summary>A member a <c>hot_path_methods</c> pattern matched: the method, its depth limit, and why (the pattern).</summary>
    internal readonly struct PatternRoot
    {
        public PatternRoot(CallTarget target, int limit, string reason)
        {
            Target = target;
            Limit = limit;
            Reason = reason;
        }

        public CallTarget Target { get; }

        public int Limit { get; }

        public string Reason { get; }
    }

    /// <summary>
    /// The pattern roots of one compilation, in the order they were found (the propagation's breadth-first order
    /// depends on it), with what they were found under: the declarations' fingerprint and each file's raw
    /// <c>hot_path_methods</c> and <c>hot_path_depth</c> values, in the compilation's file order.
    /// </summary>
    internal sealed class PatternRoots
    {
        private readonly string?[] _settings;

        public PatternRoots(long fingerprint, string?[] settings, ImmutableArray<PatternRoot> roots)
        {
            Fingerprint = fingerprint;
            _settings = settings;
            Roots = roots;
        }

        public long Fingerprint { get; }

        public ImmutableArray<PatternRoot> Roots { get; }

        public bool HoldsFor(long fingerprint, string?[] settings)
        {
            if (fingerprint != Fingerprint || settings.Length != _settings.Length)
            {
                return false;
            }

            for (int i = 0; i < settings.Length; i++)
            {
                if (!string.Equals(settings[i], _settings[i], System.StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A value computed under the declarations a <see cref="DeclarationFingerprint"/> hashes, valid while they hold.</summary>
    internal sealed class Fingerprinted<T>
    {
        public Fingerprinted(long fingerprint, T value)
        {
            Fingerprint = fingerprint;
            Value = value;
        }

        public long Fingerprint { get; }

        public T Value { get; }
    }
}
