using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using AllocAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>
    /// Compiles C# in memory (optimizations on), loads it into a collectible AssemblyLoadContext and measures it:
    /// heap bytes allocated per call of a method (after warm-up, on fully optimized code: the test process runs
    /// with tiered compilation off), and the runtime's own size and managed field offsets of a struct.
    /// </summary>
    public sealed class RuntimeProof : IDisposable
    {
        private static readonly Lazy<MetadataReference[]> RuntimeReferences = new Lazy<MetadataReference[]>(LoadRuntimeReferences);

        private readonly AssemblyLoadContext _context;

        private RuntimeProof(AssemblyLoadContext context, Assembly assembly)
        {
            _context = context;
            Assembly = assembly;
        }

        public Assembly Assembly { get; }

        public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(LanguageVersion.Preview);

        /// <summary>The running runtime's own assemblies, which proof code compiles against.</summary>
        public static MetadataReference[] References => RuntimeReferences.Value;

        /// <summary>Compiles <paramref name="source"/>; throws with the compiler's errors when it does not compile.</summary>
        public static RuntimeProof Compile(string source, string assemblyName = "Proof")
            => Compile(CreateCompilation(source, assemblyName));

        /// <summary>Emits and loads <paramref name="compilation"/>; throws with the compiler's errors when it does not compile.</summary>
        public static RuntimeProof Compile(CSharpCompilation compilation)
        {
            var assemblyName = compilation.AssemblyName ?? "Proof";
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (!result.Success)
            {
                var errors = string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
                throw new InvalidOperationException("The proof source does not compile:" + Environment.NewLine + errors);
            }

            stream.Position = 0;
            var context = new AssemblyLoadContext(assemblyName + "-" + Guid.NewGuid().ToString("N"), isCollectible: true);
            return new RuntimeProof(context, context.LoadFromStream(stream));
        }

        /// <summary>The compilation <see cref="Compile"/> emits: the running runtime's assemblies, unsafe allowed, Release.</summary>
        public static CSharpCompilation CreateCompilation(string source, string assemblyName = "Proof")
            => CSharpCompilation.Create(
                assemblyName,
                new[] { CSharpSyntaxTree.ParseText(source, ParseOptions) },
                RuntimeReferences.Value,
                new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: OptimizationLevel.Release,
                    allowUnsafe: true,
                    nullableContextOptions: NullableContextOptions.Enable));

        /// <summary>
        /// Heap bytes one call of the static parameterless method <paramref name="typeAndMethod"/> ("Type.Method")
        /// allocates, averaged over <paramref name="calls"/> calls after warm-up. The return value is stored to a
        /// static field (without boxing), so it cannot be optimized away.
        /// The loop is measured three times and the smallest average is returned (Allocated.FewestBytesPerCall): a cost of the method recurs in
        /// every measurement, while one-off work the runtime does on the thread now and then (lazy initialization
        /// in the framework, once seen in CI as 768 extra bytes in one loop of 100 calls) inflates only one.
        /// </summary>
        public double AllocatedBytesPerCall(string typeAndMethod, int calls = 1000)
        {
            var loop = CallLoop.Create(FindMethod(typeAndMethod), throughPointer: false);
            loop(16);
            loop(16);
            return Allocated.FewestBytesPerCall(loop, calls);
        }

        /// <summary>Calls the static parameterless method and returns its result (boxed), for before/after comparisons.</summary>
        public object? Invoke(string typeAndMethod) => FindMethod(typeAndMethod).Invoke(null, null);

        /// <summary>The runtime size of a value type (what <c>Unsafe.SizeOf</c> returns).</summary>
        public int SizeOf(string typeName) => SizeOf(FindType(typeName));

        /// <summary>The runtime size of a value type (what <c>Unsafe.SizeOf</c> returns).</summary>
        public static int SizeOf(Type type)
        {
            var method = new DynamicMethod("SizeOf", typeof(int), Type.EmptyTypes, type.Module, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Sizeof, type);
            il.Emit(OpCodes.Ret);
            return ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
        }

        /// <summary>
        /// The managed offset of each instance field of a value type, in declaration order, measured as the distance
        /// between a reference to a zeroed instance and a reference to the field (never the marshalling layout).
        /// Keys are field names, with a compiler-generated backing field keyed by its property's name.
        /// </summary>
        public IReadOnlyList<KeyValuePair<string, int>> FieldOffsets(string typeName) => FieldOffsets(FindType(typeName));

        public static IReadOnlyList<KeyValuePair<string, int>> FieldOffsets(Type type)
        {
            var result = new List<KeyValuePair<string, int>>();
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken))
            {
                var method = new DynamicMethod("OffsetOf", typeof(long), Type.EmptyTypes, type.Module, skipVisibility: true);
                var il = method.GetILGenerator();
                il.DeclareLocal(type);
                il.Emit(OpCodes.Ldloca_S, (byte)0);
                il.Emit(OpCodes.Ldflda, field);
                il.Emit(OpCodes.Ldloca_S, (byte)0);
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Ret);
                long offset = ((Func<long>)method.CreateDelegate(typeof(Func<long>)))();
                result.Add(new KeyValuePair<string, int>(DisplayName(field), checked((int)offset)));
            }

            return result;
        }

        public Type FindType(string typeName)
            => Assembly.GetType(typeName, throwOnError: false)
               ?? Assembly.GetTypes().FirstOrDefault(t => t.Name == typeName || t.FullName == typeName)
               ?? throw new ArgumentException("No type " + typeName + " in the proof assembly.");

        public void Dispose() => _context.Unload();

        private static string DisplayName(FieldInfo field)
        {
            // "<Name>k__BackingField" -> "Name"
            var name = field.Name;
            return name.StartsWith("<", StringComparison.Ordinal) && name.IndexOf('>') > 1 ? name.Substring(1, name.IndexOf('>') - 1) : name;
        }

        private MethodInfo FindMethod(string typeAndMethod)
        {
            int dot = typeAndMethod.LastIndexOf('.');
            var type = FindType(typeAndMethod.Substring(0, dot));
            return type.GetMethod(typeAndMethod.Substring(dot + 1), BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)
                   ?? throw new ArgumentException("No static parameterless method " + typeAndMethod + ".");
        }

        private static MetadataReference[] LoadRuntimeReferences()
        {
            var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
        }
    }
}
