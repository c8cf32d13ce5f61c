using System.Collections.Immutable;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// ALLOC202: a call that runs on a boxed copy of a struct: ToString/GetHashCode/Equals it does not override,
    /// GetType, <c>base.ToString()</c> (and the other inherited members) called inside the struct, and the ToString the compiler calls for a string concatenation operand that does not override it.
    /// ALLOC203: a delegate to a struct's instance method (its target is a boxed copy).
    /// </summary>
    internal sealed class BoxingCallRule : OperationRule<BoxingScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BoxingCall, Descriptors.BoxingDelegate);

        public override void AddChecks(OperationChecks<BoxingScope> checks)
        {
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
            checks.On(AnalyzeConcatenationOperand, OperationKind.Conversion);
            checks.On(AnalyzeDelegate, OperationKind.DelegateCreation);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, BoxingScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var receiver = invocation.Instance?.Type;
            if (invocation.Instance is IInstanceReferenceOperation { Type.IsReferenceType: true } && context.ContainingSymbol.ContainingType is { IsValueType: true } self
                && BoxingRules.IsConcreteValueType(self) && !invocation.TargetMethod.IsStatic)
            {
                // base.ToString() (or GetHashCode, Equals) inside a struct: a call on a boxed copy of this, overridden or not.
                string baseCost = scope.BoxCost(self, out int? baseBytes);
                scope.Report(context, Descriptors.BoxingCall, invocation, invocation.Syntax.GetLocation(),
                    "Calling 'base." + invocation.TargetMethod.Name + "'", self, scope.Display.Of(invocation.TargetMethod.ContainingType), baseCost, baseBytes);
                return;
            }

            if (!BoxingRules.IsConcreteValueType(receiver) || !BoxingRules.RunsOnBox(invocation.TargetMethod, receiver!))
            {
                return;
            }

            string cost = scope.BoxCost(receiver!, out int? bytes);
            scope.Report(context, Descriptors.BoxingCall, invocation, invocation.Syntax.GetLocation(),
                "Calling '" + invocation.TargetMethod.Name + "', which it does not override,", receiver!, scope.Display.Of(invocation.TargetMethod.ContainingType), cost, bytes);
        }

        private static void AnalyzeConcatenationOperand(OperationAnalysisContext context, BoxingScope scope)
        {
            var conversion = (IConversionOperation)context.Operation;
            var type = conversion.Operand.Type;
            if (!(conversion.Parent is IBinaryOperation binary && binary.IsStringConcatenation())
                || !BoxingRules.IsConcreteValueType(type) || type!.SpecialType != SpecialType.None && type.TypeKind != TypeKind.Enum)
            {
                return;
            }

            var toString = scope.KnownTypes.ObjectToString;
            if (toString == null || !BoxingRules.RunsOnBox(toString, type) || (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }))
            {
                return;
            }

            string cost = scope.BoxCost(type, out int? bytes);
            scope.Report(context, Descriptors.BoxingCall, conversion, conversion.Operand.Syntax.GetLocation(),
                "String concatenation calls 'ToString', which it does not override, and", type, type.TypeKind == TypeKind.Enum ? "Enum" : "ValueType", cost, bytes);
        }

        private static void AnalyzeDelegate(OperationAnalysisContext context, BoxingScope scope)
        {
            var creation = (IDelegateCreationOperation)context.Operation;
            if (creation.Target is IMethodReferenceOperation { Instance: { Type: var receiver } } reference && BoxingRules.IsConcreteValueType(receiver))
            {
                string boxCost = scope.BoxCost(receiver!, out int? bytes);
                string cost = boxCost + " and a delegate (" + AllocationCost.Bytes(AllocationCost.DelegateBytes) + ")";
                scope.Report(context, Descriptors.BoxingDelegate, creation, reference.Syntax.GetLocation(),
                    "The delegate to '" + reference.Method.Name + "'", receiver!, "object", cost, bytes + AllocationCost.DelegateBytes);
            }
        }
    }
}
