using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC107: the enumerator of a <c>foreach</c> over an interface-typed collection (or one whose enumerator is a
    /// class), and <c>GetEnumerator</c> called on an interface. A foreach over a fresh iterator or LINQ operator allocates
    /// nothing more than that call, which ALLOC109 or ALLOC108 reports.
    /// </summary>
    internal sealed class EnumeratorAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.EnumeratorAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeForEach, OperationKind.Loop);
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
        }

        private static void AnalyzeForEach(OperationAnalysisContext context, HotAllocationScope scope)
        {
            if (context.Operation is not IForEachLoopOperation { IsAsynchronous: false } loop || loop.Syntax is not ForEachStatementSyntax syntax
                || loop.SemanticModel == null)
            {
                return;
            }

            var collectionType = loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : loop.Collection.Type;
            if (collectionType == null || collectionType.TypeKind == TypeKind.Array || collectionType.SpecialType == SpecialType.System_String)
            {
                // Lowered to an index loop: no enumerator.
                return;
            }

            var enumerator = loop.SemanticModel.GetForEachStatementInfo(syntax).GetEnumeratorMethod?.ReturnType;
            if (enumerator == null || !enumerator.IsReferenceType || IsFreshIterator(loop.Collection.WithoutConversions(), scope))
            {
                return;
            }

            var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.ForEachKeyword.SpanStart, syntax.InKeyword.Span.End));
            string what = "foreach over " + scope.Display.Of(collectionType);
            string cost = enumerator.TypeKind == TypeKind.Interface ? "an enumerator object (a boxed struct enumerator or an iterator)" : "an enumerator object";
            scope.Report(context, Descriptors.EnumeratorAllocation, loop, location, what, cost, null, null);
        }

        /// <summary>
        /// A call to an iterator method, or to a LINQ operator that builds an iterator: its object is its own first
        /// enumerator (GetEnumerator on the thread that made it returns it), so the foreach allocates nothing more than
        /// the call, which ALLOC109 or ALLOC108 reports. One allocation, one diagnostic.
        /// </summary>
        private static bool IsFreshIterator(IOperation collection, HotAllocationScope scope)
            => (collection is IInvocationOperation call
                && (scope.Iterators.IsIterator(call.TargetMethod)
                    || (HiddenCalls.IsLinq(call.TargetMethod) && HiddenCalls.AllocatesPerCall(call.TargetMethod) && !call.TargetMethod.Name.StartsWith("To", System.StringComparison.Ordinal))))
               || (collection is IPropertyReferenceOperation { Property.GetMethod: { } getter } && scope.Iterators.IsIterator(getter));

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (scope.HiddenCallOf(invocation) == HiddenCall.InterfaceEnumerator)
            {
                // What foreach does, spelled out: an interface's enumerator is an object.
                var receiver = invocation.Instance!.WithoutConversions().Type!;
                scope.Report(context, Descriptors.EnumeratorAllocation, invocation, invocation.NameLocation(),
                    "The call to 'GetEnumerator' on " + scope.Display.Of(receiver),
                    "an enumerator object (a boxed struct enumerator or an iterator)", null, invocation);
            }
        }
    }
}
