using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OrderService.LoadDriver
{
    /// <summary>Both variants side by side, as console text and as markdown.</summary>
    internal static class Report
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        public static IEnumerable<(string Metric, string Original, string Fixed, string Change)> Rows(Measurement original, Measurement twin)
        {
            yield return ("requests/s", N0(original.RequestsPerSecond), N0(twin.RequestsPerSecond), Change(original.RequestsPerSecond, twin.RequestsPerSecond));
            yield return ("allocated bytes/request", N0(original.BytesPerRequest), N0(twin.BytesPerRequest), Change(original.BytesPerRequest, twin.BytesPerRequest));
            yield return ("allocation rate (MB/s)", N0(original.BytesPerSecond / 1e6), N0(twin.BytesPerSecond / 1e6), Change(original.BytesPerSecond, twin.BytesPerSecond));
            yield return ("gen0 / gen1 / gen2 collections", Gcs(original), Gcs(twin), Change(original.Gen0, twin.Gen0) + " gen0");
            yield return ("GC pause total (ms)", original.PauseMilliseconds.ToString("N1", Invariant), twin.PauseMilliseconds.ToString("N1", Invariant), Change(original.PauseMilliseconds, twin.PauseMilliseconds));
            yield return ("latency p50 (µs)", Us(original.P50Microseconds), Us(twin.P50Microseconds), Change(original.P50Microseconds, twin.P50Microseconds));
            yield return ("latency p99 (µs)", Us(original.P99Microseconds), Us(twin.P99Microseconds), Change(original.P99Microseconds, twin.P99Microseconds));
            yield return ("latency p99.9 (µs)", Us(original.P999Microseconds), Us(twin.P999Microseconds), Change(original.P999Microseconds, twin.P999Microseconds));
            yield return ("accepted orders", N0(original.Accepted), N0(twin.Accepted), original.ResultDigest == twin.ResultDigest ? "same results" : "RESULTS DIFFER");
        }

        public static string Console(GcConfiguration configuration, Measurement original, Measurement twin)
        {
            var text = new StringBuilder();
            text.Append(Invariant, $"{configuration.Description}: {original.Requests:N0} requests on {original.Threads} threads per variant (server GC: {original.ServerGc})").AppendLine();
            text.Append(Invariant, $"  {"",-32}{"original",14}{"fixed",14}  change").AppendLine();
            foreach (var (metric, before, after, change) in Rows(original, twin))
            {
                text.Append(Invariant, $"  {metric,-32}{before,14}{after,14}  {change}").AppendLine();
            }

            return text.ToString();
        }

        public static string Markdown(IReadOnlyList<(GcConfiguration Configuration, Measurement Original, Measurement Fixed)> runs, string command)
        {
            var text = new StringBuilder();
            text.AppendLine("# Order service under load: original vs fixed twin");
            text.AppendLine();
            text.AppendLine("`samples/OrderService/Original` is the service as everyday code writes it; `samples/OrderService/Fixed` is the same");
            text.AppendLine("code after the package's own code fixes (`samples/OrderService/make-fixed-twin.sh`, `dotnet format analyzers`; no hand");
            text.AppendLine("edits). Both handled the same request stream on the same machine, in one run, each in a fresh process per GC set-up.");
            text.AppendLine();
            text.Append(Invariant, $"Produced by `{command}` on {DateTime.UtcNow:yyyy-MM-dd}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.").AppendLine();
            foreach (var (configuration, original, twin) in runs)
            {
                text.AppendLine();
                text.Append(Invariant, $"## {configuration.Description}").AppendLine();
                text.AppendLine();
                text.Append(Invariant, $"{original.Requests:N0} requests per variant on {original.Threads} threads.").AppendLine();
                text.AppendLine();
                text.AppendLine("| Metric | Original | Fixed | Change |");
                text.AppendLine("|---|---:|---:|---|");
                foreach (var (metric, before, after, change) in Rows(original, twin))
                {
                    text.Append(Invariant, $"| {metric} | {before} | {after} | {change} |").AppendLine();
                }
            }

            return text.ToString();
        }

        private static string N0(double value) => value.ToString("N0", Invariant);

        private static string Us(double value) => value.ToString("N1", Invariant);

        private static string Gcs(Measurement m) => string.Create(Invariant, $"{m.Gen0} / {m.Gen1} / {m.Gen2}");

        private static string Change(double before, double after)
            => before == 0 ? (after == 0 ? "=" : "new") : ((after - before) / before).ToString("+0.0%;-0.0%;0.0%", Invariant);
    }
}
