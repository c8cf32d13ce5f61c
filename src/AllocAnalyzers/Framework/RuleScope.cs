using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// What the rules of a family see inside one operation block: the compilation's <see cref="FamilyServices"/>, the
    /// block's hot code, its claims and its variable references (both made on first use: most blocks report nothing),
    /// and <see cref="Report"/>, the one place an operation rule's diagnostic is created. A family derives its scope
    /// from this one and adds what its messages need to compute.
    /// </summary>
    internal abstract class RuleScope
    {
        private readonly FamilyServices _services;
        private readonly AnalyzerConfigOptions _options;
        private AllocationClaims? _claims;
        private VariableReferences.Cache? _references;
        private System.Tuple<string, string>? _lastBecause;

        protected RuleScope(FamilyServices services, HotCode? hot, AnalyzerConfigOptions options)
        {
            _services = services;
            _options = options;
            Hot = hot;
        }

        /// <summary>The block's hot code; null when none of it is hot.</summary>
        public HotCode? Hot { get; }

        public KnownTypes KnownTypes => _services.KnownTypes;

        public LayoutEngine Engine => _services.Engine;

        /// <summary>What the compilation's methods do with the values passed to them, for the escape analysis.</summary>
        public MethodSummaries Summaries => _services.Summaries;

        /// <summary>The runtime names of the compilation's types (what a profile of the program calls the objects).</summary>
        public TypeNames<string?> RuntimeNames => _services.RuntimeNames;

        /// <summary>The compilation's type names as the messages show them, each built once.</summary>
        public TypeNames<string> Display => _services.Display;

        /// <summary>The block's options (its file's .editorconfig and the global configs).</summary>
        public AnalyzerConfigOptions Options => _options;

        /// <summary>What the messages claim on the target: every execution, or removed by the JIT.</summary>
        public AllocationClaims Claims => _claims ??= new AllocationClaims(_services.Target, _options);

        /// <summary>The block's variable references, indexed once for the escape analysis of all its allocations.</summary>
        protected VariableReferences.Cache References => _references ??= new VariableReferences.Cache();

        /// <summary>True when <paramref name="operation"/> runs on the hot path; <paramref name="reason"/> says why.</summary>
        public bool IsHot(IOperation operation, out string reason)
        {
            reason = string.Empty;
            return Hot != null && Hot.IsHot(operation, out reason);
        }

        /// <summary>The JIT's own escape question for <paramref name="allocation"/>, asked only if the cheaper conditions hold.</summary>
        protected JitFrameQuestion StaysInFrame(IOperation allocation, bool delegateInvokeIsLocal)
            => new JitFrameQuestion(allocation, References, Summaries, delegateInvokeIsLocal);

        /// <summary>
        /// Reports <paramref name="descriptor"/> with the message arguments and, as the message's last argument,
        /// <paramref name="why"/> (the hot-path reason, or where the cost is paid). A claim the JIT may remove, a cached
        /// one, or a finding outside hot code (<paramref name="suggestion"/>) is a suggestion, unless the user configured
        /// the ID's severity. One overload per argument count: the diagnostic's argument array is the only one made.
        /// </summary>
        public static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, Location location, AllocationClaim claim,
            ImmutableDictionary<string, string?>? properties, string why, bool suggestion, object arg0, object arg1, object arg2)
            => Report(context, descriptor, location, claim, properties, suggestion, new[] { arg0, arg1, arg2, why });

        /// <inheritdoc cref="Report(OperationAnalysisContext, DiagnosticDescriptor, Location, AllocationClaim, ImmutableDictionary{string, string}, string, bool, object, object, object)"/>
        public static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, Location location, AllocationClaim claim,
            ImmutableDictionary<string, string?>? properties, string why, bool suggestion, object arg0, object arg1, object arg2, object arg3)
            => Report(context, descriptor, location, claim, properties, suggestion, new[] { arg0, arg1, arg2, arg3, why });

        private static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, Location location, AllocationClaim claim,
            ImmutableDictionary<string, string?>? properties, bool suggestion, object[] messageArgs)
        {
            properties ??= ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(suggestion
                ? Diagnostic.Create(descriptor, location, DiagnosticSeverity.Info, additionalLocations: null, properties, messageArgs)
                : AllocationClaims.Create(descriptor, location, claim, properties, messageArgs));
        }

        /// <summary>
        /// "hot: " and the reason, the last argument of every hot-code message: made once for all the block's findings
        /// (a block has one reason, or one per hot local function).
        /// </summary>
        public string HotBecause(string reason)
        {
            var last = _lastBecause;
            if (last == null || !ReferenceEquals(last.Item1, reason))
            {
                _lastBecause = last = System.Tuple.Create(reason, "hot: " + reason);
            }

            return last.Item2;
        }
    }
}
