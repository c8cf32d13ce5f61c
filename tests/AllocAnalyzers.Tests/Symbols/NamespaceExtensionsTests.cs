using System.Collections.Generic;
using System.Linq;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Symbols
{
    /// <summary>
    /// <c>IsNamed</c> answers as <c>ToDisplayString() ==</c> does, for every namespace and every candidate name (but the
    /// global namespace's display text, "&lt;global namespace&gt;", which is not a name).
    /// </summary>
    public sealed class NamespaceExtensionsTests
    {
        [Fact]
        public void IsNamed_AgreesWithTheDisplayString()
        {
            var compilation = RuntimeProof.CreateCompilation("namespace System.Linq.Extra { } namespace Linq { } namespace X.System.Linq { } namespace Systems.Linq { }", "Namespaces");
            var namespaces = All(compilation.GlobalNamespace).ToList();
            var names = namespaces.Where(n => !n.IsGlobalNamespace).Select(n => n.ToDisplayString()).Concat(new[] { "", "System.", ".Linq", "System..Linq", "System.Linqx", "Sys" }).Distinct().ToList();
            Assert.Contains("System.Linq", names);
            Assert.Contains("X.System.Linq", names);
            int matches = 0;
            foreach (var ns in namespaces.Append(null))
            {
                foreach (string name in names)
                {
                    bool expected = ns?.ToDisplayString() == name;
                    matches += expected ? 1 : 0;
                    Assert.True(expected == ns.IsNamed(name), (ns?.ToDisplayString() ?? "null") + " vs '" + name + "'");
                }
            }

            Assert.True(matches >= namespaces.Count - 1, "each namespace but the global one matches its own name");
        }

        /// <summary>
        /// <c>HasMetadataName</c> answers as <c>MetadataName ==</c> does (which composes a string for every generic type)
        /// for the framework's collection, LINQ and System types and for source types: generic, nested, and file-local
        /// ones, whose metadata names are mangled, against every type's own name and near misses of it.
        /// </summary>
        [Fact]
        public void HasMetadataName_AgreesWithTheMetadataName()
        {
            var compilation = RuntimeProof.CreateCompilation(
                "namespace System { file class Span<T> { } file class Console { } } namespace N { public class List<T> { public struct Enumerator { } } public class Pair<A, B> { } public class Plain { } }", "Types");
            var int32 = compilation.GetSpecialType(SpecialType.System_Int32);
            var types = new List<INamedTypeSymbol>();
            foreach (var name in new[] { "System", "System.Collections.Generic", "System.Linq", "System.Buffers", "N" })
            {
                var ns = All(compilation.GlobalNamespace).Single(n => n.ToDisplayString() == name && n.ContainingNamespace != null);
                types.AddRange(ns.GetTypeMembers().SelectMany(t => new[] { t }.Concat(t.GetTypeMembers())));
            }

            Assert.Contains(types, t => t.IsFileLocal && t.Arity == 1);
            Assert.Contains(types, t => t.Name == "Enumerator" && t.ContainingType?.Name == "List");
            var names = types.SelectMany(t => new[] { t.MetadataName, t.Name, t.Name + "`" + t.Arity, t.Name + "`" + (t.Arity + 1), t.Name + "`", t.Name + "`1x", "`1" })
                .Concat(new[] { "List`1", "Dictionary`2", "Span`1", "Console", "Enumerable" }).Distinct().ToList();
            int matches = 0;
            foreach (var type in types)
            {
                foreach (string name in names)
                {
                    bool expected = type.MetadataName == name;
                    matches += expected ? 1 : 0;
                    Assert.True(expected == type.HasMetadataName(name), type.ToDisplayString() + " (" + type.MetadataName + ") vs '" + name + "'");
                    Assert.True(type.Arity == 0 || expected == type.Construct(type.TypeParameters.Select(_ => (ITypeSymbol)int32).ToArray()).HasMetadataName(name), "constructed " + type.ToDisplayString() + " vs '" + name + "'");
                }
            }

            Assert.Equal(types.Count, matches);
        }

        private static IEnumerable<INamespaceSymbol> All(INamespaceSymbol ns)
            => new[] { ns }.Concat(ns.GetNamespaceMembers().SelectMany(All));
    }
}
