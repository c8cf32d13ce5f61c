using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>Everything the package ships, found by reflection so meta-tests cover new rules without edits.</summary>
    internal static class RuleCatalog
    {
        public static Assembly AnalyzerAssembly => typeof(Descriptors).Assembly;

        public static Assembly CodeFixAssembly => typeof(AllocAnalyzers.CodeFixes.Layout.ReorderStructFieldsCodeFix).Assembly;

        public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = typeof(global::AllocAnalyzers.Descriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

        public static ImmutableArray<Type> AnalyzerTypes { get; } = AnalyzerAssembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();

        public static ImmutableArray<Type> CodeFixTypes { get; } = CodeFixAssembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();

        public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers()
            => AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

        public static ImmutableArray<CodeFixProvider> CreateCodeFixes()
            => CodeFixTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

        public static bool HasCodeFix(string id) => CreateCodeFixes().Any(f => f.FixableDiagnosticIds.Contains(id));
    }
}
