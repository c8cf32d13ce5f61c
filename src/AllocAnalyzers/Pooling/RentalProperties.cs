using System.Collections.Immutable;

namespace AllocAnalyzers.Pooling
{
    /// <summary>The one reader and writer of the property a rental diagnostic carries for its fix.</summary>
    internal static class RentalProperties
    {
        /// <summary>Present when the try/finally fix may be offered (no ownership transfer, no alias).</summary>
        public const string FixableProperty = "Fixable";

        private static readonly ImmutableDictionary<string, string?> FixableSet = ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, bool.TrueString);
        private static readonly ImmutableDictionary<string, string?> NotFixableSet = ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, bool.FalseString);

        public static ImmutableDictionary<string, string?> For(bool fixable) => fixable ? FixableSet : NotFixableSet;

        /// <summary>True only when the analyzer said the rental stays owned by its method and is told apart from every other.</summary>
        public static bool IsFixable(ImmutableDictionary<string, string?> properties)
            => properties.TryGetValue(FixableProperty, out var text) && bool.TryParse(text, out bool fixable) && fixable;
    }
}
