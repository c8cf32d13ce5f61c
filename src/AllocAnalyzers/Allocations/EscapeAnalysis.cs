using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>Where an allocation goes once made (the Go <c>-m -m</c> analogue), as the <c>Escape</c> diagnostic property.</summary>
    internal enum EscapeKind
    {
        /// <summary>Only used inside the method: the pooling fixes may rewrite it.</summary>
        Local,

        /// <summary>Returned (or yielded) to the caller.</summary>
        Returned,

        /// <summary>Stored to a field, property, static, array element or collection.</summary>
        Stored,

        /// <summary>Captured by a lambda or local function.</summary>
        Captured,

        /// <summary>Passed to a method that may keep it.</summary>
        Argument,
    }

    /// <summary>
    /// Intra-procedural escape analysis on the operation tree: follows the allocation to its first destination and,
    /// when that is a local or a by-value parameter, every later use of it (aliases included) in the method body. A
    /// compound assignment (<c>s += x</c>) stores the string it builds to its target.
    /// </summary>
    internal static class EscapeAnalysis
    {
        /// <summary>Where <paramref name="allocation"/> goes; <paramref name="references"/> indexes the block's variables.</summary>
        public static EscapeKind Analyze(IOperation allocation, VariableReferences.Cache references, out string detail)
        {
            var kind = Classify(allocation, out detail, out var local);
            return local == null ? kind : AnalyzeLocal(allocation, local, references, 0, out detail);
        }

        public static string Describe(EscapeKind kind, string detail)
        {
            switch (kind)
            {
                case EscapeKind.Returned:
                    return "it escapes: returned to the caller";
                case EscapeKind.Stored:
                    return "it escapes: stored to " + detail;
                case EscapeKind.Captured:
                    return "it escapes: captured by " + detail;
                case EscapeKind.Argument:
                    return "it escapes: passed to '" + detail + "'";
                default:
                    return "it does not escape the method";
            }
        }

        /// <summary>
        /// Where the value of <paramref name="value"/> goes; <paramref name="local"/> when into a local or a by-value
        /// parameter (followed by <see cref="AnalyzeLocal"/>).
        /// </summary>
        private static EscapeKind Classify(IOperation value, out string detail, out ISymbol? local)
        {
            detail = string.Empty;
            local = null;
            if (value is ICompoundAssignmentOperation { Parent: IExpressionStatementOperation } compound)
            {
                return ClassifyTarget(compound.Target, out detail, out local);
            }

            var current = value;
            while (PassesOn(current))
            {
                current = current.Parent!;
            }

            var view = SpanViews.IsSpan(value.Type) ? value : SpanViews.ViewOf(value);
            if (view != null)
            {
                return ClassifyView(view, 0, out detail, out local);
            }

            switch (current.Parent)
            {
                case ICoalesceAssignmentOperation coalesce when coalesce.Value == current:
                    return ClassifyTarget(coalesce.Target, out detail, out local);
                case IReturnOperation _:
                    return EscapeKind.Returned;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    local = declarator.Symbol;
                    return EscapeKind.Local;
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    return ClassifyTarget(assignment.Target, out detail, out local);
                case IArgumentOperation argument:
                    detail = argument.Parent is IInvocationOperation invocation ? invocation.TargetMethod.Name
                        : argument.Parameter?.ContainingSymbol.Name ?? "a method";
                    return EscapeKind.Argument;
                case IArrayInitializerOperation _:
                    detail = "a collection";
                    return EscapeKind.Stored;
                case IMemberInitializerOperation _:
                case IPropertyReferenceOperation _:
                case IFieldReferenceOperation _:
                case IInvocationOperation _:
                    return EscapeKind.Local;
                default:
                    return EscapeKind.Local;
            }
        }

        /// <summary>
        /// True when the parent of <paramref name="operation"/> hands its value on as its own: a conversion, parentheses,
        /// a branch of <c>?:</c>, either side of <c>??</c>, an arm of a switch expression (and the switch expression),
        /// a tuple (which carries it as an element).
        /// </summary>
        private static bool PassesOn(IOperation operation)
            => operation.Parent switch
            {
                IConversionOperation or IParenthesizedOperation or ICoalesceOperation or ITupleOperation => true,
                IConditionalOperation conditional => conditional.Condition != operation,
                ISwitchExpressionArmOperation arm => arm.Value == operation,
                ISwitchExpressionOperation switchExpression => switchExpression.Value != operation,
                _ => false,
            };

        /// <summary>
        /// Where a span view of the allocation goes. A span lives on the stack: it escapes only when returned, stored
        /// through a ref parameter, or passed to a call that can hand it back (<see cref="SpanViews.CannotKeep"/>).
        /// </summary>
        private static EscapeKind ClassifyView(IOperation view, int depth, out string detail, out ISymbol? local)
        {
            detail = string.Empty;
            local = null;
            switch (view.ConsumingParent())
            {
                case IReturnOperation _:
                    return EscapeKind.Returned;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    local = declarator.Symbol;
                    return EscapeKind.Local;
                case ISimpleAssignmentOperation assignment when assignment.Value == view || assignment.Value == view.Parent:
                    return ClassifyTarget(assignment.Target, out detail, out local);
                case IArgumentOperation { Parent: IInvocationOperation invocation }:
                    if (SpanViews.CannotKeep(invocation.TargetMethod))
                    {
                        return EscapeKind.Local;
                    }

                    detail = invocation.TargetMethod.Name;
                    return EscapeKind.Argument;
                case IArgumentOperation { Parent: IObjectCreationOperation creation }:
                    if (creation.Type is { IsRefLikeType: false } && SpanViews.CannotKeep(creation.Constructor))
                    {
                        return EscapeKind.Local;
                    }

                    detail = creation.Type?.Name ?? "a constructor";
                    return EscapeKind.Argument;
                case IArgumentOperation argument:
                    detail = argument.Parameter?.ContainingSymbol.Name ?? "a method";
                    return EscapeKind.Argument;
                case IInvocationOperation { Type: { IsRefLikeType: true } } slice when depth < 4:
                    return ClassifyView(slice, depth + 1, out detail, out local);
                default:
                    return EscapeKind.Local;
            }
        }

        private static EscapeKind ClassifyTarget(IOperation target, out string detail, out ISymbol? local)
        {
            detail = string.Empty;
            local = null;
            switch (target)
            {
                case ILocalReferenceOperation reference:
                    local = reference.Local;
                    return EscapeKind.Local;
                case IFieldReferenceOperation field:
                    detail = "field '" + field.Field.Name + "'";
                    return EscapeKind.Stored;
                case IPropertyReferenceOperation property:
                    detail = "property '" + property.Property.Name + "'";
                    return EscapeKind.Stored;
                case IArrayElementReferenceOperation _:
                    detail = "an array element";
                    return EscapeKind.Stored;
                case IParameterReferenceOperation parameter when parameter.Parameter.RefKind != RefKind.None:
                    detail = "parameter '" + parameter.Parameter.Name + "'";
                    return EscapeKind.Stored;
                case IParameterReferenceOperation parameter:
                    // A by-value parameter is a local of the method: where its value goes next decides.
                    local = parameter.Parameter;
                    return EscapeKind.Local;
                default:
                    return EscapeKind.Local;
            }
        }

        private static EscapeKind AnalyzeLocal(IOperation allocation, ISymbol local, VariableReferences.Cache references, int depth, out string detail)
        {
            detail = string.Empty;
            var root = allocation;
            while (root.Parent != null)
            {
                root = root.Parent;
            }

            foreach (var reference in references.For(root).Of(local))
            {
                if (IsInsideFunction(reference, root, out var function) && !ContainsDeclaration(function!, local))
                {
                    detail = function is ILocalFunctionOperation localFunction ? "local function '" + localFunction.Symbol.Name + "'" : "a lambda";
                    return EscapeKind.Captured;
                }

                if (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference)
                {
                    // Overwritten (or, for s += x, read into a new string): the value held does not go anywhere.
                    continue;
                }

                var kind = Classify(reference, out detail, out var alias);
                if (alias != null && !SymbolEqualityComparer.Default.Equals(alias, local) && depth < 4)
                {
                    kind = AnalyzeLocal(reference, alias, references, depth + 1, out detail);
                }

                if (kind != EscapeKind.Local)
                {
                    return kind;
                }
            }

            return EscapeKind.Local;
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

        private static bool ContainsDeclaration(IOperation function, ISymbol local)
        {
            foreach (var location in local.Locations)
            {
                if (function.Syntax.Span.Contains(location.SourceSpan))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
