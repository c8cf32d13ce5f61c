using System;
using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Matches a SARIF log's file paths to the paths a profile's PDBs recorded. They are the same file on one machine;
    /// a deterministic or CI build maps its paths (<c>/_/src/…</c>) and another checkout has another root, so the file
    /// whose path shares the longest run of trailing folders with it wins, the file name at least, and only when no
    /// other file shares as many.
    /// </summary>
    internal sealed class SourcePaths
    {
        private readonly List<(string Path, string[] Parts)> _files;

        public SourcePaths(IEnumerable<string> files)
            => _files = files.Distinct(StringComparer.Ordinal).Select(f => (f, Split(f))).ToList();

        /// <summary>The profile's path for <paramref name="file"/>, or null when none (or more than one equally) matches.</summary>
        public string? Match(string file)
        {
            string[] parts = Split(file);
            string? best = null;
            int bestLength = 0;
            bool tie = false;
            foreach (var (path, candidate) in _files)
            {
                if (string.Equals(path, file, StringComparison.Ordinal))
                {
                    return path;
                }

                int shared = SharedTail(parts, candidate);
                if (shared > bestLength)
                {
                    (best, bestLength, tie) = (path, shared, false);
                }
                else if (shared == bestLength && shared > 0)
                {
                    tie = true;
                }
            }

            return tie ? null : best;
        }

        private static string[] Split(string path) => path.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries);

        private static int SharedTail(string[] a, string[] b)
        {
            int shared = 0;
            while (shared < a.Length && shared < b.Length && string.Equals(a[a.Length - 1 - shared], b[b.Length - 1 - shared], StringComparison.Ordinal))
            {
                shared++;
            }

            return shared;
        }
    }
}
