using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Pooling;
using AllocAnalyzers.Pooling;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// A fix writes the line endings of the file it changes, whatever .editorconfig's <c>end_of_line</c> says and
    /// whatever the syntax factory writes: the try/finally fix inserts lines, in an LF file under a CRLF
    /// .editorconfig and in a CRLF file with none, and the result has one kind of line break throughout, the file's.
    /// </summary>
    public sealed class LineEndingsTests
    {
        private const string Source = """
            using System.Buffers;

            public static class C
            {
                private static void Fill(byte[] buffer) { buffer[0] = 1; }

                public static int M(int n)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(n);
                    Fill(buffer);
                    int first = buffer[0];
                    ArrayPool<byte>.Shared.Return(buffer);
                    return first;
                }
            }
            """;

        [Theory]
        [InlineData("\n", "end_of_line = crlf")]
        [InlineData("\r\n", null)]
        [InlineData("\r\n", "end_of_line = lf")]
        public async Task TheFixWritesTheFilesLineEndings(string newLine, string? editorConfig)
        {
            string source = Source.Replace("\r\n", "\n").Replace("\n", newLine);
            string fixedSource = await CodeFixRunner.ApplyAllAsync(new PoolRentalAnalyzer(), new ReturnRentalInFinallyCodeFix(), source, RuleIds.RentalNotReturned, editorConfig);
            string fixedAll = await CodeFixRunner.FixAllAsync(new PoolRentalAnalyzer(), new ReturnRentalInFinallyCodeFix(), source, RuleIds.RentalNotReturned, editorConfig);
            foreach (var result in new[] { fixedSource, fixedAll })
            {
                Assert.Contains("finally", result);
                int crlf = Regex.Matches(result, "\r\n").Count;
                int lf = Regex.Matches(result, "(?<!\r)\n").Count;
                Assert.True(newLine == "\n" ? crlf == 0 : lf == 0, $"{crlf} CRLF and {lf} LF line breaks in a file that had only {(newLine == "\n" ? "LF" : "CRLF")}");
            }
        }
    }
}
