using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// What a method of the compilation allocates on every call (ALLOC112 at calls to it from hot code, and the
    /// constructor part of ALLOC101's <c>new T()</c>): the allocations in the part of its body that runs on every path
    /// (the statements before the first one that may leave the method, outside conditions, loops, lambdas and
    /// <c>try</c>), with the calls there followed a few levels deep. A constructor adds the instance field and property
    /// initializers it runs, and its base constructor. Counted only what no JIT removes: strings and framework results,
    /// and objects and arrays that leave the method other than by being returned (a returned object may be stack-allocated
    /// once the method is inlined, and an object that stays in the frame may be on .NET 9 and later). Everything else
    /// found is "more on some paths". Computed once per method and compilation, like <see cref="MethodSummaries"/>.
    /// </summary>
    internal sealed class CalleeAllocations
    {
        private const int MaxDepth = 3;

        /// <summary>How deep an expression tree is walked (a concatenation of thousands of operands nests that deep).</summary>
        private const int MaxExpressionNesting = 200;

        private static readonly ConditionalWeakTable<Compilation, CalleeAllocations> Cache = new ConditionalWeakTable<Compilation, CalleeAllocations>();

        private readonly Compilation _compilation;
        private readonly LayoutEngine _engine;
        private readonly MethodSummaries _summaries;
        private readonly ColdCode _cold;
        private readonly TypeNames<string> _display;
        private readonly ConcurrentDictionary<IMethodSymbol, CallCost> _known = new ConcurrentDictionary<IMethodSymbol, CallCost>(SymbolEqualityComparer.Default);

        private CalleeAllocations(Compilation compilation)
        {
            _compilation = compilation;
            _engine = LayoutEngine.For(compilation);
            _summaries = MethodSummaries.For(compilation);
            _cold = ColdCode.For(compilation);
            _display = TypeDisplay.For(compilation);
        }

        public static CalleeAllocations For(Compilation compilation) => Cache.GetValue(compilation, c => new CalleeAllocations(c));

        /// <summary>What a call to <paramref name="method"/> allocates on every call (<see cref="CallCost.None"/> when nothing is known).</summary>
        public CallCost Of(IMethodSymbol method, CancellationToken cancellationToken) => Of(method, 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

        private CallCost Of(IMethodSymbol method, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
        {
            var definition = method.OriginalDefinition;
            if (_known.TryGetValue(definition, out var known))
            {
                return known;
            }

            if (depth > MaxDepth || !visiting.Add(definition) || !CanSummarise(definition))
            {
                return CallCost.None;
            }

            try
            {
                var cost = Compute(definition, depth, visiting, cancellationToken);
                _known.TryAdd(definition, cost);
                return cost;
            }
            finally
            {
                visiting.Remove(definition);
            }
        }

        private static bool CanSummarise(IMethodSymbol method)
        {
            if (method.IsAsync || method.IsExtern || method.IsAbstract || method.MethodKind is MethodKind.StaticConstructor or MethodKind.LocalFunction or MethodKind.AnonymousFunction
                || method.ContainingType == null || method.ContainingAssembly == null)
            {
                return false;
            }

            bool overridable = method.IsVirtual || (method.IsOverride && !method.IsSealed);
            if (overridable && method.ContainingType is not ({ IsSealed: true } or { TypeKind: TypeKind.Struct }))
            {
                return false;
            }

            // The implicit constructor has no syntax but runs the initializers; every other method needs one body.
            return method.DeclaringSyntaxReferences.Length == 1 || (method.MethodKind == MethodKind.Constructor && method.IsImplicitlyDeclared);
        }

        private CallCost Compute(IMethodSymbol method, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
        {
            var walk = new Tally(this, depth, visiting, cancellationToken);
            bool constructor = method.MethodKind == MethodKind.Constructor;
            if (method.DeclaringSyntaxReferences.Length == 1)
            {
                var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
                if (IteratorMethods.FirstYield(method, cancellationToken) != null)
                {
                    return CallCost.None;
                }

                var body = _summaries.Model(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
                switch (body)
                {
                    case IConstructorBodyOperation constructorBody:
                        bool chainsToThis = constructorBody.Initializer is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { } target } }
                                            && SymbolEqualityComparer.Default.Equals(target.ContainingType, method.ContainingType);
                        if (!chainsToThis)
                        {
                            Initializers(method.ContainingType, walk, cancellationToken);
                        }

                        if (constructorBody.Initializer != null)
                        {
                            walk.Statement(constructorBody.Initializer);
                        }

                        walk.Body(constructorBody.BlockBody ?? constructorBody.ExpressionBody);
                        break;
                    case IMethodBodyOperation methodBody:
                        walk.Body(methodBody.BlockBody ?? methodBody.ExpressionBody);
                        break;
                    default:
                        return CallCost.None;
                }
            }
            else if (constructor)
            {
                // The implicit constructor: the initializers, then the base's parameterless constructor.
                Initializers(method.ContainingType, walk, cancellationToken);
                foreach (var baseConstructor in method.ContainingType.BaseType?.InstanceConstructors ?? ImmutableArray<IMethodSymbol>.Empty)
                {
                    if (baseConstructor.Parameters.IsEmpty)
                    {
                        walk.Call(baseConstructor);
                    }
                }
            }

            return walk.Result();
        }

        /// <summary>The instance field and property initializers, which every constructor that does not chain to <c>this(...)</c> runs.</summary>
        private void Initializers(INamedTypeSymbol type, Tally walk, CancellationToken cancellationToken)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsStatic || member.DeclaringSyntaxReferences.Length != 1 || member is not (IFieldSymbol or IPropertySymbol))
                {
                    continue;
                }

                var syntax = member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
                EqualsValueClauseSyntax? initializer = syntax switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Initializer,
                    PropertyDeclarationSyntax property => property.Initializer,
                    _ => null,
                };
                if (initializer != null && _summaries.Model(syntax.SyntaxTree).GetOperation(initializer, cancellationToken) is { } operation)
                {
                    walk.Statement(operation);
                }
            }
        }

        /// <summary>Adds up one body's every-path allocations.</summary>
        private sealed class Tally
        {
            private readonly CalleeAllocations _owner;
            private readonly int _depth;
            private readonly HashSet<IMethodSymbol> _visiting;
            private readonly CancellationToken _cancellationToken;
            private readonly VariableReferences.Cache _references = new VariableReferences.Cache();
            private int _bytes;
            private int _count;
            private bool _unsized;
            private bool _somePaths;
            private string _first = string.Empty;
            private bool _stopped;

            public Tally(CalleeAllocations owner, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
            {
                _owner = owner;
                _depth = depth;
                _visiting = visiting;
                _cancellationToken = cancellationToken;
            }

            public CallCost Result() => _count == 0 ? (_somePaths ? CallCost.OnlySomePaths : CallCost.None) : new CallCost(_bytes, _count, _unsized, _first, _somePaths);

            public void Body(IBlockOperation? body)
            {
                if (body != null)
                {
                    Statements(body.Operations);
                }
            }

            public void Statement(IOperation statement) => Statements(new[] { statement });

            private void Statements(IEnumerable<IOperation> statements)
            {
                foreach (var statement in statements)
                {
                    if (_stopped)
                    {
                        return;
                    }

                    switch (statement)
                    {
                        case IBlockOperation block:
                            Statements(block.Operations);
                            break;
                        case IReturnOperation { Kind: OperationKind.Return } returned:
                            if (returned.ReturnedValue != null)
                            {
                                Expression(returned.ReturnedValue);
                            }

                            _stopped = true;
                            break;
                        case IExpressionStatementOperation { Operation: IThrowOperation }:
                        case IThrowOperation:
                        case IExpressionStatementOperation { Operation: IInvocationOperation call } when _owner._cold.NeverReturns(call):
                            // Cold code (a throw, or a throw helper's call): nothing from here on runs on a call that returns.
                            _stopped = true;
                            break;
                        case IExpressionStatementOperation:
                        case IVariableDeclarationGroupOperation:
                        case IFieldInitializerOperation:
                        case IPropertyInitializerOperation:
                            Expression(statement);
                            break;
                        case ILocalFunctionOperation:
                        case IEmptyOperation:
                            break;
                        default:
                            // A condition, loop, switch, try, using or jump: what it allocates runs on some paths only,
                            // and after one that may leave the method, nothing is on every path.
                            _somePaths = true;
                            if (MayLeave(statement))
                            {
                                _stopped = true;
                            }

                            break;
                    }
                }
            }

            private static bool MayLeave(IOperation statement)
            {
                foreach (var descendant in statement.DescendantsAndSelf())
                {
                    if (descendant is IReturnOperation or IThrowOperation || descendant is IBranchOperation { BranchKind: BranchKind.GoTo })
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>The allocations of an expression that run whenever it does (not a branch of ?:, ??, ?., &amp;&amp;, || or a lambda).</summary>
            private void Expression(IOperation operation, int nesting = 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (nesting > MaxExpressionNesting)
                {
                    // Generated or deeply nested code: count no further than the stack allows, and claim no more.
                    _somePaths = true;
                    return;
                }

                switch (operation)
                {
                    case IAnonymousFunctionOperation:
                    case ILocalFunctionOperation:
                    case IThrowOperation:
                        return;
                    case IConditionalOperation conditional:
                        Expression(conditional.Condition, nesting + 1);
                        _somePaths = true;
                        return;
                    case ICoalesceOperation coalesce:
                        Expression(coalesce.Value, nesting + 1);
                        _somePaths = true;
                        return;
                    case IConditionalAccessOperation access:
                        Expression(access.Operation, nesting + 1);
                        _somePaths = true;
                        return;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical:
                        Expression(logical.LeftOperand, nesting + 1);
                        _somePaths = true;
                        return;
                    case ISwitchExpressionOperation switchExpression:
                        Expression(switchExpression.Value, nesting + 1);
                        _somePaths = true;
                        return;
                }

                Count(operation);
                foreach (var child in operation.ChildOperations)
                {
                    Expression(child, nesting + 1);
                }
            }

            private void Count(IOperation operation)
            {
                switch (operation)
                {
                    case IObjectCreationOperation { Type: { IsReferenceType: true } type } creation when !_owner._cold.IsExceptionType(type):
                        Object(creation, "new " + _owner._display.Of(type), AllocationCost.ObjectBytes(_owner._engine, type));
                        if (creation.Constructor is { } constructor)
                        {
                            Call(constructor);
                        }

                        break;
                    case IArrayCreationOperation { Type: IArrayTypeSymbol array } creation:
                        int? bytes = array.Rank == 1 && creation.DimensionSizes.Length == 1 && creation.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int length }
                            ? AllocationCost.ArrayBytes(_owner._engine, array.ElementType, length) : null;
                        if (bytes != 0)
                        {
                            Object(creation, "new " + _owner._display.Of(array), bytes);
                        }

                        break;
                    case IBinaryOperation when operation.IsStringConcatenation() && !operation.ConstantValue.HasValue && !operation.ConsumingParent().IsStringConcatenation():
                    case IInterpolatedStringOperation when operation.Type?.SpecialType == SpecialType.System_String && !operation.ConstantValue.HasValue:
                        Add(operation, "a string", null);
                        break;
                    case IInvocationOperation invocation:
                        if (FrameworkAllocations.Find(invocation.TargetMethod) is { } entry)
                        {
                            if (entry.Unless == null)
                            {
                                Add(invocation, "'" + invocation.TargetMethod.Name + "'", null);
                            }
                            else
                            {
                                _somePaths = true;
                            }
                        }
                        else
                        {
                            Call(invocation.TargetMethod);
                        }

                        break;
                }
            }

            /// <summary>An object or array: counted when no JIT removes it (it leaves the method, other than by being returned).</summary>
            private void Object(IOperation creation, string what, int? bytes)
            {
                var escape = EscapeAnalysis.Analyze(creation, _references, _owner._summaries, out string detail);
                if (escape == EscapeKind.Local || (escape == EscapeKind.Returned && detail == EscapeAnalysis.ReturnedDirectly))
                {
                    _somePaths = true;
                    return;
                }

                Add(creation, what, bytes);
            }

            public void Call(IMethodSymbol callee)
            {
                if (callee.DeclaringSyntaxReferences.IsEmpty && !(callee.MethodKind == MethodKind.Constructor && callee.IsImplicitlyDeclared && callee.ContainingAssembly is { } assembly
                                                                   && SymbolEqualityComparer.Default.Equals(assembly, _owner._compilation.Assembly)))
                {
                    return;
                }

                var cost = _owner.Of(callee, _depth + 1, _visiting, _cancellationToken);
                _somePaths |= cost.MoreOnSomePaths;
                if (cost.Count == 0)
                {
                    return;
                }

                if (_count == 0)
                {
                    _first = "through '" + callee.ContainingType.Name + "." + Name(callee) + "': " + cost.FirstSite;
                }

                _count += cost.Count;
                _bytes += cost.Bytes;
                _unsized |= cost.Unsized;
            }

            private static string Name(IMethodSymbol method) => method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name;

            private void Add(IOperation site, string what, int? bytes)
            {
                if (_count == 0)
                {
                    var line = site.Syntax.GetLocation().GetLineSpan();
                    _first = what + (bytes == null ? string.Empty : " (" + AllocationCost.Bytes(bytes.Value) + ")")
                             + " at " + System.IO.Path.GetFileName(line.Path) + ":" + (line.StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                _count++;
                if (bytes == null)
                {
                    _unsized = true;
                }
                else
                {
                    _bytes += bytes.Value;
                }
            }
        }
    }

    /// <summary>What one call allocates on every execution: the known bytes, how many allocations, the first one and where.</summary>
    internal sealed class CallCost
    {
        public static readonly CallCost None = new CallCost(0, 0, false, string.Empty, false);

        public static readonly CallCost OnlySomePaths = new CallCost(0, 0, false, string.Empty, true);

        public CallCost(int bytes, int count, bool unsized, string firstSite, bool moreOnSomePaths)
        {
            Bytes = bytes;
            Count = count;
            Unsized = unsized;
            FirstSite = firstSite;
            MoreOnSomePaths = moreOnSomePaths;
        }

        /// <summary>The bytes of the allocations whose size is known.</summary>
        public int Bytes { get; }

        public int Count { get; }

        /// <summary>Some allocation's size depends on its data (a string): <see cref="Bytes"/> is a lower bound.</summary>
        public bool Unsized { get; }

        /// <summary>"new StringBuilder at Format.cs:12", or "through 'Helper.Format': ..." (once per call in the chain) for one made by a callee.</summary>
        public string FirstSite { get; }

        /// <summary>Allocations were found that run on some paths only, or that the JIT may remove: not counted.</summary>
        public bool MoreOnSomePaths { get; }

        /// <summary>What follows "allocates": "at least 32 bytes (new int[] (32 bytes) at Store.cs:12, and 1 more allocation)", or "2 objects (...)" when no size is known.</summary>
        public string Describe()
        {
            string amount = Bytes == 0 ? (Count == 1 ? "an object" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " objects")
                : (Unsized ? "at least " : string.Empty) + AllocationCost.Bytes(Bytes);
            string more = Count > 1 ? ", and " + (Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + (Count == 2 ? " more allocation" : " more allocations") : string.Empty;
            return amount + " (" + FirstSite + more + (MoreOnSomePaths ? "; more on some paths" : string.Empty) + ")";
        }
    }
}
