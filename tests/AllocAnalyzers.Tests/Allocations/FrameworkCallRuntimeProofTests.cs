using System;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Allocations;
using AllocAnalyzers.Cost;
using AllocAnalyzers.Tests.TestHarness;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>
    /// Every entry of the framework-call table (ALLOC111) against the runtime: its reference call, in a hot method, is
    /// reported at the call and allocates, run optimized after warm-up, exactly the bytes the table records; its
    /// look-alike allocates nothing and is not reported.
    /// </summary>
    public sealed class FrameworkCallRuntimeProofTests
    {
        /// <summary>The inputs every proof expression may use.</summary>
        private const string Inputs = """
            static readonly string Text = "  Hello, World  ";
            static readonly string Csv = "a,b,c";
            static readonly string Decomposed = "e\u0301";
            static readonly char[] Chars = "hello".ToCharArray();
            static readonly int[] Numbers = { 1, 2, 3, 4, 5, 6, 7, 8 };
            static readonly List<int> List = new List<int> { 1, 2, 3, 4 };
            static readonly Queue<int> Queue = new Queue<int>(new[] { 1, 2, 3, 4 });
            static readonly Stack<int> Stack = new Stack<int>(new[] { 1, 2, 3, 4 });
            static readonly byte[] Utf8 = { 72, 101, 108, 108, 111 };
            static readonly Guid Id = new Guid("6f1c2b9e-3a4d-4c5e-8f70-112233445566");
            static object Keep;

            """;

        public static TheoryData<string> Entries => new TheoryData<string>(FrameworkAllocations.All.Select(Key));

        public static TheoryData<string> QuietEntries => new TheoryData<string>(FrameworkAllocations.All.Where(e => e.Quiet != null).Select(Key));

        [Theory]
        [MemberData(nameof(Entries))]
        public async Task ReferenceCall_IsReported_AndAllocatesTheRecordedBytes(string key)
        {
            var entry = Entry(key);
            var source = AllocationSnippets.HotProgram(Inputs + "public static void Run() { Keep = " + entry.Proof + "; }");
            var diagnostics = await AllocationRuntimeProofTests.GetDiagnosticsAsync(source);
            var reported = diagnostics.Where(d => d.Id == RuleIds.FrameworkCallAllocation).ToList();
            using var proof = RuntimeProof.Compile(source, "Framework_" + entry.Member);
            double measured = proof.AllocatedBytesPerCall("Program.Run");

            var diagnostic = Assert.Single(reported);
            Assert.Contains("." + entry.Member + "' allocates ", diagnostic.GetMessage());
            if (entry.Instead != null)
            {
                Assert.Contains(", or nothing with " + entry.Instead + "; it ", diagnostic.GetMessage());
            }

            Assert.Equal(entry.ProofBytes, measured);
        }

        [Theory]
        [MemberData(nameof(QuietEntries))]
        public async Task LookAlike_AllocatesNothing_AndIsNotReported(string key)
        {
            var entry = Entry(key);
            var source = AllocationSnippets.HotProgram(Inputs + "public static void Run() { Keep = " + entry.Quiet + "; }");
            var diagnostics = await AllocationRuntimeProofTests.GetDiagnosticsAsync(source);
            using var proof = RuntimeProof.Compile(source, "Quiet_" + entry.Member);

            Assert.DoesNotContain(diagnostics, d => d.Id == RuleIds.FrameworkCallAllocation);
            Assert.Equal(0.0, proof.AllocatedBytesPerCall("Program.Run"));
        }

        [Fact]
        public async Task StringRange_IsASubstring_AndReportedAsOne()
        {
            var source = AllocationSnippets.HotProgram(Inputs + "public static void Run() { Keep = Text[2..7]; }");
            var diagnostic = Assert.Single((await AllocationRuntimeProofTests.GetDiagnosticsAsync(source)).Where(d => d.Id == RuleIds.FrameworkCallAllocation));
            using var proof = RuntimeProof.Compile(source, "Range");

            Assert.StartsWith("'string.Substring' allocates a new string", diagnostic.GetMessage());
            Assert.Equal("Text[2..7]", diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
            Assert.Equal(Entry(Key(FrameworkAllocations.All.First(e => e.Member == "Substring"))).ProofBytes, proof.AllocatedBytesPerCall("Program.Run"));
        }

        [Fact]
        public async Task SpanOverloads_ThatWriteIntoACallersBuffer_AreNotReported()
        {
            var source = AllocationSnippets.HotProgram(Inputs + """
                static readonly byte[] Buffer = new byte[64];
                static readonly char[] Text64 = new char[64];
                public static int Run() => System.Text.Encoding.UTF8.GetBytes(Csv, 0, Csv.Length, Buffer, 0) + System.Text.Encoding.UTF8.GetChars(Utf8, 0, Utf8.Length, Text64, 0) + (BitConverter.TryWriteBytes(Buffer, 7) ? 1 : 0) + Text.AsSpan().Trim().Length;
                """);
            var diagnostics = await AllocationRuntimeProofTests.GetDiagnosticsAsync(source);
            using var proof = RuntimeProof.Compile(source, "SpanOverloads");

            Assert.DoesNotContain(diagnostics, d => d.Id == RuleIds.FrameworkCallAllocation);
            Assert.Equal(0.0, proof.AllocatedBytesPerCall("Program.Run"));
        }

        /// <summary>The docs page's before and after (the samples' HeaderParsing): two strings, then none.</summary>
        [Fact]
        public async Task DocsPageFix_ParsingOverSpans_AllocatesNothing()
        {
            var source = AllocationSnippets.HotProgram(Inputs + """
                static readonly string Header = "Content-Length: 42 ";
                public static int Before() { string value = Header.Substring(Header.IndexOf(':') + 1).Trim(); return int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); }
                public static int Run() => int.Parse(Header.AsSpan(Header.IndexOf(':') + 1).Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture);
                """);
            var diagnostics = await AllocationRuntimeProofTests.GetDiagnosticsAsync(source);
            using var proof = RuntimeProof.Compile(source, "HeaderParsing");

            Assert.Equal(2, diagnostics.Count(d => d.Id == RuleIds.FrameworkCallAllocation));
            Assert.Equal(40 + 24, proof.AllocatedBytesPerCall("Program.Before"));
            Assert.Equal(0.0, proof.AllocatedBytesPerCall("Program.Run"));
        }

        [Fact]
        public async Task OutsideHotCode_NothingIsReported()
        {
            var source = AllocationSnippets.HotProgram(Inputs).Replace("[HotPath]\npublic static class Program", "public static class Program") ;
            source = source.Replace("static object Keep;", "static object Keep; public static void Run() { Keep = Text.Trim(); }");
            Assert.DoesNotContain(await AllocationRuntimeProofTests.GetDiagnosticsAsync(source), d => d.Id == RuleIds.FrameworkCallAllocation);
        }

        private static string Key(FrameworkAllocation entry) => entry.Namespace + "." + entry.TypeMetadataName + "." + entry.Member + ":" + entry.Proof;

        private static FrameworkAllocation Entry(string key) => FrameworkAllocations.All.Single(e => Key(e) == key);
    }
}
