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
        public static bool Contains(SourceText text, bool wholeWord, params string[] needles)
        {
            int overlap = 1;
            foreach (var needle in needles)
            {
                overlap = System.Math.Max(overlap, needle.Length + 1);
            }

            var buffer = new char[Chunk + (2 * overlap)];
            for (int start = 0; start < text.Length; start += Chunk)
            {
                // Each window also holds the character before its chunk and enough after it for a needle crossing its end.
                int from = start == 0 ? 0 : start - 1;
                int count = System.Math.Min(buffer.Length, text.Length - from);
                text.CopyTo(from, buffer, 0, count);
                foreach (var needle in needles)
                {
                    if (needle.Length > 0 && Contains(buffer, count, needle, wholeWord))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool Contains(char[] buffer, int count, string needle, bool wholeWord)
        {
            for (int i = 0; i + needle.Length <= count; i++)
            {
                if (buffer[i] != needle[0] || (wholeWord && i > 0 && IsWordChar(buffer[i - 1])))
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
                    return true;
                }
            }

            return false;
        }

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
