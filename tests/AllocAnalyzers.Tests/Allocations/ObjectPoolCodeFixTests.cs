using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.CodeFixes.Allocations;
using AllocAnalyzers.Tests.TestHarness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>ALLOC101 ObjectPool fix: the rewrite, its reset, where it is not safe, and the allocations it removes.</summary>
    public sealed class ObjectPoolCodeFixTests
    {
        private const string Types = """
            using Microsoft.Extensions.ObjectPool;
            [System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }
            public sealed class Request { public int Id; public string? Name { get; set; } public long Total; }

            """;

        /// <summary>
        /// The fix's rewrites, shown on small methods whose objects .NET 10 would allocate on the stack anyway: there the
        /// fix is not offered by default (<see cref="ObjectTheJitMayRemove_FixNotOffered"/>), so these tests ask for the
        /// claims of runtimes before .NET 9 (<c>jit_elision = ignore</c>).
        /// </summary>
        private const string IgnoreJitElision = "alloc_analyzers.jit_elision = ignore";

        private static Verify<HotAllocationAnalyzer, ObjectPoolCodeFix>.Test Create(string source, string? fixedSource, string? editorConfig = IgnoreJitElision)
        {
            var test = Verify<HotAllocationAnalyzer, ObjectPoolCodeFix>.Create(source, editorConfig);
            test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.ObjectPool.ObjectPool<>).Assembly.Location));
            test.FixedCode = fixedSource ?? source;
            return test;
        }

        /// <summary>An object the JIT of net10.0 may allocate on the stack: pooling it would add work, so no fix.</summary>
        [Fact]
        public Task ObjectTheJitMayRemove_FixNotOffered()
        {
            var source = Types + """
                public static class Handler
                {
                    [HotPath]
                    public static long Handle(int id)
                    {
                        var request = {|#0:new Request { Id = id }|};
                        request.Total = id * 2L;
                        return request.Total + request.Id;
                    }
                }
                """;
            var test = Create(source, null, editorConfig: null);
            test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(RuleIds.ObjectAllocation, DiagnosticSeverity.Info).WithLocation(0));
            return test.RunAsync();
        }

        [Fact]
        public Task LocalObject_RentedFromAStaticPool_WithResetAndInitializers()
            => Create(
                Types + """
                public static class Handler
                {
                    [HotPath]
                    public static long Handle(int id)
                    {
                        var request = {|ALLOC101:new Request { Id = id }|};
                        request.Total = id * 2L;
                        return request.Total + request.Id;
                    }
                }
                """,
                Types + """
                public static class Handler
                {
                    private static readonly ObjectPool<Request> RequestPool = new DefaultObjectPool<Request>(new DefaultPooledObjectPolicy<Request>());

                    [HotPath]
                    public static long Handle(int id)
                    {
                        var request = RequestPool.Get();
                        try
                        {
                            request.Id = default;
                            request.Name = default;
                            request.Total = default;
                            request.Id = id;
                            request.Total = id * 2L;
                            return request.Total + request.Id;
                        }
                        finally
                        {
                            RequestPool.Return(request);
                        }
                    }
                }
                """).RunAsync();

        [Theory]
        [InlineData("public sealed class Other { public int A = 5; }", "var o = {|ALLOC101:new Other()|}; return o.A;")]
        [InlineData("public sealed class Other { private int _a; public int A => _a; }", "var o = {|ALLOC101:new Other()|}; return o.A;")]
        [InlineData("public sealed class Other { public int A; public Other() { A = 1; } }", "var o = {|ALLOC101:new Other()|}; return o.A;")]
        [InlineData("public sealed class Other { public int A; }", "var o = {|ALLOC101:new Other()|}; Keep = o; return o.A;")]
        public Task UnsafeToPool_FixNotOffered(string type, string body)
            => Create(Types + type + "\npublic static class Handler { static object? Keep; [HotPath] public static int M() { " + body + " } }", null).RunAsync();

        [Fact]
        public async Task Pooled_AllocatesNothing_AndAnswersTheSame()
        {
            const string source = Types + """
                public static class Program
                {
                    static int _id = 7;

                    [HotPath]
                    public static long Run()
                    {
                        var request = new Request { Id = _id };
                        request.Total += request.Id * 3L;
                        return request.Total;
                    }
                }
                """;
            var fixedSource = await CodeFixRunner.ApplyAllAsync(new HotAllocationAnalyzer(), new ObjectPoolCodeFix(), source, RuleIds.ObjectAllocation);
            using var before = RuntimeProof.Compile(source, "PoolBefore");
            using var after = RuntimeProof.Compile(fixedSource, "PoolAfter");

            // Escape analysis may keep the object on the stack on .NET 10, so "before" is at most its 40 bytes;
            // pooled, nothing is allocated once the pool is warm, and the reset keeps every call's answer the same.
            Assert.True(before.AllocatedBytesPerCall("Program.Run") <= 40);
            Assert.Equal(0.0, after.AllocatedBytesPerCall("Program.Run"));
            Assert.Equal(21L, after.Invoke("Program.Run"));
            Assert.Equal(after.Invoke("Program.Run"), after.Invoke("Program.Run"));
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
        }
    }
}
