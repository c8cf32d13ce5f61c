using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verifier = AllocAnalyzers.Tests.TestHarness.Verify<AllocAnalyzers.Allocations.HotAllocationAnalyzer>;
using Xunit;

namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>Spans, messages (cost, escape, reason) and the places the ALLOC1xx rules stay silent.</summary>
    public sealed class AllocationAnalyzerTests
    {
        private const string Order = "public sealed class Order { public int Id; public string Name = \"\"; public long Total; }\n";

        private static string Hot(string members) => AllocationSnippets.HotProgram(members, Order);

        [Fact]
        public Task NewObject_MessageHasTypeBytesEscapeAndReason()
            => Verifier.AnalyzerAsync(
                Hot("public static object Make() => {|#0:new Order()|};"),
                expected: Verifier.Diagnostic(RuleIds.ObjectAllocation).WithLocation(0)
                    .WithArguments("'new Order'", "40 bytes on every execution (net10.0, Debug build)", "it escapes: returned to the caller", "hot: inside type Program annotated [HotPath]"));

        [Theory]
        [InlineData("static Order _keep; public static void M() { _keep = {|#0:new Order()|}; }", "it escapes: stored to field '_keep'")]
        [InlineData("public static void M(List<Order> all) { all.Add({|#0:new Order()|}); }", "it escapes: passed to 'Add'")]
        [InlineData("public static int M() { var o = {|#0:new Order()|}; o.Id = 3; return o.Id; }", "it does not escape the method", true)]
        [InlineData("public static Order M() { var o = {|#0:new Order()|}; var alias = o; return alias; }", "it escapes: returned to the caller")]
        [InlineData("public static Func<int> M() { var o = {|#0:new Order()|}; return {|ALLOC104:() =>|} o.Id; }", "it escapes: captured by a lambda")]
        [InlineData("public static void M(Order[] slots) { var o = {|#0:new Order()|}; slots[0] = o; }", "it escapes: stored to an array element")]
        [InlineData("public static Order M(Order p) { p = {|#0:new Order()|}; return p; }", "it escapes: returned to the caller")]
        [InlineData("public static Func<int> M(Order p) { p = {|#0:new Order()|}; return {|ALLOC104:() =>|} p.Id; }", "it escapes: captured by a lambda")]
        [InlineData("public static int M(Order p) { p = {|#0:new Order()|}; p.Id = 1; return p.Id; }", "it does not escape the method", true)]
        [InlineData("public static Func<Order, Order> M() => p => { p = {|#0:new Order()|}; return p; };", "it escapes: returned to the caller")]
        [InlineData("public static Order M(bool c) => c ? {|#0:new Order()|} : null;", "it escapes: returned to the caller")]
        [InlineData("public static Order M(Order a) => a ?? {|#0:new Order()|};", "it escapes: returned to the caller")]
        [InlineData("public static Order M(int k) => k switch { 0 => {|#0:new Order()|}, _ => null };", "it escapes: returned to the caller")]
        [InlineData("static Order _cached; public static void M() { _cached ??= {|#0:new Order()|}; }", "it escapes: stored to field '_cached'")]
        [InlineData("public static Order M(bool c, Order b) { var o = c ? {|#0:new Order()|} : b; return o; }", "it escapes: returned to the caller")]
        [InlineData("public static int M(bool c, Order b) { var o = c ? {|#0:new Order()|} : b; return o.Id; }", "it does not escape the method", true)]
        [InlineData("public static int M() => {|#0:new Order()|} switch { { Id: 0 } => 1, _ => 2 };", "it does not escape the method", true)]
        [InlineData("public static (Order, int) M() => ({|#0:new Order()|}, 1);", "it escapes: returned inside a tuple")]
        [InlineData("public static int M() { var t = ({|#0:new Order()|}, 1); return t.Item2; }", "it escapes: held in a tuple the analysis cannot follow")]
        public Task Escape_IsFollowedThroughLocalsAndAliases(string members, string escape, bool jitMayRemove = false) => ExpectOrderEscape(members, escape, jitMayRemove);

        [Theory]
        [InlineData("public static List<Order> M() { var o = {|#0:new Order()|}; List<Order> list = {|ALLOC102:[o]|}; return list; }", "it escapes: added to a collection")]
        [InlineData("static int? _id; public static void M() { var o = {|#0:new Order()|}; _id = o?.Id; }", "it escapes: used in a ?. chain the analysis cannot follow")]
        [InlineData("static Order _k; public static void M() { var o = {|#0:new Order()|}; if (o is Order k) _k = k; }", "it escapes: matched by a pattern that names it")]
        [InlineData("static Order _s; static void Keep(Order x) { _s = x; } public static void M() { var o = {|#0:new Order()|}; Keep(o); }", "it escapes: passed to 'Keep'")]
        [InlineData("static Order Same(Order x) => x; static Order _s; public static void M() { var o = {|#0:new Order()|}; _s = Same(o); }", "it escapes: passed to 'Same', which returns it, and stored to field '_s'")]
        [InlineData("public static IEnumerable<int> M() { var o = {|#0:new Order()|}; o.Id = 1; {|ALLOC109:yield return o.Id;|} }", "it escapes: kept by the state machine of an iterator or async method")]
        [InlineData("static object _any; public static void M() { var o = {|#0:new Order()|}; _any = (o, 1); }", "it escapes: held in a tuple the analysis cannot follow")]
        [InlineData("static int Read(Order x) => x.Id + x.Name.Length; public static int M() { var o = {|#0:new Order()|}; return Read(o); }", "it does not escape the method")]
        [InlineData("public static int M() { var o = {|#0:new Order()|}; return o == null || ReferenceEquals(o, null) ? 0 : o.GetHashCode(); }", "it does not escape the method")]
        public Task Escape_IsSound_UnprovenUsesEscape(string members, string escape) => ExpectOrderEscape(members, escape);

        /// <summary>
        /// The markup's one <c>new Order()</c> is reported with <paramref name="escape"/>; where only its fields are used
        /// (<paramref name="jitMayRemove"/>), the message says optimized code may not allocate it, as a suggestion.
        /// </summary>
        private static Task ExpectOrderEscape(string members, string escape, bool jitMayRemove = false)
            => Verifier.AnalyzerAsync(
                Hot(members),
                expected: new DiagnosticResult(RuleIds.ObjectAllocation, jitMayRemove ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning).WithLocation(0)
                    .WithArguments(
                        "'new Order'",
                        jitMayRemove
                            ? "40 bytes on every execution of this Debug build; optimized code on net10.0 may allocate it on the stack (does not escape, not in a loop, 40 bytes)"
                            : "40 bytes on every execution (net10.0, Debug build)",
                        escape,
                        "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task ArrayWithVariableLength_ReportsTheFormula()
            => Verifier.AnalyzerAsync(
                Hot("public static int[] M(int n) => {|#0:new int[n]|};"),
                expected: Verifier.Diagnostic(RuleIds.ArrayAllocation).WithLocation(0)
                    .WithArguments("'new int[]'", "24 + 4 × length bytes (rounded up to 8) on every execution (net10.0, Debug build)", "it escapes: returned to the caller", "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task ParamsArray_ReportedAtTheCall_NotForEmptyOrSpanParams()
            => Verifier.AnalyzerAsync(
                Hot("""
                    static int Sum(params int[] values) => values.Length;
                    static int SumSpan(params ReadOnlySpan<int> values) => values.Length;
                    public static int M() => {|ALLOC103:Sum(1, 2)|} + Sum() + SumSpan(1, 2);
                    """));

        [Fact]
        public Task ColdCode_NotReported()
            => Verifier.AnalyzerAsync(
                AllocationSnippets.HotPathAttribute + Order + """
                public static class Program
                {
                    [HotPath] public static object Make() => {|ALLOC101:new Order()|};
                    [HotPath(false)] public static object Cold() => new Order();
                    [HotPath] public static int Guard(int x) { if (x < 0) throw new System.ArgumentException(new Order().Name); try { return x; } catch { return new Order().Id; } }
                    [HotPath] static readonly Order Default = new Order();
                    [HotPath] static Program() { _ = new Order(); }
                    [HotPath] [System.Obsolete("attribute arguments are not code")] public static int Attributed() => 1;
                }
                """);

        [Fact]
        public Task AsyncCall_ReportedAtTheMethodName_WithTheTaskItAllocates()
            => Verifier.AnalyzerAsync(
                Hot("static int _seed = 5000; static async Task<int> Compute() { await Task.Yield(); return _seed; } public static Task<int> Run() => {|#0:Compute()|};"),
                expected: Verifier.Diagnostic(RuleIds.AsyncTaskAllocation).WithLocation(0).WithArguments(
                    "The call to async method 'Compute'",
                    "a Task<int> for each result the runtime does not cache (even when it completes synchronously), and a state machine box when it suspends on every execution (net10.0, Debug build)",
                    "it escapes: returned to the caller", "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task CallToAColdMethodThatAllocates_ReportedAtTheCall_NotAtItsBody()
            => Verifier.AnalyzerAsync(
                Hot("public static int Run(int n) { Helpers.{|#0:Store(n)|}; return Helpers.Sometimes(n); }") + """
                public static class Helpers
                {
                    public static Order Kept = new Order();
                    public static void Store(int n) { Kept = new Order { Id = n }; }
                    public static int Sometimes(int n) { if (n > 1000) { Kept = new Order(); } return n; }
                }
                """,
                "alloc_analyzers.hot_path_depth = 0",
                Verifier.Diagnostic(RuleIds.CallAllocation).WithLocation(0).WithArguments(
                    "The call to 'Store'", "40 bytes (new Order (40 bytes) at Test0.cs:18) on every execution (net10.0, Debug build)",
                    "inside 'Store', which is not on the hot path itself", "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task ThrowHelperCalls_AndExceptionConstruction_AreCold()
            => Verifier.AnalyzerAsync(
                AllocationSnippets.HotPathAttribute + Order + """
                public sealed class ParseError : System.Exception { public ParseError(string m) : base(m) { } }
                public static class Program
                {
                    static void Fail(string message) => throw new ParseError(message);
                    [System.Diagnostics.CodeAnalysis.DoesNotReturn] static void Stop(object state) => System.Environment.FailFast(state.ToString());
                    [HotPath] public static int Check(int x)
                    {
                        if (x < 0) Fail("negative: " + x.ToString());
                        if (x > 100) Stop(new Order());
                        var error = new ParseError(new Order().Name);
                        return error.Message.Length + ({|ALLOC101:new Order()|}).Id;
                    }
                }
                """);

        [Fact]
        public Task CallToOverridableThrower_StaysHot()
            => Verifier.AnalyzerAsync(
                AllocationSnippets.HotPathAttribute + Order + """
                public class Reader
                {
                    // An override may return: the call's arguments are not on a throw-only path.
                    protected virtual void Fail(object state) => throw new System.InvalidOperationException();
                    [HotPath] public void Read(int x) { if (x < 0) Fail({|ALLOC101:new Order()|}); }
                }
                """);

        [Fact]
        public Task NotHotCode_NotReported()
            => Verifier.AnalyzerAsync("public static class C { public static object Make() => new object(); }");

        [Fact]
        public Task ScopeAll_ReportsEverywhere()
            => Verifier.AnalyzerAsync(
                "public static class C { public static object Make() => {|ALLOC101:new object()|}; }",
                "alloc_analyzers.hot_path_scope = all");

        [Fact]
        public Task GeneratedCode_NotReported()
            => Verifier.AnalyzerAsync(
                "// <auto-generated/>\npublic static class C { public static object Make() => new object(); }",
                "alloc_analyzers.hot_path_scope = all");

        [Fact]
        public Task Closure_NamesCapturedVariables_AndCost()
            => Verifier.AnalyzerAsync(
                Hot("public static Func<int> M(int a, long b) { return {|#0:() =>|} a + (int)b; }"),
                expected: Verifier.Diagnostic(RuleIds.ClosureAllocation).WithLocation(0)
                    .WithArguments("The lambda capturing 'a', 'b'", "a closure (32 bytes) and a delegate (64 bytes) on every execution (net10.0, Debug build)", "it escapes: returned to the caller", "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task StaticAndNonCapturingLambdas_AndStaticMethodGroups_NotReported()
            => Verifier.AnalyzerAsync(
                Hot("public static int M(int x) { Func<int, int> a = static y => y; Func<int, int> b = y => y * 2; Func<int, int> c = Math.Abs; return a(x) + b(x) + c(x); }"));

        [Fact]
        public Task InstanceMethodGroup_Reported()
            => Verifier.AnalyzerAsync(
                Hot("public static Func<string> M(object o) => {|ALLOC105:o.ToString|};"));

        [Fact]
        public Task StringBuilding_EachKindReported_TopLevelConcatenationOnce()
            => Verifier.AnalyzerAsync(
                Hot("""
                    public static string A(string s, int n) => {|ALLOC106:s + "-" + n + "!"|};
                    public static string B(int n) => {|ALLOC106:$"n={n}"|};
                    public static string C(object o) => {|ALLOC106:string.Format("{0}", o)|};
                    public static string D(Guid g) => {|ALLOC106:g.ToString()|};
                    public static string G(DateTime d) => {|ALLOC106:d.ToString("O")|};
                    public static string H(int n) => {|ALLOC106:n.ToString("X", System.Globalization.CultureInfo.InvariantCulture)|};
                    public static string E() => "con" + "stant";
                    public static string F(bool b, DayOfWeek d) => b.ToString() + d.ToString();
                    """).Replace("public static string F(bool b, DayOfWeek d) => b.ToString() + d.ToString();", "public static string F(bool b, DayOfWeek d) => {|ALLOC106:b.ToString() + d.ToString()|};"));

        [Theory]
        [InlineData("public static string M(string a, string b) => {|#0:a + b|};", "", Returned)]
        [InlineData("public static string M(string a, int n, long m) => {|#0:a + n + (m + \"\")|};", ", a string for each of its 2 non-string operands", Returned)]
        [InlineData("public static string M(string a, string b, int n) => {|#0:a + (b + \"-\") + \"k\" + n + a|};", ", a string for its non-string operand, and a string[] of its 6 operands", Returned)]
        [InlineData("public static void M(string a, int n) { {|#0:a += n + \"-\" + a + \"x\"|}; }", ", a string for its non-string operand, and a string[] of its 5 operands", "it does not escape the method")]
        [InlineData("public static string M(int site, object boxedCount) => {|#0:\"site \" + site + \": \" + boxedCount|};", ", a string for each of its 2 non-string operands", Returned)]
        [InlineData("public static string M(string a, int n) { {|#0:a += n|}; return a; }", ", a string for its non-string operand", Returned)]
        [InlineData("public static void M(string[] all, int n) { var s = \"k\"; {|#0:s += n|}; all[0] = s; }", ", a string for its non-string operand", "it escapes: stored to an array element")]
        [InlineData("static string _last = \"\"; public static void M(int n) { {|#0:_last += n|}; }", ", a string for its non-string operand", "it escapes: stored to field '_last'")]
        public Task Concatenation_OneReportPerConcatCall_CountsConvertedOperandsAndTheArray(string members, string extraCost, string escape)
            => Verifier.AnalyzerAsync(
                Hot(members),
                expected: Verifier.Diagnostic(RuleIds.StringAllocation).WithLocation(0)
                    .WithArguments("String concatenation", "a new string (22 + 2 × length bytes, rounded up to 8)" + extraCost + " on every execution (net10.0, Debug build)", escape, "hot: inside type Program annotated [HotPath]"));

        private const string Returned = "it escapes: returned to the caller";

        [Fact]
        public Task Interpolation_IntoFormattableString_NamesItsObjectsNotAString()
            => Verifier.AnalyzerAsync(
                Hot("public static FormattableString M(int n, string s) => {|#0:$\"n={n} s={s}\"|};"),
                expected: Verifier.Diagnostic(RuleIds.StringAllocation).WithLocation(0)
                    .WithArguments("String interpolation into a FormattableString", "a FormattableString and an object[] of its 2 arguments (each value-type argument boxed) on every execution (net10.0, Debug build)", Returned, "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task LocalFunctionToDelegate_ClosureWhenCapturing_DelegateOtherwise_NothingWhenStatic()
            => Verifier.AnalyzerAsync(
                Hot("""
                    public static int M(int a)
                    {
                        int Capturing(int x) => x + a;
                        int Plain(int x) => x + 1;
                        static int Static(int x) => x + 2;
                        Func<int, int> f = {|#0:Capturing|};
                        Func<int, int> g = {|#1:Plain|};
                        Func<int, int> h = Static;
                        return f(1) + g(2) + h(3) + Capturing(4);
                    }
                    """),
                null,
                Verifier.Diagnostic(RuleIds.ClosureAllocation).WithLocation(0)
                    .WithArguments("The conversion of local function 'Capturing' to Func<int, int>, capturing 'a'", "a closure (24 bytes) on every execution (net10.0, Debug build), and a delegate (64 bytes) on every execution of this Debug build; optimized code on net10.0 may allocate it on the stack (does not escape, not in a loop, 64 bytes)", "it does not escape the method", "hot: inside type Program annotated [HotPath]"),
                new DiagnosticResult(RuleIds.DelegateAllocation, DiagnosticSeverity.Info).WithLocation(1)
                    .WithArguments("The conversion of local function 'Plain' to Func<int, int>", "a delegate (64 bytes) on every execution of this Debug build; optimized code on net10.0 may allocate it on the stack (does not escape, not in a loop, 64 bytes)", "it does not escape the method", "hot: inside type Program annotated [HotPath]"));

        [Fact]
        public Task Foreach_OverInterfaceReported_OverConcreteOrArrayNot()
            => Verifier.AnalyzerAsync(
                Hot("""
                    public static int M(IEnumerable<int> e, List<int> l, int[] a, IReadOnlyList<int> r)
                    {
                        int s = 0;
                        {|ALLOC107:foreach (var i in|} e) s += i;
                        foreach (var i in l) s += i;
                        foreach (var i in a) s += i;
                        {|ALLOC107:foreach (var i in|} r) s += i;
                        return s;
                    }
                    """));

        [Fact]
        public Task Linq_IteratorsAndMaterializationReported_AggregatesNot()
            => Verifier.AnalyzerAsync(
                Hot("public static int M(int[] a) => a.{|ALLOC108:Select(x => x * 2)|}.{|ALLOC108:ToList()|}.Count + a.Sum() + (a.Any() ? 1 : 0);"));

        [Fact]
        public Task Iterators_CallAndHotYieldReported_ForeachOverTheCallIsTheSameObject()
            => Verifier.AnalyzerAsync(
                Hot("""
                    public static IEnumerable<int> Numbers() { {|ALLOC109:yield return 1;|} yield return 2; }
                    public static int First() { foreach (var n in {|ALLOC109:Numbers()|}) return n; return 0; }
                    public static int Doubled(int[] a) { int t = 0; foreach (var n in a.{|ALLOC108:Select(x => x * 2)|}) t += n; return t; }
                    public static int Later(IEnumerable<int> e) { int t = 0; {|ALLOC107:foreach (var n in|} e) t += n; return t; }
                    """));

        [Fact]
        public Task Iterators_EveryIteratorReturnTypeReported_OtherMethodsNot()
            => Verifier.AnalyzerAsync(
                """
                using System.Collections;
                using System.Collections.Generic;
                using System.Threading.Tasks;

                [HotPath(false)]
                public static class Source
                {
                    public static IEnumerator<int> GenericEnumerator() { yield return 1; }
                    public static IEnumerable Plain() { yield return 1; }
                    public static IEnumerator PlainEnumerator() { yield return 1; }
                    public static async IAsyncEnumerable<int> Async() { await Task.Yield(); yield return 1; }
                    public static async IAsyncEnumerator<int> AsyncEnumerator() { await Task.Yield(); yield return 1; }
                    public static IEnumerable<int> NotAnIterator() => new List<int>();
                    public static int Local() { IEnumerable<int> Inner() { yield return 1; } return 0; }
                }

                public static class Caller
                {
                    [HotPath]
                    public static void M()
                    {
                        Source.{|ALLOC109:GenericEnumerator()|};
                        Source.{|ALLOC109:Plain()|};
                        Source.{|ALLOC109:PlainEnumerator()|};
                        Source.{|ALLOC109:Async()|};
                        Source.{|ALLOC109:AsyncEnumerator()|};
                        Source.NotAnIterator();
                        Source.Local();
                    }
                }
                """ + AllocationSnippets.HotPathAttribute);
    }
}
