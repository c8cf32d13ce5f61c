using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AllocAnalyzers.Shared;
using AllocAnalyzers.Tests.TestHarness;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks.Fixes
{
    /// <summary>
    /// Before/after pairs for every code fix, from <see cref="FixCases"/> (the cases the unit tests check): the "before"
    /// is compiled as written, the "after" is what the package's own fix makes of it, both in Release, and each
    /// benchmark calls <c>Program.Run()</c> once per operation. Time and allocated bytes per operation.
    /// </summary>
    [MemoryDiagnoser]
    public class FixPairBenchmarks
    {
        private Action _run = () => { };
        private RuntimeProof? _proof;

        /// <summary>"ALLOC102" is the code as written, "ALLOC102+fix" the same code after the package's fix.</summary>
        public static IEnumerable<string> Cases => FixCases.All.SelectMany(c => new[] { c.Id, c.Id + "+fix" });

        [ParamsSource(nameof(Cases))]
        public string Case { get; set; } = string.Empty;

        [GlobalSetup]
        public void Setup()
        {
            bool fixedCase = Case.EndsWith("+fix", StringComparison.Ordinal);
            string id = fixedCase ? Case.Substring(0, Case.Length - 4) : Case;
            var parts = new[] { id };
            var source = FixCases.All.First(c => c.Id == id).Source;
            if (fixedCase)
            {
                var analyzerAssembly = typeof(AllocAnalyzers.Descriptors).Assembly;
                var fixAssembly = typeof(AllocAnalyzers.CodeFixes.AllocCodeFixProvider).Assembly;
                var analyzer = analyzerAssembly.GetTypes().Where(t => typeof(Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
                    .Select(t => (Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer)Activator.CreateInstance(t)!).First(a => a.SupportedDiagnostics.Any(d => d.Id == parts[0]));
                var fix = fixAssembly.GetTypes().Where(t => typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
                    .Select(t => (Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(t)!).First(f => f.FixableDiagnosticIds.Contains(parts[0]));
                source = CodeFixRunner.ApplyAllAsync(analyzer, fix, source, parts[0]).GetAwaiter().GetResult();
            }

            _proof = RuntimeProof.Compile(source, "Bench" + id + (fixedCase ? "Fixed" : string.Empty));
            _run = CreateCaller(_proof.FindType("Program").GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!);
        }

        [Benchmark(Description = "Program.Run()")]
        public void Run() => _run();

        [GlobalCleanup]
        public void Cleanup() => _proof?.Dispose();

        /// <summary><c>Sink&lt;T&gt;.Value = Program.Run()</c>: keeps the result without boxing it.</summary>
        private static Action CreateCaller(MethodInfo method)
        {
            var sink = typeof(Sink<>).MakeGenericType(method.ReturnType).GetField(nameof(Sink<int>.Value))!;
            var body = System.Linq.Expressions.Expression.Assign(System.Linq.Expressions.Expression.Field(null, sink), System.Linq.Expressions.Expression.Call(method));
            return System.Linq.Expressions.Expression.Lambda<Action>(body).Compile();
        }
    }
}
