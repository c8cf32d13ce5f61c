using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using AllocAnalyzers.Cost;

namespace AllocAnalyzers.Allocations
{
    /// <summary>
    /// The properties an allocation or boxing diagnostic carries (<c>Escape</c>, <c>Bytes</c>, <c>Claim</c>), shared between the
    /// diagnostics that have the same values instead of built for each: a project has few distinct sizes, and
    /// thousands of diagnostics. Immutable values, so sharing them across compilations keeps no compilation state;
    /// the cache stops growing at a bound.
    /// </summary>
    internal static class AllocationProperties
    {
        private const int MaxCached = 4096;
        private static readonly ConcurrentDictionary<(EscapeKind? Escape, int? Bytes, AllocationClaim Claim), ImmutableDictionary<string, string?>> Cache =
            new ConcurrentDictionary<(EscapeKind?, int?, AllocationClaim), ImmutableDictionary<string, string?>>();

        /// <summary>The property that says what the message claims (<see cref="AllocationClaim"/>).</summary>
        public const string ClaimProperty = "Claim";

        public static ImmutableDictionary<string, string?> For(EscapeKind? escape, int? bytes, AllocationClaim claim)
        {
            var key = (escape, bytes, claim);
            if (Cache.TryGetValue(key, out var properties))
            {
                return properties;
            }

            properties = Create(escape, bytes, claim);
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

        /// <summary>The claim a diagnostic carries; one without it (an older version's) claims every execution.</summary>
        public static AllocationClaim ReadClaim(ImmutableDictionary<string, string?> properties)
            => properties.TryGetValue(ClaimProperty, out var text) && System.Enum.TryParse<AllocationClaim>(text, out var claim) ? claim : AllocationClaim.EveryExecution;

        /// <summary>The pooling and stackalloc fixes' precondition: proven local, and not an allocation the JIT may already remove.</summary>
        public static bool IsPoolable(ImmutableDictionary<string, string?> properties) => IsProvenLocal(properties) && !AllocationClaims.JitMayRemove(ReadClaim(properties));

        private static ImmutableDictionary<string, string?> Create(EscapeKind? escape, int? bytes, AllocationClaim claim)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(ClaimProperty, claim.ToString());
            if (escape != null)
            {
                properties = properties.Add(HotAllocationAnalyzer.EscapeProperty, escape.Value.ToString());
            }

            return bytes == null ? properties : properties.Add(HotAllocationAnalyzer.BytesProperty, bytes.Value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
