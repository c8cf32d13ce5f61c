using System;
using AllocAnalyzers.Samples.StructLayout;

namespace AllocAnalyzers.Samples
{
    /// <summary>Runs each demonstration so the samples are real, working code, not just text to analyze.</summary>
    public static class Program
    {
        public static void Main()
        {
            Console.WriteLine(PaddedStructs.Describe());
        }
    }
}
