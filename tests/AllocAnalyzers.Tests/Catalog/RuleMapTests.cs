using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Catalog
{
    /// <summary>
    /// Every rule ID leads to exactly one rule class, in its family's folder, and from there to its docs page, its
    /// tests and its runtime proof, all under folders of the same name. A rule that lacks a piece fails here.
    /// </summary>
    public sealed class RuleMapTests
    {
        /// <summary>Rules whose cost is not heap bytes a test could measure, each with the reason.</summary>
        private static readonly IReadOnlyDictionary<string, string> WithoutRuntimeProof = new Dictionary<string, string>
        {
            [RuleIds.InvalidConfiguration] = "a configuration value that cannot be read costs nothing at run time; the configuration analyzer's own tests check it",
            [RuleIds.LargeStructCopy] = "a copy costs time, not heap: there are no bytes to measure per call (the rule reports the struct's measured size instead, which LayoutEngineRuntimeTests checks)",
        };

        private static readonly string[] TestOnlyFolders = { "TestHarness", "Corpus", "bin", "obj" };

        private static string Root => TestEnvironment.RepositoryRoot;

        private static string AnalyzerSource => Path.Combine(Root, "src", "AllocAnalyzers");

        /// <summary>Each ID with the rule class that reports it (the classes found by reflection).</summary>
        private static ImmutableArray<(string Id, Type Rule)> RuleOwners { get; } = FindRuleOwners();

        private static ImmutableArray<(string Id, Type Rule)> FindRuleOwners()
        {
            var owners = new List<(string, Type)>();
            foreach (var type in RuleCatalog.AnalyzerAssembly.GetTypes().Where(t => !t.IsAbstract || t.IsSealed))
            {
                ImmutableArray<DiagnosticDescriptor>? supported = null;
                if (IsOperationRule(type))
                {
                    var rule = Activator.CreateInstance(type, nonPublic: true)!;
                    supported = (ImmutableArray<DiagnosticDescriptor>)type.GetProperty("SupportedDiagnostics")!.GetValue(rule)!;
                }
                else if (type.Name.EndsWith("Rule", StringComparison.Ordinal) && type.GetProperty("SupportedDiagnostics", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) is { } declared)
                {
                    // A rule about declarations (ALLOC301/303), run from a symbol action.
                    supported = (ImmutableArray<DiagnosticDescriptor>)declared.GetValue(null)!;
                }
                else if (typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && !type.IsAbstract && !IsComposedOfRules(type))
                {
                    // An analyzer that is its own rule (ALLOC001: it reads configuration, not code).
                    supported = ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics;
                }

                foreach (var descriptor in supported ?? ImmutableArray<DiagnosticDescriptor>.Empty)
                {
                    owners.Add((descriptor.Id, type));
                }
            }

            return owners.ToImmutableArray();
        }

        private static bool IsOperationRule(Type type)
        {
            for (var current = type.BaseType; current != null; current = current.BaseType)
            {
                if (current.IsGenericType && current.GetGenericTypeDefinition().Name == "OperationRule`1")
                {
                    return !type.IsAbstract;
                }
            }

            return false;
        }

        private static bool IsComposedOfRules(Type analyzer)
            => analyzer.GetFields(BindingFlags.NonPublic | BindingFlags.Static).Any(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition().Name == "RuleFamily`1");

        /// <summary>The one source file that declares <paramref name="type"/>, relative to src/AllocAnalyzers.</summary>
        private static string SourceFileOf(Type type)
        {
            var declaration = new Regex(@"\b(class|struct)\s+" + Regex.Escape(type.Name) + @"\b");
            var files = Directory.EnumerateFiles(AnalyzerSource, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Where(f => declaration.IsMatch(File.ReadAllText(f)))
                .ToList();
            Assert.True(files.Count == 1, type.Name + " should be declared in exactly one file, found: " + string.Join(", ", files));
            Assert.Equal(type.Name + ".cs", Path.GetFileName(files[0]));
            return Path.GetRelativePath(AnalyzerSource, files[0]).Replace('\\', '/');
        }

        private static string FamilyFolderOf(string id)
        {
            var owner = RuleOwners.Single(o => o.Id == id).Rule;
            return SourceFileOf(owner).Split('/')[0];
        }

        /// <summary>The ways a test can name the rule: its ID, its RuleIds constant, or its descriptor.</summary>
        private static string[] NamesOf(string id)
        {
            var constant = typeof(RuleIds).GetFields().Single(f => (string?)f.GetValue(null) == id).Name;
            var descriptor = typeof(Descriptors).GetFields().Single(f => f.GetValue(null) is DiagnosticDescriptor d && d.Id == id).Name;
            return new[] { id, "RuleIds." + constant, "Descriptors." + descriptor };
        }

        private static IEnumerable<string> TestFilesOf(string folder)
        {
            var directory = Path.Combine(Root, "tests", "AllocAnalyzers.Tests", folder);
            return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.cs") : Enumerable.Empty<string>();
        }

        public static TheoryData<string> Ids()
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in RuleCatalog.Descriptors)
            {
                data.Add(descriptor.Id);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void EveryId_IsReportedByExactlyOneRuleClass_InItsAnalyzersFolder(string id)
        {
            var owners = RuleOwners.Where(o => o.Id == id).Select(o => o.Rule.Name).ToList();
            Assert.True(owners.Count == 1, id + " should belong to exactly one rule class, found: " + string.Join(", ", owners));
            var analyzer = RuleCatalog.AnalyzerTypes.Single(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics.Any(d => d.Id == id));
            Assert.Equal(SourceFileOf(analyzer).Split('/')[0], FamilyFolderOf(id));
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void EveryRulePage_LinksItsRuleClass(string id)
        {
            var file = SourceFileOf(RuleOwners.Single(o => o.Id == id).Rule);
            string page = File.ReadAllText(Path.Combine(Root, "docs", "rules", id + ".md"));
            string row = "| Implemented in | [`" + file + "`](../../src/AllocAnalyzers/" + file + ") |";
            Assert.True(page.Contains(row, StringComparison.Ordinal), "docs/rules/" + id + ".md should have the row: " + row);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void EveryId_HasTests_InTheTestFolderOfItsFamily(string id)
        {
            string folder = FamilyFolderOf(id);
            var names = NamesOf(id);
            var tests = TestFilesOf(folder).Where(f => !Path.GetFileName(f).Contains("Runtime", StringComparison.Ordinal))
                .Where(f => names.Any(File.ReadAllText(f).Contains)).ToList();
            Assert.True(tests.Count > 0, id + " has no analyzer tests in tests/AllocAnalyzers.Tests/" + folder);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void EveryId_HasARuntimeProof_OrAReasonItHasNone(string id)
        {
            string folder = FamilyFolderOf(id);
            var names = NamesOf(id);
            var proofs = TestFilesOf(folder).Where(f => Path.GetFileName(f).Contains("Runtime", StringComparison.Ordinal))
                .Where(f => names.Any(File.ReadAllText(f).Contains)).ToList();
            if (WithoutRuntimeProof.TryGetValue(id, out var reason))
            {
                Assert.True(proofs.Count == 0, id + " is listed as having no runtime proof (" + reason + ") but " + string.Join(", ", proofs.Select(Path.GetFileName)) + " proves it: remove it from the list");
            }
            else
            {
                Assert.True(proofs.Count > 0, id + " has no runtime proof (a *Runtime*Tests.cs in tests/AllocAnalyzers.Tests/" + folder + " naming it), and no reason in WithoutRuntimeProof");
            }
        }

        [Fact]
        public void TestAndFixFolders_AreNamedAsTheAnalyzersFolders()
        {
            var sourceFolders = Directory.GetDirectories(AnalyzerSource).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).ToHashSet();
            var testFolders = Directory.GetDirectories(Path.Combine(Root, "tests", "AllocAnalyzers.Tests")).Select(Path.GetFileName).Where(n => !TestOnlyFolders.Contains(n));
            var fixFolders = Directory.GetDirectories(Path.Combine(Root, "src", "AllocAnalyzers.CodeFixes")).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj"));
            Assert.All(testFolders.Concat(fixFolders), folder => Assert.True(sourceFolders.Contains(folder), folder + " has no folder of that name in src/AllocAnalyzers"));
        }
    }
}
