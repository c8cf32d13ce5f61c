using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// What the benchmarks compile: the generated project, or a real project's sources (every <c>.cs</c> file under a
    /// directory, outside <c>bin</c> and <c>obj</c>, with the preprocessor symbols its build defines), against the
    /// framework's own assemblies.
    /// </summary>
    internal sealed class ProjectSources
    {
        /// <summary>The running framework's assemblies, loaded once: every benchmark compiles against them.</summary>
        public static readonly Lazy<MetadataReference[]> FrameworkReferences = new Lazy<MetadataReference[]>(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray());

        private ProjectSources(string name, IReadOnlyList<(string Path, string Text)> files, CSharpParseOptions parse)
        {
            Name = name;
            Files = files;
            Parse = parse;
            Lines = files.Sum(f => f.Text.Count(c => c == '\n'));
        }

        /// <summary>"Generated project" or the directory's name.</summary>
        public string Name { get; }

        public IReadOnlyList<(string Path, string Text)> Files { get; }

        public CSharpParseOptions Parse { get; }

        public int Lines { get; }

        /// <summary>The generated project: <paramref name="files"/> files of 4 classes of 8 methods.</summary>
        public static ProjectSources Generated(int files, bool markHot = true)
            => new ProjectSources("Generated project", GeneratedProject.Files(files, classesPerFile: 4, methodsPerClass: 8, markHot: markHot).Select((s, i) => ("/gen/File" + i + ".cs", s)).ToList(), new CSharpParseOptions(LanguageVersion.Preview));

        public static ProjectSources FromDirectory(string directory, IReadOnlyList<string> defines)
        {
            var files = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (f, File.ReadAllText(f))).ToList();
            string name = "Project " + Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));
            return new ProjectSources(name, files, new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: defines));
        }

        /// <summary>Each file parsed afresh, as every command-line build parses it.</summary>
        public SyntaxTree[] ParseAll() => Files.Select(f => CSharpSyntaxTree.ParseText(f.Text, Parse, path: f.Path)).ToArray();
    }
}
