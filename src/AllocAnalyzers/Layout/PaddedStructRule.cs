using System.Collections.Immutable;
using System.Globalization;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// ALLOC301: a sequential struct (no references, not Explicit, not InlineArray, not Auto) whose declared field
    /// order makes CoreCLR insert padding that ordering by alignment removes.
    /// ALLOC303: an auto-layout struct (holding references, or declared Auto) whose value-type fields, which the
    /// runtime places last in declaration order, leave padding that another order of them removes.
    /// </summary>
    internal static class PaddedStructRule
    {
        public static ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PaddedStruct, Descriptors.PaddedAutoLayoutStruct);

        public static void AnalyzeType(SymbolAnalysisContext context, LayoutEngine engine, InteropUsage interop)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            // The fix reorders the part that declares the fields: when that part is generated, there is nothing to report
            // (the driver keeps analyzers out of generated code, but this site can be another part than the one analysed).
            if (type.TypeKind != TypeKind.Struct || IsPositionalRecord(type) || !TryGetReportSite(type, out var declaration)
                || GeneratedFiles.IsGenerated(declaration.SyntaxTree, context.Options, context.CancellationToken)
                || RuleSwitch.AllOff(context.Compilation, declaration.SyntaxTree, SupportedDiagnostics, context.CancellationToken))
            {
                return;
            }

            var plan = ReorderPlan.Create(engine, type);
            if (plan == null)
            {
                return;
            }

            bool sequential = plan.Current.Algorithm == LayoutAlgorithm.Sequential;
            var options = context.Options.AnalyzerConfigOptionsProvider.ForTree(declaration.SyntaxTree);
            if ((sequential && plan.Declared.KindWritten && !AllocOptions.LayoutIncludeDeclaredSequential.Read(options))
                || plan.Saving < AllocOptions.LayoutMinSavingBytes.Read(options)
                || (sequential && interop.IsUsedInInterop(type, context.CancellationToken)))
            {
                return;
            }

            var properties = ImmutableDictionary.CreateRange(new[]
            {
                new System.Collections.Generic.KeyValuePair<string, string?>(StructLayoutAnalyzer.CurrentSizeProperty, plan.Current.Size.ToString(CultureInfo.InvariantCulture)),
                new System.Collections.Generic.KeyValuePair<string, string?>(StructLayoutAnalyzer.OptimalSizeProperty, plan.Optimal.Size.ToString(CultureInfo.InvariantCulture)),
            });
            context.ReportDiagnostic(Diagnostic.Create(
                sequential ? Descriptors.PaddedStruct : Descriptors.PaddedAutoLayoutStruct,
                declaration.Identifier.GetLocation(),
                properties,
                type.Name,
                plan.Current.Size,
                plan.Optimal.Size,
                plan.Saving,
                (int)System.Math.Round(100.0 * plan.Saving / plan.Current.Size)));
        }

        private static bool IsPositionalRecord(INamedTypeSymbol type)
        {
            if (!type.IsRecord)
            {
                return false;
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax { ParameterList: { } })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The declaration that holds the first instance field (the right document for a partial struct).</summary>
        private static bool TryGetReportSite(INamedTypeSymbol type, out TypeDeclarationSyntax declaration)
        {
            declaration = null!;
            foreach (var field in LayoutEngine.GetInstanceFields(type))
            {
                var fieldSymbol = field.AssociatedSymbol ?? field;
                foreach (var reference in fieldSymbol.DeclaringSyntaxReferences)
                {
                    for (var node = reference.GetSyntax(); node != null; node = node.Parent)
                    {
                        if (node is TypeDeclarationSyntax typeDeclaration)
                        {
                            declaration = typeDeclaration;
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }
}
