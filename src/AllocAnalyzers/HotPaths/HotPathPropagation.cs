using System.Collections.Generic;
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
    /// lambdas and local functions, but not in <c>throw</c>, <c>catch</c> or cold local functions) breadth first, up to
    /// <c>alloc_analyzers.hot_path_depth</c> calls. Calls are followed to source members of the compilation; a virtual
    /// call is followed to the override of the receiver's static type and an interface call to the implementation
    /// of a receiver of class or struct type; a call through an interface-typed receiver or a delegate is not followed.
    /// </summary>
    internal sealed class HotPathPropagation
    {
        private readonly Compilation _compilation;
        private readonly AnalyzerConfigOptionsProvider _options;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<SyntaxTree, SemanticModel> _models = new Dictionary<SyntaxTree, SemanticModel>();
        private readonly Dictionary<ISymbol, string> _hot = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        private readonly Queue<(IMethodSymbol Method, int Depth, int Limit)> _queue = new Queue<(IMethodSymbol, int, int)>();
        private HashSet<string>? _declaredNames;

        public HotPathPropagation(Compilation compilation, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _options = options;
            _cancellationToken = cancellationToken;
        }

        public Dictionary<ISymbol, string> Build()
        {
            AddMarkedRoots();
            AddPatternRoots();
            while (_queue.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var (method, depth, limit) = _queue.Dequeue();
                if (depth < limit)
                {
                    WalkCallees(method, depth + 1, limit);
                }
            }

            return _hot;
        }

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
                var model = GetModel(tree);
                foreach (var declaration in declarations)
                {
                    var symbol = model.GetDeclaredSymbol(declaration, _cancellationToken);
                    if (symbol is INamedTypeSymbol type)
                    {
                        foreach (var member in type.GetMembers())
                        {
                            AddMember(member, limit, reason: null);
                        }
                    }
                    else if (symbol != null)
                    {
                        AddMember(symbol, limit, reason: null);
                    }
                }
            }
        }

        private void AddPatternRoots()
        {
            bool any = false;
            foreach (var tree in _compilation.SyntaxTrees)
            {
                any |= !AllocOptions.HotPathMethods.Read(_options.ForTree(tree)).IsEmpty;
            }

            if (!any)
            {
                return;
            }

            foreach (var symbol in _compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member, _cancellationToken))
            {
                if (symbol.DeclaringSyntaxReferences.IsEmpty)
                {
                    continue;
                }

                var options = _options.ForTree(symbol.DeclaringSyntaxReferences[0].SyntaxTree);
                var patterns = AllocOptions.HotPathMethods.Read(options);
                foreach (var pattern in patterns)
                {
                    if (Matches(pattern, symbol))
                    {
                        AddMember(symbol, AllocOptions.HotPathDepth.Read(options), "matches " + pattern.Text);
                        break;
                    }
                }
            }
        }

        private static bool Matches(MemberPattern pattern, ISymbol symbol)
        {
            switch (pattern.Kind)
            {
                case 'T':
                    return symbol.ContainingType?.GetDocumentationCommentId() is { } typeId && pattern.Matches(typeId);
                case 'P':
                    return symbol is IPropertySymbol && symbol.GetDocumentationCommentId() is { } propertyId && pattern.Matches(propertyId);
                default:
                    return symbol is IMethodSymbol && symbol.GetDocumentationCommentId() is { } methodId && pattern.Matches(methodId);
            }
        }

        /// <summary>Adds a root member (its accessors for a property); <paramref name="reason"/> null for marker roots.</summary>
        private void AddMember(ISymbol member, int limit, string? reason)
        {
            switch (member)
            {
                case IPropertySymbol property:
                    if (property.GetMethod != null)
                    {
                        AddMember(property.GetMethod, limit, reason);
                    }

                    if (property.SetMethod != null)
                    {
                        AddMember(property.SetMethod, limit, reason);
                    }

                    break;
                case IMethodSymbol method when method.MethodKind != MethodKind.StaticConstructor && !method.DeclaringSyntaxReferences.IsEmpty:
                    var key = (IMethodSymbol)method.OriginalDefinition;
                    if (!_hot.ContainsKey(key))
                    {
                        // Marker roots are answered from their markers first; the map only needs to know them.
                        _hot.Add(key, reason ?? "annotated as hot");

                        _queue.Enqueue((key, 0, limit));
                    }

                    break;
            }
        }

        private void WalkCallees(IMethodSymbol caller, int depth, int limit)
        {
            string callerName = (caller.ContainingType?.Name is { Length: > 0 } typeName ? typeName + "." : string.Empty) + caller.Name;
            foreach (var reference in caller.DeclaringSyntaxReferences)
            {
                var model = GetModel(reference.SyntaxTree);
                var root = reference.GetSyntax(_cancellationToken);
                HashSet<string>? localFunctions = null; // collected on first need: most bodies call no bare name
                foreach (var node in root.DescendantNodes(descendIntoChildren: n => !IsColdSyntax(n)))
                {
                    // The name test first: a set lookup that rules out most nodes before the member lookups of IsCallSite.
                    if (!MayNameSourceMember(node) || !IsCallSite(node, caller))
                    {
                        continue;
                    }

                    var callee = ResolveByDeclaration(node, caller, root, ref localFunctions) ?? Resolve(model, node);
                    if (callee == null || callee.DeclaringSyntaxReferences.IsEmpty || _hot.ContainsKey(callee)
                        || !SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, _compilation.Assembly)
                        || IsMarkedCold(callee))
                    {
                        continue;
                    }

                    _hot.Add(callee, "called from " + callerName + " (depth " + depth.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");
                    _queue.Enqueue((callee, depth, limit));
                }
            }
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
            }

            return _declaredNames;
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
        private IMethodSymbol? ResolveByDeclaration(SyntaxNode node, IMethodSymbol caller, SyntaxNode body, ref HashSet<string>? localFunctions)
        {
            switch (node)
            {
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name }:
                    // A local function of that name would shadow the member: leave those to binding.
                    localFunctions ??= new HashSet<string>(body.DescendantNodes().OfType<LocalFunctionStatementSyntax>().Select(f => f.Identifier.ValueText));
                    return localFunctions.Contains(name.Identifier.ValueText) ? null : OnlyMethod(caller.ContainingType, name.Identifier.ValueText);
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

        private static bool IsColdSyntax(SyntaxNode node)
            => node is ThrowStatementSyntax
               || node is ThrowExpressionSyntax
               || node is CatchClauseSyntax
               || (node is LocalFunctionStatementSyntax localFunction && HotPathMarkers.Read(localFunction.AttributeLists, out _) == HotMarker.Cold);

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
