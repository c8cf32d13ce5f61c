namespace AllocAnalyzers.Samples
{
    /// <summary>
    /// Marks hot code for AllocAnalyzers, which recognises it by name in any namespace: no package reference needed.
    /// <c>[HotPath(false)]</c> marks code as cold.
    /// </summary>
    [System.AttributeUsage(System.AttributeTargets.All)]
    internal sealed class HotPathAttribute : System.Attribute
    {
        public HotPathAttribute(bool hot = true) => Hot = hot;

        public bool Hot { get; }
    }
}
