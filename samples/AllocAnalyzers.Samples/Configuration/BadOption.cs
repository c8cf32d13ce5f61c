namespace AllocAnalyzers.Samples.Configuration
{
    /// <summary>
    /// The .editorconfig section for this folder gives alloc_analyzers.large_struct_bytes a value that is not a number:
    /// ALLOC001 names the key, the value and the default used instead.
    /// </summary>
    public static class BadOption
    {
        public static int Answer => 42;
    }
}
