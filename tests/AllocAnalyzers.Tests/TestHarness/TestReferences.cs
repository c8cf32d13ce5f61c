using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>
    /// The .NET 10 reference assemblies analyzer tests compile against: the Microsoft.NETCore.App.Ref pack that the
    /// build restores (PackageDownload), so no test downloads anything.
    /// </summary>
    internal static class TestReferences
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> Net100Lazy = new Lazy<ImmutableArray<MetadataReference>>(Load);

        /// <summary>An empty reference set for the testing library; the assemblies come from <see cref="Net100"/>.</summary>
        public static ReferenceAssemblies None { get; } = new ReferenceAssemblies("net10.0");

        public static ImmutableArray<MetadataReference> Net100 => Net100Lazy.Value;

        private static ImmutableArray<MetadataReference> Load()
        {
            var directory = TestEnvironment.NetCoreAppRefDirectory;
            if (!Directory.Exists(directory))
            {
                throw new InvalidOperationException("The .NET 10 reference pack was not restored to " + directory + ".");
            }

            return Directory.GetFiles(directory, "*.dll")
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToImmutableArray();
        }
    }
}
