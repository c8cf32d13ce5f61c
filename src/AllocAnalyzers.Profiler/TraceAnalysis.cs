using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Turns a recorded trace into an <see cref="AllocationProfile"/>. Each allocation tick carries the bytes allocated
    /// since the previous tick (about 100 KB); they are attributed to the first frame of the program's own code on the
    /// tick's stack (framework frames such as <c>string.Concat</c> are skipped, so the bytes land on the caller).
    /// </summary>
    internal static class TraceAnalysis
    {
        private const int PathDepth = 4;

        public static AllocationProfile Analyze(Recording recording, TimeSpan skip)
        {
            string etlx = Path.ChangeExtension(recording.TracePath, ".etlx");
            try
            {
                try
                {
                    TraceLog.CreateFromEventPipeDataFile(recording.TracePath, etlx);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new ProfilerException("the recorded trace could not be read (" + e.Message + "); did the program run long enough?");
                }

                using var log = new TraceLog(etlx);
                return Analyze(log, recording.Duration, skip);
            }
            finally
            {
                File.Delete(etlx);
            }
        }

        /// <summary>Events in the first <paramref name="skip"/> of the recording (start-up, warm-up) are left out.</summary>
        private static AllocationProfile Analyze(TraceLog log, TimeSpan duration, TimeSpan skip)
        {
            double from = skip.TotalMilliseconds;
            var methods = new Dictionary<MethodName, MethodAllocations>();
            var bytesByType = new Dictionary<string, long>();
            var collections = new int[3];
            double suspendedAt = double.NaN;
            double pauseMs = 0;
            int samples = 0;
            long sampled = 0;
            var path = new StringBuilder();
            foreach (var data in log.Events)
            {
                if (data.TimeStampRelativeMSec < from)
                {
                    continue;
                }

                switch (data)
                {
                    case GCAllocationTickTraceData tick:
                        samples++;
                        long bytes = tick.AllocationAmount64;
                        sampled += bytes;
                        string type = string.IsNullOrEmpty(tick.TypeName) ? "(unknown type)" : tick.TypeName;
                        Add(bytesByType, type, bytes);
                        var owner = Attribute(data.CallStack(), path);
                        if (owner != null)
                        {
                            if (!methods.TryGetValue(owner, out var method))
                            {
                                methods.Add(owner, method = new MethodAllocations(owner));
                            }

                            method.Bytes += bytes;
                            method.Samples++;
                            Add(method.BytesByType, type, bytes);
                            Add(method.CallPaths, path.ToString(), bytes);
                        }

                        break;
                    case GCStartTraceData start when start.Depth is >= 0 and <= 2:
                        collections[start.Depth]++;
                        break;
                    case GCSuspendEETraceData:
                        suspendedAt = data.TimeStampRelativeMSec;
                        break;
                    case var _ when data.EventName == "GC/RestartEEStop" && !double.IsNaN(suspendedAt):
                        pauseMs += data.TimeStampRelativeMSec - suspendedAt;
                        suspendedAt = double.NaN;
                        break;
                }
            }

            return new AllocationProfile(duration > skip ? duration - skip : TimeSpan.Zero, methods.Values.OrderByDescending(m => m.Bytes).ThenBy(m => m.Name.Display, StringComparer.Ordinal).ToList(),
                bytesByType, samples, sampled, collections, TimeSpan.FromMilliseconds(pauseMs));
        }

        /// <summary>The allocating method of the program and, in <paramref name="path"/>, it and its callers.</summary>
        private static MethodName? Attribute(TraceCallStack? stack, StringBuilder path)
        {
            path.Clear();
            MethodName? owner = null;
            int depth = 0;
            for (var frame = stack; frame != null && depth < PathDepth; frame = frame.Caller)
            {
                var address = frame.CodeAddress;
                if (IsFramework(address.ModuleName) || MethodName.Parse(address.FullMethodName) is not { } name)
                {
                    if (owner == null)
                    {
                        continue;
                    }

                    break; // the program's frames end where framework code (a thread start, a host) begins
                }

                if (owner == null)
                {
                    owner = name;
                }
                else if (name.Equals(owner) && depth == 1)
                {
                    continue; // a lambda's frame and its owner's are one method to a reader
                }

                path.Append(depth == 0 ? string.Empty : " ← ").Append(name.Display);
                depth++;
            }

            return owner;
        }

        private static bool IsFramework(string moduleName)
            => string.IsNullOrEmpty(moduleName)
               || moduleName.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || moduleName.Equals("System", StringComparison.OrdinalIgnoreCase)
               || moduleName.StartsWith("Microsoft.", StringComparison.OrdinalIgnoreCase) || moduleName.Equals("mscorlib", StringComparison.OrdinalIgnoreCase)
               || moduleName.Equals("netstandard", StringComparison.OrdinalIgnoreCase) || moduleName.Contains("coreclr", StringComparison.OrdinalIgnoreCase);

        private static void Add(Dictionary<string, long> totals, string key, long bytes)
            => totals[key] = totals.TryGetValue(key, out long current) ? current + bytes : bytes;
    }
}
