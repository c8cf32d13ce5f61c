using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// The one catalog of diagnostic descriptors. Every descriptor is made by <see cref="Create"/>, which sets
    /// the help link to the rule's docs page; the raw constructor is banned (BannedSymbols.txt).
    /// </summary>
    public static class Descriptors
    {
        /// <summary>Where the per-rule documentation pages live; the help link is this plus <c>ID.md</c>.</summary>
        public const string HelpLinkBase = "https://github.com/AllocAnalyzers/AllocAnalyzers/blob/main/docs/rules/";

        public static readonly DiagnosticDescriptor InvalidConfiguration = Create(
            RuleIds.InvalidConfiguration,
            title: "Invalid AllocAnalyzers configuration value",
            messageFormat: "Configuration key '{0}' has the invalid value '{1}': {2}; the default ({3}) is used instead",
            category: RuleCategories.Configuration,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "An alloc_analyzers.* option in .editorconfig or a global config could not be read. The analyzers fall back to the option's default.");

        public static readonly DiagnosticDescriptor PaddedStruct = Create(
            RuleIds.PaddedStruct,
            title: "Struct fields are ordered so the runtime inserts padding",
            messageFormat: "Struct '{0}' is {1} bytes; ordering its fields by alignment makes it {2} bytes ({3} bytes of padding, {4}%)",
            category: RuleCategories.StructLayout,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "CoreCLR keeps the declared field order of a sequential struct that holds no references and aligns each field to its natural alignment, so a small field before a large one leaves a gap. Every copy, array element and cache line pays for that gap. Ordering the fields by descending alignment removes it.");

        public static readonly DiagnosticDescriptor LargeStructCopy = Create(
            RuleIds.LargeStructCopy,
            title: "Large struct copied by value on a hot path",
            messageFormat: "Struct '{0}' ({1} bytes) is copied by value {2}; use a reference (in, ref readonly, ref var) instead ({3})",
            category: RuleCategories.StructLayout,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Passing a struct by value, copying it into a local, or iterating a collection of structs by value copies every byte of it. Above a cache line (64 bytes by default) those copies dominate hot loops; an in parameter, a ref readonly local or a ref foreach variable reads the original in place.");

        public static readonly DiagnosticDescriptor PaddedAutoLayoutStruct = Create(
            RuleIds.PaddedAutoLayoutStruct,
            title: "Value-type fields of an auto-layout struct are ordered so the runtime inserts padding",
            messageFormat: "Struct '{0}' is {1} bytes; the runtime places its value-type fields last in declaration order, and ordering them differently makes it {2} bytes ({3} bytes of padding, {4}%)",
            category: RuleCategories.StructLayout,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A struct that holds a reference (or declares LayoutKind.Auto) is laid out by the runtime: references first, then primitives by size, then every other value type (decimal, Guid, DateTime, Half, tuples, user structs) in declaration order, each at its alignment. The runtime does not reorder those value-type fields, so their declared order can leave gaps that another order avoids.");

        private static DiagnosticDescriptor Create(
            string id,
            string title,
            string messageFormat,
            string category,
            DiagnosticSeverity defaultSeverity,
            string description,
            bool isEnabledByDefault = true,
            params string[] customTags)
        {
#pragma warning disable RS0030 // The one sanctioned use of the raw constructor.
            return new DiagnosticDescriptor(
                id,
                title,
                messageFormat,
                category,
                defaultSeverity,
                isEnabledByDefault,
                description,
                HelpLinkBase + id + ".md",
                customTags);
#pragma warning restore RS0030
        }
    }
}
