using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>The checks of a family's rules, by operation kind, collected once when the analyzer is created.</summary>
    internal sealed class OperationChecks<TScope>
    {
        private readonly List<Action<OperationBlockAnalysisContext, TScope>> _atBlockEnd = new List<Action<OperationBlockAnalysisContext, TScope>>();
        private readonly Dictionary<OperationKind, List<Action<OperationAnalysisContext, TScope>>> _byKind = new Dictionary<OperationKind, List<Action<OperationAnalysisContext, TScope>>>();

        /// <summary>Runs <paramref name="check"/> on every operation of the given kinds.</summary>
        public void On(Action<OperationAnalysisContext, TScope> check, params OperationKind[] kinds)
        {
            foreach (var kind in kinds)
            {
                if (!_byKind.TryGetValue(kind, out var checks))
                {
                    _byKind.Add(kind, checks = new List<Action<OperationAnalysisContext, TScope>>());
                }

                checks.Add(check);
            }
        }

        /// <summary>
        /// Runs <paramref name="check"/> once at the end of each block the family looks at, after its operation checks:
        /// for a rule that follows the whole block (a control-flow graph) once its operations said it is worth it.
        /// </summary>
        public void AtBlockEnd(Action<OperationBlockAnalysisContext, TScope> check) => _atBlockEnd.Add(check);

        internal IReadOnlyDictionary<OperationKind, List<Action<OperationAnalysisContext, TScope>>> ByKind => _byKind;

        internal IReadOnlyList<Action<OperationBlockAnalysisContext, TScope>> AtEnd => _atBlockEnd;
    }
}
