using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// Builds the set of members that are hot because of a configured pattern or because a hot member calls them.
    /// Roots: members with a hot marker and members matching <c>alloc_analyzers.hot_path_methods</c>. From each root
    /// it walks the callees (invocations, constructor calls, property and indexer accessors, in the body and in its
    /// lambdas and local functions, but not in cold code: see <see cref="ColdCode"/>) breadth first, up to
    /// <c>alloc_analyzers.hot_path_depth</c> calls. Calls are followed to source members of the compilation; a virtual
    /// call is followed to the override of the receiver's static type and an interface call to the implementation
    /// of a receiver of class or struct type; a call through an interface-typed receiver or a delegate is not followed.
    /// </summary>
    internal sealed class HotPathPropagation
    {
        private readonly Compilation _compilation;
        private readonly AnalyzerConfigOptionsProvider _options;
        private readonly CancellationToken _cancellationToken;
        private readonly ColdCode _cold;
        private readonly Dictionary<SyntaxTree, SemanticModel> _models = new Dictionary<SyntaxTree, SemanticModel>();
        private readonly HotMembers _hot = new HotMembers();
        private readonly Queue<(CallTarget Target, IMethodSymbol? Method, int Depth, int Limit)> _queue = new Queue<(CallTarget, IMethodSymbol?, int, int)>();
        /// <summary>The callees this build's walks resolved, by key: the queue finds them here instead of by their documentation ID.</summary>
        private readonly Dictionary<string, IMethodSymbol> _resolved = new Dictionary<string, IMethodSymbol>(System.StringComparer.Ordinal);
        private long? _fingerprint;
        private HashSet<string>? _declaredNames;
        /// <summary>The declared names of the last compilation asked, reused by the next one with the same declarations.</summary>
        private static Fingerprinted<HashSet<string>>? s_declaredNames;

        public HotPathPropagation(Compilation compilation, AnalyzerConfigOptionsProvider options, ColdCode cold, CancellationToken cancellationToken)
        {
            _cold = cold;
            _compilation = compilation;
            _options = options;
            _cancellationToken = cancellationToken;
        }

        /// <summary>
        /// What the cached call graph and roots are checked against (<see cref="DeclarationFingerprint"/>), hashed on first
        /// need: a compilation with no hot marker and no pattern never needs it.
        /// </summary>
        private long Fingerprint => _fingerprint ??= DeclarationFingerprint.Of(_compilation, _cancellationToken);

        public HotMembers Build()
        {
            AddMarkedRoots();
            AddPatternRoots();
            while (_queue.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var (target, method, depth, limit) = _queue.Dequeue();
                if (depth >= limit)
                {
                    continue;
                }

                var edges = EdgesOf(target, method);
                foreach (var callee in edges.Callees)
                {
                    if (callee.IsMarkedCold || _hot.ContainsKey(callee.Key))
                    {
                        continue;
                    }

                    _hot.Add(callee, "called from " + edges.CallerName + " (depth " + (depth + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");
                    _queue.Enqueue((callee, null, depth + 1, limit));
                }
            }

            return _hot;
        }

        /// <summary>
        /// The calls <paramref name="target"/>'s body makes: reused from an earlier compilation with the same
        /// declarations when its body's tree is unchanged (<see cref="CallGraphCache"/>), otherwise bound here.
        /// </summary>
        private CallerEdges EdgesOf(CallTarget target, IMethodSymbol? method)
        {
            if (!target.IsIn(_compilation))
            {
                // Its file was edited: find it again by name, in this compilation.
                method ??= FindByKey(target);
                if (method == null)
                {
                    return CallerEdges.None;
                }

                target = new CallTarget(target.Key, target.Name, method.DeclaringSyntaxReferences, target.IsMarkedCold);
            }

            if (CallGraphCache.TryGet(target, _compilation, Fingerprint, out var cached))
            {
                return cached;
            }

            method ??= FindByKey(target) ?? FindByDeclaration(target);
            if (method == null)
            {
                return CallerEdges.None;
            }

            var edges = WalkCallees(method);
            CallGraphCache.Store(target, edges);
            return edges;
        }

        /// <summary>The method <paramref name="target"/> names in this compilation: the symbol this build's walk resolved, or the one its documentation ID names.</summary>
        private IMethodSymbol? FindByKey(CallTarget target)
        {
            if (_resolved.TryGetValue(target.Key, out var resolved))
            {
                return resolved;
            }

            if (!target.HasDocumentationId)
            {
                return null;
            }

            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(target.Key, _compilation))
            {
                if (symbol is IMethodSymbol method && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
                {
                    return method;
                }
            }

            return null;
        }

        private IMethodSymbol? FindByDeclaration(CallTarget target)
        {
            var declaration = target.Declarations[0];
            return GetModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration.GetSyntax(_cancellationToken), _cancellationToken) as IMethodSymbol;
        }

        /// <summary>
        /// Members with a hot marker, found from each file's markers (syntax, cached per tree); the methods they stand
        /// for are resolved once per tree and declarations, so an edit elsewhere binds nothing here.
        /// </summary>
        private void AddMarkedRoots()
        {
            foreach (var tree in _compilation.SyntaxTrees)
            {
                var declarations = HotPathMarkers.HotDeclarations(tree, _cancellationToken);
                if (declarations.IsEmpty)
                {
                    continue;
                }

                int limit = AllocOptions.HotPathDepth.Read(_options.ForTree(tree));
                if (CallGraphCache.TryGetRoots(tree, Fingerprint, out var roots))
                {
                    foreach (var root in roots)
                    {
                        AddRoot(root, null, limit, reason: null);
                    }
                }
                else
                {
                    var targets = new List<(CallTarget, IMethodSymbol?)>();
                    var model = GetModel(tree);
                    foreach (var declaration in declarations)
                    {
                        var symbol = model.GetDeclaredSymbol(declaration, _cancellationToken);
                        if (symbol is INamedTypeSymbol type)
                        {
                            foreach (var member in type.GetMembers())
                            {
                                CollectTargets(member, targets);
                            }
                        }
                        else if (symbol != null)
                        {
                            CollectTargets(symbol, targets);
                        }
                    }

                    CallGraphCache.StoreRoots(tree, Fingerprint, targets.Select(t => t.Item1).ToImmutableArray());

                    // Resolved just now: the queue walks these symbols instead of finding them again by documentation ID.
                    foreach (var (root, method) in targets)
                    {
                        AddRoot(root, method, limit, reason: null);
                    }
                }
            }
        }

        /// <summary>
        /// The members matching a configured pattern. Candidates come from the patterns' own names
        /// (<see cref="PatternCandidates"/>), so a project's other members are never enumerated nor their
        /// documentation IDs computed; each candidate is then tested against the patterns of its own file. The roots
        /// found are kept with the declarations and the per-file settings they were found under: the next compilation
        /// of an edit inside a body reuses them, where finding them again would build every member of each type a
        /// pattern names (<see cref="CallGraphCache.TryGetPatternRoots"/>).
        /// </summary>
        private void AddPatternRoots()
        {
            var trees = _compilation.SyntaxTrees;
            var settings = new string?[2 * trees.Count()];
            var patterns = new Dictionary<string, MemberPattern>(System.StringComparer.Ordinal);
            int index = 0;
            foreach (var tree in trees)
            {
                var options = _options.ForTree(tree);
                settings[index++] = options.TryGetValue(AllocOptions.HotPathMethods.Key, out var methods) ? methods : null;
                settings[index++] = options.TryGetValue(AllocOptions.HotPathDepth.Key, out var depth) ? depth : null;
                if (methods == null)
                {
                    continue;
                }

                foreach (var pattern in AllocOptions.HotPathMethods.Read(options))
                {
                    patterns[pattern.Text] = pattern;
                }
            }

            if (patterns.Count == 0)
            {
                return;
            }

            if (CallGraphCache.TryGetPatternRoots(_compilation, Fingerprint, settings, out var known))
            {
                foreach (var root in known)
                {
                    AddRoot(root.Target, null, root.Limit, root.Reason);
                }

                return;
            }

            var found = ImmutableArray.CreateBuilder<PatternRoot>();
            var targets = new List<(CallTarget, IMethodSymbol?)>();
            foreach (var candidatePattern in patterns.Values)
            {
                foreach (var symbol in PatternCandidates.For(candidatePattern, _compilation.Assembly.GlobalNamespace))
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    if (symbol.DeclaringSyntaxReferences.IsEmpty)
                    {
                        continue;
                    }

                    var options = _options.ForTree(symbol.DeclaringSyntaxReferences[0].SyntaxTree);
                    foreach (var pattern in AllocOptions.HotPathMethods.Read(options))
                    {
                        if (pattern.MatchesMember(symbol))
                        {
                            int limit = AllocOptions.HotPathDepth.Read(options);
                            string reason = "matches " + pattern.Text;
                            targets.Clear();
                            CollectTargets(symbol, targets);
                            foreach (var (target, method) in targets)
                            {
                                found.Add(new PatternRoot(target, limit, reason));
                                AddRoot(target, method, limit, reason);
                            }

                            break;
                        }
                    }
                }
            }

            CallGraphCache.StorePatternRoots(_compilation, new PatternRoots(Fingerprint, settings, found.ToImmutable()));
        }

        /// <summary>The methods a root member stands for: itself, or a property's accessors; never a static constructor.</summary>
        private static void CollectTargets(ISymbol member, List<(CallTarget, IMethodSymbol?)> targets)
        {
            switch (member)
            {
                case IPropertySymbol property:
                    if (property.GetMethod != null)
                    {
                        CollectTargets(property.GetMethod, targets);
                    }

                    if (property.SetMethod != null)
                    {
                        CollectTargets(property.SetMethod, targets);
                    }

                    break;
                case IMethodSymbol method when method.MethodKind != MethodKind.StaticConstructor && !method.DeclaringSyntaxReferences.IsEmpty:
                    var definition = (IMethodSymbol)method.OriginalDefinition;
                    targets.Add((new CallTarget(CallTarget.KeyOf(definition), definition.Name, definition.DeclaringSyntaxReferences, isMarkedCold: false), definition));
                    break;
            }
        }

        private void AddRoot(CallTarget target, IMethodSymbol? method, int limit, string? reason)
        {
            if (!_hot.ContainsKey(target.Key))
            {
                // Marker roots are answered from their markers first; the map only needs to know them.
                _hot.Add(target, reason ?? "annotated as hot");
                _queue.Enqueue((target, method, 0, limit));
            }
        }

        /// <summary>Binds <paramref name="caller"/>'s call sites (outside cold code) to the source methods they call.</summary>
        private CallerEdges WalkCallees(IMethodSymbol caller)
        {
            string callerName = (caller.ContainingType?.Name is { Length: > 0 } typeName ? typeName + "." : string.Empty) + caller.Name;
            var callees = ImmutableArray.CreateBuilder<CallTarget>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var reference in caller.DeclaringSyntaxReferences)
            {
                var model = GetModel(reference.SyntaxTree);
                var root = reference.GetSyntax(_cancellationToken);
                Dictionary<SyntaxNode, bool>? declaresLocalFunctions = null; // by enclosing block, on first need: most bodies call no bare name
                SyntaxNode? resolvedNode = null;
                IMethodSymbol? resolved = null;

                // The walk asks whether to enter a node just before it yields it: the callee resolved for the question
                // is the one the loop below needs.
                IMethodSymbol? CalleeOf(SyntaxNode node)
                {
                    if (!ReferenceEquals(node, resolvedNode))
                    {
                        resolvedNode = node;
                        resolved = ResolveByDeclaration(node, caller, ref declaresLocalFunctions) ?? Resolve(model, node);
                    }

                    return resolved;
                }

                // The name test first: a set lookup that rules out most nodes before the member lookups of IsCallSite.
                SyntaxNode? askedNode = null;
                bool askedIsCallSite = false;
                bool IsFollowedCallSite(SyntaxNode node, out bool named)
                {
                    named = MayNameSourceMember(node);
                    askedNode = node;
                    askedIsCallSite = named && IsCallSite(node, caller);
                    return askedIsCallSite;
                }

                // Cold code (ColdCode) is not entered: a throw, a catch, an exception's construction, a call that never returns.
                bool Enter(SyntaxNode node)
                {
                    bool callSite = IsFollowedCallSite(node, out bool named);
                    var callee = node is InvocationExpressionSyntax invocation && (callSite || ColdCode.MayNameThrowHelper(invocation)) ? CalleeOf(node) : null;
                    return !_cold.SkipsSyntax(node, model, callee, named, _cancellationToken);
                }

                foreach (var node in root.DescendantNodes(descendIntoChildren: Enter))
                {
                    // Answered when the walk asked whether to enter the node, just before yielding it.
                    if (!(ReferenceEquals(node, askedNode) ? askedIsCallSite : IsFollowedCallSite(node, out _)))
                    {
                        continue;
                    }

                    var callee = CalleeOf(node);
                    if (callee == null || callee.DeclaringSyntaxReferences.IsEmpty || _cold.NeverReturns(callee)
                        || !SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, _compilation.Assembly))
                    {
                        continue;
                    }

                    string key = CallTarget.KeyOf(callee);
                    if (seen.Add(key))
                    {
                        _resolved[key] = callee;
                        callees.Add(new CallTarget(key, callee.Name, callee.DeclaringSyntaxReferences, IsMarkedCold(callee)));
                    }
                }
            }

            return new CallerEdges(Fingerprint, callerName, caller.DeclaringSyntaxReferences, callees.ToImmutable());
        }

        /// <summary>
        /// Only names this compilation declares can resolve to a member propagation follows, so calls to anything else
        /// (the BCL, other assemblies) are skipped before any binding: a lookup in the set of declared names.
        /// </summary>
        private bool MayNameSourceMember(SyntaxNode node)
        {
            string? name = node switch
            {
                InvocationExpressionSyntax invocation => SimpleName(invocation.Expression),
                ObjectCreationExpressionSyntax creation => SimpleName(creation.Type),
                ElementAccessExpressionSyntax _ => "this[]",
                _ => SimpleName(node),
            };
            return name == null || DeclaredNames().Contains(name);
        }

        /// <summary>
        /// Every type and member name the compilation's own source declares (from the declarations: no binding).
        /// Built once; a set lookup is far cheaper than asking the compilation for each call site.
        /// </summary>
        private HashSet<string> DeclaredNames()
        {
            if (_declaredNames == null && Volatile.Read(ref s_declaredNames) is { } snapshot && snapshot.Fingerprint == Fingerprint)
            {
                _declaredNames = snapshot.Value;
            }

            if (_declaredNames == null)
            {
                var names = new HashSet<string>(System.StringComparer.Ordinal);
                var namespaces = new Stack<INamespaceSymbol>();
                namespaces.Push(_compilation.Assembly.GlobalNamespace);
                var types = new Stack<INamedTypeSymbol>();
                while (namespaces.Count > 0)
                {
                    var current = namespaces.Pop();
                    foreach (var member in current.GetMembers())
                    {
                        if (member is INamespaceSymbol nested)
                        {
                            namespaces.Push(nested);
                        }
                        else if (member is INamedTypeSymbol type)
                        {
                            types.Push(type);
                        }
                    }
                }

                while (types.Count > 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var type = types.Pop();
                    names.Add(type.Name);
                    names.UnionWith(type.MemberNames);
                    foreach (var nested in type.GetTypeMembers())
                    {
                        types.Push(nested);
                    }
                }

                _declaredNames = names;
                Volatile.Write(ref s_declaredNames, new Fingerprinted<HashSet<string>>(Fingerprint, names));
            }

            return _declaredNames;
        }

        /// <summary>Hot members by <see cref="CallTarget.KeyOf"/>, each with its reason.</summary>
        internal sealed class HotMembers
        {
            private readonly Dictionary<string, string> _reasons = new Dictionary<string, string>(System.StringComparer.Ordinal);
            private readonly HashSet<string> _names = new HashSet<string>(System.StringComparer.Ordinal);

            public bool ContainsKey(string key) => _reasons.ContainsKey(key);

            public void Add(CallTarget target, string reason)
            {
                _reasons.Add(target.Key, reason);
                _names.Add(target.Name);
            }

            /// <summary>The reason <paramref name="method"/> is hot, or false; most methods are answered by their name alone.</summary>
            public bool TryGetReason(IMethodSymbol method, out string reason)
            {
                reason = string.Empty;
                return _names.Contains(method.Name) && _reasons.TryGetValue(CallTarget.KeyOf(method), out reason!);
            }
        }

        private static string? SimpleName(SyntaxNode node)
        {
            switch (node)
            {
                case MemberAccessExpressionSyntax access:
                    return access.Name.Identifier.ValueText;
                case MemberBindingExpressionSyntax binding:
                    return binding.Name.Identifier.ValueText;
                case SimpleNameSyntax simple:
                    return simple.Identifier.ValueText;
                case QualifiedNameSyntax qualified:
                    return qualified.Right.Identifier.ValueText;
                case AliasQualifiedNameSyntax alias:
                    return alias.Name.Identifier.ValueText;
                default:
                    return null;
            }
        }

        /// <summary>
        /// Nodes that may call a member: invocations, constructions, indexers, member accesses that are not invoked
        /// (properties), and bare names of properties of the caller's own type. Only these are bound.
        /// </summary>
        private static bool IsCallSite(SyntaxNode node, IMethodSymbol caller)
        {
            switch (node)
            {
                case InvocationExpressionSyntax _:
                case BaseObjectCreationExpressionSyntax _:
                case ElementAccessExpressionSyntax _:
                    return true;
                case MemberAccessExpressionSyntax access:
                    return !(access.Parent is InvocationExpressionSyntax);
                case IdentifierNameSyntax identifier:
                    return !(identifier.Parent is InvocationExpressionSyntax) && !(identifier.Parent is MemberAccessExpressionSyntax)
                           && caller.ContainingType != null && IsProperty(caller.ContainingType, identifier.Identifier.ValueText);
                default:
                    return false;
            }
        }

        private static bool IsProperty(INamedTypeSymbol type, string name)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IPropertySymbol)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Resolves, without binding, the calls whose target the declarations alone determine: an unqualified or
        /// <c>this.</c>/<c>base.</c> call to the only method of that name in the caller's type and its bases, and
        /// <c>new T(...)</c> of the only source type of that name with a single constructor. Null means "bind to know".
        /// </summary>
        private IMethodSymbol? ResolveByDeclaration(SyntaxNode node, IMethodSymbol caller, ref Dictionary<SyntaxNode, bool>? declaresLocalFunctions)
        {
            switch (node)
            {
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } invocation:
                    // A local function in scope at the call would shadow the member: leave those to binding.
                    return LocalFunctionScopes.MayShadow(invocation, name.Identifier.ValueText, ref declaresLocalFunctions) ? null : OnlyMethod(caller.ContainingType, name.Identifier.ValueText);
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } access }:
                    return OnlyMethod(caller.ContainingType, access.Name.Identifier.ValueText);
                case ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax typeName }:
                    INamedTypeSymbol? only = null;
                    foreach (var symbol in _compilation.GetSymbolsWithName(typeName.Identifier.ValueText, SymbolFilter.Type, _cancellationToken))
                    {
                        if (only != null || symbol is not INamedTypeSymbol { IsGenericType: false } type)
                        {
                            return null;
                        }

                        only = type;
                    }

                    return only is { InstanceConstructors.Length: 1 } && !only.InstanceConstructors[0].DeclaringSyntaxReferences.IsEmpty ? only.InstanceConstructors[0] : null;
                default:
                    return null;
            }
        }

        private static IMethodSymbol? OnlyMethod(INamedTypeSymbol? type, string name)
        {
            IMethodSymbol? only = null;
            for (var current = type; current != null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsGenericMethod: false } method || (only != null && !IsOverrideOf(only, method)))
                    {
                        return null;
                    }

                    only ??= method;
                }
            }

            return only != null && !only.DeclaringSyntaxReferences.IsEmpty && !only.IsAbstract ? (IMethodSymbol)only.OriginalDefinition : null;
        }

        private static bool IsOverrideOf(IMethodSymbol derived, IMethodSymbol candidate)
        {
            for (var overridden = derived.OverriddenMethod; overridden != null; overridden = overridden.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, candidate.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }


        private IMethodSymbol? Resolve(SemanticModel model, SyntaxNode node)
        {
            var symbol = model.GetSymbolInfo(node, _cancellationToken).Symbol;
            IMethodSymbol? method;
            switch (symbol)
            {
                case IMethodSymbol m:
                    method = m.ReducedFrom ?? m;
                    break;
                case IPropertySymbol property:
                    method = IsWrittenTo(node) ? property.SetMethod : property.GetMethod;
                    break;
                default:
                    return null;
            }

            if (method == null)
            {
                return null;
            }

            var receiverType = ReceiverType(model, node);
            if (receiverType != null && receiverType.TypeKind != TypeKind.Interface && receiverType.TypeKind != TypeKind.TypeParameter)
            {
                if (method.ContainingType?.TypeKind == TypeKind.Interface)
                {
                    method = receiverType.FindImplementationForInterfaceMember(method) as IMethodSymbol ?? method;
                }
                else if (method.IsVirtual || method.IsAbstract || method.IsOverride)
                {
                    method = FindOverride(receiverType, method) ?? method;
                }
            }

            return method.IsAbstract || method.ContainingType?.TypeKind == TypeKind.Interface && method.IsAbstract
                ? null
                : (IMethodSymbol)method.OriginalDefinition;
        }

        private ITypeSymbol? ReceiverType(SemanticModel model, SyntaxNode node)
        {
            var target = node is InvocationExpressionSyntax invocation ? invocation.Expression : node;
            if (target is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax })
            {
                return null;
            }

            return target is MemberAccessExpressionSyntax access ? model.GetTypeInfo(access.Expression, _cancellationToken).Type : null;
        }

        private static IMethodSymbol? FindOverride(ITypeSymbol receiverType, IMethodSymbol method)
        {
            for (var type = receiverType; type != null; type = type.BaseType)
            {
                foreach (var member in type.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol candidate)
                    {
                        for (var overridden = candidate; overridden != null; overridden = overridden.OverriddenMethod)
                        {
                            if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method.OriginalDefinition))
                            {
                                return candidate;
                            }
                        }
                    }
                }
            }

            return null;
        }

        private static bool IsWrittenTo(SyntaxNode node)
        {
            var expression = node.Parent is MemberAccessExpressionSyntax access && access.Name == node ? access : node;
            return expression.Parent is AssignmentExpressionSyntax assignment && assignment.Left == expression;
        }


        private bool IsMarkedCold(IMethodSymbol method)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (HotPathMarkers.FindEnclosing(reference.GetSyntax(_cancellationToken), out _) == HotMarker.Cold)
                {
                    return true;
                }
            }

            return false;
        }

        private SemanticModel GetModel(SyntaxTree tree)
        {
            if (!_models.TryGetValue(tree, out var model))
            {
#pragma warning disable RS1030 // Binding is limited to hot bodies, once per compilation (see class remarks).
                model = _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                _models.Add(tree, model);
            }

            return model;
        }
    }
}
