using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Layout;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Layout;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Layout
{
    /// <summary>
    /// ALLOC301 against the runtime: the sizes in the diagnostic are the sizes the runtime gives, the fixed code
    /// compiles, behaves the same, is exactly "OptimalSize" bytes, and an array of it allocates that much less.
    /// </summary>
    public sealed class PaddedStructRuntimeProofTests
    {
        private const string PacketSource = """
            public struct Packet
            {
                public byte Flags;
                public long Timestamp;
                public byte Priority;
                public int Length;
            }

            public static class Program
            {
                public static string Run()
                {
                    var packet = new Packet { Flags = 1, Timestamp = 2, Priority = 3, Length = 4 };
                    return $"{packet.Flags},{packet.Timestamp},{packet.Priority},{packet.Length}";
                }

                public static Packet[] AllocateThousand() => new Packet[1000];
            }
            """;

        [Fact]
        public async Task Packet_DiagnosticSizesAreTheRuntimeSizes_AndTheFixShrinksItAndItsArrays()
        {
            var analyzer = new StructLayoutAnalyzer();
            var diagnostic = Assert.Single(await CodeFixRunner.GetDiagnosticsAsync(analyzer, PacketSource));
            int currentSize = int.Parse(diagnostic.Properties[StructLayoutAnalyzer.CurrentSizeProperty]!);
            int optimalSize = int.Parse(diagnostic.Properties[StructLayoutAnalyzer.OptimalSizeProperty]!);
            var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, new ReorderStructFieldsCodeFix(), PacketSource, RuleIds.PaddedStruct);

            using var before = RuntimeProof.Compile(PacketSource, "Before");
            using var after = RuntimeProof.Compile(fixedSource, "After");

            Assert.Equal(currentSize, before.SizeOf("Packet"));
            Assert.Equal(optimalSize, after.SizeOf("Packet"));
            Assert.True(optimalSize < currentSize);
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));

            // An array of 1000: 24 bytes of array header and length, then the elements.
            Assert.Equal(24 + (1000.0 * currentSize), before.AllocatedBytesPerCall("Program.AllocateThousand", 100));
            Assert.Equal(24 + (1000.0 * optimalSize), after.AllocatedBytesPerCall("Program.AllocateThousand", 100));
            Assert.Empty(await CodeFixRunner.GetDiagnosticsAsync(analyzer, fixedSource));
        }

        [Fact]
        public async Task BenchmarkPair_AfterIsTheFixOfBefore()
        {
            // The companion benchmark measures Packet against PacketReordered: the latter must be exactly what the fix
            // makes of the former, so the benchmark measures the rule's real before and after.
            var path = System.IO.Path.Combine(TestEnvironment.RepositoryRoot, "tests", "AllocAnalyzers.Benchmarks", "Layout", "PacketCases.cs");
            var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(System.IO.File.ReadAllText(path)).GetRoot();
            var structs = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.StructDeclarationSyntax>().ToDictionary(s => s.Identifier.ValueText);
            string before = structs["Packet"].WithoutTrivia().ToFullString();
            var fixedSource = await CodeFixRunner.ApplyAllAsync(new StructLayoutAnalyzer(), new ReorderStructFieldsCodeFix(), before, RuleIds.PaddedStruct);

            static string[] Fields(string source) => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot()
                .DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax>().Select(f => f.WithoutTrivia().ToString()).ToArray();
            Assert.Equal(Fields(structs["PacketReordered"].ToFullString()), Fields(fixedSource));
            Assert.NotEqual(Fields(before), Fields(fixedSource));
        }

        [Fact]
        public async Task AutoLayoutStruct_FixReachesOptimalSize()
        {
            const string source = """
                using System;

                public struct CacheEntry
                {
                    public string Key;
                    public TimeSpan Age;
                    public Half Weight;
                    public byte Hits;
                }

                public static class Program
                {
                    public static string Run()
                    {
                        var entry = new CacheEntry { Key = "k", Age = TimeSpan.FromSeconds(3), Weight = (Half)1.5f, Hits = 7 };
                        return $"{entry.Key},{entry.Age},{entry.Weight},{entry.Hits}";
                    }
                }
                """;
            var analyzer = new StructLayoutAnalyzer();
            var diagnostic = Assert.Single(await CodeFixRunner.GetDiagnosticsAsync(analyzer, source));
            Assert.Equal(RuleIds.PaddedAutoLayoutStruct, diagnostic.Id);
            var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, new ReorderStructFieldsCodeFix(), source, RuleIds.PaddedAutoLayoutStruct);

            using var before = RuntimeProof.Compile(source, "Before");
            using var after = RuntimeProof.Compile(fixedSource, "After");

            Assert.Equal(int.Parse(diagnostic.Properties[StructLayoutAnalyzer.CurrentSizeProperty]!), before.SizeOf("CacheEntry"));
            Assert.Equal(int.Parse(diagnostic.Properties[StructLayoutAnalyzer.OptimalSizeProperty]!), after.SizeOf("CacheEntry"));
            Assert.True(after.SizeOf("CacheEntry") < before.SizeOf("CacheEntry"));
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
        }

        [Theory]
        [InlineData(11, RuleIds.PaddedStruct)]
        [InlineData(12, RuleIds.PaddedStruct)]
        [InlineData(14, RuleIds.PaddedAutoLayoutStruct)]
        [InlineData(15, RuleIds.PaddedAutoLayoutStruct)]
        public async Task GeneratedStructs_AfterFixAll_EachIsExactlyItsOptimalSize(int seed, string id)
        {
            var structs = StructGenerator.Generate(id == RuleIds.PaddedStruct ? 120 : 400, seed)
                .Where(s => s.IsSequentialCandidate == (id == RuleIds.PaddedStruct)).ToList();
            var source = StructGenerator.Source(structs);
            var analyzer = new StructLayoutAnalyzer();
            var diagnostics = (await CodeFixRunner.GetDiagnosticsAsync(analyzer, source)).Where(d => d.Id == id).ToList();
            Assert.NotEmpty(diagnostics);

            var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, new ReorderStructFieldsCodeFix(), source, id);
            var fixedCompilation = RuntimeProof.CreateCompilation(fixedSource, "AfterFix");
            Assert.Empty(fixedCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            using var before = RuntimeProof.Compile(source, "BeforeFix");
            using var after = RuntimeProof.Compile(fixedCompilation);

            foreach (var diagnostic in diagnostics)
            {
                var name = diagnostic.GetMessage().Split('\'')[1];
                bool isRecord = fixedCompilation.GetTypeByMetadataName(name)!.IsRecord;
                Assert.Equal(int.Parse(diagnostic.Properties[StructLayoutAnalyzer.CurrentSizeProperty]!), before.SizeOf(name));
                int expectedAfter = isRecord
                    ? before.SizeOf(name)
                    : int.Parse(diagnostic.Properties[StructLayoutAnalyzer.OptimalSizeProperty]!);
                Assert.Equal(expectedAfter, after.SizeOf(name));
            }

            // Only record structs (whose fix is not offered) are still reported.
            var remaining = (await CodeFixRunner.GetDiagnosticsAsync(analyzer, fixedSource)).Where(d => d.Id == id);
            Assert.All(remaining, d => Assert.True(fixedCompilation.GetTypeByMetadataName(d.GetMessage().Split('\'')[1])!.IsRecord));
        }

        [Fact]
        public async Task StructsNotReported_TheRuntimeCannotShrinkThemByReordering()
        {
            // For every generated sequential struct the analyzer leaves alone, the descending-alignment order is not
            // smaller than what the runtime gives the declared order: silence is never a missed saving of the fix.
            // (It can be larger: a nested [StructLayout(Size = 20)] struct is 8-aligned but not a multiple of 8.)
            var structs = StructGenerator.Generate(120, 13).Where(s => s.IsSequentialCandidate).ToList();
            var source = StructGenerator.Source(structs);
            var reported = (await CodeFixRunner.GetDiagnosticsAsync(new StructLayoutAnalyzer(), source)).Select(d => d.GetMessage().Split('\'')[1]).ToHashSet();
            var compilation = RuntimeProof.CreateCompilation(source);
            var engine = LayoutEngine.For(compilation);
            using var proof = RuntimeProof.Compile(compilation);

            foreach (var generated in structs.Where(s => !reported.Contains(s.Name)))
            {
                var symbol = compilation.GetTypeByMetadataName(generated.Name)!;
                var plan = ReorderPlan.Create(engine, symbol);
                Assert.NotNull(plan);
                Assert.True(plan!.Optimal.Size >= proof.SizeOf(generated.Name), generated.Declaration);
            }
        }
    }
}
