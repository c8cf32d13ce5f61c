using System;

namespace AllocAnalyzers.RuntimeHost
{
    /// <summary>What the measuring loop (<see cref="AllocAnalyzers.Shared.CallLoop"/>) costs per call: bytes and time.</summary>
    internal static class Measure
    {
        /// <summary>
        /// The fewest bytes per call over three runs of <paramref name="calls"/> calls: a cost of the method recurs in
        /// every run, one-off work of the runtime (a lazy initialization, a tier-up) shows in one at most.
        /// </summary>
        public static double BytesPerCall(Action<int> loop, int calls)
        {
            long fewest = long.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                loop(calls);
                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return (double)fewest / calls;
        }

        /// <summary>The median over seven runs of the time per call, each run about 40 ms of calls.</summary>
        public static double NanosecondsPerCall(Action<int> loop)
        {
            int calls = 1000;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            loop(calls);
            while (watch.Elapsed.TotalMilliseconds < 40 && calls < 1 << 28)
            {
                calls *= 2;
                watch.Restart();
                loop(calls);
            }

            var runs = new double[7];
            for (int run = 0; run < runs.Length; run++)
            {
                watch.Restart();
                loop(calls);
                runs[run] = watch.Elapsed.TotalMilliseconds * 1e6 / calls;
            }

            Array.Sort(runs);
            return runs[runs.Length / 2];
        }
    }
}
