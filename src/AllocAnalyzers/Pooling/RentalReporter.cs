using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// Reports the rental findings of one control-flow graph: only on the final replay of the analysis (never while it
    /// iterates to its fixed point), once per site, never for a rental the analysis lost track of, and with the
    /// property that tells the fix whether it may rewrite.
    /// </summary>
    internal sealed class RentalReporter
    {
        private readonly Action<Diagnostic> _report;
        private readonly HashSet<IOperation> _reported = new HashSet<IOperation>();

        public RentalReporter(Action<Diagnostic> report)
        {
            _report = report;
        }

        /// <summary>True on the final replay: transfers report what they find.</summary>
        public bool Reporting { get; set; }

        public void Report(DiagnosticDescriptor descriptor, IOperation at, Rental rental, string detail)
        {
            if (!Reporting || rental.Lost || !_reported.Add(at))
            {
                return;
            }

            _report(Diagnostic.Create(descriptor, at.Syntax.GetLocation(), RentalProperties.For(rental.Fixable), rental.Local.Name, rental.PoolText, detail));
        }

        /// <summary>The path by which <paramref name="exit"/> leaves the method, in words.</summary>
        public static string Describe(BasicBlock block, ControlFlowBranch exit, SyntaxNode root, int rentPosition, int blockCount)
        {
            if (exit.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                return "the path through the throw at line " + Line(block.BranchValue ?? block.Operations.LastOrDefault());
            }

            var last = block.BranchValue ?? block.Operations.LastOrDefault();
            if (last?.Syntax.FirstAncestorOrSelf<ReturnStatementSyntax>() is { } returnStatement)
            {
                return "the path through the return at line " + (returnStatement.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
            }

            bool early = exit == block.ConditionalSuccessor || block.Ordinal < blockCount - 2;
            if ((last == null || early) && FirstReturnAfter(root, rentPosition) is { } earlyReturn)
            {
                // A bare 'return;' leaves no operation in its block: name the first return after the rental.
                return "the path through the return at line " + (earlyReturn.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
            }

            return "the path that reaches the end of the method";
        }

        public static string Line(IOperation? operation)
            => operation == null ? "?" : (operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static SyntaxNode? FirstReturnAfter(SyntaxNode root, int position)
        {
            foreach (var node in root.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax || n is LocalFunctionStatementSyntax)))
            {
                if (node is ReturnStatementSyntax && node.SpanStart > position)
                {
                    return node;
                }
            }

            return null;
        }
    }
}
