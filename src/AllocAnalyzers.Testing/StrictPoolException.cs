using System;
using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Testing
{
    /// <summary>Thrown by a strict pool for a violation at the offending call, and by Verify for all it found.</summary>
    public sealed class StrictPoolException : InvalidOperationException
    {
        internal StrictPoolException(IReadOnlyList<PoolViolation> violations)
            : base(Describe(violations))
        {
            Violations = violations;
        }

        /// <summary>The violations, in the order they happened.</summary>
        public IReadOnlyList<PoolViolation> Violations { get; }

        internal static void ThrowIfAny(IReadOnlyList<PoolViolation> violations)
        {
            if (violations.Count > 0)
            {
                throw new StrictPoolException(violations);
            }
        }

        private static string Describe(IReadOnlyList<PoolViolation> violations)
            => violations.Count == 1
                ? violations[0].ToString()
                : violations.Count + " pool violations:" + Environment.NewLine + Environment.NewLine
                    + string.Join(Environment.NewLine + Environment.NewLine, violations.Select(v => v.ToString()));
    }
}
