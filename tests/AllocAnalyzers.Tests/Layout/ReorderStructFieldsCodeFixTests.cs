using System.Threading.Tasks;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Layout.StructLayoutAnalyzer, AllocAnalyzers.CodeFixes.Layout.ReorderStructFieldsCodeFix>;
using Xunit;

namespace AllocAnalyzers.Tests.Layout
{
    /// <summary>The reorder fix: exact text, trivia kept, other members untouched, Fix All, and where it is not offered.</summary>
    public sealed class ReorderStructFieldsCodeFixTests
    {
        [Fact]
        public Task Reorder_KeepsCommentsDocCommentsAttributes_AndLeavesOtherMembersInPlace()
            => Verifier.CodeFixAsync(
                """
                using System;

                public struct {|ALLOC301:Packet|}
                {
                    /// <summary>Flags.</summary>
                    public byte Flags; // trailing comment

                    public static int Count;

                    [Obsolete("old")]
                    public long Timestamp;

                    public void Touch() { }

                    // The priority.
                    public byte Priority;
                    public int Length;
                }
                """,
                """
                using System;

                public struct Packet
                {
                    [Obsolete("old")]
                    public long Timestamp;

                    public static int Count;

                    public int Length;

                    public void Touch() { }

                    /// <summary>Flags.</summary>
                    public byte Flags; // trailing comment
                    // The priority.
                    public byte Priority;
                }
                """);

        [Fact]
        public Task MultiVariableDeclaration_StaysTogether()
            => Verifier.CodeFixAsync(
                """
                public struct {|ALLOC301:S|}
                {
                    public byte A, B;
                    public double C;
                    public short D, E;
                }
                """,
                """
                public struct S
                {
                    public double C;
                    public short D, E;
                    public byte A, B;
                }
                """);

        [Fact]
        public Task AutoPropertiesAndFixedBuffers_MoveWithTheirFields()
            => Verifier.CodeFixAsync(
                """
                public unsafe struct {|ALLOC301:S|}
                {
                    public bool Enabled { get; set; }
                    public fixed long Values[2];
                    public bool Visible;
                    public int Count { get; }
                }
                """,
                """
                public unsafe struct S
                {
                    public fixed long Values[2];
                    public int Count { get; }
                    public bool Enabled { get; set; }
                    public bool Visible;
                }
                """);

        [Fact]
        public Task ConstantInitializers_AreMoved()
            => Verifier.CodeFixAsync(
                """
                public struct {|ALLOC301:S|}
                {
                    public byte A = 1;
                    public long B = 2;
                    public byte C = 3;
                    public S() { }
                }
                """,
                """
                public struct S
                {
                    public long B = 2;
                    public byte A = 1;
                    public byte C = 3;
                    public S() { }
                }
                """);

        [Fact]
        public Task FixAll_ReordersEveryStructInTheDocument_IncludingNestedOnes()
            => Verifier.CodeFixAsync(
                """
                public struct {|ALLOC301:Outer|}
                {
                    public byte A;
                    public Inner B;
                    public byte C;

                    public struct {|ALLOC301:Inner|}
                    {
                        public short X;
                        public long Y;
                        public short Z;
                    }
                }

                public struct {|ALLOC301:Other|}
                {
                    public bool P;
                    public decimal Q;
                    public bool R;
                }
                """,
                """
                public struct Outer
                {
                    public Inner B;
                    public byte A;
                    public byte C;

                    public struct Inner
                    {
                        public long Y;
                        public short X;
                        public short Z;
                    }
                }

                public struct Other
                {
                    public decimal Q;
                    public bool P;
                    public bool R;
                }
                """);

        [Fact]
        public Task AutoLayoutStruct_MovesOnlyValueTypeFields()
            => Verifier.CodeFixAsync(
                """
                using System;

                public struct {|ALLOC303:CacheEntry|}
                {
                    public string Key;
                    public TimeSpan Age;
                    public byte Hits;
                    public Half Weight;
                }
                """,
                """
                using System;

                public struct CacheEntry
                {
                    public string Key;
                    public Half Weight;
                    public byte Hits;
                    public TimeSpan Age;
                }
                """);

        [Fact]
        public Task RecordStruct_FixNotOffered_BecauseToStringFollowsDeclarationOrder()
            => Verifier.NoCodeFixAsync("public record struct {|ALLOC301:S|} { public byte A; public long B; public byte C; }");

        [Fact]
        public Task NonConstantInitializer_FixNotOffered_BecauseInitializersRunInOrder()
            => Verifier.NoCodeFixAsync(
                """
                public struct {|ALLOC301:S|}
                {
                    public byte A = Next();
                    public long B = Next();
                    public byte C;
                    public S() { }
                    private static byte Next() => 1;
                }
                """);

        [Fact]
        public Task FieldsInsidePreprocessorRegion_FixNotOffered()
            => Verifier.NoCodeFixAsync(
                """
                public struct {|ALLOC301:S|}
                {
                #region Fields
                    public byte A;
                #endregion
                    public long B;
                    public byte C;
                }
                """);
    }
}
