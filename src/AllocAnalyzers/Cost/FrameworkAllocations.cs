using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// One framework method that allocates what it returns (ALLOC111): where it lives, when it returns its input (or
    /// a cached empty value) instead, the allocation-free way to get the same result, and the runtime proof: a call on
    /// a reference input and the bytes it allocates, measured (<c>FrameworkCallRuntimeProofTests</c> runs every entry).
    /// Only the overloads that return a string, an array or another class match, so the overloads that write into a
    /// caller's span are never reported.
    /// </summary>
    internal sealed class FrameworkAllocation
    {
        public FrameworkAllocation(string ns, string type, string member, string? unless, string? instead, string proof, int proofBytes, string? quiet = null, string? allocates = null)
        {
            Namespace = ns;
            TypeMetadataName = type;
            Member = member;
            Unless = unless;
            Instead = instead;
            Proof = proof;
            ProofBytes = proofBytes;
            Quiet = quiet;
            Allocates = allocates;
        }

        public string Namespace { get; }

        /// <summary>The containing type's metadata name (<c>List`1</c>).</summary>
        public string TypeMetadataName { get; }

        public string Member { get; }

        /// <summary>When the method returns its input or a cached value instead of allocating ("nothing is trimmed").</summary>
        public string? Unless { get; }

        /// <summary>The allocation-free alternative the message names ("…, or nothing with AsSpan().Trim()"), or null when there is none.</summary>
        public string? Instead { get; }

        /// <summary>A C# expression on the proof program's inputs (<c>Text</c>, <c>Csv</c>, <c>Numbers</c>, <c>List</c>, <c>Utf8</c>).</summary>
        public string Proof { get; }

        /// <summary>The bytes <see cref="Proof"/> allocates per call, measured on .NET 10 x64.</summary>
        public int ProofBytes { get; }

        /// <summary>A look-alike call that allocates nothing and draws no diagnostic, or null.</summary>
        public string? Quiet { get; }

        /// <summary>What it allocates, when more than the returned object ("a string[] and a string for each part").</summary>
        public string? Allocates { get; }
    }

    /// <summary>The list of <see cref="FrameworkAllocation"/>s, in one place, and the look-up by method.</summary>
    internal static class FrameworkAllocations
    {
        private const string WholeString = "it returns the string itself";

        public static ImmutableArray<FrameworkAllocation> All { get; } = ImmutableArray.Create(
            new FrameworkAllocation("System", "String", "Substring", WholeString + " (start 0, to the end)", "AsSpan(start, length)", "Text.Substring(2, 5)", 32, quiet: "Text.Substring(0)"),
            new FrameworkAllocation("System", "String", "Trim", "nothing is trimmed", "AsSpan().Trim()", "Text.Trim()", 48, quiet: "\"trimmed\".Trim()"),
            new FrameworkAllocation("System", "String", "TrimStart", "nothing is trimmed", "AsSpan().TrimStart()", "Text.TrimStart()", 56, quiet: "\"trimmed\".TrimStart()"),
            new FrameworkAllocation("System", "String", "TrimEnd", "nothing is trimmed", "AsSpan().TrimEnd()", "Text.TrimEnd()", 56, quiet: "\"trimmed\".TrimEnd()"),
            new FrameworkAllocation("System", "String", "Replace", "nothing is replaced", null, "Text.Replace('o', '0')", 56, quiet: "\"abc\".Replace('x', 'y')"),
            new FrameworkAllocation("System", "String", "ToUpperInvariant", "it is already upper case", "string.Equals(a, b, StringComparison.OrdinalIgnoreCase) to compare, or MemoryExtensions.ToUpperInvariant into a span", "Text.ToUpperInvariant()", 56, quiet: "\"ABC\".ToUpperInvariant()"),
            new FrameworkAllocation("System", "String", "ToLowerInvariant", "it is already lower case", "string.Equals(a, b, StringComparison.OrdinalIgnoreCase) to compare, or MemoryExtensions.ToLowerInvariant into a span", "Text.ToLowerInvariant()", 56, quiet: "\"abc\".ToLowerInvariant()"),
            new FrameworkAllocation("System", "String", "ToUpper", "it is already upper case", "string.Equals(a, b, StringComparison.OrdinalIgnoreCase) to compare, or MemoryExtensions.ToUpper into a span", "Text.ToUpper(System.Globalization.CultureInfo.InvariantCulture)", 56),
            new FrameworkAllocation("System", "String", "ToLower", "it is already lower case", "string.Equals(a, b, StringComparison.OrdinalIgnoreCase) to compare, or MemoryExtensions.ToLower into a span", "Text.ToLower(System.Globalization.CultureInfo.InvariantCulture)", 56),
            new FrameworkAllocation("System", "String", "PadLeft", "the string is already that long", null, "Csv.PadLeft(8)", 40, quiet: "\"abc\".PadLeft(2)"),
            new FrameworkAllocation("System", "String", "PadRight", "the string is already that long", null, "Csv.PadRight(8)", 40, quiet: "\"abc\".PadRight(2)"),
            new FrameworkAllocation("System", "String", "Remove", "nothing is removed", "AsSpan(0, start)", "Text.Remove(4)", 32, quiet: "Text.Remove(1, 0)"),
            new FrameworkAllocation("System", "String", "Insert", null, null, "Csv.Insert(1, \"-\")", 40),
            new FrameworkAllocation("System", "String", "Normalize", "it is already normalized", null, "Decomposed.Normalize()", 120, allocates: "a new string and, for text beyond ASCII, the buffers the normalizer works in"),
            new FrameworkAllocation("System", "String", "Split", null, "MemoryExtensions.Split over AsSpan() (.NET 8+), or IndexOf and slicing", "Csv.Split(',')", 120, allocates: "a string[] and a new string for each part"),
            new FrameworkAllocation("System", "String", "ToCharArray", null, "AsSpan()", "Csv.ToCharArray()", 40),
            new FrameworkAllocation("System", "Span`1", "ToArray", "the span is empty", "CopyTo into a reused or rented array", "Numbers.AsSpan(0, 4).ToArray()", 40),
            new FrameworkAllocation("System", "ReadOnlySpan`1", "ToArray", "the span is empty", "CopyTo into a reused or rented array", "((ReadOnlySpan<int>)Numbers.AsSpan(0, 4)).ToArray()", 40),
            new FrameworkAllocation("System", "Span`1", "ToString", "the span is empty", "the span itself", "Chars.AsSpan(0, 3).ToString()", 32),
            new FrameworkAllocation("System", "ReadOnlySpan`1", "ToString", "the span is empty", "the span itself", "Text.AsSpan(2, 5).ToString()", 32),
            new FrameworkAllocation("System", "Memory`1", "ToArray", "the memory is empty", "CopyTo into a reused or rented array", "Numbers.AsMemory(0, 4).ToArray()", 40),
            new FrameworkAllocation("System", "ReadOnlyMemory`1", "ToArray", "the memory is empty", "CopyTo into a reused or rented array", "((ReadOnlyMemory<int>)Numbers.AsMemory(0, 4)).ToArray()", 40),
            new FrameworkAllocation("System.Collections.Generic", "List`1", "ToArray", "the list is empty", "CollectionsMarshal.AsSpan(list), or CopyTo into a reused or rented array", "List.ToArray()", 40),
            new FrameworkAllocation("System.Collections.Generic", "Queue`1", "ToArray", "the queue is empty", "CopyTo into a reused or rented array", "Queue.ToArray()", 40),
            new FrameworkAllocation("System.Collections.Generic", "Stack`1", "ToArray", "the stack is empty", "CopyTo into a reused or rented array", "Stack.ToArray()", 40),
            new FrameworkAllocation("System.Text", "Encoding", "GetString", "the bytes are empty", "GetChars into a reused char buffer", "System.Text.Encoding.UTF8.GetString(Utf8)", 32),
            new FrameworkAllocation("System.Text", "Encoding", "GetBytes", null, "GetBytes(chars, bytes) into a reused or rented buffer", "System.Text.Encoding.UTF8.GetBytes(Csv)", 32),
            new FrameworkAllocation("System", "Convert", "ToBase64String", null, "Convert.TryToBase64Chars into a span", "Convert.ToBase64String(Utf8)", 40),
            new FrameworkAllocation("System", "Convert", "FromBase64String", null, "Convert.TryFromBase64String into a span", "Convert.FromBase64String(\"SGVsbG8=\")", 32),
            new FrameworkAllocation("System", "Convert", "ToHexString", null, "Convert.TryToHexString into a span (.NET 9+)", "Convert.ToHexString(Utf8)", 48),
            new FrameworkAllocation("System", "BitConverter", "GetBytes", null, "BitConverter.TryWriteBytes, or BinaryPrimitives, into a span", "BitConverter.GetBytes(12345)", 32),
            new FrameworkAllocation("System", "Guid", "ToByteArray", null, "TryWriteBytes into a span", "Id.ToByteArray()", 40),
            new FrameworkAllocation("System", "Tuple", "Create", null, "a value tuple (a, b)", "Tuple.Create(1, 2)", 24, allocates: "a new Tuple object"));

        private static readonly Dictionary<string, ImmutableArray<FrameworkAllocation>> ByMember = Index();

        /// <summary>The entry for a call to <paramref name="method"/>, or null (a dictionary hit on the name first: most calls stop there).</summary>
        public static FrameworkAllocation? Find(IMethodSymbol method)
        {
            if (!ByMember.TryGetValue(method.Name, out var entries) || method.ContainingType is not { } type || !ReturnsAnAllocation(method))
            {
                return null;
            }

            foreach (var entry in entries)
            {
                if (type.IsNamedType(entry.Namespace, entry.TypeMetadataName))
                {
                    return entry;
                }
            }

            return null;
        }

        /// <summary>A string, an array or another class: the overloads that hand back what they allocate.</summary>
        private static bool ReturnsAnAllocation(IMethodSymbol method)
            => !method.ReturnsByRef && !method.ReturnsByRefReadonly
               && method.ReturnType is { IsReferenceType: true } returned && returned.TypeKind != TypeKind.Interface;

        private static Dictionary<string, ImmutableArray<FrameworkAllocation>> Index()
        {
            var index = new Dictionary<string, ImmutableArray<FrameworkAllocation>>();
            foreach (var entry in All)
            {
                index[entry.Member] = index.TryGetValue(entry.Member, out var entries) ? entries.Add(entry) : ImmutableArray.Create(entry);
            }

            return index;
        }
    }
}
