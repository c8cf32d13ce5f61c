using System;
using System.Diagnostics;
using System.Text;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>Runs a command line tool (dotnet, bash) to completion and returns its exit code and combined output.</summary>
    internal static class ToolProcess
    {
        public static (int ExitCode, string Output) Run(string fileName, string workingDirectory, string[] arguments, params (string Name, string Value)[] environment)
        {
            var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(600_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(fileName + " " + string.Join(" ", arguments) + " timed out");
            }

            process.WaitForExit();
            return (process.ExitCode, output.ToString());
        }
    }
}
