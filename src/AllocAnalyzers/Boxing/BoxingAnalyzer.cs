using System.Collections.Immutable;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Escape;
using AllocAnalyzers.HotPaths;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// The ALLOC2xx family: boxing (<see cref="BoxingConversionRule"/>, <see cref="BoxingCallRule"/>,
    /// <see cref="BoxingEnumerationRule"/>), run from one operation action per block. Boxing is reported everywhere: as
    /// a warning in hot code (with the reason) and as a suggestion elsewhere; a severity configured for the ID applies
    /// to both.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BoxingAnalyzer : AllocDiagnosticAnalyzer
    {
        private static readonly OperationRuleSet<BoxingScope> Rules = new OperationRuleSet<BoxingScope>(
            new BoxingConversionRule(), new BoxingCallRule(), new BoxingEnumerationRule());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Rules.SupportedDiagnostics;

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
        {
            var engine = LayoutEngine.For(context.Compilation);
            var rules = Rules.For(context.Compilation);
            var summaries = MethodSummaries.For(context.Compilation);
            var target = TargetRuntime.For(context.Compilation, context.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            context.RegisterOperationBlockStartAction(block =>
            {
                if (block.OperationBlocks.IsEmpty)
                {
                    return;
                }

                var hot = HotCode.For(block.OwningSymbol, block.Options, knownTypes, block.CancellationToken);
                var claims = new AllocationClaims(target, block.Options.AnalyzerConfigOptionsProvider.ForTree(block.OperationBlocks[0].Syntax.SyntaxTree));
                rules.Register(block, new BoxingScope(hot, engine, knownTypes, summaries, claims));
            });
        }
    }

    /// <summary>Hotness of one block, layouts and reporting for the boxing rules.</summary>
    internal sealed class BoxingScope
    {
        public BoxingScope(HotCode? hot, LayoutEngine engine, KnownTypes knownTypes, MethodSummaries summaries, AllocationClaims claims)
        {
            Summaries = summaries;
            Claims = claims;
            Hot = hot;
            Engine = engine;
            KnownTypes = knownTypes;
        }

        public HotCode? Hot { get; }

        public LayoutEngine Engine { get; }

        public KnownTypes KnownTypes { get; }

        /// <summary>What the messages claim on the target: every execution, or removed by the JIT.</summary>
        public AllocationClaims Claims { get; }

        private MethodSummaries Summaries { get; }

        /// <summary>The block's variable references, for the JIT's view of where a box goes.</summary>
        private VariableReferences.Cache References { get; } = new VariableReferences.Cache();

        /// <summary>"24 bytes" for a box of <paramref name="valueType"/> (a <c>T?</c> boxes its <c>T</c>), or "a box".</summary>
        public string BoxCost(ITypeSymbol valueType, out int? bytes)
        {
            var boxed = valueType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : valueType;
            bytes = Engine.TryGetFieldLayout(boxed, out var layout) ? AllocationCost.BoxBytes(layout.Size) : (int?)null;
            return bytes == null ? "a box" : AllocationCost.Bytes(bytes.Value);
        }

        /// <summary>
        /// Reports a box: a warning naming the reason in hot code, a suggestion elsewhere. A cost paid wherever the
        /// value is later used, not where it is written (<paramref name="paidElsewhere"/>), is always a warning.
        /// </summary>
        public void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IOperation operation, Location location, string what, ITypeSymbol from, string into, string cost, int? bytes, string? paidElsewhere = null)
        {
            string reason = string.Empty;
            bool hot = paidElsewhere != null || (Hot != null && Hot.IsHot(operation, out reason));
            string why = paidElsewhere ?? (hot ? "hot: " + reason : "not on a hot path");
            // Outside hot code the suggestion names the box and its size, not how often it runs: the JIT model (which
            // follows the box through the method) is evaluated only where the claim leads to a warning or a fix.
            var claim = AllocationClaim.EveryExecution;
            string claimed = cost;
            if (hot)
            {
                claim = Claims.Judge(JitStackAllocation.KindOf(descriptor, operation), operation, bytes, cost, () => EscapeAnalysis.StaysInJitFrame(operation, References, Summaries, delegateInvokeIsLocal: false), out claimed);
            }

            // The box is an object of the value type itself (what a profile of the program calls it).
            var properties = AllocationProperties.For(null, bytes, claim, RuntimeTypeName.Of(from));
            var args = new object[] { what, from.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), into, claimed, why };
            context.ReportDiagnostic(hot
                ? AllocationClaims.Create(descriptor, location, claim, properties, args)
                : Diagnostic.Create(descriptor, location, DiagnosticSeverity.Info, additionalLocations: null, properties, args));
        }
    }
}
