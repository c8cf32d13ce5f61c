using System.Collections.Generic;
using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// ALLOC104: a lambda or anonymous method that captures locals or parameters (a closure object and a delegate per
    /// execution), reported at the lambda with the captured variables named. ALLOC105: a delegate allocated without a
    /// closure: a lambda capturing only <c>this</c>, or an instance method group (static method groups are cached by
    /// C# 11 and later; non-capturing lambdas always are).
    /// </summary>
    internal sealed class ClosureAllocationRule : OperationRule<HotAllocationScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(Descriptors.ClosureAllocation, Descriptors.DelegateAllocation);

        public override void AddChecks(OperationChecks<HotAllocationScope> checks)
            => checks.On(AnalyzeDelegateCreation, OperationKind.DelegateCreation);

        private static void AnalyzeDelegateCreation(OperationAnalysisContext context, HotAllocationScope scope)
        {
            var creation = (IDelegateCreationOperation)context.Operation;
            switch (creation.Target)
            {
                case IAnonymousFunctionOperation lambda:
                    AnalyzeLambda(context, scope, creation, lambda);
                    break;
                case IMethodReferenceOperation { Method: { } method } reference:
                    bool cached = method.IsStatic && reference.Syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp11 };
                    if (cached)
                    {
                        break;
                    }

                    string conversion = "The conversion of " + (method.MethodKind == MethodKind.LocalFunction ? "local function '" : "method group '") + method.Name + "' to " + (creation.Type is { } delegateType ? scope.Display.Of(delegateType) : "a delegate");
                    if (method.MethodKind == MethodKind.LocalFunction && FindLocalFunction(creation, method) is { } localFunction
                        && Captured(localFunction, localFunction.Syntax.Span) is { } captured && captured.Exists(s => s is not INamedTypeSymbol))
                    {
                        // Converted to a delegate, a capturing local function's variables move to a closure class.
                        ReportClosure(context, scope, creation, reference.Syntax.GetLocation(), conversion + ", capturing", captured);
                        break;
                    }

                    // A method group, or a local function that is not static (measured: a new delegate each time).
                    scope.Report(context, Descriptors.DelegateAllocation, creation, reference.Syntax.GetLocation(), conversion,
                        "a delegate (" + AllocationCost.Bytes(AllocationCost.DelegateBytes) + ")", AllocationCost.DelegateBytes, creation);
                    break;
            }
        }

        /// <summary>The declaration of local function <paramref name="method"/> in the operation tree of <paramref name="use"/>.</summary>
        private static ILocalFunctionOperation? FindLocalFunction(IOperation use, IMethodSymbol method)
        {
            var root = use;
            while (root.Parent != null)
            {
                root = root.Parent;
            }

            foreach (var operation in root.Descendants())
            {
                if (operation is ILocalFunctionOperation localFunction && SymbolEqualityComparer.Default.Equals(localFunction.Symbol, method.OriginalDefinition))
                {
                    return localFunction;
                }
            }

            return null;
        }

        private static void AnalyzeLambda(OperationAnalysisContext context, HotAllocationScope scope, IDelegateCreationOperation creation, IAnonymousFunctionOperation lambda)
        {
            var syntax = lambda.Syntax;
            if (lambda.Symbol.IsStatic)
            {
                return;
            }

            var captured = Captured(lambda.Body, syntax.Span);
            if (captured.Count == 0)
            {
                return;
            }

            var location = Location.Create(syntax.SyntaxTree, HeaderSpan(syntax));
            if (!captured.Exists(s => s is not INamedTypeSymbol))
            {
                scope.Report(context, Descriptors.DelegateAllocation, creation, location, "The lambda capturing only 'this'",
                    "a delegate (" + AllocationCost.Bytes(AllocationCost.DelegateBytes) + ")", AllocationCost.DelegateBytes, creation);
                return;
            }

            ReportClosure(context, scope, creation, location, "The lambda capturing", captured);
        }

        /// <summary>ALLOC104: the closure holding <paramref name="captured"/> and the delegate over it.</summary>
        private static void ReportClosure(OperationAnalysisContext context, HotAllocationScope scope, IDelegateCreationOperation creation, Location location, string what, List<ISymbol> captured)
        {
            int? closure = ClosureBytes(scope.Engine, captured);
            var text = new System.Text.StringBuilder(what);
            string separator = " ";
            foreach (var variable in captured)
            {
                if (variable is not INamedTypeSymbol)
                {
                    text.Append(separator).Append('\'').Append(variable.Name).Append('\'');
                    separator = ", ";
                }
            }

            scope.ReportClosure(context, creation, location, text.ToString(), closure);
        }

        /// <summary>
        /// The variables (and <c>this</c>) a lambda or local function (<paramref name="body"/>, declared over
        /// <paramref name="span"/>) uses that are declared outside it, found by walking its operation tree (no data-flow
        /// analysis: this runs for every lambda in hot code).
        /// </summary>
        private static List<ISymbol> Captured(IOperation body, TextSpan span)
        {
            var result = new List<ISymbol>();
            foreach (var operation in body.Descendants())
            {
                ISymbol? symbol = operation switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } instance => instance.Type,
                    _ => null,
                };
                if (symbol != null && !Contains(result, symbol) && (symbol is INamedTypeSymbol || !IsDeclaredWithin(symbol, span)))
                {
                    result.Add(symbol);
                }
            }

            return result;
        }

        // Loops rather than LINQ: these run for every variable reference in every lambda of hot code.
        private static bool Contains(List<ISymbol> symbols, ISymbol symbol)
        {
            foreach (var known in symbols)
            {
                if (SymbolEqualityComparer.Default.Equals(known, symbol))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsDeclaredWithin(ISymbol symbol, TextSpan span)
        {
            foreach (var location in symbol.Locations)
            {
                if (span.Contains(location.SourceSpan))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The closure class: a header, a method table pointer and one field per captured variable.</summary>
        private static int? ClosureBytes(LayoutEngine engine, List<ISymbol> captured)
        {
            var layouts = ImmutableArray.CreateBuilder<TypeLayout>();
            foreach (var symbol in captured)
            {
                var type = symbol is ILocalSymbol local ? local.Type : symbol is IParameterSymbol parameter ? parameter.Type : null;
                if (symbol is INamedTypeSymbol)
                {
                    // 'this', held by the closure as a reference.
                    layouts.Add(TypeLayout.Reference);
                }
                else if (type != null && engine.TryGetFieldLayout(type, out var layout))
                {
                    layouts.Add(layout);
                }
                else
                {
                    return null;
                }
            }

            return System.Math.Max(24, LayoutRules.AlignUp(16 + LayoutRules.AutoFrom(0, layouts.ToImmutable()), 8));
        }

        private static TextSpan HeaderSpan(SyntaxNode lambda)
        {
            switch (lambda)
            {
                case LambdaExpressionSyntax expression:
                    return TextSpan.FromBounds(expression.SpanStart, expression.ArrowToken.Span.End);
                case AnonymousMethodExpressionSyntax anonymous:
                    return anonymous.DelegateKeyword.Span;
                default:
                    return lambda.Span;
            }
        }
    }
}
