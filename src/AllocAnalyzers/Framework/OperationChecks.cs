using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>The checks of a family's rules, by operation kind, collected once when the analyzer is created.</summary>
    internal sealed class OperationChecks<TScope>
    {
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

        internal IReadOnlyDictionary<OperationKind, List<Action<OperationAnalysisContext, TScope>>> ByKind => _byKind;
    }
}
