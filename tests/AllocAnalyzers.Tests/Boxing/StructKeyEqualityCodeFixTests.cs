using System.Threading.Tasks;
using AllocAnalyzers.Boxing;
using AllocAnalyzers.CodeFixes.Boxing;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Boxing.BoxingAnalyzer, AllocAnalyzers.CodeFixes.Boxing.StructKeyEqualityCodeFix>;
using Xunit;

namespace AllocAnalyzers.Tests.Boxing
{
    /// <summary>ALLOC205 fix: IEquatable&lt;T&gt; on the key, checked as text and at runtime (no bytes per lookup, same answers).</summary>
    public sealed class StructKeyEqualityCodeFixTests
    {
        [Fact]
        public Task StructKey_GetsIEquatableEqualsAndGetHashCode()
            => Verifier.CodeFixAsync(
                """
                using System.Collections.Generic;

                public struct Key
                {
                    public int Shard;
                    public string Name;
                }

                public static class C
                {
                    public static Dictionary<Key, int> Make() => {|ALLOC205:new Dictionary<Key, int>()|};
                }
                """,
                """
                using System;
                using System.Collections.Generic;

                public struct Key : IEquatable<Key>
                {
                    public int Shard;
                    public string Name;

                    public bool Equals(Key other) => EqualityComparer<int>.Default.Equals(Shard, other.Shard) && EqualityComparer<string>.Default.Equals(Name, other.Name);
                    public override bool Equals(object obj) => obj is Key other && Equals(other);
                    public override int GetHashCode() => HashCode.Combine(Shard, Name);
                }

                public static class C
                {
                    public static Dictionary<Key, int> Make() => new Dictionary<Key, int>();
                }
                """);

        [Fact]
        public Task KeyWithOwnEqualsAlready_FixNotOffered_AndNoDiagnosticWhenBothExist()
            => Verifier.AnalyzerAsync(
                """
                using System.Collections.Generic;
                public struct Key { public int A; public override bool Equals(object? o) => o is Key k && k.A == A; public override int GetHashCode() => A; }
                public static class C { public static object M() => new Dictionary<Key, int>(); }
                """);

        [Fact]
        public async Task Lookups_StopAllocating_AndAnswerTheSame()
        {
            const string source = """
                using System.Collections.Generic;

                public struct Key
                {
                    public int Shard;
                    public long Id;
                }

                public static class Program
                {
                    static readonly Dictionary<Key, int> Map = Build();
                    static Key _probe = new Key { Shard = 3, Id = 30 };

                    static Dictionary<Key, int> Build()
                    {
                        var map = new Dictionary<Key, int>();
                        for (int i = 0; i < 10; i++) map[new Key { Shard = i, Id = i * 10 }] = i;
                        return map;
                    }

                    public static int Run() => Map.TryGetValue(_probe, out var value) ? value : -1;
                }
                """;
            var analyzer = new BoxingAnalyzer();
            var fixedSource = await CodeFixRunner.ApplyAllAsync(analyzer, new StructKeyEqualityCodeFix(), source, RuleIds.StructKeyWithoutEquality);
            using var before = RuntimeProof.Compile(source, "KeyBefore");
            using var after = RuntimeProof.Compile(fixedSource, "KeyAfter");

            Assert.True(before.AllocatedBytesPerCall("Program.Run") >= 24);
            Assert.Equal(0.0, after.AllocatedBytesPerCall("Program.Run"));
            Assert.Equal(3, after.Invoke("Program.Run"));
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
        }
    }
}
