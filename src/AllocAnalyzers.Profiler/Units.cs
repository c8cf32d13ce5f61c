using System.Globalization;

namespace AllocAnalyzers.Profiler
{
    /// <summary>How the profiler writes amounts for people: one format everywhere (console, fragment, report, chart).</summary>
    internal static class Units
    {
        /// <summary>Bytes as mebibytes (1024 × 1024 bytes) with one decimal, e.g. <c>1,854.9 MiB</c>.</summary>
        public static string Mebibytes(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

        /// <summary>A part of a whole as a percentage with one decimal, e.g. <c>12.5%</c>; <c>0%</c> of nothing.</summary>
        public static string Share(double part, double whole) => whole == 0 ? "0%" : (part / whole).ToString("0.0%", CultureInfo.InvariantCulture);

        /// <summary>
        /// <paramref name="text"/> as Markdown inline code that survives backticks (generic type names such as
        /// <c>System.Func`2</c>) and table pipes: fenced with more backticks than it holds, pipes escaped.
        /// </summary>
        public static string Code(string text)
        {
            int longest = 0;
            int run = 0;
            foreach (char c in text)
            {
                run = c == '`' ? run + 1 : 0;
                longest = System.Math.Max(longest, run);
            }

            string fence = new string('`', longest + 1);
            string padding = longest > 0 ? " " : string.Empty;
            return fence + padding + text.Replace("|", "\\|") + padding + fence;
        }
    }
}
