using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace AllocAnalyzers.Profiler
{
    /// <summary>A plain horizontal bar chart as SVG (viewable in any browser and on GitHub): one bar per label.</summary>
    internal static class BarChart
    {
        public static string Svg(string title, IReadOnlyList<(string Label, double Value, string ValueText)> bars)
        {
            const int labelWidth = 420, barWidth = 360, rowHeight = 24, top = 40;
            int height = top + (bars.Count * rowHeight) + 16;
            double max = bars.Count == 0 ? 1 : Math.Max(1, bars.Max(b => b.Value));
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 120}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">").AppendLine();
            svg.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>").AppendLine();
            for (int i = 0; i < bars.Count; i++)
            {
                var (label, value, valueText) = bars[i];
                int y = top + (i * rowHeight);
                double width = Math.Max(1, barWidth * value / max);
                string shown = label.Length > 60 ? "…" + label.Substring(label.Length - 59) : label;
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{WebUtility.HtmlEncode(shown)}</text>").AppendLine();
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{width:0.#}\" height=\"{rowHeight - 6}\" fill=\"#c0392b\"/>").AppendLine();
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 6:0.#}\" y=\"{y + 15}\">{WebUtility.HtmlEncode(valueText)}</text>").AppendLine();
            }

            svg.AppendLine("</svg>");
            return svg.ToString();
        }
    }
}
