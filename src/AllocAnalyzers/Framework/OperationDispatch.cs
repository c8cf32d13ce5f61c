using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>The checks of some rules of a family, by operation kind: what one operation action runs.</summary>
    internal sealed class OperationDispatch<TScope>
    {
        private readonly Action<OperationAnalysisContext, TScope>[][] _checksByKind;
        private readonly Action<OperationBlockAnalysisContext, TScope>[] _atBlockEnd;

        public OperationDispatch(IEnumerable<OperationRule<TScope>> rules)
        {
            var checks = new OperationChecks<TScope>();
            foreach (var rule in rules)
            {
                rule.AddChecks(checks);
            }

            Kinds = checks.ByKind.Keys.ToImmutableArray();
            _atBlockEnd = checks.AtEnd.ToArray();
            _checksByKind = new Action<OperationAnalysisContext, TScope>[Kinds.IsEmpty ? 0 : Kinds.Max(kind => (int)kind) + 1][];
            foreach (var entry in checks.ByKind)
            {
                _checksByKind[(int)entry.Key] = entry.Value.ToArray();
            }
        }

        /// <summary>The operation kinds to register for (empty: nothing to run).</summary>
        public ImmutableArray<OperationKind> Kinds { get; }

        /// <summary>True when some rule looks at the block as a whole at its end.</summary>
        public bool HasBlockEnd => _atBlockEnd.Length > 0;

        public void RunAtBlockEnd(OperationBlockAnalysisContext context, TScope scope)
        {
            foreach (var check in _atBlockEnd)
            {
                check(context, scope);
            }
        }

        public void Run(OperationAnalysisContext context, TScope scope)
        {
            foreach (var check in _checksByKind[(int)context.Operation.Kind])
            {
                check(context, scope);
            }
        }
    }
}
