using System;
using System.Globalization;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// What a count of allocation ticks says, stated with its error. The runtime sends a tick each time about 100 KB
    /// more have been allocated on a thread, naming the object that crossed the mark; an object's chance of being named
    /// is its share of the bytes, so the ticks that land on a site are close to a Poisson count whose mean is the site's
    /// bytes divided by the bytes per tick. A site's bytes are estimated as the bytes its ticks stand for, and given
    /// with a 95% interval from that count; a site with no tick is bounded from above (the rule of three: with no
    /// event seen, the mean is below 3.0 with 95% confidence).
    /// </summary>
    internal static class Sampling
    {
        /// <summary>The 95% upper bound on a Poisson mean when nothing was seen.</summary>
        public const double UpperBoundWhenUnseen = 2.996;

        /// <summary>Fewer samples than this and a site's figure is an order of magnitude, not a measurement.</summary>
        public const int FewSamples = 10;

        private const double Z95 = 1.959964;

        /// <summary>
        /// The 95% interval of a Poisson mean given <paramref name="count"/> events (Wilson–Hilferty's approximation of the
        /// exact chi-square bounds; within a percent of them from one event up).
        /// </summary>
        public static (double Low, double High) CountInterval(int count)
        {
            if (count <= 0)
            {
                return (0, UpperBoundWhenUnseen);
            }

            double low = count * Math.Pow(1 - (1.0 / (9 * count)) - (Z95 / (3 * Math.Sqrt(count))), 3);
            int next = count + 1;
            double high = next * Math.Pow(1 - (1.0 / (9 * next)) + (Z95 / (3 * Math.Sqrt(next))), 3);
            return (Math.Max(0, low), high);
        }

        /// <summary>The 95% interval of the bytes that <paramref name="samples"/> ticks standing for <paramref name="bytes"/> in all measure.</summary>
        public static (double Low, double High) BytesInterval(long bytes, int samples, double bytesPerSample)
        {
            var (low, high) = CountInterval(samples);
            double perSample = samples > 0 ? (double)bytes / samples : bytesPerSample;
            return (low * perSample, high * perSample);
        }

        /// <summary>"±9%", "±45% (few samples)" or "an order of magnitude only (3 samples)": how far to trust a figure.</summary>
        public static string Confidence(int samples)
        {
            if (samples <= 0)
            {
                return "not sampled";
            }

            var (low, high) = CountInterval(samples);
            double spread = Math.Max(samples - low, high - samples) / samples;
            string plusMinus = "±" + spread.ToString("0%", CultureInfo.InvariantCulture);
            return samples >= FewSamples ? plusMinus : plusMinus + " (few samples: an order of magnitude)";
        }
    }
}
