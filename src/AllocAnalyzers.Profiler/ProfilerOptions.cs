using System;
using System.Collections.Generic;
using System.Globalization;

namespace AllocAnalyzers.Profiler
{
    /// <summary>The command line, checked: every mistake is a <see cref="ProfilerException"/> with the usage.</summary>
    internal sealed class ProfilerOptions
    {
        public string Command { get; private set; } = string.Empty;

        public IReadOnlyList<string> Program { get; private set; } = Array.Empty<string>();

        public int ProcessId { get; private set; }

        /// <summary>Where the outputs go: <c>alloc-profile-results</c> unless given (<c>alloc-profile-verify</c> for verify).</summary>
        public string OutputDirectory { get; private set; } = "alloc-profile-results";

        public TimeSpan? Duration { get; private set; }

        public double Share { get; private set; } = 0.8;

        /// <summary>How much of the start of the recording to leave out.</summary>
        public TimeSpan Skip { get; private set; } = TimeSpan.Zero;

        public string? SarifPath { get; private set; }

        public string? ProfilePath { get; private set; }

        /// <summary>verify: a profile of the same workload after the fixes, to set each finding's bytes beside.</summary>
        public string? AfterPath { get; private set; }

        public static ProfilerOptions Parse(IReadOnlyList<string> args)
        {
            var options = new ProfilerOptions();
            if (args.Count == 0 || args[0] is not ("run" or "attach" or "report" or "verify"))
            {
                throw Error(args.Count == 0 ? "no command given" : "unknown command '" + args[0] + "'");
            }

            options.Command = args[0];
            bool outputGiven = false;
            int i = 1;
            if (options.Command == "attach")
            {
                if (args.Count < 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                {
                    throw Error("attach needs a process id");
                }

                options.ProcessId = pid;
                i = 2;
            }

            for (; i < args.Count; i++)
            {
                string Next() => i + 1 < args.Count ? args[++i] : throw Error(args[i] + " needs a value");
                switch (args[i])
                {
                    case "--":
                        var program = new List<string>();
                        for (i++; i < args.Count; i++)
                        {
                            program.Add(args[i]);
                        }

                        options.Program = program;
                        break;
                    case "--out":
                        options.OutputDirectory = Next();
                        outputGiven = true;
                        break;
                    case "--duration":
                        options.Duration = Seconds(Next(), allowZero: false) ?? throw Error("--duration needs a positive number of seconds");
                        break;
                    case "--skip":
                        options.Skip = Seconds(Next(), allowZero: true) ?? throw Error("--skip needs a number of seconds, 0 or more");
                        break;
                    case "--share":
                        options.Share = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double share) && share > 0 && share <= 1
                            ? share : throw Error("--share needs a number above 0 and at most 1");
                        break;
                    case "--sarif":
                        options.SarifPath = Next();
                        break;
                    case "--profile":
                        options.ProfilePath = Next();
                        break;
                    case "--after":
                        options.AfterPath = Next();
                        break;
                    default:
                        throw Error("unknown option '" + args[i] + "'");
                }
            }

            if (options.Command == "run" && options.Program.Count == 0)
            {
                throw Error("run needs the program after --, e.g. alloc-profile run -- dotnet MyApp.dll");
            }

            if (options.Command is "report" or "verify" && (options.ProfilePath == null || options.SarifPath == null))
            {
                throw Error(options.Command + " needs --profile and --sarif");
            }

            if (options.AfterPath != null && options.Command != "verify")
            {
                throw Error("--after is an option of verify");
            }

            if (options.Command == "verify" && !outputGiven)
            {
                options.OutputDirectory = "alloc-profile-verify";
            }

            return options;
        }

        /// <summary>A number of seconds, with or without a trailing 's'; null when it is not one or is out of range.</summary>
        private static TimeSpan? Seconds(string text, bool allowZero)
            => double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && (seconds > 0 || (allowZero && seconds == 0))
                ? TimeSpan.FromSeconds(seconds) : null;

        private static ProfilerException Error(string message) => new ProfilerException(message + Environment.NewLine + AllocAnalyzers.Profiler.Program.Usage);
    }
}
