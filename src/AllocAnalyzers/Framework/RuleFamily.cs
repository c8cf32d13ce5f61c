using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// How every family's analyzer registers: its rules (<see cref="OperationRule{TScope}"/>) run from one operation
    /// action per block, with the scope the family makes for that block (null: nothing to look at there, and nothing is
    /// registered). The analyzer holds one of these and forwards <c>SupportedDiagnostics</c> and compilation start to it.
    /// At compilation start the family's <c>start</c> makes what its scopes share in that compilation and returns how to
    /// make a block's scope.
    /// </summary>
    internal sealed class RuleFamily<TScope>
        where TScope : class
    {
        private readonly OperationRuleSet<TScope> _rules;
        private readonly Func<Compilation, FamilyServices, BlockScopeFactory<TScope>> _start;

        public RuleFamily(Func<Compilation, FamilyServices, BlockScopeFactory<TScope>> start, params OperationRule<TScope>[] rules)
        {
            _start = start;
            _rules = new OperationRuleSet<TScope>(rules);
        }

        public ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _rules.SupportedDiagnostics;

        /// <summary>Registers the family's block actions for one compilation and returns the services its scopes share.</summary>
        public FamilyServices Register(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var services = new FamilyServices(context.Compilation, context.Options, knownTypes);
            var rules = _rules.For(context.Compilation);
            var scopeFor = _start(context.Compilation, services);
            context.RegisterOperationBlockStartAction(block =>
            {
                if (!block.OperationBlocks.IsEmpty && scopeFor(new BlockStart(block.OwningSymbol, block.OperationBlocks[0].Syntax.SyntaxTree, block.Options, block.CancellationToken)) is { } scope)
                {
                    rules.Register(block, scope);
                }
            });
            return services;
        }
    }
}
