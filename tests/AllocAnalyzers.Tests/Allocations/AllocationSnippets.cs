namespace AllocAnalyzers.Tests.Allocations
{
    /// <summary>Source shared by the ALLOC1xx tests: the attribute, and a wrapper making a hot class of some members.</summary>
    internal static class AllocationSnippets
    {
        public const string HotPathAttribute = """
            [System.AttributeUsage(System.AttributeTargets.All)]
            internal sealed class HotPathAttribute : System.Attribute { public HotPathAttribute(bool hot = true) { } }

            """;

        /// <summary>A hot static class <c>Program</c> with <paramref name="members"/>, plus the attribute and usings.</summary>
        /// <summary>
        /// <c>char[] separators = { ',', ';' };</c>: an array initializer without <c>new</c> in hot code (ALLOC102, and the
        /// Split call it feeds, ALLOC111), which neither array fix rewrites.
        /// </summary>
        public const string ArrayInitializerWithoutNew = """
            public static class Parser
            {
                private static string[] _last = new string[0];

                [HotPath]
                public static int Fields(string line)
                {
                    char[] separators = {|ALLOC102:{ ',', ';' }|};
                    _last = line.{|ALLOC111:Split(separators)|};
                    return separators.Length + _last.Length;
                }
            }
            """;

        public static string HotProgram(string members, string extraTypes = "") => """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;
            using System.Threading.Tasks;

            """ + HotPathAttribute + extraTypes + "\n[HotPath]\npublic static class Program\n{\n" + members + "\n}\n";
    }
}
