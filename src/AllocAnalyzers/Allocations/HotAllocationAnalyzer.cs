using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// The ALLOC1xx family: heap allocations on hot paths. Decides once per operation block whether any of it is hot
    /// (registering nothing for cold code), then runs its rules (<see cref="ObjectAllocationRule"/>,
    /// <see cref="ClosureAllocationRule"/>, <see cref="StringAllocationRule"/>, <see cref="HiddenAllocationRule"/>) from one
    /// operation action. Every report has the same shape: what allocates, its cost, where it escapes, and why the
    /// code is hot; diagnostics carry the <c>Escape</c> property (and <c>Bytes</c> when known).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HotAllocationAnalyzer : AllocDiagnosticAnalyzer
    {
        public const string EscapeProperty = AllocationProperties.EscapeProperty;
        public const string BytesProperty = AllocationProperties.BytesProperty;

        private static readonly OperationRuleSet<HotAllocationScope> Rules = new OperationRuleSet<HotAllocationScope>(
            new ObjectAllocationRule(), new ClosureAllocationRule(), new StringAllocationRule(), new HiddenAllocationRule(), new FrameworkCallRule(), new CallCostRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Rules.SupportedDiagnostics;

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var engine = LayoutEngine.For(context.Compilation);
            var rules = Rules.For(context.Compilation);
            var iterators = new IteratorMethods();
            var summaries = MethodSummaries.For(context.Compilation);
            var callees = CalleeAllocations.For(context.Compilation);
            var target = TargetRuntime.For(context.Compilation, context.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            context.RegisterOperationBlockStartAction(block =>
            {
                var hot = HotCode.For(block.OwningSymbol, block.Options, knownTypes, block.CancellationToken);
                if (hot != null && !block.OperationBlocks.IsEmpty)
                {
                    var claims = new AllocationClaims(target, block.Options.AnalyzerConfigOptionsProvider.ForTree(block.OperationBlocks[0].Syntax.SyntaxTree));
                    rules.Register(block, new HotAllocationScope(hot, engine, knownTypes, iterators, summaries, claims, callees));
                }
            });
        }
    }

    /// <summary>What a hot-allocation rule needs inside one block: hotness, layouts, known types, and reporting.</summary>
    internal sealed class HotAllocationScope
    {
        public HotAllocationScope(HotCode hot, LayoutEngine engine, KnownTypes knownTypes, IteratorMethods iterators, MethodSummaries summaries, AllocationClaims claims,
            CalleeAllocations callees)
        {
            Callees = callees;
            Claims = claims;
            Summaries = summaries;
            Hot = hot;
            Engine = engine;
            KnownTypes = knownTypes;
            Iterators = iterators;
        }

        public HotCode Hot { get; }

        /// <summary>What the compilation's methods allocate on every call (ALLOC112, and constructors for ALLOC101).</summary>
        public CalleeAllocations Callees { get; }

        /// <summary>What the messages claim on the target: every execution, or removed by the JIT.</summary>
        public AllocationClaims Claims { get; }

        public LayoutEngine Engine { get; }

        public KnownTypes KnownTypes { get; }

        /// <summary>Which source methods are iterators, for this compilation.</summary>
        public IteratorMethods Iterators { get; }

        /// <summary>What the compilation's methods do with the values passed to them, for the escape analysis.</summary>
        public MethodSummaries Summaries { get; }

        /// <summary>The block's variable references, indexed once for the escape analysis of all its allocations.</summary>
        private VariableReferences.Cache References { get; } = new VariableReferences.Cache();

        /// <summary>
        /// Reports <paramref name="descriptor"/> at <paramref name="location"/> when <paramref name="operation"/> is hot,
        /// with the escape of <paramref name="escapeOf"/> (the allocated value), or, when that is null, the escape the rule
        /// knows (<paramref name="knownEscape"/>: a foreach's own enumerator stays with its loop; an iterator's state
        /// machine goes to its caller).
        /// </summary>
        public void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IOperation operation, Location location, string what, string cost, int? bytes, IOperation? escapeOf,
            EscapeKind knownEscape = EscapeKind.Local, string knownDetail = "", string addendum = "")
        {
            if (!Hot.IsHot(operation, out var reason))
            {
                return;
            }

            string detail = knownDetail;
            var escape = escapeOf == null ? knownEscape : EscapeAnalysis.Analyze(escapeOf, References, Summaries, out detail);
            var allocation = escapeOf ?? operation;
            var kind = escape == EscapeKind.Local ? JitStackAllocation.KindOf(descriptor, allocation) : JitAllocationKind.None;
            var claim = Claims.Judge(kind, allocation, bytes, cost, StaysInFrame(allocation), out string claimed);
            context.ReportDiagnostic(AllocationClaims.Create(descriptor, location, claim, AllocationProperties.For(escape, bytes, claim, AllocationProperties.AllocatedType(allocation)),
                what, claimed + addendum, EscapeAnalysis.Describe(escape, detail), "hot: " + reason));
        }

        /// <summary>
        /// A site whose allocation the runtime caches (a completed <c>Task&lt;bool&gt;</c>, a small number's string): a
        /// suggestion that says when it does allocate, claim <see cref="AllocationClaim.Cached"/>.
        /// </summary>
        public void ReportCached(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IOperation operation, Location location, string what, string cost)
        {
            if (Hot.IsHot(operation, out var reason))
            {
                var escape = EscapeAnalysis.Analyze(operation, References, Summaries, out string detail);
                context.ReportDiagnostic(AllocationClaims.Create(descriptor, location, AllocationClaim.Cached, AllocationProperties.For(escape, null, AllocationClaim.Cached, AllocationProperties.AllocatedType(operation)),
                    what, Claims.Cached(cost), EscapeAnalysis.Describe(escape, detail), "hot: " + reason));
            }
        }

        /// <summary>
        /// ALLOC104: a closure object and the delegate over it. The closure is allocated on every execution; on .NET 10
        /// the delegate may be stack-allocated when it goes nowhere the JIT cannot see, and then the claimed bytes are the
        /// closure's alone.
        /// </summary>
        public void ReportClosure(OperationAnalysisContext context, IDelegateCreationOperation creation, Location location, string what, int? closureBytes)
        {
            if (!Hot.IsHot(creation, out var reason))
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
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.ClosureAllocation, location, AllocationProperties.For(escape, bytes, AllocationClaim.EveryExecution), what, cost, EscapeAnalysis.Describe(escape, detail), "hot: " + reason));
        }

        /// <summary>
        /// ALLOC112: a call, in hot code, to a method of the compilation that is not hot itself (so its own allocations
        /// are not reported) and allocates on every call: what it allocates and where, said at the call.
        /// </summary>
        public void ReportCall(OperationAnalysisContext context, IInvocationOperation call, Location location, CallCost cost)
        {
            if (Hot.IsHot(call, out var reason))
            {
                string name = call.TargetMethod.Name;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CallAllocation, location, AllocationProperties.For(null, cost.Unsized ? null : cost.Bytes, AllocationClaim.EveryExecution),
                    "The call to '" + name + "'", Claims.EveryExecution(cost.Describe()), "inside '" + name + "', which is not on the hot path itself", "hot: " + reason));
            }
        }

        /// <summary>The JIT's own escape question for <paramref name="allocation"/>, asked only if the cheaper conditions hold.</summary>
        private System.Func<bool> StaysInFrame(IOperation allocation)
            => () => EscapeAnalysis.StaysInJitFrame(allocation, References, Summaries, delegateInvokeIsLocal: true);

        public string Cost(int? bytes, string fallback) => bytes == null ? fallback : AllocationCost.Bytes(bytes.Value);
    }
}
