namespace AllocAnalyzers
{
    /// <summary>
    /// Every framework type the analyzers recognise, in one list. Rules test a type against these names
    /// (<see cref="KnownTypeName.Matches"/>) rather than against a resolved symbol: the same type may come from several
    /// assemblies (System.Buffers' package on netstandard and CoreLib on .NET, a library's own copy of
    /// DoesNotReturnAttribute, Microsoft.Extensions.ObjectPool built from source), and a name test needs nothing
    /// resolved per compilation. Where symbol identity matters (a base type to walk, an attribute to read, a member to
    /// look for), <see cref="KnownTypes"/> resolves the symbol from the same name. The cost tables
    /// (<c>Cost/FrameworkAllocations.cs</c>, <c>Cost/WellKnownLayouts.cs</c>) are data about framework members and
    /// layouts, not type tests, and keep their names beside their figures.
    /// </summary>
    internal static class KnownTypeNames
    {
        // System
        public static readonly KnownTypeName Exception = new KnownTypeName("System", "Exception");
        public static readonly KnownTypeName Buffer = new KnownTypeName("System", "Buffer");
        public static readonly KnownTypeName Console = new KnownTypeName("System", "Console");
        public static readonly KnownTypeName Span = new KnownTypeName("System", "Span`1");
        public static readonly KnownTypeName ReadOnlySpan = new KnownTypeName("System", "ReadOnlySpan`1");
        public static readonly KnownTypeName Memory = new KnownTypeName("System", "Memory`1");
        public static readonly KnownTypeName ReadOnlyMemory = new KnownTypeName("System", "ReadOnlyMemory`1");
        public static readonly KnownTypeName MemoryExtensions = new KnownTypeName("System", "MemoryExtensions");
        public static readonly KnownTypeName FormattableString = new KnownTypeName("System", "FormattableString");
        public static readonly KnownTypeName IFormattable = new KnownTypeName("System", "IFormattable");
        public static readonly KnownTypeName IEquatable = new KnownTypeName("System", "IEquatable`1");
        public static readonly KnownTypeName Range = new KnownTypeName("System", "Range");
        public static readonly KnownTypeName HashCode = new KnownTypeName("System", "HashCode");
        public static readonly KnownTypeName Int128 = new KnownTypeName("System", "Int128");
        public static readonly KnownTypeName UInt128 = new KnownTypeName("System", "UInt128");

        // System.Text, System.IO
        public static readonly KnownTypeName StringBuilder = new KnownTypeName("System.Text", "StringBuilder");
        public static readonly KnownTypeName Encoding = new KnownTypeName("System.Text", "Encoding");
        public static readonly KnownTypeName Stream = new KnownTypeName("System.IO", "Stream");
        public static readonly KnownTypeName MemoryStream = new KnownTypeName("System.IO", "MemoryStream");
        public static readonly KnownTypeName TextWriter = new KnownTypeName("System.IO", "TextWriter");
        public static readonly KnownTypeName BinaryWriter = new KnownTypeName("System.IO", "BinaryWriter");
        public static readonly KnownTypeName BinaryReader = new KnownTypeName("System.IO", "BinaryReader");

        // LINQ, tasks, collections
        public static readonly KnownTypeName Enumerable = new KnownTypeName("System.Linq", "Enumerable");
        public static readonly KnownTypeName Task = new KnownTypeName("System.Threading.Tasks", "Task");
        public static readonly KnownTypeName TaskOfT = new KnownTypeName("System.Threading.Tasks", "Task`1");
        public static readonly KnownTypeName ValueTask = new KnownTypeName("System.Threading.Tasks", "ValueTask");
        public static readonly KnownTypeName ValueTaskOfT = new KnownTypeName("System.Threading.Tasks", "ValueTask`1");
        public static readonly KnownTypeName IEnumerableOfT = new KnownTypeName("System.Collections.Generic", "IEnumerable`1");
        public static readonly KnownTypeName IEqualityComparer = new KnownTypeName("System.Collections.Generic", "IEqualityComparer`1");
        public static readonly KnownTypeName Dictionary = new KnownTypeName("System.Collections.Generic", "Dictionary`2");
        public static readonly KnownTypeName HashSet = new KnownTypeName("System.Collections.Generic", "HashSet`1");
        public static readonly KnownTypeName ConcurrentDictionary = new KnownTypeName("System.Collections.Concurrent", "ConcurrentDictionary`2");

        // Pools
        public static readonly KnownTypeName ArrayPool = new KnownTypeName("System.Buffers", "ArrayPool`1");
        public static readonly KnownTypeName MemoryPool = new KnownTypeName("System.Buffers", "MemoryPool`1");
        public static readonly KnownTypeName IMemoryOwner = new KnownTypeName("System.Buffers", "IMemoryOwner`1");
        public static readonly KnownTypeName ObjectPool = new KnownTypeName("Microsoft.Extensions.ObjectPool", "ObjectPool`1");
        public static readonly KnownTypeName IResettable = new KnownTypeName("Microsoft.Extensions.ObjectPool", "IResettable");

        // Attributes and compiler types
        public static readonly KnownTypeName DoesNotReturnAttribute = new KnownTypeName("System.Diagnostics.CodeAnalysis", "DoesNotReturnAttribute");
        public static readonly KnownTypeName DefaultInterpolatedStringHandler = new KnownTypeName("System.Runtime.CompilerServices", "DefaultInterpolatedStringHandler");
        public static readonly KnownTypeName InlineArrayAttribute = new KnownTypeName("System.Runtime.CompilerServices", "InlineArrayAttribute");
        public static readonly KnownTypeName StructLayoutAttribute = new KnownTypeName("System.Runtime.InteropServices", "StructLayoutAttribute");
        public static readonly KnownTypeName FieldOffsetAttribute = new KnownTypeName("System.Runtime.InteropServices", "FieldOffsetAttribute");
        public static readonly KnownTypeName DllImportAttribute = new KnownTypeName("System.Runtime.InteropServices", "DllImportAttribute");
        public static readonly KnownTypeName LibraryImportAttribute = new KnownTypeName("System.Runtime.InteropServices", "LibraryImportAttribute");

        /// <summary><c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
        public static bool IsSpan(Microsoft.CodeAnalysis.ITypeSymbol? type) => Span.Matches(type) || ReadOnlySpan.Matches(type);

        /// <summary>A span or a memory: a view over an array that does not copy it.</summary>
        public static bool IsSpanOrMemory(Microsoft.CodeAnalysis.ITypeSymbol? type) => IsSpan(type) || Memory.Matches(type) || ReadOnlyMemory.Matches(type);

        /// <summary><c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
        public static bool IsTask(Microsoft.CodeAnalysis.ITypeSymbol? type) => Task.Matches(type) || TaskOfT.Matches(type) || ValueTask.Matches(type) || ValueTaskOfT.Matches(type);
    }
}
