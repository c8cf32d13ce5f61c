using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Escape
{
    /// <summary>
    /// The JIT's own escape question for one allocation (<see cref="EscapeAnalysis.StaysInJitFrame"/>), carried to
    /// <see cref="Cost.JitStackAllocation"/> unasked: it follows the value through the method, so it is asked only if
    /// the cheaper conditions hold. A value, not a delegate over a closure: making it for every report allocates nothing.
    /// </summary>
    internal readonly struct JitFrameQuestion
    {
        private readonly IOperation _allocation;
        private readonly VariableReferences.Cache _references;
        private readonly MethodSummaries _summaries;
        private readonly bool _delegateInvokeIsLocal;

        public JitFrameQuestion(IOperation allocation, VariableReferences.Cache references, MethodSummaries summaries, bool delegateInvokeIsLocal)
        {
            _allocation = allocation;
            _references = references;
            _summaries = summaries;
            _delegateInvokeIsLocal = delegateInvokeIsLocal;
        }

        /// <summary>True when the value goes nowhere the JIT's escape analysis cannot see.</summary>
        public bool StaysInFrame() => EscapeAnalysis.StaysInJitFrame(_allocation, _references, _summaries, _delegateInvokeIsLocal);
    }
}
