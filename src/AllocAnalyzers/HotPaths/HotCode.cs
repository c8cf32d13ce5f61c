using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// The hot part of one operation block, as <see cref="HotPathModel"/> decided it once at block start (so cold code
    /// costs one lookup): the whole body when its member is hot, otherwise only local functions marked hot inside it.
    /// Within that, <see cref="ColdCode"/> is cold.
    /// </summary>
    internal sealed class HotCode
    {
        private readonly string _reason;
        private readonly ImmutableArray<(TextSpan Span, string Reason)> _hotLocalFunctions;
        private readonly ColdCode _cold;

        internal HotCode(string reason, ImmutableArray<(TextSpan, string)> hotLocalFunctions, ColdCode cold)
        {
            _reason = reason;
            _hotLocalFunctions = hotLocalFunctions;
            _cold = cold;
        }

        /// <summary>
        /// The hot code of the block owned by <paramref name="owningSymbol"/>, or null when none of it is hot (register
        /// nothing then). Decided once per body and compilation by the model: every family asks, and all get the same answer.
        /// </summary>
        public static HotCode? For(ISymbol owningSymbol, AnalyzerOptions options, KnownTypes knownTypes, CancellationToken cancellationToken)
            => HotPathModel.For(knownTypes.Compilation, options).CodeOf(owningSymbol, cancellationToken);

        /// <summary>True when <paramref name="operation"/> runs on the hot path; <paramref name="reason"/> says why.</summary>
        public bool IsHot(IOperation operation, out string reason)
        {
            reason = _reason;
            if (_cold.Contains(operation))
            {
                return false;
            }

            if (_hotLocalFunctions.IsEmpty)
            {
                return true;
            }

            foreach (var (span, localReason) in _hotLocalFunctions)
            {
                if (span.Contains(operation.Syntax.Span))
                {
                    reason = localReason;
                    return true;
                }
            }

            return false;
        }
    }
}
