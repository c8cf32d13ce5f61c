using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Diagnostics.NETCore.Client;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Records a program's allocations into a .nettrace file through EventPipe: the runtime's GC allocation-tick events
    /// (one about every 100 KB allocated, naming the type, with the call stack), GC start and pause events, and the
    /// loader and JIT events that name the methods on those stacks, with each compiled body's IL-to-native map (the
    /// rundown at the end sends them for code compiled before the session). Linux and macOS need no admin rights for this.
    /// </summary>
    internal static class Recorder
    {
        private const long GcKeyword = 0x1;
        private const long LoaderKeyword = 0x8;
        private const long JitKeyword = 0x10;
        private const long ILToNativeMapKeyword = 0x20000;
        private const long JitTracingKeyword = 0x1000; // the JIT's inlining decisions: which callee's code a body holds
        private const long AllocationSamplingKeyword = 0x80000000000; // .NET 10's randomized AllocationSampled events

        private static IReadOnlyList<EventPipeProvider> Providers { get; } = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Verbose, GcKeyword | LoaderKeyword | JitKeyword | ILToNativeMapKeyword | JitTracingKeyword | AllocationSamplingKeyword),
        };

        /// <summary>Starts <paramref name="command"/> suspended, records from its first instruction until it exits (or <paramref name="duration"/>).</summary>
        public static async Task<Recording> RunAsync(IReadOnlyList<string> command, TimeSpan? duration, string tracePath, Action<string> progress, CancellationToken cancellationToken)
        {
            string port = Path.Combine(Path.GetTempPath(), "alloc-profile-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".sock");
            Process? process = null;
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                // Listen first; the runtime connects to our port and waits there (suspended) until the session is on.
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(30));
                var accept = DiagnosticsClientConnector.FromDiagnosticPort(port, connectTimeout.Token);
                var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
                for (int i = 1; i < command.Count; i++)
                {
                    start.ArgumentList.Add(command[i]);
                }

                start.Environment["DOTNET_DiagnosticPorts"] = port;
                try
                {
                    process = Process.Start(start) ?? throw new ProfilerException("could not start '" + command[0] + "'");
                }
                catch (System.ComponentModel.Win32Exception e)
                {
                    throw new ProfilerException("could not start '" + command[0] + "': " + e.Message);
                }

                var exited = process.WaitForExitAsync(connectTimeout.Token);
                await Task.WhenAny(accept, exited).ConfigureAwait(false);
                if (!accept.IsCompletedSuccessfully)
                {
                    connectTimeout.Cancel();
                    throw new ProfilerException(process.HasExited
                        ? $"'{command[0]}' exited (code {process.ExitCode}) before the .NET runtime connected: is it a .NET program (use 'dotnet app.dll')?"
                        : $"'{command[0]}' did not connect to the profiler within 30 s: is it a .NET (Core 5+) program?");
                }

                await using var connector = accept.Result;
                var client = connector.Instance;
                using var session = client.StartEventPipeSession(Providers, requestRundown: true, circularBufferMB: 256);
                client.ResumeRuntime();
                progress($"recording process {process.Id} ({string.Join(' ', command)})");
                var elapsed = await RecordAsync(session, process, duration, tracePath, progress, cancellationToken).ConfigureAwait(false);
                return new Recording(tracePath, process.Id, elapsed, process.HasExited ? process.ExitCode : null);
            }
            finally
            {
                process?.Dispose();
                TryDelete(port);
            }
        }

        public static void EnsureRunning(int processId) => OpenProcess(processId).Dispose();

        /// <summary>Records a running program (by process id) for <paramref name="duration"/> or until it exits.</summary>
        public static async Task<Recording> AttachAsync(int processId, TimeSpan duration, string tracePath, Action<string> progress, CancellationToken cancellationToken)
        {
            var process = OpenProcess(processId);
            using (process)
            {
                EventPipeSession session;
                try
                {
                    session = new DiagnosticsClient(processId).StartEventPipeSession(Providers, requestRundown: true, circularBufferMB: 256);
                }
                catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or TimeoutException or IOException)
                {
                    throw new ProfilerException($"process {processId} does not accept diagnostics connections (is it a .NET 5+ program run by this user?): {e.Message}");
                }

                using (session)
                {
                    progress($"recording process {processId} ({process.ProcessName}) for {duration.TotalSeconds:0.#} s");
                    var elapsed = await RecordAsync(session, process, duration, tracePath, progress, cancellationToken).ConfigureAwait(false);
                    return new Recording(tracePath, processId, elapsed, null);
                }
            }
        }

        private static Process OpenProcess(int processId)
        {
            try
            {
                return Process.GetProcessById(processId);
            }
            catch (ArgumentException)
            {
                throw new ProfilerException("no process with id " + processId + " is running");
            }
        }

        /// <summary>
        /// Streams the session to <paramref name="tracePath"/> until the program exits, <paramref name="duration"/> passes
        /// or the user cancels; then stops the session (which sends the rundown that names methods compiled earlier).
        /// </summary>
        private static async Task<TimeSpan> RecordAsync(EventPipeSession session, Process process, TimeSpan? duration, string tracePath, Action<string> progress, CancellationToken cancellationToken)
        {
            var stopwatch = Stopwatch.StartNew();
            var copy = CopyAsync(session, tracePath);
            await WaitAsync(() => process.HasExited, duration, stopwatch, tracePath, progress, cancellationToken).ConfigureAwait(false);
            if (!process.HasExited)
            {
                TryStop(session);
            }

            await copy.ConfigureAwait(false);
            return stopwatch.Elapsed;
        }

        private static async Task CopyAsync(EventPipeSession session, string tracePath)
        {
            await using var file = File.Create(tracePath);
            await session.EventStream.CopyToAsync(file).ConfigureAwait(false);
        }

        private static async Task WaitAsync(Func<bool> exited, TimeSpan? duration, Stopwatch stopwatch, string tracePath, Action<string> progress, CancellationToken cancellationToken)
        {
            var nextReport = TimeSpan.FromSeconds(1);
            while (!exited() && (duration == null || stopwatch.Elapsed < duration) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                if (stopwatch.Elapsed >= nextReport)
                {
                    long size = File.Exists(tracePath) ? new FileInfo(tracePath).Length : 0;
                    progress($"  {stopwatch.Elapsed.TotalSeconds:0} s recorded, {size / 1024.0:N0} KB of events");
                    nextReport += TimeSpan.FromSeconds(1);
                }
            }
        }

        private static void TryStop(EventPipeSession session)
        {
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException)
            {
                // The program exited while we stopped: the stream ends by itself.
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A finished recording: the trace file, whose process, and for how long.</summary>
    internal sealed record Recording(string TracePath, int ProcessId, TimeSpan Duration, int? ExitCode);
}
