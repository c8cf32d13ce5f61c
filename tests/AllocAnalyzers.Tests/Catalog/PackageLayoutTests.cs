using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Catalog
{
    /// <summary>The packed .nupkg is what an analyzer package must be: our two DLLs as analyzers, nothing that flows.</summary>
    public sealed class PackageLayoutTests
    {
        [Fact]
        public void Package_HoldsOnlyOurAnalyzerDlls_UnderAnalyzersDotnetCs()
        {
            using var package = ZipFile.OpenRead(TestEnvironment.PackagePath);
            var entries = package.Entries.Select(e => e.FullName).ToList();

            var dlls = entries.Where(e => e.EndsWith(".dll", System.StringComparison.OrdinalIgnoreCase)).OrderBy(e => e).ToList();
            Assert.Equal(new[] { "analyzers/dotnet/cs/AllocAnalyzers.CodeFixes.dll", "analyzers/dotnet/cs/AllocAnalyzers.dll" }, dlls);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", System.StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(entries, e => e.StartsWith("ref/", System.StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public void Package_ShipsThePostureSwitch_WithEveryRuleInStrictAndAudit()
        {
            using var package = ZipFile.OpenRead(TestEnvironment.PackagePath);
            var entries = package.Entries.ToDictionary(e => e.FullName);
            Assert.Contains("build/AllocAnalyzers.targets", entries.Keys);
            foreach (var mode in new[] { "default", "strict", "audit" })
            {
                Assert.Contains("build/config/" + mode + ".globalconfig", entries.Keys);
            }

            foreach (var mode in new[] { "strict", "audit" })
            {
                using var reader = new StreamReader(entries["build/config/" + mode + ".globalconfig"].Open());
                var text = reader.ReadToEnd();
                Assert.Contains("is_global = true", text);
                foreach (var descriptor in RuleCatalog.Descriptors)
                {
                    Assert.Contains("dotnet_diagnostic." + descriptor.Id + ".severity = ", text);
                }
            }
        }

        [Fact]
        public void Nuspec_IsADevelopmentDependency_WithNoDependencies()
        {
            using var package = ZipFile.OpenRead(TestEnvironment.PackagePath);
            var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", System.StringComparison.Ordinal));
            using var stream = nuspecEntry.Open();
            var nuspec = XDocument.Load(stream);
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");

            Assert.Equal("AllocAnalyzers", metadata.Elements().Single(e => e.Name.LocalName == "id").Value);
            Assert.Equal("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
            Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency" || e.Name.LocalName == "dependencies");
        }

        [Fact]
        public void AnalyzerAssembly_DoesNotReferenceWorkspaces()
        {
            var references = RuleCatalog.AnalyzerAssembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.Contains("Microsoft.CodeAnalysis.CSharp", references);
            Assert.DoesNotContain(references, name => name!.Contains("Workspaces"));
        }

        [Fact]
        public void AnalyzerAssemblies_CompileAgainstTheRoslynFloor()
        {
            foreach (var assembly in new[] { RuleCatalog.AnalyzerAssembly, RuleCatalog.CodeFixAssembly })
            {
                var roslyn = assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.CodeAnalysis");
                Assert.Equal(new System.Version(4, 8, 0, 0), roslyn.Version);
            }
        }
    }
}
