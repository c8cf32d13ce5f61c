using System.IO;
using System.Linq;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>The realistic code under tests/AllocAnalyzers.Tests/Corpus (embedded, not compiled into the tests).</summary>
    public static class Corpus
    {
        public static string[] Files { get; } = typeof(Corpus).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Corpus/", System.StringComparison.Ordinal)).Select(n => n.Substring("Corpus/".Length)).OrderBy(n => n).ToArray();

        public static string Read(string file)
        {
            using var stream = typeof(Corpus).Assembly.GetManifestResourceStream("Corpus/" + file)!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
