using System.Buffers;
using System.Text;
using AllocAnalyzers.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;

namespace AllocAnalyzers.Benchmarks.Pooling
{
    /// <summary>
    /// What a strict pool costs a test suite: one Rent and one Return of a 256-byte array (and one Get and Return of a
    /// pooled StringBuilder) against the shared pool's, for each kind of stack the strict pool records. Written to
    /// docs/benchmarks/StrictPoolBenchmarks.md by <c>runtime --filter *StrictPool*</c>.
    /// </summary>
    [MemoryDiagnoser]
    public class StrictPoolBenchmarks
    {
        private ArrayPool<byte> arrays = ArrayPool<byte>.Shared;
        private ObjectPool<StringBuilder> builders = new DefaultObjectPoolProvider().CreateStringBuilderPool();

        /// <summary>"shared" is ArrayPool.Shared and DefaultObjectPool; the others are strict pools recording those stacks.</summary>
        [Params("shared", nameof(StackCapture.None), nameof(StackCapture.MethodsOnly), nameof(StackCapture.WithSourceLines))]
        public string Pool { get; set; } = "shared";

        [GlobalSetup]
        public void Setup()
        {
            if (Pool != "shared")
            {
                var options = new StrictPoolOptions { Stacks = System.Enum.Parse<StackCapture>(Pool) };
                arrays = new StrictArrayPool<byte>(options);
                builders = new StrictObjectPoolProvider(options).CreateStringBuilderPool();
            }
        }

        [Benchmark(Description = "ArrayPool<byte> Rent(256) + Return")]
        public int RentAndReturnArray()
        {
            var array = arrays.Rent(256);
            array[0] = 1;
            int length = array.Length;
            arrays.Return(array);
            return length;
        }

        [Benchmark(Description = "ObjectPool<StringBuilder> Get + Return")]
        public int GetAndReturnBuilder()
        {
            var text = builders.Get();
            text.Append('x');
            int length = text.Length;
            builders.Return(text);
            return length;
        }
    }
}
