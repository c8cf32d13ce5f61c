using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AllocAnalyzers.RuntimeHost
{
    /// <summary>
    /// <c>AllocAnalyzers.RuntimeHost [--debug] [--time] [--calls N] [--reference a.dll]... source.cs Type.Method...</c>:
    /// compiles the source against this runtime's own assemblies and the references (optimized unless --debug), and
    /// prints one line per method, <c>Type.Method&lt;TAB&gt;bytes per call</c> (with --time, a third column: nanoseconds
    /// per call), measured at steady state. The first line names the runtime.
    /// Methods are static and parameterless; they are called through a function pointer, so that they are never
    /// inlined into the measuring loop (a site in a loop is a different site to the JIT).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            bool debug = false;
            bool time = false;
            int calls = 1000;
            var rest = new List<string>();
            var references = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--debug":
                        debug = true;
                        break;
                    case "--time":
                        time = true;
                        break;
                    case "--reference" when i + 1 < args.Length:
                        references.Add(args[++i]);
                        break;
                    case "--calls" when i + 1 < args.Length:
                        calls = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    default:
                        rest.Add(args[i]);
                        break;
                }
            }

            if (rest.Count < 2)
            {
                Console.Error.WriteLine("usage: AllocAnalyzers.RuntimeHost [--debug] [--time] [--calls N] [--reference a.dll]... source.cs Type.Method...");
                return 2;
            }

            var assembly = Compile(File.ReadAllText(rest[0]), debug, references, out string errors);
            if (assembly == null)
            {
                Console.Error.WriteLine(errors);
                return 3;
            }

            Console.WriteLine("runtime\t" + Environment.Version);
            var loops = rest.Skip(1).Select(name => (name, loop: Shared.CallLoop.Create(Find(assembly, name), throughPointer: true))).ToList();

            // Warm up until every method has had the chance to reach its final tier (with tiering on: call counting,
            // then the background tier-1 compile with the profile gathered meanwhile). With tiering off this only
            // runs the static constructors and fills the pools the code rents from.
            for (int round = 0; round < 12; round++)
            {
                foreach (var (_, loop) in loops)
                {
                    loop(64);
                }

                Thread.Sleep(60);
            }

            // On a loaded machine the background tier-1 compile can lag behind the warm-up: measure until the figures
            // hold still (three rounds alike, at most about five seconds more), so that a method is measured in its
            // final tier, not in the one it happened to be in.
            var measured = loops.Select(l => Shared.Allocated.FewestBytesPerCall(l.loop, calls)).ToArray();
            for (int alike = 0, round = 0; alike < 3 && round < 50; round++)
            {
                Thread.Sleep(100);
                foreach (var (_, loop) in loops)
                {
                    loop(64);
                }

                var again = loops.Select(l => Shared.Allocated.FewestBytesPerCall(l.loop, calls)).ToArray();
                alike = again.SequenceEqual(measured) ? alike + 1 : 0;
                measured = again;
            }

            for (int i = 0; i < loops.Count; i++)
            {
                var (name, loop) = loops[i];
                string line = name + "\t" + measured[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                Console.WriteLine(time ? line + "\t" + Measure.NanosecondsPerCall(loop).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : line);
            }

            return 0;
        }

        private static Assembly? Compile(string source, bool debug, List<string> extra, out string errors)
        {
            var references = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Concat(extra)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create(
                "Proof",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: debug ? OptimizationLevel.Debug : OptimizationLevel.Release, allowUnsafe: true));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            errors = string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            if (!result.Success)
            {
                return null;
            }

            stream.Position = 0;
            var context = new AssemblyLoadContext("Proof");
            context.Resolving += (loading, name) => extra.Where(p => Path.GetFileNameWithoutExtension(p) == name.Name).Select(loading.LoadFromAssemblyPath).FirstOrDefault();
            return context.LoadFromStream(stream);
        }

        private static MethodInfo Find(Assembly assembly, string typeAndMethod)
        {
            int dot = typeAndMethod.LastIndexOf('.');
            var type = assembly.GetType(typeAndMethod.Substring(0, dot)) ?? throw new ArgumentException("No type " + typeAndMethod.Substring(0, dot));
            return type.GetMethod(typeAndMethod.Substring(dot + 1), BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)
                   ?? throw new ArgumentException("No static parameterless method " + typeAndMethod);
        }
    }
}
