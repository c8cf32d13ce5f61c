using System.Threading.Tasks;
using AllocAnalyzers.Boxing;
using AllocAnalyzers.CodeFixes.Boxing;
using AllocAnalyzers.Tests.TestHarness;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Boxing.BoxingAnalyzer, AllocAnalyzers.CodeFixes.Boxing.BoxingConversionCodeFix>;
using Xunit;

namespace AllocAnalyzers.Tests.Boxing
{
    /// <summary>The interface-parameter fix: generic with a constraint, only where every caller still compiles.</summary>
    public sealed class GenericConstraintCodeFixTests
    {
        private const string Shapes = """
            public interface IShape { double Area(); }
            public struct Square : IShape { public double Side; public double Area() => Side * Side; }
            public sealed class Circle : IShape { public double Radius; public double Area() => 3 * Radius * Radius; }

            """;

        [Fact]
        public Task PrivateMethod_BecomesGenericOverTheInterface()
            => Verifier.CodeFixAsync(
                Shapes + """
                public static class C
                {
                    public static double Run(Square s, Circle c) => Total({|ALLOC201:s|}) + Total(c);

                    private static double Total(IShape shape) => shape.Area();
                }
                """,
                Shapes + """
                public static class C
                {
                    public static double Run(Square s, Circle c) => Total(s) + Total(c);

                    private static double Total<TShape>(TShape shape) where TShape : IShape => shape.Area();
                }
                """);

        [Fact]
        public Task PublicMethod_OrACallerPassingNull_FixNotOffered()
            => Task.WhenAll(
                Verifier.NoCodeFixAsync(Shapes + "public static class C { public static double Run(Square s) => Total({|ALLOC201:s|}); public static double Total(IShape shape) => shape.Area(); }"),
                Verifier.NoCodeFixAsync(Shapes + "public static class C { public static double Run(Square s) => Total({|ALLOC201:s|}) + Total(null!); private static double Total(IShape shape) => shape?.Area() ?? 0; }"));

        [Fact]
        public async Task FixedCode_AllocatesNothing_AndComputesTheSame()
        {
            const string source = Shapes + """
                public static class Program
                {
                    static Square _square = new Square { Side = 3 };
                    public static double Run() => Total(_square);
                    private static double Total(IShape shape) => shape.Area();
                }
                """;
            var fixedSource = await CodeFixRunner.ApplyAllAsync(new BoxingAnalyzer(), new BoxingConversionCodeFix(), source, RuleIds.BoxingConversion);
            using var before = RuntimeProof.Compile(source, "ShapeBefore");
            using var after = RuntimeProof.Compile(fixedSource, "ShapeAfter");

            Assert.True(before.AllocatedBytesPerCall("Program.Run") <= 24);
            Assert.Equal(0.0, after.AllocatedBytesPerCall("Program.Run"));
            Assert.Equal(9.0, after.Invoke("Program.Run"));
            Assert.Contains("where TShape : IShape", fixedSource);
        }
    }
}
