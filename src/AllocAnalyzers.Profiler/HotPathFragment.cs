using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// The <c>.editorconfig</c> fragment naming, in the documentation-ID pattern form the hot-path model reads, the
    /// methods that account for a share of the sampled bytes, so the next build's diagnostics concentrate there.
    /// </summary>
    internal static class HotPathFragment
    {
        public static string Create(AllocationProfile profile, double share)
        {
            var chosen = profile.Covering(share);
            long attributed = profile.Methods.Sum(m => m.Bytes);
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"# alloc-profile: the {chosen.Count} method(s) that allocated {share.ToString("0%", CultureInfo.InvariantCulture)} of the {Units.Mebibytes(attributed)} sampled in the program's own code");
            text.AppendLine(CultureInfo.InvariantCulture, $"# ({profile.Samples:N0} allocation samples over {profile.Duration.TotalSeconds:0.#} s). Paste into .editorconfig; what they call is hot too (alloc_analyzers.hot_path_depth).");
            foreach (var method in chosen)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"#   {method.Name.Display}: {Units.Mebibytes(method.Bytes)} ({((double)method.Bytes / attributed).ToString("0.0%", CultureInfo.InvariantCulture)})");
            }

            text.AppendLine("[*.cs]");
            text.Append("alloc_analyzers.hot_path_methods = ").AppendLine(string.Join(", ", chosen.Select(m => m.Name.DocumentationIdPattern)));
            return text.ToString();
        }
    }
}
