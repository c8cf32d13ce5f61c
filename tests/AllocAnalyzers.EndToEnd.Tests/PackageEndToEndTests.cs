using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>The package as users meet it, from the packed .nupkg: build, -warnaserror, configuration, format, SARIF.</summary>
    public sealed class PackageEndToEndTests
    {
        [Fact]
        public void Build_ReportsDiagnostics_WithFileLineAndHelpLink()
        {
            using var consumer = new ConsumerProject();
            var (exitCode, output) = consumer.Dotnet("build");

            Assert.True(exitCode == 0, output);
            Assert.Matches(@"Program\.cs\(6,15\): warning ALLOC301: Struct 'Packet' is 24 bytes; ordering its fields by alignment makes it 16 bytes .*docs/rules/ALLOC301\.md", output);
            Assert.Matches(@"Program\.cs\(\d+,\d+\): warning ALLOC401: 'buffer' rented from 'ArrayPool<int>\.Shared' is not returned on the exception path", output);
        }

        [Fact]
        public void WarnAsError_FailsTheBuild()
        {
            using var consumer = new ConsumerProject();
            var (exitCode, output) = consumer.Dotnet("build", "-warnaserror");

            Assert.NotEqual(0, exitCode);
            Assert.Contains("error ALLOC301", output);
        }

        [Fact]
        public void EditorConfigSeverityNone_AndPragma_SilenceTheRules()
        {
            using var consumer = new ConsumerProject();
            File.WriteAllText(Path.Combine(consumer.Directory, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.ALLOC301.severity = none\n");
            File.WriteAllText(consumer.SourcePath, ConsumerProject.ProgramSource.Replace("var buffer = ArrayPool", "#pragma warning disable ALLOC401\n        var buffer = ArrayPool").Replace("Fill(buffer, n);", "#pragma warning restore ALLOC401\n        Fill(buffer, n);"));
            var (exitCode, output) = consumer.Dotnet("build", "-warnaserror");

            Assert.True(exitCode == 0, output);
            Assert.DoesNotContain("ALLOC301", output);
            Assert.DoesNotContain("ALLOC401", output);
        }

        [Fact]
        public void DotnetFormat_VerifyFails_ThenFixesApply_AndTheProgramBehavesTheSame()
        {
            using var consumer = new ConsumerProject();
            var (buildCode, buildOutput) = consumer.Dotnet("build");
            Assert.True(buildCode == 0, buildOutput);
            var (_, before) = consumer.Dotnet("run", "--no-build");

            var (verifyCode, verifyOutput) = consumer.Dotnet("format", "analyzers", "--diagnostics", "ALLOC301", "ALLOC401", "ALLOC201", "--severity", "info", "--verify-no-changes");
            Assert.True(verifyCode != 0, verifyOutput);

            var (formatCode, formatOutput) = consumer.Dotnet("format", "analyzers", "--diagnostics", "ALLOC301", "ALLOC401", "ALLOC201", "--severity", "info");
            Assert.True(formatCode == 0, formatOutput);
            Assert.DoesNotContain("Unable to fix", formatOutput);
            var source = File.ReadAllText(consumer.SourcePath);
            Assert.Contains("finally", source);
            Assert.Contains("\"6f1c2b9e-3a4d-4c5e-8f70-112233445566\").ToString())", source);
            Assert.Matches(@"public long Timestamp;\s+public byte Flags;\s+public byte Priority;", source);

            var (rebuildCode, rebuildOutput) = consumer.Dotnet("build", "--no-incremental");
            Assert.True(rebuildCode == 0, rebuildOutput);
            Assert.DoesNotContain("ALLOC", rebuildOutput);
            var (_, after) = consumer.Dotnet("run", "--no-build");
            Assert.Equal(before, after);
        }

        /// <summary>
        /// The README's set-up for TreatWarningsAsErrors: the rules listed in WarningsNotAsErrors outside the design-time
        /// build. The build keeps them warnings, and dotnet format (which loads the design-time build) still fixes them.
        /// </summary>
        [Fact]
        public void WarningsNotAsErrors_OutsideTheDesignTimeBuild_KeepsBuildsGreen_AndDotnetFormatFixing()
        {
            using var consumer = new ConsumerProject("""
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <WarningsNotAsErrors Condition="'$(DesignTimeBuild)' != 'true'">$(WarningsNotAsErrors);ALLOC301;ALLOC401;ALLOC201</WarningsNotAsErrors>
                """);
            var (buildCode, buildOutput) = consumer.Dotnet("build");
            Assert.True(buildCode == 0, buildOutput);
            Assert.Contains("warning ALLOC301", buildOutput);

            var (formatCode, formatOutput) = consumer.Dotnet("format", "analyzers", "--diagnostics", "ALLOC301", "--severity", "info");
            Assert.True(formatCode == 0, formatOutput);
            Assert.Matches(@"public long Timestamp;\s+public byte Flags;\s+public byte Priority;", File.ReadAllText(consumer.SourcePath));
        }

        [Fact]
        public void ErrorLog_WritesSarif_WithOurRulesAndHelpLinks()
        {
            using var consumer = new ConsumerProject();
            string sarif = Path.Combine(consumer.Root, "build.sarif");
            var (exitCode, output) = consumer.Dotnet("build", "-p:ErrorLog=" + sarif + "%2Cversion=2.1");
            Assert.True(exitCode == 0, output);

            using var document = JsonDocument.Parse(File.ReadAllText(sarif));
            var rules = document.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
            var padded = Assert.Single(rules, r => r.GetProperty("id").GetString() == "ALLOC301");
            Assert.EndsWith("docs/rules/ALLOC301.md", padded.GetProperty("helpUri").GetString());
            var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "ALLOC301");
            // The allocated type travels with the finding, as the runtime names it (alloc-profile joins on it).
            Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "ALLOC201"
                && r.GetProperty("properties").GetProperty("customProperties").GetProperty("Type").GetString() == "System.Guid");
        }

        [Fact]
        public void Samples_ShowEveryRule()
        {
            var root = RepositoryRoot();
            var samples = Path.Combine(root, "samples", "AllocAnalyzers.Samples");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = samples, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "build", "--no-incremental", "-warnaserror" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);

            var shown = System.Text.RegularExpressions.Regex.Matches(output, @"warning (ALLOC\d{3})").Select(m => m.Groups[1].Value).ToHashSet();
            var ids = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root, "src", "AllocAnalyzers", "Catalog", "RuleIds.cs")), "\"(ALLOC\\d{3})\"")
                .Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.Contains(id, shown));
        }

        /// <summary>
        /// <c>dotnet pack</c> builds what it packs: in a configuration never built before (as on a fresh clone, where no
        /// bin folder exists yet) the package still gets both DLLs, from that configuration.
        /// </summary>
        [Fact]
        public void Pack_InAConfigurationNeverBuilt_PacksBothAnalyzers()
        {
            var root = RepositoryRoot();
            string configuration = "PackCheck" + System.Guid.NewGuid().ToString("N").Substring(0, 6);
            var output = Directory.CreateTempSubdirectory("alloc-pack-");
            try
            {
                var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in new[] { "pack", "src/AllocAnalyzers.Package", "--no-restore", "-c", configuration, "-p:PackageOutputPath=" + output.FullName + "/", "-nologo" })
                {
                    start.ArgumentList.Add(argument);
                }

                using (var process = System.Diagnostics.Process.Start(start)!)
                {
                    string log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                    process.WaitForExit();
                    Assert.True(process.ExitCode == 0, log);
                }

                using var package = System.IO.Compression.ZipFile.OpenRead(Assert.Single(Directory.GetFiles(output.FullName, "AllocAnalyzers.*.nupkg")));
                var entries = package.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("analyzers/dotnet/cs/AllocAnalyzers.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/AllocAnalyzers.CodeFixes.dll", entries);
            }
            finally
            {
                output.Delete(recursive: true);
                foreach (var project in new[] { "AllocAnalyzers", "AllocAnalyzers.CodeFixes", "AllocAnalyzers.Package" })
                {
                    foreach (var folder in new[] { "bin", "obj" })
                    {
                        string built = Path.Combine(root, "src", project, folder, configuration);
                        if (Directory.Exists(built))
                        {
                            Directory.Delete(built, recursive: true);
                        }
                    }
                }
            }
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(System.AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AllocAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("AllocAnalyzers.sln not found above " + System.AppContext.BaseDirectory);
        }

        [Fact]
        public void AuditMode_MakesEveryMemberHot()
        {
            using var plain = new ConsumerProject();
            var (_, plainOutput) = plain.Dotnet("build");
            Assert.DoesNotContain("ALLOC101", plainOutput);

            using var audit = new ConsumerProject("<AllocAnalyzersMode>audit</AllocAnalyzersMode>");
            var (exitCode, auditOutput) = audit.Dotnet("build");
            Assert.True(exitCode == 0, auditOutput);
            Assert.Contains("warning ALLOC101: 'new object' allocates 24 bytes", auditOutput);
        }

        /// <summary>
        /// The package's build files make the target visible to the analyzers: a multi-targeted project is analysed
        /// once per target, and each build's messages name theirs (and say when the build is a Debug build).
        /// </summary>
        [Fact]
        public void MultiTargeted_MessagesNameEachTarget()
        {
            using var consumer = new ConsumerProject("<AllocAnalyzersMode>audit</AllocAnalyzersMode><TargetFramework></TargetFramework><TargetFrameworks>net8.0;net10.0</TargetFrameworks>");
            var (exitCode, output) = consumer.Dotnet("build");

            Assert.True(exitCode == 0, output);
            Assert.Contains("warning ALLOC101: 'new object' allocates 24 bytes on every execution (net8.0, Debug build)", output);
            Assert.Contains("warning ALLOC101: 'new object' allocates 24 bytes on every execution (net10.0, Debug build)", output);
        }
    }
}
