namespace AllocAnalyzers
{
    /// <summary>
    /// Diagnostic categories, one per rule family, so a user can set a whole family's severity at once
    /// (<c>dotnet_analyzer_diagnostic.category-StructLayout.severity = error</c>).
    /// </summary>
    public static class RuleCategories
    {
        public const string Configuration = "AllocAnalyzersConfiguration";
        public const string HotPathAllocation = "HotPathAllocation";
        public const string Boxing = "Boxing";
        public const string StructLayout = "StructLayout";
        public const string PoolRental = "PoolRental";
    }
}
