using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// ALLOC201: a value type converted to object, ValueType, Enum or an interface (a boxing conversion, implicit or
    /// explicit, wherever it occurs), and declaration patterns that bind a value to an interface or object variable.
    /// Not reported: conversions from type parameters, operands of string concatenation (the compiler calls ToString;
    /// see ALLOC202), and Enum.HasFlag arguments (a JIT intrinsic).
    /// </summary>
    internal sealed class BoxingConversionRule : OperationRule<BoxingScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BoxingConversion);

        public override void AddChecks(OperationChecks<BoxingScope> checks)
        {
            checks.On(AnalyzeConversion, OperationKind.Conversion);
            checks.On(AnalyzePattern, OperationKind.DeclarationPattern);
            checks.On(AnalyzeCoalesce, OperationKind.Coalesce);
        }

        /// <summary>
        /// <c>count ?? (object)"none"</c>: the operation has no conversion node for its left side; a nullable value that
        /// has a value is boxed into the reference type of the result.
        /// </summary>
        private static void AnalyzeCoalesce(OperationAnalysisContext context, BoxingScope scope)
        {
            var coalesce = (ICoalesceOperation)context.Operation;
            if (coalesce.Type is { IsReferenceType: true } to && coalesce.ValueConversion.Exists && !coalesce.ValueConversion.IsIdentity
                && coalesce.Value.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                && BoxingRules.IsConcreteValueType(nullable.TypeArguments[0]))
            {
                var value = nullable.TypeArguments[0];
                string cost = scope.BoxCost(value, out int? bytes);
                scope.Report(context, Descriptors.BoxingConversion, coalesce, coalesce.Value.Syntax.GetLocation(), "The '??' conversion", value, scope.Display.Of(to), cost, bytes);
            }
        }

        private static void AnalyzeConversion(OperationAnalysisContext context, BoxingScope scope)
        {
            var conversion = (IConversionOperation)context.Operation;
            var from = conversion.Operand.Type;
            var to = conversion.Type;
            if (to == null || !to.IsReferenceType || !BoxingRules.IsConcreteValueType(from) || !conversion.GetConversion().IsBoxing
                || IsConcatenationOperand(conversion) || IsHasFlagArgument(conversion))
            {
                return;
            }

            string cost = scope.BoxCost(from!, out int? bytes);
            string what = conversion.IsImplicit ? "The conversion" : "The cast";
            scope.Report(context, Descriptors.BoxingConversion, conversion, conversion.Operand.Syntax.GetLocation(), what, from!, scope.Display.Of(to), cost, bytes);
        }

        private static void AnalyzePattern(OperationAnalysisContext context, BoxingScope scope)
        {
            var pattern = (IDeclarationPatternOperation)context.Operation;
            if (pattern.DeclaredSymbol != null && BoxingRules.IsConcreteValueType(pattern.InputType) && pattern.MatchedType is { IsReferenceType: true } matched)
            {
                string cost = scope.BoxCost(pattern.InputType, out int? bytes);
                scope.Report(context, Descriptors.BoxingConversion, pattern, pattern.Syntax.GetLocation(), "The pattern", pattern.InputType, scope.Display.Of(matched), cost, bytes);
            }
        }

        private static bool IsConcatenationOperand(IConversionOperation conversion) => conversion.Parent.IsStringConcatenation();

        private static bool IsHasFlagArgument(IConversionOperation conversion)
            => conversion.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "HasFlag", ContainingType: { SpecialType: SpecialType.System_Enum } enumType } } }
               && BoxingRules.IsCoreRuntime(enumType);
    }
}
