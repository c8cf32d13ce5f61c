using System.Collections.Generic;
using System.Linq;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Layout;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Layout
{
    /// <summary>
    /// The layout engine against the runtime: every generated struct is compiled, loaded and measured
    /// (<c>sizeof</c> and managed field offsets); the engine must predict the same size and every offset.
    /// </summary>
    public sealed class LayoutEngineRuntimeTests
    {
        [Theory]
        [InlineData(1, 150)]
        [InlineData(2, 150)]
        [InlineData(3, 150)]
        public void GeneratedStructs_EngineMatchesRuntime_SizeAndEveryOffset(int seed, int count)
        {
            var structs = StructGenerator.Generate(count, seed);
            var mismatches = CompareWithRuntime(StructGenerator.Source(structs), structs.Select(s => s.Name).ToList(), out int unknown);

            Assert.Empty(mismatches);
            Assert.Equal(0, unknown);
        }

        [Fact]
        public void HelperTypes_EngineMatchesRuntime()
        {
            var names = new[] { "Seq", "Pack1", "Pack2", "AutoSmall", "AutoThree", "AutoMixed", "Sized20", "Empty", "Inline3", "InlineRefs", "Expl", "WithRef", "FixedBuf", "Nested" };
            var mismatches = CompareWithRuntime(StructGenerator.Prelude, names, out int unknown);

            Assert.Empty(mismatches);
            Assert.Equal(0, unknown);
        }

        [Fact]
        public void EverySingleFieldType_EngineMatchesRuntime()
        {
            // One struct per field type, with a byte before and after it: shows the type's size and alignment.
            var types = StructGenerator.UnmanagedTypes.Concat(StructGenerator.ReferenceTypes).ToList();
            var source = StructGenerator.Prelude + string.Concat(types.Select((t, i) => $"public unsafe struct T{i} {{ public byte Before; public {t} Value; public byte After; }}\n"));
            var mismatches = CompareWithRuntime(source, types.Select((_, i) => "T" + i).ToList(), out int unknown);

            Assert.Empty(mismatches);
            Assert.Equal(0, unknown);
        }

        [Fact]
        public void OpenGenericField_IsUnknown_NotGuessed()
        {
            var compilation = RuntimeProof.CreateCompilation("public struct G<T> { public T A; public byte B; }");
            var type = compilation.GetTypeByMetadataName("G`1")!;

            Assert.Null(LayoutEngine.For(compilation).GetStructLayout(type));
        }

        private static List<string> CompareWithRuntime(string source, IReadOnlyList<string> names, out int unknown)
        {
            var compilation = RuntimeProof.CreateCompilation(source);
            using var proof = RuntimeProof.Compile(compilation);
            var engine = LayoutEngine.For(compilation);
            var mismatches = new List<string>();
            unknown = 0;
            foreach (var name in names)
            {
                var symbol = compilation.GetTypeByMetadataName(name)!;
                var predicted = engine.GetStructLayout(symbol);
                if (predicted == null)
                {
                    unknown++;
                    continue;
                }

                var runtimeType = proof.FindType(name);
                int size = RuntimeProof.SizeOf(runtimeType);
                var offsets = RuntimeProof.FieldOffsets(runtimeType).ToDictionary(p => p.Key, p => p.Value);
                var fields = LayoutEngine.GetInstanceFields(symbol);
                var predictedOffsets = fields.Select((f, i) => (Name: (f.AssociatedSymbol ?? f).Name, Offset: predicted.Offsets[i])).ToDictionary(p => p.Name, p => p.Offset);
                if (size != predicted.Size || !offsets.OrderBy(p => p.Key).SequenceEqual(predictedOffsets.OrderBy(p => p.Key)))
                {
                    mismatches.Add($"{name}: runtime {size} [{string.Join(", ", offsets.Select(p => p.Key + "@" + p.Value))}], engine {predicted.Size} [{string.Join(", ", predictedOffsets.Select(p => p.Key + "@" + p.Value))}]");
                }
            }

            return mismatches;
        }
    }
}
