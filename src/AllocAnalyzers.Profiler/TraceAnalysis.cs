using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Turns a recorded trace into an <see cref="AllocationProfile"/>. Each allocation tick carries the bytes allocated
    /// since the previous tick (about 100 KB); they are attributed to the first frame of the program's own code on the
    /// tick's stack (framework frames such as <c>string.Concat</c> are skipped, so the bytes land on the caller), and
    /// to that frame's source line: its return address, through the <see cref="CodeMap"/> of the JIT's events, to an IL
    /// offset, and through the module's PDB (<see cref="SymbolFile"/>) to a statement.
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
                    TraceLog.CreateFromEventPipeDataFile(recording.TracePath, etlx, new TraceLogOptions { KeepAllEvents = true }); // the IL-to-native maps are bookkeeping events TraceLog drops by default
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
            var code = new CodeMap();
            bool randomized = false;
            foreach (var data in log.Events)
            {
                code.Add(data); // first: the rundown that names code compiled before an attach comes at the end
                randomized |= data is AllocationSampledTraceData;
            }

            var sites = new Dictionary<(SourceLine, MethodName), AllocationSite>();
            var lines = new LineCoverage();
            var symbols = new Dictionary<string, SymbolFile>(StringComparer.Ordinal);
            using var calls = new CallGraph();
            try
            {
                foreach (var data in log.Events)
                {
                    if (data.TimeStampRelativeMSec < from)
                    {
                        continue;
                    }

                    // .NET 10 samples allocations at random (AllocationSampled, each object with a chance for every
                    // byte): unbiased. Before it, AllocationTick fires every 100 KB at a fixed stride, which a
                    // periodic allocation pattern aliases (small objects between large arrays go under-counted).
                    switch (data)
                    {
                        case AllocationSampledTraceData sampledObject when randomized:
                            Sample(data, sampledObject.TypeName, RandomizedSampling.Weight(sampledObject.ObjectSize));
                            break;
                        case GCAllocationTickTraceData tick when !randomized:
                            Sample(data, tick.TypeName, tick.AllocationAmount64);
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
            }
            finally
            {
                foreach (var file in symbols.Values)
                {
                    file.Dispose();
                }
            }

            // One allocation sample: its bytes go to its type, to the program's method on its stack and to that
            // frame's source line.
            void Sample(TraceEvent data, string? typeName, long bytes)
            {
                samples++;
                sampled += bytes;
                string type = string.IsNullOrEmpty(typeName) ? "(unknown type)" : typeName;
                Add(bytesByType, type, bytes);
                var (owner, address, callee, optimized) = Attribute(data.CallStack(), path, code, data.TimeStampRelativeMSec);
                if (owner == null)
                {
                    return;
                }

                if (Locate(code, symbols, calls, address, data.TimeStampRelativeMSec, lines) is { } located)
                {
                    var key = (located.Line, owner);
                    if (!sites.TryGetValue(key, out var site))
                    {
                        sites.Add(key, site = new AllocationSite(located.Line, owner, located.Module));
                    }

                    site.Add(type, bytes, optimized);
                    site.Inlinings.UnionWith(located.Inlinings);
                    if (callee != null)
                    {
                        Add(site.Via, callee, bytes);
                    }
                }

                if (!methods.TryGetValue(owner, out var method))
                {
                    methods.Add(owner, method = new MethodAllocations(owner));
                }

                method.Add(type, bytes, optimized);
                Add(method.CallPaths, path.ToString(), bytes);
            }

            return new AllocationProfile(duration > skip ? duration - skip : TimeSpan.Zero, methods.Values.OrderByDescending(m => m.Bytes).ThenBy(m => m.Name.Display, StringComparer.Ordinal).ToList(),
                bytesByType, samples, sampled, collections, TimeSpan.FromMilliseconds(pauseMs))
            {
                Sites = sites.Values.OrderByDescending(s => s.Bytes).ThenBy(s => s.Line.File, StringComparer.Ordinal).ThenBy(s => s.Line.Line).ToList(),
                Lines = lines,
                Randomized = randomized,
            };
        }

        /// <summary>The source line of the program frame at <paramref name="address"/>; null (and the reason counted in <paramref name="lines"/>) when it has none.</summary>
        private static (SourceLine Line, string Module, IReadOnlyList<Inlining> Inlinings)? Locate(CodeMap code, Dictionary<string, SymbolFile> symbols, CallGraph calls, ulong address, double time, LineCoverage lines)
        {
            if (code.Resolve(address, time) is not { } location)
            {
                lines.Miss(code.BodyCount == 0
                    ? "the recording has no method-load events (a trace recorded without the JIT keyword)"
                    : "the code was not compiled in the recording, or is precompiled (ReadyToRun) code the runtime sent no method-load event for");
                return null;
            }

            string module = Path.GetFileName(location.ModulePath);
            if (location.Il is not { } il)
            {
                lines.Miss(code.MappedBodyCount == 0
                    ? "the recording has no IL-to-native maps (recorded by an older alloc-profile, or without the JittedMethodILToNativeMap keyword)"
                    : "the address maps to no IL instruction (a prolog or epilog, or a body sent without its IL-to-native map)");
                return null;
            }

            if (!symbols.TryGetValue(location.ModulePath, out var file))
            {
                symbols.Add(location.ModulePath, file = SymbolFile.Open(location.ModulePath));
            }

            if (file.Find(location.MethodToken, il) is { } line)
            {
                lines.Resolved++;
                return (line, module, calls.Nest(location.ModulePath, location.Inlinings));
            }

            lines.Miss(file.Problem ?? "no sequence point covers the IL offset in " + module + " (compiler-generated code with no source line)");
            return null;
        }

        /// <summary>
        /// The allocating method of the program, its frame's return address, the framework method it called (the frame
        /// just above it, e.g. <c>System.String.Concat</c>; null when it allocated in its own code), whether every
        /// managed frame from the allocation down to the program's was optimized code (a box in a tier-0 body
        /// allocates through an optimized runtime helper: the tier-0 frame below it is what made the allocation), and,
        /// in <paramref name="path"/>, the program's method and its callers.
        /// </summary>
        private static (MethodName? Owner, ulong Address, string? Callee, bool Optimized) Attribute(TraceCallStack? stack, StringBuilder path, CodeMap code, double time)
        {
            path.Clear();
            MethodName? owner = null;
            ulong ownerAddress = 0;
            bool optimized = true;
            string? callee = null;
            int depth = 0;
            for (var frame = stack; frame != null && depth < PathDepth; frame = frame.Caller)
            {
                var address = frame.CodeAddress;
                if (IsFramework(address.ModuleName) || MethodName.Parse(address.FullMethodName) is not { } name)
                {
                    if (owner == null)
                    {
                        if (IsManagedFramework(address.ModuleName) && MethodName.Parse(address.FullMethodName) is { } framework)
                        {
                            callee = framework.Display;
                            optimized &= code.IsOptimized(address.Address, time);
                        }

                        continue;
                    }

                    break; // the program's frames end where framework code (a thread start, a host) begins
                }

                if (owner == null)
                {
                    owner = name;
                    ownerAddress = address.Address;
                    optimized &= code.IsOptimized(address.Address, time);
                }
                else if (name.Equals(owner) && depth == 1)
                {
                    continue; // a lambda's frame and its owner's are one method to a reader
                }

                path.Append(depth == 0 ? string.Empty : " ← ").Append(name.Display);
                depth++;
            }

            return (owner, ownerAddress, callee, optimized);
        }

        private static bool IsManagedFramework(string moduleName)
            => !string.IsNullOrEmpty(moduleName) && !moduleName.Contains("coreclr", StringComparison.OrdinalIgnoreCase) && IsFramework(moduleName);

        private static bool IsFramework(string moduleName)
            => string.IsNullOrEmpty(moduleName)
               || moduleName.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || moduleName.Equals("System", StringComparison.OrdinalIgnoreCase)
               || moduleName.StartsWith("Microsoft.", StringComparison.OrdinalIgnoreCase) || moduleName.Equals("mscorlib", StringComparison.OrdinalIgnoreCase)
               || moduleName.Equals("netstandard", StringComparison.OrdinalIgnoreCase) || moduleName.Contains("coreclr", StringComparison.OrdinalIgnoreCase);

        private static void Add(Dictionary<string, long> totals, string key, long bytes)
            => totals[key] = totals.TryGetValue(key, out long current) ? current + bytes : bytes;
    }
}
