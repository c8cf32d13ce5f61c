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
    /// both hold. The events name the method being compiled as the inliner, also of a callee inlined through another
    /// callee, so only a callee the statement calls itself is traced to it.
    /// </summary>
    internal sealed class InlinedCalls
    {
        private readonly Dictionary<string, string[]?> _sources = new Dictionary<string, string[]?>(StringComparer.Ordinal);

        /// <summary>True when <paramref name="site"/>'s statement calls <paramref name="method"/> and its method's optimized body inlined it.</summary>
        public bool RunsInlinedAt(AllocationSite site, MethodName method)
            => !method.Equals(site.Method) && site.Inlinings.Contains(new Inlining(site.Method, method)) && Calls(site, method);

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
