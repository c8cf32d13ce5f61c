using System;
using System.Globalization;

namespace AllocAnalyzers.Samples.HotPathAllocations
{
    /// <summary>Framework calls that allocate what they return (ALLOC111), and the same parse over spans.</summary>
    public static class HeaderParsing
    {
        [HotPath]
        public static int ContentLength(string header)
        {
            string value = header.Substring(header.IndexOf(':') + 1).Trim();        // ALLOC111 twice
            return int.Parse(value, CultureInfo.InvariantCulture);
        }

        [HotPath]
        public static int ContentLengthOverSpans(string header)
            => int.Parse(header.AsSpan(header.IndexOf(':') + 1).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
    }
}
