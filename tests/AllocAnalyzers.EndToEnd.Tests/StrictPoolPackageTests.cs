using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>
    /// AllocAnalyzers.Testing as docs/strict-pools.md installs it: packed with dotnet pack, referenced from a local feed
    /// by an xunit test project, whose test of a correct rental passes and whose test of a double return fails with
    /// ALLOC402 and the stacks.
    /// </summary>
    public sealed class StrictPoolPackageTests
    {
        private const string TestSource = """
            using System;
            using System.Buffers;
            using AllocAnalyzers.Testing;
            using Xunit;

            public sealed class Frame : IDisposable
            {
                private readonly ArrayPool<byte> pool;
                private byte[]? buffer;
                private readonly bool forgetful;

                public Frame(ArrayPool<byte> pool, bool forgetful) { this.pool = pool; this.forgetful = forgetful; buffer = pool.Rent(100); }

                public void Dispose()
                {
                    if (buffer == null) return;
                    pool.Return(buffer);
                    if (!forgetful) buffer = null;
                }
            }

            public class FrameTests
            {
                [Fact]
                public void CorrectFrame_DisposedTwice()
                {
                    using var pool = new StrictArrayPool<byte>();
                    var frame = new Frame(pool, forgetful: false);
                    frame.Dispose();
                    frame.Dispose();
                }

                [Fact]
                public void ForgetfulFrame_DisposedTwice()
                {
                    using var pool = new StrictArrayPool<byte>();
                    var frame = new Frame(pool, forgetful: true);
                    frame.Dispose();
                    frame.Dispose();
                }
            }
            """;

        [Fact]
        public void Packed_ReferencedByAnXunitProject_FailsTheTestThatReturnsTwice()
        {
            string root = ConsumerProject.Metadata("RepositoryRoot");
            string work = Directory.CreateTempSubdirectory("alloc-strict-").FullName;
            try
            {
                string feed = Path.Combine(work, "feed");
                var (packCode, packOutput) = ToolProcess.Run("dotnet", root, new[] { "pack", "src/AllocAnalyzers.Testing", "--no-restore", "-c", "Release", "-p:PackageOutputPath=" + feed + "/", "-nologo" });
                Assert.True(packCode == 0, packOutput);
                string package = Assert.Single(Directory.GetFiles(feed, "AllocAnalyzers.Testing.*.nupkg"));
                using (var zip = ZipFile.OpenRead(package))
                {
                    var entries = zip.Entries.Select(e => e.FullName).ToList();
                    Assert.Contains("lib/netstandard2.0/AllocAnalyzers.Testing.dll", entries);
                    Assert.Contains("lib/net8.0/AllocAnalyzers.Testing.dll", entries);
                    Assert.Contains("lib/net8.0/AllocAnalyzers.Testing.xml", entries);
                    Assert.Contains("README.md", entries);
                    using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
                    string manifest = nuspec.ReadToEnd();
                    Assert.Contains("id=\"Microsoft.Extensions.ObjectPool\"", manifest);
                    Assert.Equal(1, manifest.Split("id=\"System.Buffers\"").Length - 1);
                }

                string project = Path.Combine(work, "tests");
                Directory.CreateDirectory(project);
                ConsumerProject.IsolateWithFeed(work, feed);
                File.WriteAllText(Path.Combine(project, "Frames.Tests.csproj"), $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <TargetFramework>net10.0</TargetFramework>
                        <Nullable>enable</Nullable>
                        <IsPackable>false</IsPackable>
                      </PropertyGroup>
                      <ItemGroup>
                        <PackageReference Include="AllocAnalyzers.Testing" Version="{ConsumerProject.Metadata("PackageVersion")}" />
                        <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{ConsumerProject.Metadata("TestSdkVersion")}" />
                        <PackageReference Include="xunit" Version="{ConsumerProject.Metadata("XunitVersion")}" />
                        <PackageReference Include="xunit.runner.visualstudio" Version="{ConsumerProject.Metadata("XunitRunnerVersion")}" />
                      </ItemGroup>
                    </Project>
                    """);
                File.WriteAllText(Path.Combine(project, "FrameTests.cs"), TestSource);

                var (testCode, testOutput) = ToolProcess.Run("dotnet", project, new[] { "test", "--logger", "console;verbosity=normal" }, ("NUGET_PACKAGES", Path.Combine(work, "packages")));

                Assert.True(testCode != 0, testOutput);
                Assert.Matches(@"Passed\s+FrameTests\.CorrectFrame_DisposedTwice", testOutput);
                Assert.Matches(@"Failed\s+FrameTests\.ForgetfulFrame_DisposedTwice", testOutput);
                Assert.Contains("AllocAnalyzers.Testing.StrictPoolException : ALLOC402: byte[128] rented from StrictArrayPool<byte> was returned a second time", testOutput);
                Assert.Matches(@"Returned again at:\s+at Frame\.Dispose\(\) in .*FrameTests\.cs:line 17", testOutput);
                Assert.Matches(@"Rented at:\s+at Frame\.\.ctor\(ArrayPool`1 pool, Boolean forgetful\) in .*FrameTests\.cs:line 12", testOutput);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
