using System.Linq;
using System.Reflection;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Catalog
{
    /// <summary>Every analyzer and code fix follows the package's conventions, so new ones cannot forget them.</summary>
    public sealed class ConventionTests
    {
        [Fact]
        public void EveryAnalyzer_IsPublicSealed_CSharp_AndBuiltOnTheSharedBase()
        {
            Assert.NotEmpty(RuleCatalog.AnalyzerTypes);
            foreach (var type in RuleCatalog.AnalyzerTypes)
            {
                Assert.True(type.IsPublic && type.IsSealed, type.Name + " must be public sealed");
                Assert.True(typeof(AllocDiagnosticAnalyzer).IsAssignableFrom(type), type.Name + " must derive from AllocDiagnosticAnalyzer (concurrent, skips generated code)");
                var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
                Assert.NotNull(attribute);
                Assert.Equal(new[] { LanguageNames.CSharp }, attribute!.Languages);
                Assert.EndsWith("Analyzer", type.Name);
            }
        }

        [Fact]
        public void EveryDescriptor_IsReportedByExactlyOneAnalyzer()
        {
            var supported = RuleCatalog.CreateAnalyzers().SelectMany(a => a.SupportedDiagnostics).ToList();
            Assert.All(supported, d => Assert.Contains(d, RuleCatalog.Descriptors));
            foreach (var descriptor in RuleCatalog.Descriptors)
            {
                Assert.Single(supported, d => d.Id == descriptor.Id);
            }
        }

        /// <summary>
        /// Framework types are recognised through one list (Symbols/KnownTypeNames.cs) and resolved through one provider
        /// (Symbols/KnownTypes.cs): no other source file resolves a type by name or tests one against literal names.
        /// </summary>
        [Fact]
        public void KnownTypes_AreNamedInOneList_AndResolvedInOnePlace()
        {
            var root = System.IO.Path.Combine(TestEnvironment.RepositoryRoot, "src");
            var offenders = new System.Collections.Generic.List<string>();
            foreach (var project in new[] { "AllocAnalyzers", "AllocAnalyzers.CodeFixes" })
            {
                foreach (var file in System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(root, project), "*.cs", System.IO.SearchOption.AllDirectories))
                {
                    string relative = System.IO.Path.GetRelativePath(root, file).Replace('\\', '/');
                    if (relative.Contains("/obj/") || relative.Contains("/bin/") || relative == "AllocAnalyzers/Symbols/KnownTypes.cs")
                    {
                        continue;
                    }

                    string text = System.IO.File.ReadAllText(file);
                    if (text.Contains("GetTypeByMetadataName(") || text.Contains("IsNamedType(\""))
                    {
                        offenders.Add(relative);
                    }
                }
            }

            Assert.True(offenders.Count == 0, "resolve types through KnownTypes and name them in KnownTypeNames: " + string.Join(", ", offenders));
        }

        [Fact]
        public void EveryCodeFix_IsExported_FixesCatalogRules_AndSupportsFixAll()
        {
            Assert.NotEmpty(RuleCatalog.CodeFixTypes);
            var ids = RuleCatalog.Descriptors.Select(d => d.Id).ToHashSet();
            foreach (var type in RuleCatalog.CodeFixTypes)
            {
                Assert.True(type.IsPublic && type.IsSealed, type.Name + " must be public sealed");
                var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
                Assert.NotNull(export);
                Assert.Contains(LanguageNames.CSharp, export!.Languages);
                Assert.NotNull(type.GetCustomAttribute<System.Composition.SharedAttribute>());
                Assert.EndsWith("CodeFix", type.Name);
                var fix = (CodeFixProvider)System.Activator.CreateInstance(type)!;
                Assert.NotEmpty(fix.FixableDiagnosticIds);
                Assert.All(fix.FixableDiagnosticIds, id => Assert.Contains(id, ids));
                Assert.NotNull(fix.GetFixAllProvider());
                // The batch fixer keeps only actions with the Fix All's key; dotnet format passes the first diagnostic's
                // (none when that site has no fix), and then nothing is fixed (FixAllAsDotnetFormatTests).
                Assert.False(ReferenceEquals(WellKnownFixAllProviders.BatchFixer, fix.GetFixAllProvider()), type.Name + " uses the batch fixer");
            }
        }
    }
}
