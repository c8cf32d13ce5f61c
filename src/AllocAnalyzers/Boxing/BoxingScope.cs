using AllocAnalyzers.Cost;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Boxing
{
    /// <summary>Hotness of one block, layouts and reporting for the boxing rules.</summary>
    internal sealed class BoxingScope : RuleScope
    {
        public BoxingScope(FamilyServices services, HotCode? hot, AnalyzerConfigOptions options)
            : base(services, hot, options)
        {
        }

        /// <summary>"24 bytes" for a box of <paramref name="valueType"/> (a <c>T?</c> boxes its <c>T</c>), or "a box".</summary>
        public string BoxCost(ITypeSymbol valueType, out int? bytes)
        {
            var boxed = valueType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : valueType;
            bytes = Engine.TryGetFieldLayout(boxed, out var layout) ? AllocationCost.BoxBytes(layout.Size) : (int?)null;
            return bytes == null ? "a box" : AllocationCost.Bytes(bytes.Value);
        }

        /// <summary>
        /// Reports a box: a warning naming the reason in hot code, a suggestion elsewhere. A cost paid wherever the
        /// value is later used, not where it is written (<paramref name="paidElsewhere"/>), is always a warning.
        /// </summary>
        public void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IOperation operation, Location location, string what, ITypeSymbol from, string into, string cost, int? bytes, string? paidElsewhere = null)
        {
            string reason = string.Empty;
            bool hot = paidElsewhere != null || IsHot(operation, out reason);
            string why = paidElsewhere ?? (hot ? HotBecause(reason) : "not on a hot path");
            // Outside hot code the suggestion names the box and its size, not how often it runs: the JIT model (which
            // follows the box through the method) is evaluated only where the claim leads to a warning or a fix.
            var claim = AllocationClaim.EveryExecution;
            string claimed = cost;
            if (hot)
            {
                claim = Claims.Judge(JitStackAllocation.KindOf(descriptor, operation), operation, bytes, cost, StaysInFrame(operation, delegateInvokeIsLocal: false), out claimed);
            }

            // The box is an object of the value type itself (what a profile of the program calls it).
            var properties = AllocationProperties.For(null, bytes, claim, RuntimeNames.Of(from));
            Report(context, descriptor, location, claim, properties, why, suggestion: !hot, what, Display.Of(from), into, claimed);
        }
    }
}
