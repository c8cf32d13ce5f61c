using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// ALLOC302: on a hot path, a struct larger than <c>alloc_analyzers.large_struct_bytes</c> (default 64) copied by
    /// value out of a variable, field or array element: passed to a by-value parameter, copied into a local, or
    /// copied into a by-value <c>foreach</c> variable on every iteration. Fresh values (constructor calls, method
    /// results) are not reported: there is no original to read in place.
    /// </summary>
    internal sealed class LargeStructCopyRule : OperationRule<LargeStructCopyScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.LargeStructCopy);

        public override void AddChecks(OperationChecks<LargeStructCopyScope> checks)
        {
            checks.On(AnalyzeArgument, OperationKind.Argument);
            checks.On(AnalyzeVariableInitializer, OperationKind.VariableInitializer);
            checks.On(AnalyzeForEach, OperationKind.Loop);
        }

        private static void AnalyzeArgument(OperationAnalysisContext context, LargeStructCopyScope scope)
        {
            var argument = (IArgumentOperation)context.Operation;
            if (argument.Parameter is { RefKind: RefKind.None } parameter && IsStruct(parameter.Type) && IsExistingValue(argument.Value)
                && IsLargeCopyInHotCode(scope, argument.Value, parameter.Type, out var copy))
            {
                Report(context, scope, argument.Value.Syntax.GetLocation(), copy, "into parameter '" + parameter.Name + "' of '" + parameter.ContainingSymbol.Name + "'");
            }
        }

        private static void AnalyzeVariableInitializer(OperationAnalysisContext context, LargeStructCopyScope scope)
        {
            var initializer = (IVariableInitializerOperation)context.Operation;
            if (initializer.Parent is IVariableDeclaratorOperation { Symbol: { RefKind: RefKind.None } local } && IsStruct(local.Type) && IsExistingValue(initializer.Value)
                && IsLargeCopyInHotCode(scope, initializer.Value, local.Type, out var copy))
            {
                Report(context, scope, initializer.Value.Syntax.GetLocation(), copy, "into local '" + local.Name + "'");
            }
        }

        private static void AnalyzeForEach(OperationAnalysisContext context, LargeStructCopyScope scope)
        {
            if (context.Operation is IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation { Symbol: { RefKind: RefKind.None } variable } declarator } && IsStruct(variable.Type)
                && IsLargeCopyInHotCode(scope, declarator, variable.Type, out var copy))
            {
                var location = context.Operation.Syntax is ForEachStatementSyntax statement
                    ? Location.Create(statement.SyntaxTree, TextSpan.FromBounds(statement.Type.SpanStart, statement.Identifier.Span.End))
                    : declarator.Syntax.GetLocation();
                Report(context, scope, location, copy, "into the foreach variable '" + variable.Name + "' on every iteration");
            }
        }

        /// <summary>
        /// A copy of a struct over the limit in hot code: decided before the message's text and location are made (most
        /// struct values are small, like every int passed).
        /// </summary>
        private static bool IsLargeCopyInHotCode(LargeStructCopyScope scope, IOperation site, ITypeSymbol type, out (string Name, int Size, string Reason) copy)
        {
            copy = default;
            // Cheapest test first: the (cached) layout size, then whether the copy is in hot code.
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } structType || !scope.Engine.TryGetFieldLayout(structType, out var layout)
                || layout.Size <= scope.Limit || !scope.IsHot(site, out var reason))
            {
                return false;
            }

            copy = (structType.Name, layout.Size, reason);
            return true;
        }

        private static void Report(OperationAnalysisContext context, LargeStructCopyScope scope, Location location, (string Name, int Size, string Reason) copy, string where)
            => RuleScope.Report(context, Descriptors.LargeStructCopy, location, AllocationClaim.EveryExecution, properties: null, scope.HotBecause(copy.Reason), suggestion: false,
                copy.Name, copy.Size, where);

        /// <summary>Checked before anything else (the message text included) is built: most values are not structs.</summary>
        private static bool IsStruct(ITypeSymbol type) => type.TypeKind == TypeKind.Struct;

        /// <summary>A value that already lives somewhere (so a reference to it would avoid the copy).</summary>
        private static bool IsExistingValue(IOperation value)
        {
            if (value is IConversionOperation { Conversion.IsIdentity: false })
            {
                return false;
            }

            value = value.WithoutConversions();
            return value is ILocalReferenceOperation || value is IParameterReferenceOperation || value is IFieldReferenceOperation || value is IArrayElementReferenceOperation;
        }
    }
}
