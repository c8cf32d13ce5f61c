using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Where a method ran inlined. Code the JIT inlined has no frame of its own, so its allocations land on the statement
    /// of the caller that calls it; the JIT's inlining events say which callees each optimized body holds, and the
    /// statement's source text says which of them it calls. A statement counts as running <c>M</c> inlined only when
    /// both hold: its body inlined a chain of callees ending in <c>M</c>, each inlined by exactly one method (the
    /// inliners come from the callees' IL, <see cref="CallGraph"/>), and its text calls the chain's first.
    /// </summary>
    internal sealed class InlinedCalls
    {
        private const int MaxDepth = 8;
        private readonly Dictionary<string, string[]?> _sources = new Dictionary<string, string[]?>(StringComparer.Ordinal);

        /// <summary>The callees from <paramref name="site"/>'s method down to <paramref name="method"/>, the first called by the statement, when it runs <paramref name="method"/> inlined; null otherwise.</summary>
        public IReadOnlyList<MethodName>? ChainTo(AllocationSite site, MethodName method)
        {
            var chain = new List<MethodName>();
            var current = method;
            for (int depth = 0; depth < MaxDepth && !current.Equals(site.Method); depth++)
            {
                chain.Add(current);
                var inliners = site.Inlinings.Where(i => i.Inlinee.Equals(current)).Select(i => i.Inliner).Distinct().ToList();
                if (inliners.Count != 1 || chain.Contains(inliners[0]))
                {
                    return null; // not inlined here, or by several methods (which one ran at this statement is unknown)
                }

                if (inliners[0].Equals(site.Method))
                {
                    chain.Reverse();
                    return Calls(site, chain[0]) ? chain : null;
                }

                current = inliners[0];
            }

            return null;
        }

        /// <summary>"Handle ← TryParseHeader ← TryApply": the statement's method, then the inlined callees.</summary>
        public static string Describe(AllocationSite site, IReadOnlyList<MethodName> chain)
            => string.Join(" ← ", new[] { site.Method.MemberName }.Concat(chain.Select(m => m.MemberName)));

        /// <summary>The callees the JIT inlined into <paramref name="site"/>'s method that its statement calls.</summary>
        public IReadOnlyList<MethodName> CalleesAt(AllocationSite site)
            => site.Inlinings.Where(i => i.Inliner.Equals(site.Method)).Select(i => i.Inlinee).Distinct().Where(m => Calls(site, m)).ToList();

        /// <summary>True when the statement's source text names <paramref name="callee"/> as a call (<c>Name(</c>, <c>Name&lt;</c>, or <c>new Type(</c> for a constructor).</summary>
        private bool Calls(AllocationSite site, MethodName callee)
        {
            if (Lines(site.Line.File) is not { } lines)
            {
                return false; // the source is not here to check: claim nothing
            }

            int first = Math.Max(site.Line.Line, 1);
            int last = Math.Min(Math.Max(site.Line.EndLine, site.Line.Line), lines.Length);
            bool constructor = callee.MemberName is ".ctor" or "#ctor";
            string name = constructor ? callee.TypeName[(callee.TypeName.LastIndexOf('.') + 1)..] : callee.MemberName;
            for (int i = first; i <= last; i++)
            {
                string text = lines[i - 1];
                for (int at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
                {
                    int after = at + name.Length;
                    bool wordStart = at == 0 || !(char.IsLetterOrDigit(text[at - 1]) || text[at - 1] == '_');
                    bool call = after < text.Length && text[after] is '(' or '<';
                    if (wordStart && call && (!constructor || text.LastIndexOf("new ", at, StringComparison.Ordinal) >= 0))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private string[]? Lines(string file)
        {
            if (!_sources.TryGetValue(file, out var lines))
            {
                try
                {
                    lines = File.Exists(file) ? File.ReadAllLines(file) : null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    lines = null;
                }

                _sources.Add(file, lines);
            }

            return lines;
        }
    }
}
