using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Pooling
{
    /// <summary>ObjectPool&lt;T&gt; (Microsoft.Extensions.ObjectPool) rentals: Get must be matched by Return.</summary>
    public sealed class ObjectPoolRentalTests
    {
        private const string Source = """
            using System.Text;
            using Microsoft.Extensions.ObjectPool;

            public static class Program
            {
                static readonly ObjectPool<StringBuilder> Pool = new DefaultObjectPoolProvider().CreateStringBuilderPool();
                static readonly ObjectPool<StringBuilder> Other = new DefaultObjectPoolProvider().CreateStringBuilderPool();

                public static int Leaks() { var sb = Pool.Get(); sb.Append('x'); return sb.Length; }

                public static int Correct() { var sb = Pool.Get(); try { sb.Append('x'); return sb.Length; } finally { Pool.Return(sb); } }

                public static void WrongPool() { var sb = Pool.Get(); try { sb.Append('x'); } finally { Other.Return(sb); } }
            }
            """;

        [Fact]
        public async Task ObjectPoolGet_NotReturned_ReturnedElsewhere_AndCorrect()
        {
            var diagnostics = await CodeFixRunner.GetDiagnosticsAsync(new PoolRentalAnalyzer(), Source, "alloc_analyzers.rental_exception_paths = ignore");
            var byMethod = diagnostics.Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line)).ToList();

            Assert.Contains((RuleIds.RentalNotReturned, 8), byMethod);
            Assert.Contains((RuleIds.RentalReturnedToOtherPool, 12), byMethod);
            Assert.DoesNotContain(byMethod, d => d.Line == 10);
            Assert.Equal(2, diagnostics.Length);
        }

        [Fact]
        public void ObjectPool_IsInTheRuntimeTheProofsCompileAgainst()
        {
            using var proof = RuntimeProof.Compile(Source);
            Assert.Equal(1, proof.Invoke("Program.Correct"));
        }
    }
}
