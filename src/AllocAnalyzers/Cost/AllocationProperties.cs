using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using AllocAnalyzers.Escape;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// The properties an allocation or boxing diagnostic carries (<c>Escape</c>, <c>Bytes</c>, <c>Claim</c>, and
    /// <c>Type</c>, the allocated type as the runtime names it, which SARIF logs carry for <c>alloc-profile</c> to join
    /// with a profile's allocation samples), shared between the
    /// diagnostics that have the same values instead of built for each: a project has few distinct sizes, and
    /// thousands of diagnostics. Immutable values, so sharing them across compilations keeps no compilation state;
    /// the cache stops growing at a bound.
    /// </summary>
    internal static class AllocationProperties
    {
        private const int MaxCached = 4096;
        private static readonly ConcurrentDictionary<(EscapeKind? Escape, int? Bytes, AllocationClaim Claim, string? Type), ImmutableDictionary<string, string?>> Cache =
            new ConcurrentDictionary<(EscapeKind?, int?, AllocationClaim, string?), ImmutableDictionary<string, string?>>();

        /// <summary>The property that says where the allocated value goes (<see cref="EscapeKind"/>).</summary>
        public const string EscapeProperty = "Escape";

        /// <summary>The property with the claimed bytes, when they are known.</summary>
        public const string BytesProperty = "Bytes";

        /// <summary>The property that says what the message claims (<see cref="AllocationClaim"/>).</summary>
        public const string ClaimProperty = "Claim";

        /// <summary>The property naming the allocated type (<see cref="RuntimeTypeName"/>), where the site allocates one type the compiler knows.</summary>
        public const string TypeProperty = "Type";

        public static ImmutableDictionary<string, string?> For(EscapeKind? escape, int? bytes, AllocationClaim claim, string? type = null)
        {
            var key = (escape, bytes, claim, type);
            if (Cache.TryGetValue(key, out var properties))
            {
                return properties;
            }

            properties = Create(escape, bytes, claim, type);
            if (Cache.Count < MaxCached)
            {
                Cache.TryAdd(key, properties);
            }

            return properties;
        }

        /// <summary>The escape a diagnostic carries, or null when it carries none (or one this version does not know).</summary>
        public static EscapeKind? ReadEscape(ImmutableDictionary<string, string?> properties)
            => properties.TryGetValue(EscapeProperty, out var text) && System.Enum.TryParse<EscapeKind>(text, out var escape) ? escape : null;

        /// <summary>True only when the analysis proved that the allocation stays in its method: the pooling fixes' precondition.</summary>
        public static bool IsProvenLocal(ImmutableDictionary<string, string?> properties) => ReadEscape(properties) == EscapeKind.Local;

        /// <summary>The claim a diagnostic carries; one without it (an older version's) claims every execution.</summary>
        public static AllocationClaim ReadClaim(ImmutableDictionary<string, string?> properties)
            => properties.TryGetValue(ClaimProperty, out var text) && System.Enum.TryParse<AllocationClaim>(text, out var claim) ? claim : AllocationClaim.EveryExecution;

        /// <summary>The pooling and stackalloc fixes' precondition: proven local, and not an allocation the JIT may already remove.</summary>
        public static bool IsPoolable(ImmutableDictionary<string, string?> properties) => IsProvenLocal(properties) && !AllocationClaims.JitMayRemove(ReadClaim(properties));

        /// <summary>
        /// The runtime name of what <paramref name="allocation"/> allocates when the site allocates exactly one object of
        /// a type the compiler knows: a new object or array, a string built by concatenation or interpolation. Null
        /// otherwise (closures, enumerators and iterators have compiler- or library-chosen types).
        /// </summary>
        public static string? AllocatedType(Microsoft.CodeAnalysis.IOperation allocation, TypeNames<string?> names)
            => allocation switch
            {
                Microsoft.CodeAnalysis.Operations.IObjectCreationOperation or Microsoft.CodeAnalysis.Operations.IArrayCreationOperation when allocation.Type != null => names.Of(allocation.Type),
                Microsoft.CodeAnalysis.Operations.IBinaryOperation or Microsoft.CodeAnalysis.Operations.ICompoundAssignmentOperation or Microsoft.CodeAnalysis.Operations.IInterpolatedStringOperation
                    when allocation.Type?.SpecialType == Microsoft.CodeAnalysis.SpecialType.System_String => "System.String",
                _ => null,
            };

        private static ImmutableDictionary<string, string?> Create(EscapeKind? escape, int? bytes, AllocationClaim claim, string? type)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(ClaimProperty, claim.ToString());
            if (type != null)
            {
                properties = properties.Add(TypeProperty, type);
            }

            if (escape != null)
            {
                properties = properties.Add(EscapeProperty, escape.Value.ToString());
            }

            return bytes == null ? properties : properties.Add(BytesProperty, bytes.Value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
