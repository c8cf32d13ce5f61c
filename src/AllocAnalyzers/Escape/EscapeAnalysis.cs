using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Escape
{
    /// <summary>Where an allocation goes once made (the Go <c>-m -m</c> analogue), as the <c>Escape</c> diagnostic property.</summary>
    internal enum EscapeKind
    {
        /// <summary>Proven to be used only inside the method: the pooling fixes may rewrite it.</summary>
        Local,

        /// <summary>Returned (or yielded) to the caller, alone or inside a tuple.</summary>
        Returned,

        /// <summary>Stored to a field, property, static, array element, collection or event.</summary>
        Stored,

        /// <summary>Captured by a lambda, a local function or a delegate.</summary>
        Captured,

        /// <summary>Passed to a method that may keep it.</summary>
        Argument,

        /// <summary>Used in a way the analysis cannot follow: treated as escaping.</summary>
        Unknown,
    }

    /// <summary>
    /// Sound intra-procedural escape analysis on the operation tree: an allocation escapes unless every use of it is
    /// proven local. Proven local: reads and writes of its fields and elements, comparisons and type tests, locks, and
    /// passing it to a parameter that the callee is proven not to store, capture or return (<see cref="MethodSummaries"/>
    /// for methods of the compilation, <see cref="ReadOnlyFrameworkCalls"/> for the framework). A value stored to a local
    /// or a by-value parameter is followed through every later use (aliases included); a callee that hands the value
    /// back (<c>return this;</c>) makes its result an alias. Every other use escapes, and the detail says how.
    /// </summary>
    internal static class EscapeAnalysis
    {
        /// <summary>How far aliases and call results are followed before the analysis gives up (and says "escapes").</summary>
        internal const int MaxDepth = 4;

        /// <summary>The detail of a value returned as it is (not in a tuple, not yielded): a callee's summary may make its call an alias.</summary>
        internal const string ReturnedDirectly = "returned to the caller";

        /// <summary>Where <paramref name="allocation"/> goes; <paramref name="references"/> indexes the block's variables.</summary>
        public static EscapeKind Analyze(IOperation allocation, VariableReferences.Cache references, MethodSummaries summaries, out string detail)
        {
            return Follow(allocation, new Walk(references, allocation.Root(), summaries), 0, out detail);
        }

        /// <summary>
        /// The stricter question the JIT's own escape analysis asks (see <see cref="Cost.JitStackAllocation"/>): is
        /// <paramref name="allocation"/> used only in ways the JIT sees in this method's own code (its fields, auto
        /// properties, type tests, comparisons, aliases; delegate invocation where <paramref name="delegateInvokeIsLocal"/>)?
        /// A call the value is passed to, or called on, counts as escaping: whether the JIT inlines it is not known here.
        /// </summary>
        public static bool StaysInJitFrame(IOperation allocation, VariableReferences.Cache references, MethodSummaries summaries, bool delegateInvokeIsLocal)
        {
            var walk = new Walk(references, allocation.Root(), summaries) { JitFrame = delegateInvokeIsLocal ? JitFrameMode.DelegateInvokeLocal : JitFrameMode.NoCalls };
            return Follow(allocation, walk, 0, out _) == EscapeKind.Local;
        }

        public static string Describe(EscapeKind kind, string detail)
            => kind == EscapeKind.Local ? "it does not escape the method" : "it escapes: " + detail;

        /// <summary>Where the value of <paramref name="value"/> goes, following locals it is stored to.</summary>
        internal static EscapeKind Follow(IOperation value, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            if (depth > MaxDepth)
            {
                detail = "followed further than the analysis goes";
                return EscapeKind.Unknown;
            }

            if (value is ICompoundAssignmentOperation compound)
            {
                // s += x stores the string it builds to s; used as a value, it also goes wherever that value goes.
                var stored = StoreTo(compound.Target, walk, depth, out detail);
                if (stored != EscapeKind.Local || compound.Parent is IExpressionStatementOperation || compound.Parent == null)
                {
                    return stored;
                }
            }

            bool inTuple = false;
            var current = value;
            while (true)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case null:
                        detail = "used in a way the analysis cannot follow";
                        return EscapeKind.Unknown;
                    case IConversionOperation conversion:
                        if (conversion.OperatorMethod != null)
                        {
                            detail = "converted by the user-defined operator '" + conversion.OperatorMethod.Name + "'";
                            return EscapeKind.Argument;
                        }

                        if (KnownTypeNames.IsSpan(conversion.Type))
                        {
                            return FollowView(conversion, walk, depth, out detail);
                        }

                        break;
                    case IParenthesizedOperation _:
                    case ICoalesceOperation _:
                        break;
                    case ITupleOperation _:
                        inTuple = true;
                        break;
                    case IConditionalOperation conditional:
                        if (conditional.Condition == current)
                        {
                            return EscapeKind.Local;
                        }

                        break;
                    case ISwitchExpressionArmOperation arm:
                        if (arm.Value != current)
                        {
                            return EscapeKind.Local;
                        }

                        break;
                    case ISwitchExpressionOperation switchExpression:
                        if (switchExpression.Value == current)
                        {
                            return Matched(switchExpression, out detail);
                        }

                        break;
                    case IReturnOperation returned:
                        detail = returned.Kind == OperationKind.YieldReturn ? "yielded to the caller" : inTuple ? "returned inside a tuple" : ReturnedDirectly;
                        return EscapeKind.Returned;
                    default:
                        if (inTuple)
                        {
                            detail = parent is IExpressionStatementOperation ? string.Empty : "held in a tuple the analysis cannot follow";
                            return detail.Length == 0 ? EscapeKind.Local : EscapeKind.Unknown;
                        }

                        return Consume(current, parent, walk, depth, out detail);
                }

                current = parent;
            }
        }

        /// <summary>What <paramref name="parent"/> does with <paramref name="value"/>, a value that is not handed on as is.</summary>
        private static EscapeKind Consume(IOperation value, IOperation parent, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            switch (parent)
            {
                case ILockOperation _ when walk.JitFrame != JitFrameMode.Off:
                case IInterpolationOperation _ when walk.JitFrame != JitFrameMode.Off:
                case IForEachLoopOperation _ when walk.JitFrame != JitFrameMode.Off:
                    // Monitor.Enter, ToString or a formatting handler, GetEnumerator: calls, to the JIT.
                    detail = "passed to a call the JIT may not inline";
                    return EscapeKind.Argument;
                case IExpressionStatementOperation _:
                case IFieldReferenceOperation _:
                case IArrayElementReferenceOperation _:
                case ILockOperation _:
                case IIsTypeOperation _:
                case INameOfOperation _:
                case IInterpolationOperation _:
                    return EscapeKind.Local;
                case IIsPatternOperation pattern:
                    return DeclaresNothing(pattern.Pattern) ? EscapeKind.Local : Unfollowed("matched by a pattern that names it", out detail);
                case ISwitchOperation switchStatement:
                    return Matched(switchStatement, out detail);
                case IBinaryOperation binary:
                    return binary.OperatorMethod == null ? EscapeKind.Local
                        : Call(binary.OperatorMethod, binary.LeftOperand == value ? 0 : 1, binary, walk, depth, out detail);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return FollowVariable(declarator.Symbol, walk, depth, out detail);
                case ISimpleAssignmentOperation assignment when assignment.Value == value:
                    return StoreTo(assignment.Target, walk, depth, out detail);
                case ICompoundAssignmentOperation compound when compound.Value == value:
                    // s += x copies x into a new string; d += handler keeps the handler in the combined delegate.
                    return compound.Type?.SpecialType == SpecialType.System_String ? EscapeKind.Local : StoreTo(compound.Target, walk, depth, out detail);
                case ICoalesceAssignmentOperation coalesce when coalesce.Value == value:
                    return StoreTo(coalesce.Target, walk, depth, out detail);
                case IEventAssignmentOperation _:
                    detail = "stored by the event subscription";
                    return EscapeKind.Stored;
                case IArgumentOperation argument:
                    return Argument(argument, walk, depth, out detail);
                case IInvocationOperation enumeration when enumeration.Instance == value && walk.JitFrame == JitFrameMode.Off && IsForEachEnumeration(enumeration):
                    // The control-flow graph's form of a foreach: collection.GetEnumerator() at the loop's collection.
                    return Enumerated(value, out detail);
                case IInvocationOperation invocation when invocation.Instance == value:
                    return Call(invocation.TargetMethod, -1, invocation, walk, depth, out detail);
                case IPropertyReferenceOperation property when property.Instance == value:
                    return PropertyReceiver(property, walk, depth, out detail);
                case IArrayInitializerOperation _:
                    detail = "stored to an array element";
                    return EscapeKind.Stored;
                case IMemberInitializerOperation _:
                    detail = "stored to a member of another object";
                    return EscapeKind.Stored;
                case IDelegateCreationOperation _:
                case IMethodReferenceOperation _:
                    detail = "held by a delegate";
                    return EscapeKind.Captured;
                case IForEachLoopOperation loop when loop.Collection == value:
                    return Enumerated(value, out detail);
                case IConditionalAccessOperation _:
                    return Unfollowed("used in a ?. chain the analysis cannot follow", out detail);
                case IThrowOperation _:
                    detail = "thrown";
                    return EscapeKind.Unknown;
                default:
                    if (parent.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.CollectionExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.SpreadElementSyntax
                        || parent.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.CollectionElementSyntax)
                    {
                        detail = "added to a collection";
                        return EscapeKind.Stored;
                    }

                    return Unfollowed("used in a way the analysis cannot follow", out detail);
            }
        }

        /// <summary>A value a foreach enumerates: local when its enumerator is one of a known collection's, which keeps nothing.</summary>
        private static EscapeKind Enumerated(IOperation value, out string detail)
        {
            detail = string.Empty;
            return ReadOnlyFrameworkCalls.IsCollectionType(value.WithoutConversions().Type) ? EscapeKind.Local : Unfollowed("enumerated by a foreach whose enumerator may keep it", out detail);
        }

        private static bool IsForEachEnumeration(IInvocationOperation invocation)
            => invocation.IsImplicit && invocation.TargetMethod.Name == "GetEnumerator"
                && invocation.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.CommonForEachStatementSyntax loop && loop.Expression == invocation.Syntax;

        private static EscapeKind Unfollowed(string how, out string detail)
        {
            detail = how;
            return EscapeKind.Unknown;
        }

        /// <summary>A value matched by a switch: local unless a pattern declares a variable that holds it.</summary>
        private static EscapeKind Matched(IOperation switchOperation, out string detail)
        {
            detail = string.Empty;
            foreach (var node in switchOperation.Descendants())
            {
                if (node is IPatternOperation pattern && !DeclaresNothing(pattern))
                {
                    return Unfollowed("matched by a pattern that names it", out detail);
                }
            }

            return EscapeKind.Local;
        }

        private static bool DeclaresNothing(IPatternOperation pattern)
        {
            foreach (var node in pattern.DescendantsAndSelf())
            {
                // A variable of a value type holds a copy (unboxed), not the matched object.
                if ((node is IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } && !declared.Type.IsValueType)
                    || node is IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol { Type.IsValueType: false } } or IListPatternOperation { DeclaredSymbol: not null })
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Where a value stored to <paramref name="target"/> goes.</summary>
        private static EscapeKind StoreTo(IOperation target, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            switch (target)
            {
                case ILocalReferenceOperation { Local.RefKind: RefKind.None } reference:
                    return FollowVariable(reference.Local, walk, depth, out detail);
                case IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter:
                    // A by-value parameter is a local of the method: where its value goes next decides.
                    return FollowVariable(parameter.Parameter, walk, depth, out detail);
                case IDiscardOperation _:
                    return EscapeKind.Local;
                case IFieldReferenceOperation field:
                    detail = "stored to field '" + field.Field.Name + "'";
                    return EscapeKind.Stored;
                case IPropertyReferenceOperation property:
                    detail = property.Property.IsIndexer ? "stored by an indexer (a collection or dictionary)" : "stored to property '" + property.Property.Name + "'";
                    return EscapeKind.Stored;
                case IArrayElementReferenceOperation _:
                    detail = "stored to an array element";
                    return EscapeKind.Stored;
                case IParameterReferenceOperation parameter:
                    detail = "stored to the " + parameter.Parameter.RefKind.ToString().ToLowerInvariant() + " parameter '" + parameter.Parameter.Name + "'";
                    return EscapeKind.Stored;
                case IEventReferenceOperation _:
                    detail = "stored by the event subscription";
                    return EscapeKind.Stored;
                default:
                    return Unfollowed("stored where the analysis cannot follow", out detail);
            }
        }

        /// <summary>Every use of a local or by-value parameter that holds the value, each proven local or the first escape.</summary>
        internal static EscapeKind FollowVariable(ISymbol variable, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            if (walk.References.HoistsLocals)
            {
                detail = "kept by the state machine of an iterator or async method";
                return EscapeKind.Unknown;
            }

            var references = walk.References.Of(variable);
            for (int index = 0; index < references.Count; index++)
            {
                var reference = references[index];
                if (IsInsideFunction(reference, walk.References.Root, out var function) && !ContainsDeclaration(function!, variable))
                {
                    detail = function is ILocalFunctionOperation localFunction ? "captured by local function '" + localFunction.Symbol.Name + "'" : "captured by a lambda";
                    return EscapeKind.Captured;
                }

                if (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference)
                {
                    // Overwritten (or, for s += x, read into a new string): the value held does not go anywhere.
                    continue;
                }

                if (reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out })
                {
                    detail = "passed by reference";
                    return EscapeKind.Argument;
                }

                var kind = Follow(reference, walk, depth + 1, out detail);
                if (kind != EscapeKind.Local)
                {
                    return kind;
                }
            }

            return EscapeKind.Local;
        }

        /// <summary>A span view of the value: a ref struct, so it escapes only when returned, stored through a ref, or handed to a call that can keep it.</summary>
        private static EscapeKind FollowView(IOperation view, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            if (walk.JitFrame != JitFrameMode.Off)
            {
                return Unfollowed("viewed through a span, which the JIT's analysis does not follow", out detail);
            }

            var consumer = view.ConsumingParent();
            switch (consumer)
            {
                case IArgumentOperation { Parent: IInvocationOperation invocation } when SpanViews.CannotKeep(invocation.TargetMethod):
                case IArgumentOperation { Parent: IObjectCreationOperation { Type.IsRefLikeType: false } creation } when SpanViews.CannotKeep(creation.Constructor):
                case IPropertyReferenceOperation _:
                case IArrayElementReferenceOperation _:
                case IExpressionStatementOperation _:
                case IForEachLoopOperation _:
                    return EscapeKind.Local;
                case IInvocationOperation { Instance: not null } call when call.Instance.WithoutConversions() == view.WithoutConversions() || call.Instance == view:
                    // span.Slice(...), span.CopyTo(...), span.Fill(...): a ref-like result is another view.
                    return call.Type is { IsRefLikeType: true } ? FollowView(call, walk, depth + 1, out detail) : EscapeKind.Local;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return FollowVariable(declarator.Symbol, walk, depth, out detail);
                case ISimpleAssignmentOperation assignment when assignment.Target != view && assignment.Target.WithoutConversions() != view:
                    return StoreTo(assignment.Target, walk, depth, out detail);
                case IReturnOperation _:
                    detail = "returned to the caller as a span";
                    return EscapeKind.Returned;
                default:
                    return Unfollowed("viewed through a span the analysis cannot follow", out detail);
            }
        }

        private static EscapeKind Argument(IArgumentOperation argument, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            if (argument.Parameter is not { } parameter || parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                return Unfollowed("passed where the analysis cannot follow", out detail);
            }

            var callee = argument.Parent switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            if (callee == null || argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                detail = argument.ArgumentKind == ArgumentKind.ParamArray ? "stored to a params array" : "passed where the analysis cannot follow";
                return argument.ArgumentKind == ArgumentKind.ParamArray ? EscapeKind.Stored : EscapeKind.Unknown;
            }

            if (SpanViews.ViewOf(argument.Value) is { } view)
            {
                // array.AsSpan(...): a view of the array, followed as a span.
                return FollowView(view, walk, depth, out detail);
            }

            return Call(callee, parameter.Ordinal, argument.Parent!, walk, depth, out detail);
        }

        /// <summary>The value passed as parameter <paramref name="ordinal"/> (-1: <c>this</c>) of <paramref name="callee"/> at <paramref name="call"/>.</summary>
        private static EscapeKind Call(IMethodSymbol callee, int ordinal, IOperation call, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            if (walk.JitFrame != JitFrameMode.Off)
            {
                bool invoked = callee.MethodKind == MethodKind.DelegateInvoke && ordinal < 0 && walk.JitFrame == JitFrameMode.DelegateInvokeLocal;
                detail = invoked ? string.Empty : "passed to a call the JIT may not inline";
                return invoked ? EscapeKind.Local : EscapeKind.Argument;
            }

            var summary = callee.MethodKind == MethodKind.DelegateInvoke && ordinal < 0
                ? (ReadOnlyFrameworkCalls.MayReturn(callee, ordinal) ? ParameterUse.MayBeReturned : ParameterUse.Local)
                : walk.Summaries.Of(callee, ordinal, walk);
            if (summary == ParameterUse.Unknown && ReadOnlyFrameworkCalls.OnlyReads(callee, ordinal) && (!callee.IsAsyncNamed() || IsAwaited(call)))
            {
                summary = ReadOnlyFrameworkCalls.MayReturn(callee, ordinal) ? ParameterUse.MayBeReturned : ParameterUse.Local;
            }

            switch (summary)
            {
                case ParameterUse.Local:
                    return EscapeKind.Local;
                case ParameterUse.MayBeReturned:
                    var kind = Follow(call, walk, depth + 1, out detail);
                    if (kind != EscapeKind.Local)
                    {
                        detail = "passed to '" + callee.Name + "', which returns it, and " + detail;
                    }

                    return kind;
                default:
                    detail = ordinal < 0 ? "'" + callee.Name + "' is called on it and may keep it" : "passed to '" + callee.Name + "'";
                    return EscapeKind.Argument;
            }
        }

        /// <summary>The call's task is awaited where it is made (<c>await call</c>, <c>await call.ConfigureAwait(..)</c>).</summary>
        private static bool IsAwaited(IOperation call)
            => call.Parent is IAwaitOperation || call.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Parent: IAwaitOperation };

        private static bool IsAsyncNamed(this IMethodSymbol method) => method.Name.EndsWith("Async", System.StringComparison.Ordinal);

        private static EscapeKind PropertyReceiver(IPropertyReferenceOperation property, Walk walk, int depth, out string detail)
        {
            detail = string.Empty;
            bool written = property.Parent is IAssignmentOperation assignment && assignment.Target == property;
            var accessor = written ? property.Property.SetMethod : property.Property.GetMethod;
            if (accessor == null || MethodSummaries.IsAutoProperty(property.Property)
                || (property.Instance?.Type is IArrayTypeSymbol && property.Property.Name is "Length" or "LongLength"))
            {
                // An array's length is read from the array itself (the ldlen instruction), not by a call.
                return EscapeKind.Local;
            }

            return Call(accessor, -1, property, walk, depth, out detail);
        }

        private static bool IsInsideFunction(IOperation operation, IOperation root, out IOperation? function)
        {
            for (var current = operation.Parent; current != null && current != root; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation || current is ILocalFunctionOperation)
                {
                    function = current;
                    return true;
                }
            }

            function = null;
            return false;
        }

        private static bool ContainsDeclaration(IOperation function, ISymbol variable)
        {
            if (variable is ITypeSymbol)
            {
                // 'this' is declared by the method itself: any use inside a nested function captures it.
                return false;
            }

            foreach (var location in variable.Locations)
            {
                if (function.Syntax.Span.Contains(location.SourceSpan))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>One analysis in progress: the body's variable index and the compilation's method summaries.</summary>
        internal sealed class Walk
        {
            private VariableReferences? _references;
            private readonly VariableReferences.Cache? _cache;
            private readonly IOperation? _root;

            public Walk(VariableReferences references, MethodSummaries summaries, Walk? outer, IMethodSymbol? summarising)
            {
                _references = references;
                Summaries = summaries;
                Outer = outer;
                Summarising = summarising;
            }

            /// <summary>The method whose parameter this walk summarises (null: the analysed allocation's own body).</summary>
            public IMethodSymbol? Summarising { get; }

            /// <summary>
            /// A walk of an allocation in <paramref name="root"/> whose variable index is built only if the value is
            /// stored to a variable: most allocations are returned, passed or stored where they are made.
            /// </summary>
            public Walk(VariableReferences.Cache cache, IOperation root, MethodSummaries summaries)
            {
                _cache = cache;
                _root = root;
                Summaries = summaries;
            }

            public VariableReferences References => _references ??= _cache!.For(_root!);

            public MethodSummaries Summaries { get; }

            /// <summary>The walk of the caller whose call made this summary be computed (null at the top).</summary>
            public Walk? Outer { get; }

            /// <summary>Whether calls count as escaping, as they do for the JIT's escape analysis (no summaries used).</summary>
            public JitFrameMode JitFrame { get; set; }
        }
    }

    /// <summary>How <see cref="EscapeAnalysis"/> treats calls: by summaries (Off), or as the JIT's own analysis does.</summary>
    internal enum JitFrameMode
    {
        Off,
        NoCalls,
        DelegateInvokeLocal,
    }
}
