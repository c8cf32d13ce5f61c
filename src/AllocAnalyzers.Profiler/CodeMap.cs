using System;
using System.Collections.Generic;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Where the JIT put each method's code, from the runtime's own events: a method load (live, or at the rundown for
    /// code compiled before the session) gives a body's address range, metadata token and module; the IL-to-native map
    /// that the runtime sends with it gives, for each native offset, the IL offset it came from. Every body is kept
    /// (tier-0, tier-1 and on-stack-replacement code of one method are separate bodies with separate maps), so that an
    /// instruction pointer on a stack resolves to the IL offset of the body it was really in.
    /// </summary>
    internal sealed class CodeMap
    {
        /// <summary>The IL-to-native map's markers for code that maps to no IL instruction (none -1, prolog -2, epilog -3).</summary>
        private const int NoMapping = -1;

        private const int Prolog = -2;

        private readonly List<CodeBody> _bodies = new List<CodeBody>();
        private readonly Dictionary<long, string> _modulePaths = new Dictionary<long, string>();

        // A body and its map are two adjacent events on one thread: live, the JIT's thread sends the body and then its
        // map; the rundown sends the map and then the body. A map is paired only with its neighbour of the same
        // method, so that a body sent without a map (a stub, precompiled code) never takes another body's.
        private readonly Dictionary<int, (long Method, CodeBody Body)> _liveBodyAwaitingMap = new Dictionary<int, (long, CodeBody)>();
        private readonly Dictionary<int, (long Method, int[] Il, int[] Native)> _rundownMapAwaitingBody = new Dictionary<int, (long, int[], int[])>();

        // The JIT reports each inlining it does while compiling a body, before that body's load event, on its thread.
        private readonly Dictionary<int, List<Inlining>> _inliningsAwaitingBody = new Dictionary<int, List<Inlining>>();
        private bool _sorted;

        /// <summary>Bodies seen with their address ranges.</summary>
        public int BodyCount => _bodies.Count;

        /// <summary>Bodies that arrived with an IL-to-native map.</summary>
        public int MappedBodyCount { get; private set; }

        /// <summary>Takes the events it needs from the trace (method loads, IL-to-native maps, module loads); ignores the rest.</summary>
        public void Add(TraceEvent data)
        {
            switch (data)
            {
                case MethodLoadUnloadVerboseTraceData load when load.MethodSize > 0 && !data.EventName.Contains("Unload", StringComparison.Ordinal):
                    var body = new CodeBody(load.MethodStartAddress, load.MethodSize, load.MethodToken, load.ModuleID, data.TimeStampRelativeMSec, !IsUnoptimized(load.OptimizationTier));
                    _bodies.Add(body);
                    _sorted = false;
                    if (!IsRundown(data))
                    {
                        _liveBodyAwaitingMap[data.ThreadID] = (load.MethodID, body);
                        if (_inliningsAwaitingBody.Remove(data.ThreadID, out var inlinings))
                        {
                            body.Inlinings = inlinings;
                        }
                    }
                    else if (_rundownMapAwaitingBody.Remove(data.ThreadID, out var sent) && sent.Method == load.MethodID)
                    {
                        Attach(body, sent.Il, sent.Native);
                    }

                    break;
                case MethodILToNativeMapTraceData map when map.MethodExtent == 0 && map.CountOfMapEntries > 0:
                    var il = new int[map.CountOfMapEntries];
                    var native = new int[map.CountOfMapEntries];
                    for (int i = 0; i < il.Length; i++)
                    {
                        il[i] = map.ILOffset(i);
                        native[i] = map.NativeOffset(i);
                    }

                    if (IsRundown(data))
                    {
                        _rundownMapAwaitingBody[data.ThreadID] = (map.MethodID, il, native);
                    }
                    else if (_liveBodyAwaitingMap.Remove(data.ThreadID, out var compiled) && compiled.Method == map.MethodID)
                    {
                        Attach(compiled.Body, il, native);
                    }

                    break;
                case MethodJitInliningSucceededTraceData inlining when MethodName.Parse(inlining.InlinerNamespace + "." + inlining.InlinerName) is { } inliner
                                                                       && MethodName.Parse(inlining.InlineeNamespace + "." + inlining.InlineeName) is { } inlinee:
                    if (!_inliningsAwaitingBody.TryGetValue(data.ThreadID, out var pending))
                    {
                        _inliningsAwaitingBody.Add(data.ThreadID, pending = new List<Inlining>());
                    }

                    pending.Add(new Inlining(inliner, inlinee));
                    break;
                case ModuleLoadUnloadTraceData module when !string.IsNullOrEmpty(module.ModuleILPath):
                    _modulePaths[module.ModuleID] = module.ModuleILPath;
                    break;
            }
        }

        /// <summary>
        /// The module, method token and IL offset of a return address on a stack (the call instruction just before it
        /// is what ran, so the byte before the address is looked up), at the time of the sample.
        /// </summary>
        public CodeLocation? Resolve(ulong returnAddress, double timeMSec)
        {
            ulong address = returnAddress - 1;
            var found = Find(address, timeMSec);
            if (found == null || !_modulePaths.TryGetValue(found.ModuleId, out string? module))
            {
                return null;
            }

            return new CodeLocation(module, found.Token, found.IlRangeAt((int)(address - found.Start))) { Inlinings = found.Inlinings };
        }

        private CodeBody? Find(ulong address, double timeMSec)
        {
            if (!_sorted)
            {
                _bodies.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.LoadedAt.CompareTo(b.LoadedAt));
                _sorted = true;
            }

            int index = LastStartingAtOrBefore(address);

            // Code memory can be reused for a later body (an unloaded method's): the latest body loaded before the
            // sample that covers the address is the one that ran; the rundown's copy of a body (sent at the end) only
            // when the live event is missing (an attach).
            CodeBody? found = null;
            for (int i = index; i >= 0 && i > index - 8; i--)
            {
                var body = _bodies[i];
                if (address >= body.Start + body.Size)
                {
                    continue;
                }

                bool before = body.LoadedAt <= timeMSec;
                if (found == null
                    || (before && (found.LoadedAt > timeMSec || body.LoadedAt > found.LoadedAt))
                    || (!before && found.LoadedAt > timeMSec && body.LoadedAt < found.LoadedAt))
                {
                    found = body;
                }
            }

            return found;
        }

        /// <summary>
        /// False when the code at a return address (or an instruction pointer's frame) is a jitted body the JIT compiled
        /// without optimizing (tier-0, minimal-optimization or instrumented tier-0 code); true for optimized bodies and
        /// for code with no method-load event (precompiled ReadyToRun code, which is optimized).
        /// </summary>
        public bool IsOptimized(ulong returnAddress, double timeMSec) => Find(returnAddress - 1, timeMSec)?.Optimized ?? true;

        /// <summary>Tier-0 and minimal-optimization code: what runs before the tiered JIT replaces it (or always, under a debugger).</summary>
        private static bool IsUnoptimized(OptimizationTier tier)
            => tier is OptimizationTier.QuickJitted or OptimizationTier.QuickJittedInstrumented or OptimizationTier.MinOptJitted;

        /// <summary>True for the rundown's events (sent at the end of a session, for code compiled before or during it).</summary>
        private static bool IsRundown(TraceEvent data) => data.EventName.Contains("DC", StringComparison.Ordinal);

        private void Attach(CodeBody body, int[] il, int[] native)
        {
            body.SetMap(il, native);
            MappedBodyCount++;
        }

        private int LastStartingAtOrBefore(ulong address)
        {
            int low = 0, high = _bodies.Count - 1, result = -1;
            while (low <= high)
            {
                int middle = low + ((high - low) / 2);
                if (_bodies[middle].Start <= address)
                {
                    result = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return result;
        }

        /// <summary>One compiled body of a method.</summary>
        private sealed class CodeBody
        {
            private int[]? _ilOffsets;
            private int[]? _nativeOffsets;

            public CodeBody(ulong start, int size, int token, long moduleId, double loadedAt, bool optimized)
            {
                Optimized = optimized;
                Start = start;
                Size = (ulong)size;
                Token = token;
                ModuleId = moduleId;
                LoadedAt = loadedAt;
            }

            public ulong Start { get; }

            public ulong Size { get; }

            public int Token { get; }

            public long ModuleId { get; }

            public double LoadedAt { get; }

            /// <summary>False for tier-0 and minimal-optimization code.</summary>
            public bool Optimized { get; }

            /// <summary>The callees whose code the JIT inlined into this body (empty for tier-0 code, or a recording without the JIT's inlining events).</summary>
            public IReadOnlyList<Inlining> Inlinings { get; set; } = Array.Empty<Inlining>();

            public void SetMap(int[] ilOffsets, int[] nativeOffsets)
            {
                // The runtime sends the entries in native order; sorted here in case one does not, keeping ties in order.
                var order = new int[nativeOffsets.Length];
                for (int i = 0; i < order.Length; i++)
                {
                    order[i] = i;
                }

                Array.Sort(order, (a, b) => nativeOffsets[a] != nativeOffsets[b] ? nativeOffsets[a].CompareTo(nativeOffsets[b]) : a.CompareTo(b));
                _ilOffsets = Array.ConvertAll(order, i => ilOffsets[i]);
                _nativeOffsets = Array.ConvertAll(order, i => nativeOffsets[i]);
            }

            /// <summary>
            /// The IL that the code at <paramref name="nativeOffset"/> came from: the IL offset of the last map entry that
            /// starts at or before it, up to the next IL offset the map separates from it. The JIT reports an entry
            /// where a statement begins, but optimized code may drop one (two statements merged into one native run), so
            /// the range ends at the next entry in native order when that one goes forward in the IL (straight-line
            /// code), otherwise at the next IL offset the map names anywhere. Optimized code often has no entry for IL
            /// offset 0: the prolog's entry, at the same native offset, stands for it, so the code up to the next entry
            /// is the method's first statements (a prolog makes no call, so a return address there is never really in
            /// it). Null when the body has no map or the code there maps to no IL (an epilog, or code without a mapping).
            /// </summary>
            public IlRange? IlRangeAt(int nativeOffset)
            {
                if (_nativeOffsets == null || _ilOffsets == null)
                {
                    return null;
                }

                int found = -1;
                for (int i = 0; i < _nativeOffsets.Length && _nativeOffsets[i] <= nativeOffset; i++)
                {
                    found = i;
                }

                // A call the JIT made for the statement (an allocation helper, a call it added) may sit in code mapped to
                // no IL; the JIT then records the call's IL offset at its return address, the entry that starts just
                // after the call instruction.
                if (found >= 0 && _ilOffsets[found] == NoMapping && found + 1 < _nativeOffsets.Length && _nativeOffsets[found + 1] == nativeOffset + 1 && _ilOffsets[found + 1] >= 0)
                {
                    found++;
                }

                if (found < 0 || (_ilOffsets[found] <= NoMapping && _ilOffsets[found] != Prolog))
                {
                    return null;
                }

                int start = Math.Max(_ilOffsets[found], 0);
                int end = int.MaxValue;
                for (int i = found + 1; i < _ilOffsets.Length; i++)
                {
                    if (_ilOffsets[i] > NoMapping && _ilOffsets[i] != start)
                    {
                        end = _ilOffsets[i] > start ? _ilOffsets[i] : end;
                        break;
                    }
                }

                if (end == int.MaxValue)
                {
                    foreach (int il in _ilOffsets)
                    {
                        if (il > start && il < end)
                        {
                            end = il;
                        }
                    }
                }

                return new IlRange(start, end);
            }
        }
    }

    /// <summary>A code address resolved to the module's IL image path, the method's metadata token and the IL it came from (null when unmapped).</summary>
    internal sealed record CodeLocation(string ModulePath, int MethodToken, IlRange? Il)
    {
        /// <summary>The callees the JIT inlined into the body: their allocations land on the line of their call.</summary>
        public IReadOnlyList<Inlining> Inlinings { get; init; } = Array.Empty<Inlining>();
    }

    /// <summary>One inlining the JIT did in a body: <see cref="Inlinee"/>'s code, called from <see cref="Inliner"/> (the body's method, or a callee already inlined into it).</summary>
    internal sealed record Inlining(MethodName Inliner, MethodName Inlinee);

    /// <summary>IL offsets from <see cref="Start"/> up to, not including, <see cref="End"/> (<see cref="int.MaxValue"/>: to the method's end).</summary>
    internal readonly record struct IlRange(int Start, int End);
}
