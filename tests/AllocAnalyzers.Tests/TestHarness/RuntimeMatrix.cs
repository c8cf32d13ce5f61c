using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>How the runtime host's JIT compiles the measured code.</summary>
    public enum JitMode
    {
        /// <summary>Tiered compilation off: every method compiled once, fully optimized, no profile.</summary>
        FullOpts,

        /// <summary>The runtime's default: Tier-0 first, then tier-1 with dynamic PGO once the method is hot.</summary>
        TieredPgo,

        /// <summary>The proof code compiled as a Debug build: unoptimized code, as under a debugger.</summary>
        Debug,
    }

    /// <summary>
    /// Runs proof code on .NET 8, 9 or 10: the self-contained AllocAnalyzers.RuntimeHost of that target (built with
    /// the tests; its runtime comes from restore) compiles the source against its own runtime and prints the heap bytes
    /// per call of each method at steady state.
    /// </summary>
    public static class RuntimeMatrix
    {
        /// <summary>The runtimes the analyzers make claims for and the tests measure.</summary>
        public static readonly int[] Runtimes = { 8, 9, 10 };

        /// <summary>Bytes per call of each of <paramref name="methods"/> ("Type.Method", static, parameterless).</summary>
        public static IReadOnlyDictionary<string, double> BytesPerCall(string source, IEnumerable<string> methods, int runtime, JitMode mode)
        {
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var pair in Measure(source, methods, runtime, mode, Array.Empty<string>(), time: false))
            {
                result[pair.Key] = pair.Value.Bytes;
            }

            return result;
        }

        /// <summary>
        /// Bytes (and, with <paramref name="time"/>, nanoseconds) per call of each of <paramref name="methods"/>, the source
        /// compiled against the runtime's assemblies and <paramref name="references"/>.
        /// </summary>
        public static IReadOnlyDictionary<string, (double Bytes, double Nanoseconds)> Measure(string source, IEnumerable<string> methods, int runtime, JitMode mode, IEnumerable<string> references, bool time)
        {
            string file = Path.Combine(Path.GetTempPath(), "alloc-matrix-" + Guid.NewGuid().ToString("N") + ".cs");
            File.WriteAllText(file, source);
            try
            {
                var start = new ProcessStartInfo(HostPath(runtime))
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                if (mode == JitMode.Debug)
                {
                    start.ArgumentList.Add("--debug");
                }

                if (time)
                {
                    start.ArgumentList.Add("--time");
                }

                foreach (var reference in references)
                {
                    start.ArgumentList.Add("--reference");
                    start.ArgumentList.Add(reference);
                }

                start.ArgumentList.Add(file);
                foreach (var method in methods)
                {
                    start.ArgumentList.Add(method);
                }

                // The test process itself runs with tiering off; the host chooses by its own environment.
                start.Environment["DOTNET_TieredCompilation"] = mode == JitMode.FullOpts ? "0" : "1";
                start.Environment["DOTNET_TieredPGO"] = "1";
                start.Environment.Remove("DOTNET_TC_QuickJitForLoops");

                using var process = Process.Start(start) ?? throw new InvalidOperationException("The runtime host did not start.");
                var errors = process.StandardError.ReadToEndAsync();
                string output = process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(120_000))
                {
                    process.Kill();
                    throw new TimeoutException("The .NET " + runtime + " runtime host did not finish in 2 minutes.");
                }

                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException("The .NET " + runtime + " runtime host failed (" + process.ExitCode + "): " + errors.Result + output);
                }

                var result = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
                foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Trim().Split('\t');
                    if (parts.Length == 2 && parts[0] == "runtime")
                    {
                        if (!parts[1].StartsWith(runtime.ToString(CultureInfo.InvariantCulture) + ".", StringComparison.Ordinal))
                        {
                            throw new InvalidOperationException("The .NET " + runtime + " host ran on .NET " + parts[1] + ".");
                        }
                    }
                    else if (parts.Length >= 2)
                    {
                        result[parts[0]] = (double.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) : double.NaN);
                    }
                }

                return result;
            }
            finally
            {
                File.Delete(file);
            }
        }

        /// <summary>The host built for .NET <paramref name="runtime"/>, in the configuration the caller was built in.</summary>
        public static string HostPath(int runtime)
        {
            // .../tests/<caller>/bin/<Configuration>/net10.0/, somewhere below the repository root.
            var output = new DirectoryInfo(AppContext.BaseDirectory);
            string configuration = output.Parent?.Name ?? "Debug";
            var root = output;
            while (root != null && !File.Exists(Path.Combine(root.FullName, "AllocAnalyzers.sln")))
            {
                root = root.Parent;
            }

            string path = Path.Combine(root?.FullName ?? ".", "tests", "AllocAnalyzers.RuntimeHost", "bin", configuration,
                "net" + runtime.ToString(CultureInfo.InvariantCulture) + ".0", "linux-x64", "AllocAnalyzers.RuntimeHost");
            return File.Exists(path) ? path : throw new FileNotFoundException("The runtime host is built with the tests (dotnet build AllocAnalyzers.sln): not found at " + path);
        }
    }
}
