using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Cost
{
    /// <summary>What a diagnostic claims the allocation costs at run time (the <c>Claim</c> property).</summary>
    internal enum AllocationClaim
    {
        /// <summary>Allocated on the heap every time the code runs.</summary>
        EveryExecution,

        /// <summary>The JIT of the target may allocate it on the stack instead (no GC cost), in optimized code.</summary>
        MayBeRemoved,

        /// <summary>Allocated on every execution of this unoptimized (Debug) build; optimized code may remove it.</summary>
        RemovedWhenOptimized,

        /// <summary>Allocated once, then the cached instance is reused.</summary>
        Cached,
    }

    /// <summary>What is allocated, as the JIT's object allocator sees it.</summary>
    internal enum JitAllocationKind
    {
        /// <summary>Not a candidate for stack allocation on any runtime.</summary>
        None,

        /// <summary><c>newobj</c> of a class.</summary>
        Object,

        /// <summary>A box of a value type.</summary>
        Box,

        /// <summary>A single-dimensional array.</summary>
        Array,

        /// <summary>A delegate (not the closure it captures).</summary>
        Delegate,

        /// <summary>The enumerator a <c>foreach</c> over an interface gets from <c>GetEnumerator</c>.</summary>
        Enumerator,
    }

    /// <summary>
    /// The JIT's stack allocation of objects that do not escape, as a conservative model: "may be removed" is claimed
    /// only where every condition the runtime checks holds, and where the JIT's choice depends on what it inlines,
    /// the claim stays "every execution". The runtime's conditions (src/coreclr/jit/objectalloc.cpp):
    /// <list type="bullet">
    /// <item>optimized code only (Debug builds and Tier-0 code allocate everything);</item>
    /// <item>.NET 9 (dotnet/runtime#103361): objects of classes and boxes of value types; .NET 10: also arrays with a
    /// constant length (#104906, #112250 for arrays of references) and delegates (#115172), whose closure object
    /// still allocates, and, after tier-up with dynamic PGO, the enumerator of a <c>foreach</c> over an interface
    /// (conditional escape analysis, #111473);</item>
    /// <item>not in a block that may be in a loop ("alloc in loop": the JIT cannot reuse the frame slot);</item>
    /// <item>no finalizer (the runtime refuses such classes);</item>
    /// <item>size: .NET 9 allows up to 8 KB; .NET 10 up to 528 bytes (JitObjectStackAllocationSize) not counting the
    /// 8-byte object header that the allocated-bytes count includes;</item>
    /// <item>the object does not escape: the JIT sees only its own method after inlining, so any call the value is
    /// passed to (or called on) that might not be inlined makes it escape.</item>
    /// </list>
    /// The tests measure every condition on both sides, on .NET 8, 9 and 10 (JitModelRuntimeTests).
    /// </summary>
    internal static class JitStackAllocation
    {
        /// <summary>.NET 10's limit on the object's size without its header (JitObjectStackAllocationSize, 0x210).</summary>
        public const int Net10SizeLimit = 528;

        /// <summary>.NET 9's limit (the fixed 0x2000 of its object allocator).</summary>
        public const int Net9SizeLimit = 8192;

        /// <summary>The object header that allocated-bytes counts include and the JIT's size check does not.</summary>
        private const int HeaderBytes = 8;

        /// <summary>The largest straight-line constructor body (statements) the model trusts the JIT to inline.</summary>
        private const int MaxInlinedConstructorStatements = 8;

        /// <summary>Which of the JIT's stack-allocation candidates a site reported as <paramref name="descriptor"/> is, if any.</summary>
        public static JitAllocationKind KindOf(DiagnosticDescriptor descriptor, IOperation allocation)
        {
            switch (allocation)
            {
                case IObjectCreationOperation _ when descriptor == Descriptors.ObjectAllocation:
                case IAnonymousObjectCreationOperation _ when descriptor == Descriptors.ObjectAllocation:
                    return JitAllocationKind.Object;
                case IArrayCreationOperation array when descriptor == Descriptors.ArrayAllocation && !(array.IsImplicit && array.Parent is IArgumentOperation):
                    // new T[n], new[] { ... }, and an initializer without new ({ 1, 2 }): not the compiler's params array.
                    return JitAllocationKind.Array;
                case IDelegateCreationOperation _ when descriptor == Descriptors.DelegateAllocation:
                    return JitAllocationKind.Delegate;
                case IConversionOperation _ when descriptor == Descriptors.BoxingConversion:
                    return JitAllocationKind.Box;
                case IForEachLoopOperation loop when descriptor == Descriptors.EnumeratorAllocation && loop.Collection.WithoutConversions().Type is { TypeKind: TypeKind.Interface }:
                    // Over an interface: the case .NET 10's conditional escape analysis handles (a concrete collection's
                    // class enumerator is left to the inliner, which the model does not predict).
                    return JitAllocationKind.Enumerator;
                case IInvocationOperation { TargetMethod.Name: "GetEnumerator", Instance: { } receiver } when descriptor == Descriptors.EnumeratorAllocation
                                                                                                      && receiver.WithoutConversions().Type is { TypeKind: TypeKind.Interface }:
                    // The same enumerator foreach would get, asked for by hand.
                    return JitAllocationKind.Enumerator;
                default:
                    return JitAllocationKind.None;
            }
        }

        /// <summary>
        /// True when <paramref name="target"/>'s JIT may stack-allocate <paramref name="allocation"/> in optimized code
        /// (whether this build is optimized is the caller's question), given that
        /// <paramref name="staysInFrame"/> says it does not escape as the JIT sees it; <paramref name="reason"/> says why.
        /// </summary>
        public static bool MayRemove(JitAllocationKind kind, IOperation allocation, int? bytes, TargetRuntime target, Escape.JitFrameQuestion staysInFrame, out string reason)
        {
            reason = string.Empty;
            int since = kind is JitAllocationKind.Array or JitAllocationKind.Delegate or JitAllocationKind.Enumerator ? 10 : 9;
            if (kind == JitAllocationKind.None || !target.IsDotNet(since))
            {
                return false;
            }

            if (kind == JitAllocationKind.Enumerator)
            {
                // .NET 10's conditional escape analysis (dotnet/runtime#111473): once dynamic PGO has seen the collection's
                // type, GetEnumerator is guarded, devirtualized and inlined, and the enumerator of that path is stack-allocated.
                // Measured: 40 bytes per loop over a List<int> as IEnumerable<int> with tiering off, 0 after tier-up.
                // An explicit GetEnumerator's enumerator may leave the method; foreach's never does.
                if (InLoop(allocation, out var loopBody) || (loopBody != null && HasLabelOrStateMachine(loopBody))
                    || (allocation is IInvocationOperation && !staysInFrame.StaysInFrame()))
                {
                    return false;
                }

                reason = "after tier-up, dynamic PGO may guess the collection's type and keep its enumerator on the stack; with tiering off, or a collection whose type varies, it allocates";
                return true;
            }

            if (bytes == null)
            {
                return false;
            }

            // The cheap conditions first; the loop test may read the body once, the escape test follows the value.
            int limit = target.Major >= 10 ? Net10SizeLimit : Net9SizeLimit;
            if (bytes.Value - HeaderBytes > limit
                || (kind == JitAllocationKind.Array && !HasConstantLength(allocation))
                || (kind == JitAllocationKind.Object && !(allocation.Type is INamedTypeSymbol type && !HasFinalizer(type) && ConstructorInlines(allocation)))
                || InLoop(allocation, out var body)
                || !staysInFrame.StaysInFrame()
                || (body != null && HasLabelOrStateMachine(body)))
            {
                return false;
            }

            reason = "does not escape, not in a loop, " + bytes.Value.ToString(CultureInfo.InvariantCulture) + " bytes";
            return true;
        }

        /// <summary>
        /// Inside a loop of its own method (or lambda); <paramref name="body"/> is that method's body, which
        /// <see cref="HasLabelOrStateMachine"/> reads (a label a backward <c>goto</c> may reach, an iterator or async
        /// method, whose body the compiler turns into a state machine's resumable method, count as loops too).
        /// </summary>
        private static bool InLoop(IOperation allocation, out IOperation? body)
        {
            body = null;
            for (var current = allocation.Parent; current != null; current = current.Parent)
            {
                switch (current)
                {
                    case ILoopOperation _:
                        return true;
                    case IAnonymousFunctionOperation _:
                    case ILocalFunctionOperation _:
                    case IMethodBodyOperation _:
                    case IConstructorBodyOperation _:
                        body = current;
                        return false;
                }

                if (current.Parent == null)
                {
                    body = current;
                }
            }

            return false;
        }

        /// <summary>Per function body: read once, however many allocations it has (syntax trees outlive no compilation that uses them).</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxNode, object> LabelOrStateMachine =
            new System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxNode, object>();

        private static readonly object Yes = new object();
        private static readonly object No = new object();

        private static bool HasLabelOrStateMachine(IOperation body)
            => LabelOrStateMachine.GetValue(body.Syntax, syntax => ReadsAsLoopOrStateMachine(syntax) ? Yes : No) == Yes;

        private static bool ReadsAsLoopOrStateMachine(SyntaxNode body)
        {
            foreach (var node in body.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case LabeledStatementSyntax _:
                    case YieldStatementSyntax _:
                    case AwaitExpressionSyntax _:
                        return true;
                }
            }

            return body is MethodDeclarationSyntax method && method.Modifiers.Any(SyntaxKind.AsyncKeyword)
                || body is AnonymousFunctionExpressionSyntax { AsyncKeyword.RawKind: (int)SyntaxKind.AsyncKeyword }
                || body is LocalFunctionStatementSyntax local && local.Modifiers.Any(SyntaxKind.AsyncKeyword);
        }

        private static bool HasFinalizer(INamedTypeSymbol type)
        {
            for (var current = type; current != null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(WellKnownMemberNames.DestructorName))
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Destructor })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// The constructor chain is one the JIT inlines, so it sees every use of <c>this</c>: compiler-made (implicit,
        /// anonymous types) or written in source as a short straight-line body that only assigns, all the way up to
        /// <c>object</c>. A constructor from a referenced assembly cannot be seen: the claim stays "every execution".
        /// </summary>
        private static bool ConstructorInlines(IOperation allocation)
        {
            if (allocation is IAnonymousObjectCreationOperation)
            {
                return true;
            }

            if (allocation is not IObjectCreationOperation { Constructor: { } constructor } creation || creation.Initializer?.Initializers.Length > 0 && !OnlyAssigns(creation.Initializer))
            {
                return false;
            }

            for (var current = constructor; current != null; current = BaseConstructor(current))
            {
                if (current.ContainingType.SpecialType == SpecialType.System_Object)
                {
                    return true;
                }

                if (!IsShortStraightLine(current))
                {
                    return false;
                }
            }

            return false;
        }

        private static bool OnlyAssigns(IObjectOrCollectionInitializerOperation initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is not ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false } })
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsShortStraightLine(IMethodSymbol constructor)
        {
            if (constructor.IsImplicitlyDeclared)
            {
                // Field initializers run inside it: they must be simple too.
                return FieldInitializersAreSimple(constructor.ContainingType);
            }

            if (constructor.DeclaringSyntaxReferences.Length != 1 || constructor.DeclaringSyntaxReferences[0].GetSyntax() is not ConstructorDeclarationSyntax declaration)
            {
                return false;
            }

            if (declaration.ExpressionBody != null)
            {
                return IsSimple(declaration.ExpressionBody.Expression) && FieldInitializersAreSimple(constructor.ContainingType);
            }

            if (declaration.Body == null || declaration.Body.Statements.Count > MaxInlinedConstructorStatements)
            {
                return false;
            }

            foreach (var statement in declaration.Body.Statements)
            {
                if (statement is not ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } || !IsSimple(assignment))
                {
                    return false;
                }
            }

            return FieldInitializersAreSimple(constructor.ContainingType);
        }

        private static bool FieldInitializersAreSimple(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false } field && field.DeclaringSyntaxReferences.Length == 1
                    && field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer: { } initializer }
                    && !IsSimple(initializer.Value))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>No call, allocation, lambda or throw inside: what the inlined body does is plain data movement.</summary>
        private static bool IsSimple(SyntaxNode node)
        {
            foreach (var descendant in node.DescendantNodesAndSelf())
            {
                switch (descendant)
                {
                    case InvocationExpressionSyntax _:
                    case BaseObjectCreationExpressionSyntax _:
                    case AnonymousFunctionExpressionSyntax _:
                    case ThrowExpressionSyntax _:
                    case ArrayCreationExpressionSyntax _:
                    case ImplicitArrayCreationExpressionSyntax _:
                    case InterpolatedStringExpressionSyntax _:
                    case ThisExpressionSyntax _ when descendant.Parent is not MemberAccessExpressionSyntax:
                        return false;
                }
            }

            return true;
        }

        private static IMethodSymbol? BaseConstructor(IMethodSymbol constructor)
        {
            var baseType = constructor.ContainingType.BaseType;
            if (baseType == null)
            {
                return null;
            }

            if (constructor.DeclaringSyntaxReferences.Length == 1 && constructor.DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax { Initializer: { } initializer })
            {
                // this(...) or base(...) with arguments: the model does not follow which constructor it picks.
                return initializer.ArgumentList.Arguments.Count == 0 && initializer.ThisOrBaseKeyword.IsKind(SyntaxKind.BaseKeyword) ? Parameterless(baseType) : null;
            }

            return Parameterless(baseType);
        }

        private static IMethodSymbol? Parameterless(INamedTypeSymbol type)
        {
            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.Parameters.IsEmpty)
                {
                    return constructor;
                }
            }

            return null;
        }

        private static bool HasConstantLength(IOperation allocation)
            => allocation is IArrayCreationOperation { DimensionSizes.Length: 1 } array && array.DimensionSizes[0].ConstantValue.HasValue;
    }
}
