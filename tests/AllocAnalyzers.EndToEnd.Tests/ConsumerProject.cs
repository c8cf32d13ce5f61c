using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>
    /// A temporary consumer project that references the packed AllocAnalyzers package from a local feed, with its own
    /// NuGet cache so the freshly packed version is the one used. Runs dotnet against it.
    /// </summary>
    public sealed class ConsumerProject : IDisposable
    {
        public const string ProgramSource = """
            using System;
            using System.Buffers;

            [AttributeUsage(AttributeTargets.All)] internal sealed class HotPathAttribute : Attribute { }

            public struct Packet
            {
                public byte Flags;
                public long Timestamp;
                public byte Priority;
            }

            public static class Work
            {
                public static int Sum(int n)
                {
                    var buffer = ArrayPool<int>.Shared.Rent(n);
                    Fill(buffer, n);
                    int total = 0;
                    for (int i = 0; i < n; i++) total += buffer[i];
                    ArrayPool<int>.Shared.Return(buffer);
                    return total;
                }

                private static void Fill(int[] buffer, int n) { for (int i = 0; i < n; i++) buffer[i] = i; }

                public static object Describe(int n) => new object();
            }

            public static class Program
            {
                public static void Main()
                {
                    var p = new Packet { Flags = 1, Timestamp = 2, Priority = 3 };
                    var text = new System.Text.StringBuilder();
                    text.Append(new Guid("6f1c2b9e-3a4d-4c5e-8f70-112233445566"));
                    Console.WriteLine($"{p.Flags} {p.Timestamp} {p.Priority} {Work.Sum(10)} {text}");
                }
            }
            """;

        private static readonly string PackagePath = Metadata("PackagePath");
        private static readonly string Version = Metadata("PackageVersion");

        public ConsumerProject(string? extraProperties = null)
        {
            Root = Path.Combine(Path.GetTempPath(), "alloc-e2e-" + Guid.NewGuid().ToString("N"));
            string feed = Path.Combine(Root, "feed");
            System.IO.Directory.CreateDirectory(feed);
            File.Copy(PackagePath, Path.Combine(feed, Path.GetFileName(PackagePath)));
            System.IO.Directory.CreateDirectory(Directory);
            IsolateWithFeed(Root, feed);
            File.WriteAllText(ProjectPath, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                    {extraProperties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="AllocAnalyzers" Version="{Version}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(SourcePath, ProgramSource);
        }

        public string Root { get; }

        public string Directory => Path.Combine(Root, "consumer");

        public string ProjectPath => Path.Combine(Directory, "Consumer.csproj");

        public string SourcePath => Path.Combine(Directory, "Program.cs");

        public (int ExitCode, string Output) Dotnet(params string[] arguments)
            => ToolProcess.Run("dotnet", Directory, arguments, ("NUGET_PACKAGES", Path.Combine(Root, "packages")));

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        /// <summary>
        /// Makes <paramref name="root"/> a place of its own for the projects under it: packages from <paramref name="feed"/>
        /// first (then the machine's sources), and none of the repository's MSBuild settings.
        /// </summary>
        internal static void IsolateWithFeed(string root, string feed)
        {
            File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />");
        }

        /// <summary>A build-time value the test project records (package path and version, repository root).</summary>
        internal static string Metadata(string key)
            => typeof(ConsumerProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;
    }
}
