using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.HotPaths
{
    /// <summary>
    /// The hot part of one operation block, decided once at block start (so cold code costs one lookup): the whole
    /// body when its member is hot, otherwise only local functions marked hot inside it. Within that, code in
    /// <c>throw</c>, in <c>catch</c> blocks, in exception constructors and in local functions marked cold is cold, and
    /// attribute arguments are not code at all.
    /// </summary>
    internal sealed class HotCode
    {
        private readonly string _reason;
        private readonly ImmutableArray<(TextSpan Span, string Reason)> _hotLocalFunctions;
        private readonly KnownTypes _knownTypes;

        private HotCode(string reason, ImmutableArray<(TextSpan, string)> hotLocalFunctions, KnownTypes knownTypes)
        {
            _reason = reason;
            _hotLocalFunctions = hotLocalFunctions;
            _knownTypes = knownTypes;
        }

        /// <summary>
        /// The hot code of the block, or null when none of it is hot (register nothing then). Decided once per body and
        /// compilation: every rule's block start asks, and all get the same answer.
        /// </summary>
        public static HotCode? For(ISymbol owningSymbol, AnalyzerOptions options, KnownTypes knownTypes, CancellationToken cancellationToken)
        {
            var model = HotPathModel.For(knownTypes.Compilation, options);
            if (model.HotCodeByBody.TryGetValue(owningSymbol, out var known))
            {
                return known;
            }

            var hotCode = Decide(owningSymbol, model, knownTypes, cancellationToken);
            model.HotCodeByBody.TryAdd(owningSymbol, hotCode);
            return hotCode;
        }

        private static HotCode? Decide(ISymbol owningSymbol, HotPathModel model, KnownTypes knownTypes, CancellationToken cancellationToken)
        {
            if (model.IsHot(owningSymbol, cancellationToken, out var reason))
            {
                return new HotCode(reason, ImmutableArray<(TextSpan, string)>.Empty, knownTypes);
            }

            // Local functions marked hot inside a member that is not.
            var hotLocalFunctions = ImmutableArray<(TextSpan, string)>.Empty;
            foreach (var reference in owningSymbol.DeclaringSyntaxReferences)
            {
                foreach (var declaration in HotPathMarkers.HotDeclarations(reference.SyntaxTree, cancellationToken))
                {
                    if (declaration is LocalFunctionStatementSyntax localFunction && reference.Span.Contains(localFunction.Span))
                    {
                        HotPathMarkers.FindEnclosing(localFunction, out var localReason);
                        hotLocalFunctions = hotLocalFunctions.Add((localFunction.Span, "local function " + localFunction.Identifier.ValueText + " " + localReason));
                    }
                }
            }

            return hotLocalFunctions.IsEmpty ? null : new HotCode(string.Empty, hotLocalFunctions, knownTypes);
        }

        /// <summary>True when <paramref name="operation"/> runs on the hot path; <paramref name="reason"/> says why.</summary>
        public bool IsHot(IOperation operation, out string reason)
        {
            reason = _reason;
            if (IsInColdRegion(operation))
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

        private bool IsInColdRegion(IOperation operation)
        {
            if (operation.Syntax.FirstAncestorOrSelf<AttributeSyntax>() != null)
            {
                // Attribute arguments are metadata, not code that runs.
                return true;
            }

            for (var current = operation; current != null; current = current.Parent)
            {
                switch (current)
                {
                    case IThrowOperation _:
                    case ICatchClauseOperation _:
                        return true;
                    case IObjectCreationOperation creation when _knownTypes.IsException(creation.Type):
                        return true;
                    case ILocalFunctionOperation localFunction when localFunction.Syntax is LocalFunctionStatementSyntax syntax
                                                                    && HotPathMarkers.Read(syntax.AttributeLists, out _) == HotMarker.Cold:
                        return true;
                }
            }

            return false;
        }

    }
}
