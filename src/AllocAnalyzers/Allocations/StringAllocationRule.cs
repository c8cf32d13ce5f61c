using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC106: building a string on a hot path: concatenation (<c>+</c>, <c>+=</c>), interpolation to a string
    /// (through <c>DefaultInterpolatedStringHandler</c> on .NET 6+, or <c>string.Format</c> before), <c>string.Format</c>,
    /// <c>string.Concat</c>, <c>string.Join</c>, and <c>ToString()</c> on numbers, dates, GUIDs and StringBuilder.
    /// Constant strings and interpolation into other handlers (StringBuilder.Append($"...")) are not reported.
    /// </summary>
    internal sealed class StringAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.StringAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeBinary, OperationKind.Binary, OperationKind.CompoundAssignment);
            checks.On(AnalyzeInterpolation, OperationKind.InterpolatedString);
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
        }

        private static void AnalyzeBinary(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var operation = context.Operation;
            // An operand of a larger concatenation (a + b, or the value of s += a + b) is part of its one Concat call:
            // the compiler flattens them, so only the outermost is reported.
            if (!operation.IsStringConcatenation() || operation.ConstantValue.HasValue || operation.ConsumingParent().IsStringConcatenation())
            {
                return;
            }

            var count = new OperandCount(scope.KnownTypes.CharConcatUsesSpans);
            int operands = count.Count(operation);
            int converted = count.Converted;
            if (operands - count.Empty <= 1 && converted == 0)
            {
                // "" + s: the compiler emits s ?? "", and nothing is allocated.
                return;
            }

            string cost = AllocationCost.StringFormula;
            if (converted > 0)
            {
                cost += converted == 1 ? ", a string for its non-string operand"
                    : ", a string for each of its " + converted.ToString(System.Globalization.CultureInfo.InvariantCulture) + " non-string operands";
            }

            if (operands > 4)
            {
                // string.Concat takes up to four strings; more go through a string[] of the operands.
                cost += ", and a string[] of its " + operands.ToString(System.Globalization.CultureInfo.InvariantCulture) + " operands";
            }
            scope.Report(context, Descriptors.StringAllocation, operation, operation.Syntax.GetLocation(), "String concatenation", cost, null, operation);
        }

        /// <summary>
        /// The operands of a concatenation: <see cref="Converted"/> counts those that are not strings (the compiler calls
        /// ToString() on each: a string apiece, unless cached; a <c>char</c> goes through a span where the compiler can),
        /// <see cref="Empty"/> the constant empty strings (which add nothing).
        /// </summary>
        private sealed class OperandCount
        {
            private readonly bool _charsUseSpans;

            public OperandCount(bool charsUseSpans) => _charsUseSpans = charsUseSpans;

            public int Converted { get; private set; }

            public int Empty { get; private set; }

            public int Count(IOperation operation)
            {
                switch (operation)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                        return Count(binary.LeftOperand) + Count(binary.RightOperand);
                    case IParenthesizedOperation parenthesized:
                        return Count(parenthesized.Operand);
                    case ICompoundAssignmentOperation compound:
                        return 1 + Count(compound.Value);
                    case IConversionOperation conversion when conversion.Operand.Type?.SpecialType != SpecialType.System_String && !conversion.Operand.ConstantValue.HasValue:
                        if (!(_charsUseSpans && conversion.Operand.Type?.SpecialType == SpecialType.System_Char))
                        {
                            Converted++;
                        }

                        return 1;
                    default:
                        if (operation.ConstantValue is { HasValue: true, Value: string { Length: 0 } })
                        {
                            Empty++;
                        }
                        else if (!operation.ConstantValue.HasValue && operation.Type is { SpecialType: not SpecialType.System_String })
                        {
                            // An object (or other reference) operand: the compiler calls its ToString() too.
                            Converted++;
                        }

                        return 1;
                }
            }
        }

        private static void AnalyzeInterpolation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var operation = (IInterpolatedStringOperation)context.Operation;
            if (operation.ConstantValue.HasValue || operation.Type?.SpecialType != SpecialType.System_String)
            {
                return;
            }

            // Converted to a handler other than the one that builds a string: no string is allocated.
            var parent = operation.ConsumingParent();

            if (parent is IInterpolatedStringHandlerCreationOperation handler && !KnownTypeNames.DefaultInterpolatedStringHandler.Matches(handler.Type))
            {
                return;
            }

            if (IsFormattable(operation))
            {
                // FormattableStringFactory.Create: no string yet, but the FormattableString and its argument array.
                int arguments = 0;
                foreach (var part in operation.Parts)
                {
                    arguments += part is IInterpolationOperation ? 1 : 0;
                }

                string cost = arguments == 0 ? "a FormattableString"
                    : arguments == 1 ? "a FormattableString and an object[] of its argument (boxed if it is a value type)"
                    : "a FormattableString and an object[] of its " + arguments.ToString(System.Globalization.CultureInfo.InvariantCulture) + " arguments (each value-type argument boxed)";
                scope.Report(context, Descriptors.StringAllocation, operation, operation.Syntax.GetLocation(), "String interpolation into a FormattableString", cost, null, operation);
                return;
            }

            scope.Report(context, Descriptors.StringAllocation, operation, operation.Syntax.GetLocation(), "String interpolation", AllocationCost.StringFormula, null, operation);
        }

        /// <summary>True when the interpolation is converted to FormattableString or IFormattable (the conversion itself, not what it feeds).</summary>
        private static bool IsFormattable(IOperation operation)
        {
            for (var parent = operation.Parent; parent is IConversionOperation or IParenthesizedOperation; parent = parent.Parent)
            {
                if (parent is IConversionOperation conversion && (KnownTypeNames.FormattableString.Matches(conversion.Type) || KnownTypeNames.IFormattable.Matches(conversion.Type)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>"ToString()", "ToString(string)", "ToString(string, IFormatProvider)": the overload called.</summary>
        private static readonly SymbolDisplayFormat ToStringFormat = new SymbolDisplayFormat(
            parameterOptions: SymbolDisplayParameterOptions.IncludeType,
            memberOptions: SymbolDisplayMemberOptions.IncludeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (invocation.ConstantValue.HasValue)
            {
                return;
            }

            string? what = null;
            if (method.ContainingType?.SpecialType == SpecialType.System_String && method.IsStatic
                && (method.Name == "Format" || method.Name == "Concat" || method.Name == "Join"))
            {
                what = "'string." + method.Name + "'";
            }
            else if (method.Name == "ToString" && invocation.Instance?.Type is { } receiver && AlwaysAllocatesToString(receiver))
            {
                // Every overload (format, provider, StringBuilder's range) builds a new string like the plain one.
                what = "'" + method.ToDisplayString(ToStringFormat) + "' on " + scope.Display.Of(receiver);
            }

            if (what == null)
            {
                return;
            }

            bool cachesSmallIntegers = method.Parameters.IsEmpty && IsInteger(invocation.Instance!.Type!) && scope.Claims.TargetIsDotNet(8);
            if (cachesSmallIntegers && invocation.Instance!.Type!.SpecialType == SpecialType.System_Byte)
            {
                // Every byte is below 300: its decimal string is always one the runtime caches.
                return;
            }

            if (cachesSmallIntegers && invocation.Instance!.ConstantValue is { HasValue: true, Value: { } value } && System.Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture) is >= 0 and < SmallNumberCacheSize)
            {
                scope.ReportCached(context, Descriptors.StringAllocation, invocation, invocation.Syntax.GetLocation(), what, "nothing: the runtime caches the strings of 0 to 299");
                return;
            }

            string cost = cachesSmallIntegers ? AllocationCost.StringFormula + " (none for 0 to 299, whose strings the runtime caches)" : AllocationCost.StringFormula;
            string alternative = method.Name == "ToString" && HasTryFormat(invocation.Instance!.Type!)
                ? "TryFormat into a span"
                : "";
            scope.Report(context, Descriptors.StringAllocation, invocation, invocation.Syntax.GetLocation(), what, cost, null, invocation, addendum: alternative.Length == 0 ? "" : ", or nothing with " + alternative);
        }

        /// <summary>The formatting types with <c>TryFormat(Span&lt;char&gt;, out int, ...)</c>: every one but StringBuilder.</summary>
        private static bool HasTryFormat(ITypeSymbol type)
        {
            foreach (var member in type.GetMembers("TryFormat"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: >= 2 })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>.NET 8 and later cache the decimal strings of the integers below this (UInt32ToDecStr's small-number cache).</summary>
        private const int SmallNumberCacheSize = 300;

        private static bool IsInteger(ITypeSymbol type)
            => type.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32
                or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
               || KnownTypeNames.Int128.Matches(type) || KnownTypeNames.UInt128.Matches(type);

        /// <summary>
        /// Types whose ToString() returns a new string: numbers (.NET 8+ caches the integers 0–299 only, so a byte's
        /// plain ToString() never allocates there), floating point (Half too), decimal, 128-bit integers, dates and
        /// times (DateOnly, TimeOnly), GUIDs, Version, and StringBuilder. bool, char and enums return cached strings.
        /// </summary>
        private static bool AlwaysAllocatesToString(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_Decimal:
                case SpecialType.System_DateTime:
                    return true;
            }

            return type.ContainingNamespace.IsNamed("System")
                ? type.Name is "Guid" or "TimeSpan" or "DateTimeOffset" or "DateOnly" or "TimeOnly" or "Half" or "Int128" or "UInt128" or "Version"
                : KnownTypeNames.StringBuilder.Matches(type);
        }
    }
}
