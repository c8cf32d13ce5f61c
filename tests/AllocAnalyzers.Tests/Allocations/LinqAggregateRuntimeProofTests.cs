using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>
    /// The LINQ aggregates over an interface-typed source (ALLOC108): each form is reported with the sources it does not
    /// enumerate, and the runtime agrees with the message: on a source the message exempts the call allocates nothing,
    /// on another it allocates an enumerator.
    /// </summary>
    public sealed class LinqAggregateRuntimeProofTests
    {
        private const string Types = """
            public sealed class Sequence : IEnumerable<int>
            {
                private readonly List<int> _items = new List<int> { 1, 2, 3, 4, 5, 6, 7, 8 };
                public IEnumerator<int> GetEnumerator() => _items.GetEnumerator();
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }

            public sealed class OwnList : IList<int>
            {
                private readonly List<int> _items = new List<int> { 1, 2, 3, 4, 5, 6, 7, 8 };
                public int this[int index] { get => _items[index]; set => _items[index] = value; }
                public int Count => _items.Count;
                public bool IsReadOnly => false;
                public void Add(int item) => _items.Add(item);
                public void Clear() => _items.Clear();
                public bool Contains(int item) => _items.Contains(item);
                public void CopyTo(int[] array, int index) => _items.CopyTo(array, index);
                public IEnumerator<int> GetEnumerator() => _items.GetEnumerator();
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
                public int IndexOf(int item) => _items.IndexOf(item);
                public void Insert(int index, int item) => _items.Insert(index, item);
                public bool Remove(int item) => _items.Remove(item);
                public void RemoveAt(int index) => _items.RemoveAt(index);
            }

            """;

        private const string Array = "new int[] { 1, 2, 3, 4, 5, 6, 7, 8 }";
        private const string List = "new List<int> { 1, 2, 3, 4, 5, 6, 7, 8 }";
        private const string Set = "new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8 }";
        private const string OwnList = "new OwnList()";
        private const string Sequence = "new Sequence()";

        /// <summary>The call (on <c>S</c>, an <c>IEnumerable&lt;int&gt;</c>), the text of the exception, a source it exempts and one it does not.</summary>
        public static TheoryData<string, string, string, string> Aggregates => new TheoryData<string, string, string, string>
        {
            { "S.Any() ? 1 : 0", "the source is a collection", Set, Sequence },
            { "S.Count()", "the source is a collection", Set, Sequence },
            { "S.Contains(5) ? 1 : 0", "the source is a collection", Set, Sequence },
            { "S.First()", "the source is a list", OwnList, Set },
            { "S.ElementAt(3)", "the source is a list", OwnList, Set },
            { "S.Last(x => x < 3)", "the source is a list", OwnList, Set },
            { "S.Any(x => x > 6) ? 1 : 0", "the source is an array or a List<T>", Array, OwnList },
            { "S.Any(x => x > 6) ? 1 : 0", "the source is an array or a List<T>", List, Set },
            { "S.Count(x => x > 6)", "the source is an array or a List<T>", List, OwnList },
            { "S.FirstOrDefault(x => x > 6)", "the source is an array or a List<T>", Array, OwnList },
            { "S.Sum()", "the source is an array or a List<T>", Array, OwnList },
            { "S.Max()", "the source is an array or a List<T>", List, Set },
            { "(long)S.Average()", "the source is an array or a List<T>", Array, Sequence },
            { "S.Aggregate((a, b) => a + b)", "the source is an array or a List<T>", List, OwnList },
        };

        [Theory]
        [MemberData(nameof(Aggregates))]
        public async Task Aggregate_IsReportedWithItsException_AndTheRuntimeAgrees(string call, string unless, string exempt, string other)
        {
            var diagnostic = Assert.Single((await AllocationRuntimeProofTests.GetDiagnosticsAsync(Program(call, exempt))).Where(d => d.Id == RuleIds.LinqAllocation));
            Assert.Contains("allocates an enumerator object, unless " + unless, diagnostic.GetMessage());

            Assert.Equal(0.0, Measure(call, exempt));
            Assert.True(Measure(call, other) >= 32, call + " on " + other + " allocated no enumerator");
        }

        [Theory]
        [InlineData("S.Sum(x => x * 2)")]
        [InlineData("S.Max(x => x * 2)")]
        public async Task AggregateWithASelector_EnumeratesEverySource(string call)
        {
            var diagnostic = Assert.Single((await AllocationRuntimeProofTests.GetDiagnosticsAsync(Program(call, Array))).Where(d => d.Id == RuleIds.LinqAllocation));
            Assert.Contains("allocates an enumerator object, whatever the source", diagnostic.GetMessage());
            Assert.True(Measure(call, Array) > 0);
            Assert.True(Measure(call, List) > 0);
        }

        [Theory]
        [InlineData("Concrete.Any(x => x > 6) ? 1 : 0")]
        [InlineData("Concrete.Count()")]
        [InlineData("Concrete.Max()")]
        public async Task AggregateOnAConcreteList_IsNotReported_AndAllocatesNothing(string call)
        {
            var source = Program(call, Array).Replace("static readonly IEnumerable<int> S", "static readonly List<int> Concrete = " + List + "; static readonly IEnumerable<int> S");
            Assert.DoesNotContain(await AllocationRuntimeProofTests.GetDiagnosticsAsync(source), d => d.Id == RuleIds.LinqAllocation);
            using var proof = RuntimeProof.Compile(source, "Concrete");
            Assert.Equal(0.0, proof.AllocatedBytesPerCall("Program.Run"));
        }

        private static string Program(string call, string source)
            => AllocationSnippets.HotProgram("static readonly IEnumerable<int> S = " + source + ";\npublic static long Run() => " + call + ";\n", Types);

        private static double Measure(string call, string source)
        {
            using var proof = RuntimeProof.Compile(Program(call, source), "Aggregate");
            return proof.AllocatedBytesPerCall("Program.Run");
        }
    }
}
