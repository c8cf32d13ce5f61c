using System;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// The estimator for .NET 10's randomized allocation sampling: the runtime tries every allocated byte with a chance
    /// of 1 in 102 400 and reports an object at its first success, so an object of <c>size</c> bytes is reported with
    /// probability <c>1 - (1 - p)^size</c>; weighting each reported object by its size over that probability makes the
    /// sum an unbiased estimate of the bytes allocated (the runtime's design notes on randomized allocation sampling).
    /// </summary>
    internal static class RandomizedSampling
    {
        private const double Probability = 1.0 / 102_400;

        /// <summary>The bytes one reported object of <paramref name="size"/> bytes stands for (about 100 KB for a small one, its size for a large one).</summary>
        public static long Weight(long size)
        {
            if (size <= 0)
            {
                return 0;
            }

            double reported = 1 - Math.Pow(1 - Probability, size); // 1 - (1 - p)^size: about 2.3e-4 for 24 bytes, exact enough in doubles
            return (long)Math.Round(size / reported);
        }
    }
}
