using System;
using System.Linq;
using System.Reflection;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>Paths the build hands the tests (see the AssemblyMetadata items in the test project).</summary>
    internal static class TestEnvironment
    {
        public static string RepositoryRoot => Metadata("RepositoryRoot");

        public static string NetCoreAppRefDirectory => Metadata("NetCoreAppRefDirectory");

        public static string PackagePath => Metadata("PackagePath");

        private static string Metadata(string key)
            => typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
               ?? throw new InvalidOperationException("The test build did not record " + key + ".");
    }
}
