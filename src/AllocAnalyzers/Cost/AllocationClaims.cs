using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// What the ALLOC1xx and ALLOC2xx messages claim about one allocation on the project's target: allocated on every
    /// execution, possibly removed by the JIT (<see cref="JitStackAllocation"/>), or cached. One per analysed block;
    /// the target and the <c>alloc_analyzers.jit_elision</c> option are read once for it.
    /// </summary>
    internal sealed class AllocationClaims
    {
        private readonly TargetRuntime _target;
        private readonly bool _assumeElision;

        public AllocationClaims(TargetRuntime target, AnalyzerConfigOptions options)
        {
            _target = target;
            _assumeElision = AllocOptions.JitElision.Read(options) == "assume";
        }

        /// <summary>
        /// The claim for <paramref name="allocation"/> and the text that completes "allocates …" in the message
        /// (<paramref name="cost"/> is "24 bytes" or a formula).
        /// </summary>
        public AllocationClaim Judge(JitAllocationKind kind, IOperation allocation, int? bytes, string cost, Escape.JitFrameQuestion staysInFrame, out string text)
        {
            if (_assumeElision && JitStackAllocation.MayRemove(kind, allocation, bytes, _target, staysInFrame, out string reason))
            {
                if (!_target.Optimized)
                {
                    text = cost + " on every execution of this Debug build; optimized code on " + _target.Name + " may allocate it on the stack (" + reason + ")";
                    return AllocationClaim.RemovedWhenOptimized;
                }

                text = cost + " unless the JIT removes it: on " + _target.Name + " optimized code may allocate it on the stack (" + reason + ")";
                return AllocationClaim.MayBeRemoved;
            }

            text = EveryExecution(cost);
            return AllocationClaim.EveryExecution;
        }

        /// <summary>"24 bytes on every execution (net10.0)": the claim for an allocation no JIT removes.</summary>
        public string EveryExecution(string cost) => cost + _target.EveryExecutionSuffix;

        /// <summary>True when the project targets .NET <paramref name="major"/> or later.</summary>
        public bool TargetIsDotNet(int major) => _target.IsDotNet(major);

        /// <summary>"nothing when … (net10.0)": the claim for an allocation the runtime caches.</summary>
        public string Cached(string cost) => cost + _target.MessageSuffix;

        /// <summary>True for the claims whose cost the JIT may remove in the optimized code users ship: no pooling fix for them.</summary>
        public static bool JitMayRemove(AllocationClaim claim) => claim is AllocationClaim.MayBeRemoved or AllocationClaim.RemovedWhenOptimized;

        /// <summary>A "may be removed" or "cached" claim is a suggestion (unless the user configured the ID's severity): nothing to fix yet.</summary>
        public static Diagnostic Create(DiagnosticDescriptor descriptor, Location location, AllocationClaim claim, System.Collections.Immutable.ImmutableDictionary<string, string?> properties, params object[] args)
            => JitMayRemove(claim) || claim == AllocationClaim.Cached
                ? Diagnostic.Create(descriptor, location, DiagnosticSeverity.Info, additionalLocations: null, properties, args)
                : Diagnostic.Create(descriptor, location, properties, args);
    }
}
