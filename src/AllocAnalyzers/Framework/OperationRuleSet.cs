using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// The rules of one family, run from a single operation action per block: the driver walks a block's operations
    /// once for the family and dispatches each to the checks of its kind, instead of once per rule with an action,
    /// a closure and a kind table each. One analyzer per family also halves what the driver spends per analyzer
    /// (block starts, action sets), which the speed benchmark measures. A rule the build turns off for a file
    /// (<see cref="RuleSwitch"/>) runs no checks there, as a rule with an analyzer of its own would not.
    /// </summary>
    internal sealed class OperationRuleSet<TScope>
    {
        private readonly OperationRule<TScope>[] _rules;
        private readonly ConcurrentDictionary<int, OperationDispatch<TScope>> _dispatchByRules = new ConcurrentDictionary<int, OperationDispatch<TScope>>();

        public OperationRuleSet(params OperationRule<TScope>[] rules)
        {
            if (rules.Length > 31)
            {
                throw new ArgumentException("at most 31 rules per family", nameof(rules));
            }

            _rules = rules;
            SupportedDiagnostics = rules.SelectMany(rule => rule.SupportedDiagnostics).ToImmutableArray();
        }

        public ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

        /// <summary>The family's rules for one compilation: which are on is decided once per file.</summary>
        public Enabled For(Compilation compilation) => new Enabled(this, compilation);

        /// <summary>The dispatch for the rules whose bits are set in <paramref name="rules"/> (built once per combination).</summary>
        private OperationDispatch<TScope> Dispatch(int rules)
        {
            if (!_dispatchByRules.TryGetValue(rules, out var dispatch))
            {
                var chosen = new System.Collections.Generic.List<OperationRule<TScope>>();
                for (int index = 0; index < _rules.Length; index++)
                {
                    if ((rules & (1 << index)) != 0)
                    {
                        chosen.Add(_rules[index]);
                    }
                }

                dispatch = _dispatchByRules.GetOrAdd(rules, new OperationDispatch<TScope>(chosen));
            }

            return dispatch;
        }

        /// <summary>The rules a compilation has on, by file.</summary>
        internal sealed class Enabled
        {
            private readonly OperationRuleSet<TScope> _set;
            private readonly Compilation _compilation;
            private readonly ConcurrentDictionary<SyntaxTree, OperationDispatch<TScope>> _byTree = new ConcurrentDictionary<SyntaxTree, OperationDispatch<TScope>>();

            public Enabled(OperationRuleSet<TScope> set, Compilation compilation)
            {
                _set = set;
                _compilation = compilation;
            }

            /// <summary>Runs the checks of every rule that is on in the block's file on its operations, with <paramref name="scope"/>.</summary>
            public void Register(OperationBlockStartAnalysisContext block, TScope scope)
            {
                var tree = block.OperationBlocks.IsEmpty ? block.OwningSymbol.DeclaringTree() : block.OperationBlocks[0].Syntax.SyntaxTree;
                var dispatch = tree == null ? _set.Dispatch(AllRules) : ForTree(tree, block.CancellationToken);
                if (!dispatch.Kinds.IsEmpty)
                {
                    block.RegisterOperationAction(context => dispatch.Run(context, scope), dispatch.Kinds);
                }

                if (dispatch.HasBlockEnd)
                {
                    block.RegisterOperationBlockEndAction(context => dispatch.RunAtBlockEnd(context, scope));
                }
            }

            private int AllRules => (1 << _set._rules.Length) - 1;

            private OperationDispatch<TScope> ForTree(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
            {
                if (!_byTree.TryGetValue(tree, out var dispatch))
                {
                    dispatch = _byTree.GetOrAdd(tree, _set.Dispatch(RulesOn(tree, cancellationToken)));
                }

                return dispatch;
            }

            private int RulesOn(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
            {
                int bits = 0;
                for (int index = 0; index < _set._rules.Length; index++)
                {
                    if (!RuleSwitch.AllOff(_compilation, tree, _set._rules[index].SupportedDiagnostics, cancellationToken))
                    {
                        bits |= 1 << index;
                    }
                }

                return bits;
            }
        }
    }
}
