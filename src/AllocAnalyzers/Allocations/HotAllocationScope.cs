using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>What a hot-allocation rule needs inside one block: hotness, layouts, known types, and reporting.</summary>
    internal sealed class HotAllocationScope : RuleScope
    {
        private System.Tuple<IInvocationOperation, HiddenCall>? _lastHiddenCall;

        public HotAllocationScope(FamilyServices services, HotCode hot, AnalyzerConfigOptions options, IteratorMethods iterators, CalleeAllocations callees)
            : base(services, hot, options)
        {
            Callees = callees;
            Iterators = iterators;
        }

        /// <summary>What the compilation's methods allocate on every call (ALLOC112, and constructors for ALLOC101).</summary>
        public CalleeAllocations Callees { get; }

        /// <summary>Which source methods are iterators, for this compilation.</summary>
        public IteratorMethods Iterators { get; }

        /// <summary>
        /// What <paramref name="invocation"/> allocates unseen (<see cref="HiddenCalls"/>), classified once for the four
        /// rules that ask in turn about the same operation.
        /// </summary>
        public HiddenCall HiddenCallOf(IInvocationOperation invocation)
        {
            var last = _lastHiddenCall;
            if (last != null && last.Item1 == invocation)
            {
                return last.Item2;
            }

            var kind = HiddenCalls.Classify(invocation, Iterators);
            _lastHiddenCall = System.Tuple.Create(invocation, kind);
            return kind;
        }

        /// <summary>
        /// Reports <paramref name="descriptor"/> at <paramref name="location"/> when <paramref name="operation"/> is hot,
        /// with the escape of <paramref name="escapeOf"/> (the allocated value), or, when that is null, the escape the rule
        /// knows (<paramref name="knownEscape"/>: a foreach's own enumerator stays with its loop; an iterator's state
        /// machine goes to its caller).
        /// </summary>
        public void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IOperation operation, Location location, string what, string cost, int? bytes, IOperation? escapeOf,
            EscapeKind knownEscape = EscapeKind.Local, string knownDetail = "", string addendum = "")
        {
            if (!IsHot(operation, out var reason))
            {
                return;
            }

            string detail = knownDetail;
            var escape = escapeOf == null ? knownEscape : EscapeAnalysis.Analyze(escapeOf, References, Summaries, out detail);
            var allocation = escapeOf ?? operation;
            var kind = escape == EscapeKind.Local ? JitStackAllocation.KindOf(descriptor, allocation) : JitAllocationKind.None;
            var claim = Claims.Judge(kind, allocation, bytes, cost, StaysInFrame(allocation), out string claimed);
            Report(context, descriptor, location, claim, AllocationProperties.For(escape, bytes, claim, AllocationProperties.AllocatedType(allocation, RuntimeNames)), HotBecause(reason), suggestion: false,
                what, claimed + addendum, EscapeAnalysis.Describe(escape, detail));
        }

        /// <summary>
        /// A site whose allocation the runtime caches (a completed <c>Task&lt;bool&gt;</c>, a small number's string): a
        /// suggestion that says when it does allocate, claim <see cref="AllocationClaim.Cached"/>.
        /// </summary>
        public void ReportCached(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IOperation operation, Location location, string what, string cost)
        {
            if (IsHot(operation, out var reason))
            {
                var escape = EscapeAnalysis.Analyze(operation, References, Summaries, out string detail);
                Report(context, descriptor, location, AllocationClaim.Cached, AllocationProperties.For(escape, null, AllocationClaim.Cached, AllocationProperties.AllocatedType(operation, RuntimeNames)), HotBecause(reason), suggestion: false,
                    what, Claims.Cached(cost), EscapeAnalysis.Describe(escape, detail));
            }
        }

        /// <summary>
        /// ALLOC104: a closure object and the delegate over it. The closure is allocated on every execution; on .NET 10
        /// the delegate may be stack-allocated when it goes nowhere the JIT cannot see, and then the claimed bytes are the
        /// closure's alone.
        /// </summary>
        public void ReportClosure(OperationAnalysisContext context, IDelegateCreationOperation creation, Location location, string what, int? closureBytes)
        {
            if (!IsHot(creation, out var reason))
            {
                return;
            }

            var escape = EscapeAnalysis.Analyze(creation, References, Summaries, out string detail);
            string closure = closureBytes == null ? "a closure" : "a closure (" + AllocationCost.Bytes(closureBytes.Value) + ")";
            string @delegate = "a delegate (" + AllocationCost.Bytes(AllocationCost.DelegateBytes) + ")";
            var delegateClaim = Claims.Judge(escape == EscapeKind.Local ? JitAllocationKind.Delegate : JitAllocationKind.None, creation, AllocationCost.DelegateBytes, @delegate,
                StaysInFrame(creation), out string delegateText);
            string cost = delegateClaim == AllocationClaim.EveryExecution
                ? Claims.EveryExecution(closure + " and " + @delegate)
                : Claims.EveryExecution(closure) + ", and " + delegateText;
            int? bytes = delegateClaim == AllocationClaim.MayBeRemoved ? closureBytes : closureBytes + AllocationCost.DelegateBytes;
            Report(context, Descriptors.ClosureAllocation, location, AllocationClaim.EveryExecution, AllocationProperties.For(escape, bytes, AllocationClaim.EveryExecution), HotBecause(reason), suggestion: false,
                what, cost, EscapeAnalysis.Describe(escape, detail));
        }

        /// <summary>
        /// ALLOC112: a call, in hot code, to a method of the compilation that is not hot itself (so its own allocations
        /// are not reported) and allocates on every call: what it allocates and where, said at the call.
        /// </summary>
        public void ReportCall(OperationAnalysisContext context, IInvocationOperation call, Location location, CallCost cost)
        {
            if (IsHot(call, out var reason))
            {
                string name = call.TargetMethod.Name;
                Report(context, Descriptors.CallAllocation, location, AllocationClaim.EveryExecution, AllocationProperties.For(null, cost.Unsized ? null : cost.Bytes, AllocationClaim.EveryExecution), HotBecause(reason), suggestion: false,
                    "The call to '" + name + "'", Claims.EveryExecution(cost.Describe()), "inside '" + name + "', which is not on the hot path itself");
            }
        }

        /// <summary>The JIT's escape question for an allocation (a delegate invoked in the method does not make it escape).</summary>
        private JitFrameQuestion StaysInFrame(IOperation allocation) => StaysInFrame(allocation, delegateInvokeIsLocal: true);

        public string Cost(int? bytes, string fallback) => bytes == null ? fallback : AllocationCost.Bytes(bytes.Value);
    }
}
