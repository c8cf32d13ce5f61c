using System;

namespace AllocAnalyzers.RuntimeHost
{
    /// <summary>What the measuring loop (<see cref="AllocAnalyzers.Shared.CallLoop"/>) costs per call in time (its bytes: <see cref="AllocAnalyzers.Shared.Allocated"/>).</summary>
    internal static class Measure
    {
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
