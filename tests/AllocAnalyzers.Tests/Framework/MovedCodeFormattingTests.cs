using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.CodeFixes.Allocations;
using AllocAnalyzers.CodeFixes.Pooling;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// The fixes that move the rest of a block into try/finally leave the moved code as it was written, one level
    /// deeper: its own spacing and comments, wrapped lines, verbatim strings, and preprocessor directives at their
    /// column. Only the lines the fix writes are laid out by it.
    /// </summary>
    public sealed class MovedCodeFormattingTests
    {
        private const string Body = """
                    FIRST
            #if DEBUG
                    System.Console.WriteLine("debug");
            #endif
                    int first = buffer[0]  +  1; // odd   spacing, kept
                    int second = first
                        * 2;
                    var text = @"line one
            line two";
            """;

        [Fact]
        public async Task ReturnInFinally_KeepsTheMovedCodeAsWritten()
        {
            string source = """
                using System.Buffers;

                public static class Program
                {
                    private static void Fill(byte[] buffer) { buffer[0] = 1; }

                    public static int Run()
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(16);

                """ + Body.Replace("FIRST", "Fill(buffer);") + """

                        ArrayPool<byte>.Shared.Return(buffer);
                        return second + text.Length;
                    }
                }
                """;
            string fixedSource = (await CodeFixRunner.ApplyAllAsync(new PoolRentalAnalyzer(), new ReturnRentalInFinallyCodeFix(), source, RuleIds.RentalNotReturned)).Replace("\r\n", "\n");
            AssertKeptOneLevelDeeper(fixedSource, "Fill(buffer);");
            using var before = RuntimeProof.Compile(source, "MovedBefore");
            using var after = RuntimeProof.Compile(fixedSource, "MovedAfter");
            Assert.Equal(before.Invoke("Program.Run"), after.Invoke("Program.Run"));
        }

        [Fact]
        public async Task ArrayPoolRental_KeepsTheMovedCodeAsWritten()
        {
            string source = """
                [System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }

                public static class Program
                {
                    private static void Fill(byte[] buffer) { buffer[0] = 1; }

                    [HotPath]
                    public static int Run()
                    {
                        var buffer = new byte[16];

                """ + Body.Replace("FIRST", "buffer[0] = 1;") + """

                        return second + text.Length + buffer.Length;
                    }
                }
                """;
            string fixedSource = (await CodeFixRunner.ApplyAllAsync(new HotAllocationAnalyzer(), new ArrayAllocationCodeFix(), source, RuleIds.ArrayAllocation, "alloc_analyzers.stackalloc_max_bytes = 0\nalloc_analyzers.jit_elision = ignore")).Replace("\r\n", "\n");
            Assert.Contains("ArrayPool", fixedSource);
            AssertKeptOneLevelDeeper(fixedSource, "buffer[0] = 1;");
        }

        private static void AssertKeptOneLevelDeeper(string fixedSource, string first)
        {
            Assert.Contains("\n            " + first + "\n", fixedSource);
            // The directives keep their column; the code they disable is not code to the compiler, and stays as written.
            Assert.Contains("\n#if DEBUG\n        System.Console.WriteLine(\"debug\");\n#endif\n", fixedSource);
            Assert.Contains("\n            int first = buffer[0]  +  1; // odd   spacing, kept\n", fixedSource);
            Assert.Contains("\n            int second = first\n                * 2;\n", fixedSource);
            Assert.Contains("\n            var text = @\"line one\nline two\";\n", fixedSource);
        }
    }
}
