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

        private static IEnumerable<INamespaceSymbol> All(INamespaceSymbol ns)
            => new[] { ns }.Concat(ns.GetNamespaceMembers().SelectMany(All));
    }
}
