using System.Globalization;

namespace AllocAnalyzers.Profiler
{
    /// <summary>How the profiler writes amounts for people: one format everywhere (console, fragment, report, chart).</summary>
    internal static class Units
    {
        /// <summary>Bytes as mebibytes with one decimal, e.g. <c>1,854.9 MB</c>.</summary>
        public static string Megabytes(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture) + " MB";
    }
}
