using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Escape
{
    /// <summary>
    /// The short, documented list of framework calls that only read a reference passed to them (docs/rules/ALLOC101.md,
    /// "What counts as escaping"). Every other framework call is taken to keep what it is given.
    /// <list type="bullet">
    /// <item>As <c>this</c>: instance members of <c>string</c>, <c>StringBuilder</c>, <c>MemoryStream</c>, arrays, spans,
    /// <c>Memory&lt;T&gt;</c>, <c>IMemoryOwner&lt;T&gt;</c> and the System.Collections.Generic collections. Their result may be the receiver itself (<c>Append</c> returns the
    /// builder) or refer to it (an enumerator, a read-only wrapper) unless it is a primitive, an enum or a string, so a
    /// result of any other type is followed as an alias.</item>
    /// <item>As an argument: copies and searches (<c>Array.Copy</c>, <c>CopyTo</c>, <c>Buffer.BlockCopy</c>,
    /// <c>Array.IndexOf</c>/<c>Sort</c>/<c>Fill</c>/<c>Clear</c>...), <c>Encoding</c> conversions, <c>Stream</c> and
    /// <c>TextWriter</c> reads and writes (the async ones only when awaited at the call: until then the stream holds the buffer), <c>string</c> formatting and joining, <c>StringBuilder.Append</c>,
    /// <c>Console.Write</c>, <c>object.ReferenceEquals</c>/<c>Equals</c>, collection searches and bulk copies
    /// (<c>Contains</c>, <c>IndexOf</c>, <c>Remove</c>, <c>TryGetValue</c>, <c>AddRange</c>, set operations), and the
    /// immediate LINQ operators that enumerate and finish (<c>Sum</c>, <c>Count</c>, <c>Any</c>, <c>ToArray</c>...; never the
    /// deferred ones, which keep their source). Span parameters are decided by <see cref="SpanViews.CannotKeep"/>.</item>
    /// </list>
    /// </summary>
    internal static class ReadOnlyFrameworkCalls
    {
        private static readonly string[] CollectionTypes =
        {
            "List`1", "Dictionary`2", "HashSet`1", "Queue`1", "Stack`1", "LinkedList`1", "SortedSet`1", "SortedDictionary`2", "SortedList`2", "PriorityQueue`2",
        };

        private static readonly string[] ReadingCollectionMembers =
        {
            "Contains", "ContainsKey", "ContainsValue", "IndexOf", "LastIndexOf", "Remove", "TryGetValue", "BinarySearch", "AddRange", "InsertRange",
            "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "IsSubsetOf", "IsSupersetOf", "IsProperSubsetOf", "IsProperSupersetOf", "Overlaps", "SetEquals", "CopyTo",
        };

        private static readonly string[] ReadingArrayMembers =
        {
            "Copy", "ConstrainedCopy", "Clear", "Fill", "IndexOf", "LastIndexOf", "Sort", "Reverse", "BinarySearch", "Exists", "TrueForAll", "CopyTo",
        };

        private static readonly string[] StreamMembers =
        {
            "Read", "Write", "ReadExactly", "ReadAtLeast", "WriteLine", "ReadAsync", "WriteAsync", "ReadExactlyAsync", "ReadAtLeastAsync", "WriteLineAsync",
        };

        private static readonly string[] StringMembers = { "Concat", "Join", "Format", "Equals", "Compare", "CompareOrdinal", "IsNullOrEmpty", "IsNullOrWhiteSpace", ".ctor" };

        private static readonly string[] ImmediateLinq =
        {
            "Sum", "Count", "LongCount", "Any", "All", "Contains", "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault", "Min", "Max",
            "Average", "ToArray", "ToList", "ToHashSet", "ToDictionary", "SequenceEqual", "Aggregate", "ElementAt", "ElementAtOrDefault",
        };

        /// <summary>True when the framework method only reads parameter <paramref name="ordinal"/> (-1: <c>this</c>).</summary>
        public static bool OnlyReads(IMethodSymbol method, int ordinal)
        {
            if (!method.DeclaringSyntaxReferences.IsEmpty || method.ContainingType is not { } type)
            {
                return false;
            }

            if (ordinal < 0)
            {
                return IsReceiverType(type);
            }

            string name = method.Name;
            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                    return Contains(StringMembers, name);
                case SpecialType.System_Object:
                    return name is "ReferenceEquals" or "Equals";
                case SpecialType.System_Array:
                    return Contains(ReadingArrayMembers, name);
            }

            if (KnownTypeNames.StringBuilder.Matches(type))
            {
                return name is "Append" or "AppendLine" or "Insert" or "Equals";
            }

            if (KnownTypeNames.Encoding.IsBaseOf(type))
            {
                return name.StartsWith("Get", System.StringComparison.Ordinal);
            }

            if (KnownTypeNames.Buffer.Matches(type))
            {
                return name is "BlockCopy" or "MemoryCopy";
            }

            if (KnownTypeNames.Console.Matches(type) || KnownTypeNames.Stream.IsBaseOf(type) || KnownTypeNames.TextWriter.IsBaseOf(type)
                || KnownTypeNames.BinaryWriter.Matches(type) || KnownTypeNames.BinaryReader.Matches(type))
            {
                return Contains(StreamMembers, name);
            }

            if (KnownTypeNames.Enumerable.Matches(type))
            {
                return ordinal == 0 && Contains(ImmediateLinq, name);
            }

            return IsCollection(type) && Contains(ReadingCollectionMembers, name);
        }

        /// <summary>True when the call's result may be (or refer to) what it was given as parameter <paramref name="ordinal"/>.</summary>
        public static bool MayReturn(IMethodSymbol method, int ordinal)
        {
            if (method.ReturnsVoid)
            {
                return false;
            }

            var result = method.ReturnType;
            if (result is INamedTypeSymbol task && KnownTypeNames.IsTask(task))
            {
                // An awaited Read/WriteAsync: the task's result, if any, is a count.
                if (task.TypeArguments.Length == 0)
                {
                    return false;
                }

                result = task.TypeArguments[0];
            }

            if (result.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double || result.TypeKind == TypeKind.Enum)
            {
                return false;
            }

            if (result.SpecialType == SpecialType.System_String)
            {
                // A string holds no reference: it can only be the argument itself, when that is a string.
                return ordinal < 0 ? method.ContainingType.SpecialType == SpecialType.System_String : method.Parameters[ordinal].Type.SpecialType is SpecialType.System_String or SpecialType.System_Object;
            }

            // Immediate LINQ copies (ToArray, ToList) and element lookups (First) return new objects or elements, not the source.
            return !(ordinal >= 0 && KnownTypeNames.Enumerable.Matches(method.ContainingType));
        }

        /// <summary>A collection type whose enumeration keeps nothing (arrays, strings, the System.Collections.Generic collections).</summary>
        public static bool IsCollectionType(ITypeSymbol? type)
            => type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_String || (type is INamedTypeSymbol named && IsCollection(named));

        private static bool IsReceiverType(INamedTypeSymbol type)
            => type.SpecialType is SpecialType.System_String or SpecialType.System_Object or SpecialType.System_Array
               || KnownTypeNames.StringBuilder.Matches(type) || KnownTypeNames.MemoryStream.Matches(type) || IsCollection(type)
               || KnownTypeNames.IsSpanOrMemory(type) || KnownTypeNames.IMemoryOwner.Matches(type)
               || (type.ContainingType is { } outer && IsCollection(outer) && type.Name == "Enumerator");

        private static bool IsCollection(INamedTypeSymbol type)
        {
            if (!type.ContainingNamespace.IsNamed("System.Collections.Generic"))
            {
                return false;
            }

            foreach (string name in CollectionTypes)
            {
                if (type.HasMetadataName(name))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Contains(string[] names, string name) => System.Array.IndexOf(names, name) >= 0;
    }
}
