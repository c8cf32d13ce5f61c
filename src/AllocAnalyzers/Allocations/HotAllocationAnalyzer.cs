using System.Collections.Immutable;
using AllocAnalyzers.HotPaths;
using AllocAnalyzers.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

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
        public const string EscapeProperty = "Escape";
        public const string BytesProperty = "Bytes";

        private static readonly OperationRuleSet<HotAllocationScope> Rules = new OperationRuleSet<HotAllocationScope>(
            new ObjectAllocationRule(), new ClosureAllocationRule(), new StringAllocationRule(), new HiddenAllocationRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Rules.SupportedDiagnostics;

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var engine = LayoutEngine.For(context.Compilation);
            var rules = Rules.For(context.Compilation);
            var iterators = new IteratorMethods();
            var summaries = MethodSummaries.For(context.Compilation);
            context.RegisterOperationBlockStartAction(block =>
            {
                var hot = HotCode.For(block.OwningSymbol, block.Options, knownTypes, block.CancellationToken);
                if (hot != null)
                {
                    rules.Register(block, new HotAllocationScope(hot, engine, knownTypes, iterators, summaries));
                }
            });
        }
    }

    /// <summary>What a hot-allocation rule needs inside one block: hotness, layouts, known types, and reporting.</summary>
    internal sealed class HotAllocationScope
    {
        public HotAllocationScope(HotCode hot, LayoutEngine engine, KnownTypes knownTypes, IteratorMethods iterators, MethodSummaries summaries)
        {
            Summaries = summaries;
            Hot = hot;
            Engine = engine;
            KnownTypes = knownTypes;
            Iterators = iterators;
        }

        public HotCode Hot { get; }

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
            EscapeKind knownEscape = EscapeKind.Local, string knownDetail = "")
        {
            if (!Hot.IsHot(operation, out var reason))
            {
                return;
            }

            string detail = knownDetail;
            var escape = escapeOf == null ? knownEscape : EscapeAnalysis.Analyze(escapeOf, References, Summaries, out detail);
            string escapeText = EscapeAnalysis.Describe(escape, detail);
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, AllocationProperties.For(escape, bytes), what, cost, escapeText, "hot: " + reason));
        }

        public string Cost(int? bytes, string fallback) => bytes == null ? fallback : AllocationCost.Bytes(bytes.Value);
    }
}
