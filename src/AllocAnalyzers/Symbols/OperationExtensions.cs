using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers
{
    /// <summary>Operation-tree helpers shared by the rules.</summary>
    internal static class OperationExtensions
    {
        /// <summary>The operand under any conversions (<c>(object)x</c> → <c>x</c>).</summary>
        public static IOperation WithoutConversions(this IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>The top of the operation tree <paramref name="operation"/> belongs to (a method body, a lambda's block, ...).</summary>
        public static IOperation Root(this IOperation operation)
        {
            var root = operation;
            while (root.Parent != null)
            {
                root = root.Parent;
            }

            return root;
        }

        /// <summary>The first ancestor that is not a conversion or parentheses: where the value really goes.</summary>
        public static IOperation? ConsumingParent(this IOperation operation)
        {
            var parent = operation.Parent;
            while (parent is IConversionOperation || parent is IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            return parent;
        }

        /// <summary>True for a string concatenation (<c>+</c> or <c>+=</c> producing a string).</summary>
        public static bool IsStringConcatenation(this IOperation? operation)
            => operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary && binary.Type?.SpecialType == SpecialType.System_String
               || operation is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound && compound.Type?.SpecialType == SpecialType.System_String;
    }
}
