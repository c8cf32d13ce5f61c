using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC110: the Task&lt;T&gt; of a call to an async method of the compilation (a cached suggestion for Task&lt;bool&gt;).
    /// </summary>
    internal sealed class AsyncTaskAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.AsyncTaskAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
        {
            checks.On(AnalyzeInvocation, OperationKind.Invocation);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (scope.HiddenCallOf(invocation) != HiddenCall.AsyncTask)
            {
                return;
            }

            var method = invocation.TargetMethod;
            var task = (INamedTypeSymbol)method.ReturnType;
            string what = "The call to async method '" + method.Name + "'";
            if (task.TypeArguments[0].SpecialType == SpecialType.System_Boolean)
            {
                // Both results are cached tasks: a call that completes synchronously allocates nothing (measured).
                scope.ReportCached(context, Descriptors.AsyncTaskAllocation, invocation, invocation.NameLocation(), what,
                    "nothing when it completes synchronously (the runtime caches the Task<bool> of both results), and a state machine box when it suspends");
                return;
            }

            scope.Report(context, Descriptors.AsyncTaskAllocation, invocation, invocation.NameLocation(), what,
                "a " + scope.Display.Of(task) + " for each result the runtime does not cache (even when it completes synchronously), and a state machine box when it suspends",
                null, invocation);
        }
    }
}
