using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC111: a call to a framework method that allocates what it returns (<see cref="FrameworkAllocations"/>:
    /// the string API, span and collection ToArray/ToString, Encoding and Convert conversions, Tuple.Create, ...), with
    /// when it returns its input instead and the allocation-free alternative. Also a string range (<c>s[a..b]</c>),
    /// which the compiler turns into Substring. Calls that provably return their input (<c>Substring(0)</c>, a
    /// constant that is already trimmed) are not reported (<see cref="UnchangedStringCalls"/>).
    /// </summary>
    internal sealed class FrameworkCallRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.FrameworkCallAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
            checks.On(AnalyzeRange, OperationKind.ImplicitIndexerReference);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (FrameworkAllocations.Find(invocation.TargetMethod) is not { } entry || UnchangedStringCalls.ReturnsInput(invocation))
            {
                return;
            }

            Report(context, scope, invocation, invocation.TargetMethod, entry, invocation.NameLocation());
        }

        /// <summary><c>text[2..5]</c> on a string: the compiler calls Substring (a string range is never a span).</summary>
        private static void AnalyzeRange(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var range = (IImplicitIndexerReferenceOperation)context.Operation;
            if (range.IndexerSymbol is IMethodSymbol { Name: "Substring" } substring && substring.ContainingType.SpecialType == SpecialType.System_String
                && FrameworkAllocations.Find(substring) is { } entry)
            {
                Report(context, scope, range, substring, entry, range.Syntax.GetLocation());
            }
        }

        private static void Report(OperationAnalysisContext context, HotAllocationScope scope, IOperation call, IMethodSymbol method, FrameworkAllocation entry, Location location)
        {
            string what = "'" + scope.Display.Of(method.ContainingType) + "." + method.Name + "'";
            string cost = entry.Allocates ?? Allocates(method.ReturnType, scope);
            if (entry.Unless != null)
            {
                cost += ", unless " + entry.Unless + ",";
            }

            scope.Report(context, Descriptors.FrameworkCallAllocation, call, location, what, cost, null, call,
                addendum: entry.Instead == null ? "" : ", or nothing with " + entry.Instead);
        }

        private static string Allocates(ITypeSymbol returned, HotAllocationScope scope)
        {
            if (returned.SpecialType == SpecialType.System_String)
            {
                return AllocationCost.StringFormula;
            }

            if (returned is IArrayTypeSymbol array)
            {
                return "a new " + scope.Display.Of(array) + " (" + AllocationCost.ArrayFormula(scope.Engine, array.ElementType) + ")";
            }

            int? bytes = AllocationCost.ObjectBytes(scope.Engine, returned);
            return "a new " + scope.Display.Of(returned) + (bytes == null ? "" : " (" + AllocationCost.Bytes(bytes.Value) + ")");
        }
    }
}
