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

        /// <summary>
        /// Every ALLOC1xx message: what allocates, what it costs and when on the target (every execution, or unless
        /// the JIT removes it), where it goes, why the code is hot.
        /// </summary>
        private const string HotAllocationMessage = "{0} allocates {1}; {2} ({3})";

        /// <summary>Every ALLOC2xx message: what boxes, from which type into which, the bytes and when, and whether it is hot.</summary>
        private const string BoxingMessage = "{0} boxes '{1}' into '{2}', allocating {3} ({4})";

        public static readonly DiagnosticDescriptor InvalidConfiguration = Create(
            RuleIds.InvalidConfiguration,
            title: "Invalid AllocAnalyzers configuration value",
            messageFormat: "Configuration key '{0}' {1}; {2}",
            category: RuleCategories.Configuration,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "An alloc_analyzers.* option in .editorconfig or a global config could not be read, a list holds an entry that cannot be read, or an alloc_analyzers.* key is not an option. The analyzers fall back to the option's default, keep a list's other entries, and ignore an unknown key.");

        public static readonly DiagnosticDescriptor ObjectAllocation = Create(
            RuleIds.ObjectAllocation,
            title: "Object allocated on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "An object allocated with new (explicit or target-typed, with initializers, anonymous types, 'with' on a record class) on a hot path. Every allocation raises the allocation rate, which drives gen0 collections and GC pauses.");

        public static readonly DiagnosticDescriptor ArrayAllocation = Create(
            RuleIds.ArrayAllocation,
            title: "Array allocated on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "An array (new T[n], new[] { ... }, or a collection expression that builds an array or list) allocated on a hot path.");

        public static readonly DiagnosticDescriptor ParamsAllocation = Create(
            RuleIds.ParamsAllocation,
            title: "Params array allocated by a call on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A call to a params T[] (or C# 13 params List/IEnumerable) method with arguments allocates a new array or collection on every call. Empty params use Array.Empty and params ReadOnlySpan<T> lives on the stack: neither is reported.");

        public static readonly DiagnosticDescriptor ClosureAllocation = Create(
            RuleIds.ClosureAllocation,
            title: "Closure allocated on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A lambda (or a local function converted to a delegate) that captures locals or parameters makes the compiler allocate a closure object holding them, plus a delegate, every time the enclosing scope runs. Lambdas that capture nothing are cached by the compiler and are not reported.");

        public static readonly DiagnosticDescriptor DelegateAllocation = Create(
            RuleIds.DelegateAllocation,
            title: "Delegate allocated on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Converting an instance method group, or a lambda that captures only 'this', to a delegate allocates a 64-byte delegate object on every conversion. Static method groups (C# 11+) and non-capturing lambdas are cached by the compiler and are not reported.");

        public static readonly DiagnosticDescriptor StringAllocation = Create(
            RuleIds.StringAllocation,
            title: "String built on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "String concatenation, interpolation to a string, string.Format/Concat/Join and ToString() on values allocate a new string every time. Constant strings, and interpolation into a handler (StringBuilder.Append of an interpolated string), do not.");

        public static readonly DiagnosticDescriptor EnumeratorAllocation = Create(
            RuleIds.EnumeratorAllocation,
            title: "Enumerator allocated by foreach on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "foreach over a collection typed as an interface (IEnumerable<T>, IList<T>, ...), or whose GetEnumerator returns a class, allocates an enumerator object (boxing a struct enumerator) on every loop. foreach over arrays, strings, spans and concrete List<T>/Dictionary types uses a struct enumerator and allocates nothing.");

        public static readonly DiagnosticDescriptor LinqAllocation = Create(
            RuleIds.LinqAllocation,
            title: "LINQ call allocates on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "LINQ operators allocate an iterator object per call (and ToArray/ToList/ToDictionary the whole result), besides the delegates of their lambdas.");

        public static readonly DiagnosticDescriptor IteratorAllocation = Create(
            RuleIds.IteratorAllocation,
            title: "Iterator state machine allocated on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Calling an iterator method (one that uses yield) allocates its state machine object on every call; an iterator method that is itself hot allocates it for each of its callers.");

        public static readonly DiagnosticDescriptor BoxingConversion = Create(
            RuleIds.BoxingConversion,
            title: "Value type boxed by a conversion",
            messageFormat: BoxingMessage,
            category: RuleCategories.Boxing,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A value type converted to object, ValueType, Enum or an interface is copied into a new heap object: in assignments, arguments (params object[] included), returns, casts, conditional expressions, collection initializers, tuples converted to object, comparisons with object and patterns that bind an interface or object variable.");

        public static readonly DiagnosticDescriptor BoxingCall = Create(
            RuleIds.BoxingCall,
            title: "Value type boxed to call an inherited method",
            messageFormat: BoxingMessage,
            category: RuleCategories.Boxing,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Calling ToString, GetHashCode or Equals on a struct that does not override them, or GetType on any value type, boxes the value first: the methods live on a reference type (object, ValueType, Enum).");

        public static readonly DiagnosticDescriptor BoxingDelegate = Create(
            RuleIds.BoxingDelegate,
            title: "Value type boxed by a delegate to its instance method",
            messageFormat: BoxingMessage,
            category: RuleCategories.Boxing,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A delegate created from a struct's instance method holds a boxed copy of the struct as its target: one box and one delegate per conversion.");

        public static readonly DiagnosticDescriptor BoxingEnumeration = Create(
            RuleIds.BoxingEnumeration,
            title: "Elements boxed by Cast or OfType",
            messageFormat: BoxingMessage,
            category: RuleCategories.Boxing,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Enumerable.Cast<T> and OfType<T> enumerate their source as non-generic IEnumerable, so every value-type element is boxed (Cast<T> to the source's own element type returns the source and is not reported).");

        public static readonly DiagnosticDescriptor FrameworkCallAllocation = Create(
            RuleIds.FrameworkCallAllocation,
            title: "Framework call allocates on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Many framework methods return a new string, array or object on every call: Substring, Trim, Replace, ToUpperInvariant, Split, span and list ToArray, Span<char>.ToString, Encoding.GetString and GetBytes, Convert.ToBase64String, BitConverter.GetBytes, Tuple.Create. The string methods return the string itself when nothing changes; the message says when. Most have an allocation-free form over spans (AsSpan, TryFormat, TryWriteBytes, the span overloads), which the message names.");

        public static readonly DiagnosticDescriptor CallAllocation = Create(
            RuleIds.CallAllocation,
            title: "Call to a method that allocates on every call, on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A hot method calls a method of the same compilation that is not on the hot path itself (beyond alloc_analyzers.hot_path_depth, or reached only from here), so its own allocations are not reported; yet it allocates on every call: the allocations on every path through its body (and through its own calls, a few levels deep) that no JIT removes. The message gives the bytes known, the first allocation and where it is, and whether there are more on some paths.");

        public static readonly DiagnosticDescriptor StructKeyWithoutEquality = Create(
            RuleIds.StructKeyWithoutEquality,
            title: "Struct key without equality members",
            messageFormat: BoxingMessage,
            category: RuleCategories.Boxing,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A struct used as a Dictionary, HashSet or ConcurrentDictionary key without IEquatable<T> and without overriding Equals and GetHashCode is compared by ValueType.Equals and hashed by ValueType.GetHashCode: every lookup boxes the key and may compare fields by reflection.");

        public static readonly DiagnosticDescriptor AsyncTaskAllocation = Create(
            RuleIds.AsyncTaskAllocation,
            title: "Async method's Task allocated on a hot path",
            messageFormat: HotAllocationMessage,
            category: RuleCategories.HotPathAllocation,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Calling an async method that returns Task<T> allocates a Task<T> for every result the runtime does not cache (it caches bool, null/default and small integers), even when the method completes synchronously, and a state machine box whenever it suspends. ValueTask<T> completes synchronously without allocating.");

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

        /// <summary>The rental rules' pointer to their run-time check, for the rentals they cannot follow.</summary>
        private const string StrictPoolNote = " This rule does not follow a rental whose ownership leaves the method (returned to a caller, stored, passed on): run your tests with the strict pools of AllocAnalyzers.Testing to check such rentals at run time (docs/strict-pools.md).";

        public static readonly DiagnosticDescriptor RentalNotReturned = Create(
            RuleIds.RentalNotReturned,
            title: "Pool rental not returned on every path",
            messageFormat: "'{0}' rented from '{1}' is not returned on {2}",
            category: RuleCategories.PoolRental,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "A rental that is not returned on some path (an early return, a break out of the loop that owns it, a throw, an exception between Rent and Return) is never reused: the pool turns into an allocator, and for MemoryPool owners the memory is never released." + StrictPoolNote);

        public static readonly DiagnosticDescriptor RentalReturnedTwice = Create(
            RuleIds.RentalReturnedTwice,
            title: "Pool rental returned twice",
            messageFormat: "'{0}' rented from '{1}' is returned a second time on {2}",
            category: RuleCategories.PoolRental,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "Returning the same array or object twice lets the pool hand it to two callers at once: both then read and write the same memory, which the .NET documentation calls a high-severity bug." + StrictPoolNote);

        public static readonly DiagnosticDescriptor RentalUsedAfterReturn = Create(
            RuleIds.RentalUsedAfterReturn,
            title: "Pool rental used after it was returned",
            messageFormat: "'{0}' rented from '{1}' is used after it was returned, on {2}",
            category: RuleCategories.PoolRental,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "After Return the pool may already have handed the array or object to another caller: reading it reads their data, writing it corrupts it." + StrictPoolNote);

        public static readonly DiagnosticDescriptor RentalReturnedToOtherPool = Create(
            RuleIds.RentalReturnedToOtherPool,
            title: "Pool rental returned to another pool",
            messageFormat: "'{0}' rented from '{1}' is returned to '{2}'",
            category: RuleCategories.PoolRental,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "An array returned to a pool it was not rented from pollutes that pool with buckets of foreign sizes and starves the original pool." + StrictPoolNote);

        public static readonly DiagnosticDescriptor RentedLengthAssumed = Create(
            RuleIds.RentedLengthAssumed,
            title: "Rented array's Length used as the requested size",
            messageFormat: "'{0}' rented from '{1}' may be longer than requested, but {2} uses all of it",
            category: RuleCategories.PoolRental,
            defaultSeverity: DiagnosticSeverity.Warning,
            description: "ArrayPool.Rent(n) returns an array of at least n elements, usually more (rounded up to a power of two): code that loops to Length, spans, enumerates or clears the whole array reads or writes stale data past the requested size." + StrictPoolNote);

        public static readonly DiagnosticDescriptor RentalReturnedWithoutClearing = Create(
            RuleIds.RentalReturnedWithoutClearing,
            title: "Array of references returned without clearing",
            messageFormat: "'{0}' rented from '{1}' holds references but is returned without clearArray: true",
            category: RuleCategories.PoolRental,
            defaultSeverity: DiagnosticSeverity.Info,
            description: "An array of references returned without clearing keeps every object it points to alive until the pool hands the array out again, and leaks them to the next renter." + StrictPoolNote);

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
