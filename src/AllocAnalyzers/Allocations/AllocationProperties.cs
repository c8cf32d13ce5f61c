using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// The properties an allocation or boxing diagnostic carries (<c>Escape</c>, <c>Bytes</c>), shared between the
    /// diagnostics that have the same values instead of built for each: a project has few distinct sizes, and
    /// thousands of diagnostics. Immutable values, so sharing them across compilations keeps no compilation state;
    /// the cache stops growing at a bound.
    /// </summary>
    internal static class AllocationProperties
    {
        private const int MaxCached = 4096;
        private static readonly ConcurrentDictionary<(EscapeKind? Escape, int? Bytes), ImmutableDictionary<string, string?>> Cache =
            new ConcurrentDictionary<(EscapeKind?, int?), ImmutableDictionary<string, string?>>();

        public static ImmutableDictionary<string, string?> For(EscapeKind? escape, int? bytes)
        {
            var key = (escape, bytes);
            if (Cache.TryGetValue(key, out var properties))
            {
                return properties;
            }

            properties = Create(escape, bytes);
            if (Cache.Count < MaxCached)
            {
                Cache.TryAdd(key, properties);
            }

            return properties;
        }

        /// <summary>The escape a diagnostic carries, or null when it carries none (or one this version does not know).</summary>
        public static EscapeKind? ReadEscape(ImmutableDictionary<string, string?> properties)
            => properties.TryGetValue(HotAllocationAnalyzer.EscapeProperty, out var text) && System.Enum.TryParse<EscapeKind>(text, out var escape) ? escape : null;

        /// <summary>True only when the analysis proved that the allocation stays in its method: the pooling fixes' precondition.</summary>
        public static bool IsProvenLocal(ImmutableDictionary<string, string?> properties) => ReadEscape(properties) == EscapeKind.Local;

        private static ImmutableDictionary<string, string?> Create(EscapeKind? escape, int? bytes)
        {
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (escape != null)
            {
                properties = properties.Add(HotAllocationAnalyzer.EscapeProperty, escape.Value.ToString());
            }

            return bytes == null ? properties : properties.Add(HotAllocationAnalyzer.BytesProperty, bytes.Value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
