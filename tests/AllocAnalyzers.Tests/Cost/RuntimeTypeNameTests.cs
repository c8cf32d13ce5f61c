using System.Linq;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AllocAnalyzers.Tests.Cost
{
    /// <summary>
    /// The allocated type a finding names is the name the runtime gives that type (what allocation events and
    /// profiles carry): checked against <c>Type.ToString()</c> of the same types, compiled and loaded.
    /// </summary>
    public sealed class RuntimeTypeNameTests
    {
        [Fact]
        public void Names_AreTheRuntimesNames()
        {
            const string source = """
                using System;
                using System.Collections.Generic;
                namespace App
                {
                    public struct Key { public int A; }
                    public class Outer<T> { public class Inner { } }
                    public static class Samples
                    {
                        public static Type[] All() => new[]
                        {
                            typeof(int), typeof(string), typeof(int[]), typeof(int[,]), typeof(byte[][]), typeof(Key), typeof(Key[]),
                            typeof(List<int>), typeof(Dictionary<string, Key>), typeof((int, long)), typeof(KeyValuePair<int, string>[]),
                            typeof(Outer<int>.Inner), typeof(Func<int, Key>), typeof(Guid), typeof(object),
                        };
                    }
                }
                """;
            var compilation = RuntimeProof.CreateCompilation(source, "TypeNames");
            var tree = compilation.SyntaxTrees.Single();
            var model = compilation.GetSemanticModel(tree);
            var types = tree.GetRoot().DescendantNodes().OfType<TypeOfExpressionSyntax>().Select(t => model.GetTypeInfo(t.Type).Type).ToArray();
            var compiled = types.Select(RuntimeTypeName.Of).ToArray();

            using var program = RuntimeProof.Compile(compilation);
            var runtime = ((System.Type[])program.Invoke("App.Samples.All")!).Select(t => t.ToString()).ToArray();
            Assert.Equal(runtime, compiled);

            // What the rules ask: the compilation's names, composed on the first ask and remembered for the second.
            var names = RuntimeTypeName.For(compilation);
            Assert.Same(names, RuntimeTypeName.For(compilation));
            Assert.Equal(runtime, types.Select(t => names.Of(t!)).ToArray());
            Assert.Equal(runtime, types.Select(t => names.Of(t!)).ToArray());
        }

        [Fact]
        public void TypeParameters_HaveNoName()
        {
            var compilation = RuntimeProof.CreateCompilation("public static class C { public static System.Type M<T>() => typeof(System.Collections.Generic.List<T>); }", "TypeParameter");
            var tree = compilation.SyntaxTrees.Single();
            var type = compilation.GetSemanticModel(tree).GetTypeInfo(tree.GetRoot().DescendantNodes().OfType<TypeOfExpressionSyntax>().Single().Type).Type;
            Assert.Null(RuntimeTypeName.Of(type));
        }
    }
}
