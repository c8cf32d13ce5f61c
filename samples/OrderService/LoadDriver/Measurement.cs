using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Threading;

namespace OrderService.LoadDriver
{
    /// <summary>What one variant did under one GC configuration (measured in its own process).</summary>
    internal sealed record Measurement(
        string Variant,
        bool ServerGc,
        int Threads,
        long Requests,
        double Seconds,
        long AllocatedBytes,
        int Gen0,
        int Gen1,
        int Gen2,
        double PauseMilliseconds,
        double P50Microseconds,
        double P99Microseconds,
        double P999Microseconds,
        long Accepted,
        string ResultDigest)
    {
        public double RequestsPerSecond => Requests / Seconds;

        public double BytesPerRequest => (double)AllocatedBytes / Requests;

        public double BytesPerSecond => AllocatedBytes / Seconds;

        /// <summary>Runs <paramref name="requests"/> requests over <paramref name="threads"/> threads, after a warm-up.</summary>
        public static Measurement Run(string variant, Workload workload, long requests, int threads)
        {
            var handle = workload.CreateHandler(variant);
            var inputs = workload.Requests;

            // Warm-up: every request shape, on every thread, long enough for tiered compilation to reach tier 1.
            RunThreads(threads, Math.Max(requests / 5, 20_000), inputs, handle, null, out _, out _);
            Thread.Sleep(300);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            long perThread = requests / threads;
            var latencies = new long[threads][];
            for (int t = 0; t < threads; t++)
            {
                latencies[t] = new long[perThread];
            }

            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var pauseBefore = GC.GetTotalPauseDuration();
            long start = Stopwatch.GetTimestamp();
            RunThreads(threads, requests, inputs, handle, latencies, out long accepted, out var digest);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var pause = GC.GetTotalPauseDuration() - pauseBefore;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            var all = new long[perThread * threads];
            for (int t = 0; t < threads; t++)
            {
                Array.Copy(latencies[t], 0, all, t * perThread, perThread);
            }

            Array.Sort(all);
            return new Measurement(
                variant, GCSettings.IsServerGC, threads, all.Length, seconds, allocated,
                GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2, pause.TotalMilliseconds,
                Percentile(all, 0.50), Percentile(all, 0.99), Percentile(all, 0.999), accepted, digest);
        }

        /// <summary>
        /// Each thread handles every <paramref name="threads"/>-th request of the stream. The digest (sum of totals,
        /// xor of receipt tags) does not depend on scheduling, so both variants must produce the same one.
        /// </summary>
        private static void RunThreads(int threads, long requests, byte[][] inputs, Func<byte[], (decimal Total, ulong Tag, bool Accepted)> handle, long[][]? latencies, out long accepted, out string digest)
        {
            long perThread = requests / threads;
            var totals = new decimal[threads];
            var tags = new ulong[threads];
            var acceptedCounts = new long[threads];
            using var ready = new Barrier(threads + 1);
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int id = t;
                workers[t] = new Thread(() =>
                {
                    decimal total = 0m;
                    ulong tag = 0;
                    long ok = 0;
                    var mine = latencies?[id];
                    ready.SignalAndWait();
                    for (long i = 0; i < perThread; i++)
                    {
                        var request = inputs[(int)(((i * threads) + id) % inputs.Length)];
                        long before = Stopwatch.GetTimestamp();
                        var result = handle(request);
                        long after = Stopwatch.GetTimestamp();
                        if (mine != null)
                        {
                            mine[i] = after - before;
                        }

                        total += result.Total;
                        tag ^= result.Tag;
                        ok += result.Accepted ? 1 : 0;
                    }

                    totals[id] = total;
                    tags[id] = tag;
                    acceptedCounts[id] = ok;
                })
                { IsBackground = true, Name = "load-" + id };
                workers[t].Start();
            }

            ready.SignalAndWait();
            foreach (var worker in workers)
            {
                worker.Join();
            }

            decimal sum = 0m;
            ulong xor = 0;
            accepted = 0;
            for (int t = 0; t < threads; t++)
            {
                sum += totals[t];
                xor ^= tags[t];
                accepted += acceptedCounts[t];
            }

            digest = sum.ToString(CultureInfo.InvariantCulture) + "/" + xor.ToString("x16", CultureInfo.InvariantCulture);
        }

        private static double Percentile(long[] sortedTicks, double quantile)
        {
            if (sortedTicks.Length == 0)
            {
                return 0;
            }

            int index = Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(quantile * sortedTicks.Length) - 1);
            return sortedTicks[Math.Max(0, index)] * 1_000_000.0 / Stopwatch.Frequency;
        }
    }
}
