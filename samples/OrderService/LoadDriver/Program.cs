using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace OrderService.LoadDriver
{
    /// <summary>
    /// Parent: for each GC set-up, starts one child process per variant (original, then fixed), collects what each
    /// measured, prints both side by side and writes the markdown report. Child (<c>-child</c>): runs one variant.
    /// </summary>
    internal static class Program
    {
        private const string ResultPrefix = "RESULT ";
        private const int Seed = 20261129;

        private static int Main(string[] args)
        {
            try
            {
                var options = Options.Parse(args);
                return options.Child ? RunChild(options) : RunParent(options);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                Console.Error.WriteLine("usage: OrderService.LoadDriver [-requests N] [-threads N] [-configs workstation,server,small-gen0] [-markdown FILE]");
                return 2;
            }
        }

        private static int RunChild(Options options)
        {
            var workload = Workload.Create(distinctRequests: 4096, Seed);
            var measurement = Measurement.Run(options.Variant, workload, options.Requests, options.Threads);
            Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(measurement));
            return 0;
        }

        private static int RunParent(Options options)
        {
            var runs = new List<(GcConfiguration, Measurement, Measurement)>();
            foreach (var configuration in GcConfiguration.All.Where(c => options.Configurations.Contains(c.Name)))
            {
                var original = RunChildProcess(configuration, "original", options);
                var twin = RunChildProcess(configuration, "fixed", options);
                runs.Add((configuration, original, twin));
                Console.WriteLine(Report.Console(configuration, original, twin));
            }

            if (options.Markdown != null)
            {
                string command = "dotnet run -c Release --project samples/OrderService/LoadDriver -- -requests " + options.Requests + " -threads " + options.Threads;
                File.WriteAllText(options.Markdown, Report.Markdown(runs, command));
                Console.WriteLine("Written: " + Path.GetFullPath(options.Markdown));
            }

            bool sameResults = runs.All(r => r.Item2.ResultDigest == r.Item3.ResultDigest);
            if (!sameResults)
            {
                Console.Error.WriteLine("error: the fixed twin produced different results from the original");
            }

            return sameResults ? 0 : 1;
        }

        private static Measurement RunChildProcess(GcConfiguration configuration, string variant, Options options)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                start.ArgumentList.Add(typeof(Program).Assembly.Location);
            }

            foreach (var argument in new[] { "-child", "-variant", variant, "-requests", options.Requests.ToString(), "-threads", options.Threads.ToString() })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in configuration.Environment)
            {
                if (value.Length == 0)
                {
                    start.Environment.Remove(name);
                }
                else
                {
                    start.Environment[name] = value;
                }
            }

            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
            if (process.ExitCode != 0 || line == null)
            {
                throw new InvalidOperationException($"the {variant} run under {configuration.Name} failed (exit code {process.ExitCode}): {output}");
            }

            return JsonSerializer.Deserialize<Measurement>(line.Substring(ResultPrefix.Length))!;
        }

        private sealed class Options
        {
            public bool Child { get; private set; }

            public string Variant { get; private set; } = "original";

            public long Requests { get; private set; } = 400_000;

            public int Threads { get; private set; } = Math.Max(2, Environment.ProcessorCount);

            public HashSet<string> Configurations { get; private set; } = GcConfiguration.All.Select(c => c.Name).ToHashSet();

            public string? Markdown { get; private set; }

            public static Options Parse(string[] args)
            {
                var options = new Options();
                for (int i = 0; i < args.Length; i++)
                {
                    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
                    switch (args[i].TrimStart('-'))
                    {
                        case "child":
                            options.Child = true;
                            break;
                        case "variant":
                            options.Variant = Next();
                            break;
                        case "requests":
                            options.Requests = long.TryParse(Next(), out long requests) && requests > 0 ? requests : throw new ArgumentException("-requests needs a positive whole number");
                            break;
                        case "threads":
                            options.Threads = int.TryParse(Next(), out int threads) && threads > 0 ? threads : throw new ArgumentException("-threads needs a positive whole number");
                            break;
                        case "configs":
                            options.Configurations = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                            if (options.Configurations.Except(GcConfiguration.All.Select(c => c.Name)).FirstOrDefault() is { } unknown)
                            {
                                throw new ArgumentException("unknown configuration '" + unknown + "'");
                            }

                            break;
                        case "markdown":
                            options.Markdown = Next();
                            break;
                        default:
                            throw new ArgumentException("unknown option '" + args[i] + "'");
                    }
                }

                return options;
            }
        }
    }
}
