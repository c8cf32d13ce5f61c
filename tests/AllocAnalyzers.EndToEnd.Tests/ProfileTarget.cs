using System.IO;
using Xunit;

namespace AllocAnalyzers.EndToEnd.Tests
{
    /// <summary>A one-file program the profiler tests build in Release (with its portable PDB beside it) and record.</summary>
    internal static class ProfileTarget
    {
        /// <summary>Writes <paramref name="programText"/> as Program.cs in a new temporary folder and builds it: the folder, the source's path and the built assembly's.</summary>
        public static (string Directory, string Source, string Dll) Build(string programText, string folderPrefix)
        {
            string directory = System.IO.Directory.CreateTempSubdirectory(folderPrefix).FullName;
            string source = Path.Combine(directory, "Program.cs");
            File.WriteAllText(source, programText);
            File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "ProfileTarget.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <OutputPath>bin/</OutputPath>
                    <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
                  </PropertyGroup>
                </Project>
                """);
            var (exitCode, log) = ToolProcess.Run("dotnet", directory, new[] { "build", "-c", "Release" });
            Assert.True(exitCode == 0, log);
            return (directory, source, Path.Combine(directory, "bin", "ProfileTarget.dll"));
        }

        /// <summary>Deletes the folder <see cref="Build"/> made, if it can.</summary>
        public static void Delete(string directory)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
