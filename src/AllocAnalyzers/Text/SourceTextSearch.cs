using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers
{
    /// <summary>
    /// Plain text search over a file, in 4 KB windows (no syntax, no string of the whole file): the cheap first test
    /// that lets a per-file scan skip files that cannot hold what it looks for. Comments and strings can only turn the
    /// answer into "maybe", so a gate built on it never hides a match.
    /// </summary>
    internal static class SourceTextSearch
    {
        private const int Chunk = 4096;

        /// <summary>True when any of <paramref name="needles"/> occurs; with <paramref name="wholeWord"/>, only as a whole identifier-like word.</summary>
        public static bool Contains(SourceText text, bool wholeWord, params string[] needles) => Scan(text, wholeWord, needles, positions: null);

        /// <summary>
        /// Where <paramref name="needles"/> occur (as fragments of words too), in ascending order; empty when nowhere.
        /// A syntax walk can then descend only into nodes whose span holds one of them.
        /// </summary>
        public static int[] Positions(SourceText text, params string[] needles)
        {
            var positions = new System.Collections.Generic.List<int>();
            Scan(text, wholeWord: false, needles, positions);
            positions.Sort();
            return positions.ToArray();
        }

        /// <summary>True when one of the ascending <paramref name="positions"/> lies in <paramref name="span"/>.</summary>
        public static bool AnyWithin(int[] positions, TextSpan span)
        {
            int index = System.Array.BinarySearch(positions, span.Start);
            if (index < 0)
            {
                index = ~index;
            }

            return index < positions.Length && positions[index] < span.End;
        }

        /// <summary>
        /// Finds the needles window by window. A match is counted in the window of the chunk it starts in; each window
        /// also holds the character before its chunk (for the whole-word test) and enough after it for a needle
        /// crossing its end. Without <paramref name="positions"/> it stops at the first match.
        /// </summary>
        private static bool Scan(SourceText text, bool wholeWord, string[] needles, System.Collections.Generic.List<int>? positions)
        {
            int overlap = 1;
            foreach (var needle in needles)
            {
                overlap = System.Math.Max(overlap, needle.Length + 1);
            }

            bool found = false;
            int window = Chunk + (2 * overlap);
            var buffer = Buffer(window);
            for (int start = 0; start < text.Length; start += Chunk)
            {
                int from = start == 0 ? 0 : start - 1;
                int count = System.Math.Min(window, text.Length - from);
                text.CopyTo(from, buffer, 0, count);
                int chunkEnd = System.Math.Min(count, start - from + Chunk);
                foreach (var needle in needles)
                {
                    for (int i = start - from; i < chunkEnd && (i = IndexOf(buffer, count, i, chunkEnd, needle, wholeWord)) >= 0; i++)
                    {
                        if (positions == null)
                        {
                            return true;
                        }

                        positions.Add(from + i);
                        found = true;
                    }
                }
            }

            return found;
        }

        /// <summary>
        /// The thread's window buffer, grown when a longer needle needs more: every file's scan on that thread reuses it
        /// (the scans run on every file of every compilation, and never call each other).
        /// </summary>
        private static char[] Buffer(int length)
        {
            var buffer = t_buffer;
            if (buffer == null || buffer.Length < length)
            {
                t_buffer = buffer = new char[length];
            }

            return buffer;
        }

        [System.ThreadStatic]
        private static char[]? t_buffer;

        /// <summary>The first match starting at or after <paramref name="first"/> and before <paramref name="end"/>, or -1.</summary>
        private static int IndexOf(char[] buffer, int count, int first, int end, string needle, bool wholeWord)
        {
            if (needle.Length == 0)
            {
                return -1;
            }

            // Candidates by their first character through Array.IndexOf, which the runtime vectorizes for char.
            int last = System.Math.Min(end, count - needle.Length + 1);
            for (int i = first; i < last; i++)
            {
                i = System.Array.IndexOf(buffer, needle[0], i, last - i);
                if (i < 0)
                {
                    return -1;
                }

                if (wholeWord && i > 0 && IsWordChar(buffer[i - 1]))
                {
                    continue;
                }

                int k = 1;
                while (k < needle.Length && buffer[i + k] == needle[k])
                {
                    k++;
                }

                if (k == needle.Length && (!wholeWord || i + k >= count || !IsWordChar(buffer[i + k])))
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
