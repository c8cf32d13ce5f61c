using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.CodeFixes
{
    /// <summary>
    /// What both Fix Alls do first: mark each diagnostic's node with an annotation, so that every site can be found
    /// again after the fixes applied before it. Sites come last to first (a fix then never moves a site still to come),
    /// one per node.
    /// </summary>
    internal static class FixSites
    {
        public static (SyntaxNode Root, List<(SyntaxAnnotation Annotation, Diagnostic Diagnostic)> Sites) Annotate(SyntaxNode root, IEnumerable<Diagnostic> diagnostics)
        {
            var annotated = new Dictionary<SyntaxNode, SyntaxAnnotation>();
            var sites = new List<(SyntaxAnnotation, Diagnostic)>();
            foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start))
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                if (!annotated.ContainsKey(node))
                {
                    annotated[node] = new SyntaxAnnotation();
                    sites.Add((annotated[node], diagnostic));
                }
            }

            return (root.ReplaceNodes(annotated.Keys, (node, rewritten) => rewritten.WithAdditionalAnnotations(annotated[node])), sites);
        }
    }
}
