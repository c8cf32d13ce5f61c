using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// Layouts of BCL value types whose fields a reference assembly hides (CLR-LAYOUT §5, measured on .NET 10 x64).
    /// Generic composites (Nullable, KeyValuePair, ValueTuple) are placed from their type arguments by the engine.
    /// </summary>
    internal static class WellKnownLayouts
    {
        /// <summary>How the engine builds a well-known type's layout.</summary>
        internal enum Shape
        {
            Fixed,
            Nullable,
            KeyValuePair,
            ValueTuple,
        }

        internal readonly struct Entry
        {
            public Entry(string ns, Shape shape, TypeLayout layout)
            {
                Namespace = ns;
                Shape = shape;
                Layout = layout;
            }

            public string Namespace { get; }

            public Shape Shape { get; }

            /// <summary>The layout of a <see cref="Shape.Fixed"/> entry.</summary>
            public TypeLayout Layout { get; }
        }

        private static readonly Dictionary<string, Entry[]> ByMetadataName = Build();

        /// <summary>Finds the entry for a metadata type by its metadata name and namespace.</summary>
        public static bool TryFind(INamedTypeSymbol type, out Entry entry)
        {
            if (ByMetadataName.TryGetValue(type.MetadataName, out var candidates))
            {
                foreach (var candidate in candidates)
                {
                    if (IsInNamespace(type, candidate.Namespace))
                    {
                        entry = candidate;
                        return true;
                    }
                }
            }

            entry = default;
            return false;
        }

        private static bool IsInNamespace(INamedTypeSymbol type, string dottedNamespace)
        {
            if (type.ContainingType != null)
            {
                return false;
            }

            var ns = type.ContainingNamespace;
            int end = dottedNamespace.Length;
            while (ns != null && !ns.IsGlobalNamespace)
            {
                int start = dottedNamespace.LastIndexOf('.', end - 1) + 1;
                if (end - start != ns.Name.Length || string.CompareOrdinal(dottedNamespace, start, ns.Name, 0, ns.Name.Length) != 0)
                {
                    return false;
                }

                end = start - 1;
                ns = ns.ContainingNamespace;
            }

            return end == -1;
        }

        private static Dictionary<string, Entry[]> Build()
        {
            var table = new Dictionary<string, List<Entry>>();
            void Fixed(string ns, string name, int size, int alignment, bool holdsReferences = false)
                => Add(table, name, new Entry(ns, Shape.Fixed, TypeLayout.ValueType(size, alignment, holdsReferences)));

            Fixed("System", "Decimal", 16, 8);
            Fixed("System", "DateTime", 8, 8);
            Fixed("System", "TimeSpan", 8, 8);
            Fixed("System", "TimeOnly", 8, 8);
            Fixed("System", "DateOnly", 4, 4);
            Fixed("System", "DateTimeOffset", 16, 8);
            Fixed("System", "Guid", 16, 4);
            Fixed("System", "Half", 2, 2);
            Fixed("System", "Int128", 16, 16);
            Fixed("System", "UInt128", 16, 16);
            Fixed("System", "Index", 4, 4);
            Fixed("System", "Range", 8, 4);
            Fixed("System.Numerics", "Complex", 16, 8);
            Fixed("System.Numerics", "Vector2", 8, 4);
            Fixed("System.Numerics", "Vector3", 12, 4);
            Fixed("System.Numerics", "Vector4", 16, 4);
            Fixed("System.Numerics", "Quaternion", 16, 4);
            Fixed("System.Numerics", "Plane", 16, 4);
            Fixed("System.Numerics", "Matrix3x2", 24, 4);
            Fixed("System.Numerics", "Matrix4x4", 64, 4);
            Fixed("System.Numerics", "BigInteger", 16, 8, holdsReferences: true);
            Fixed("System.Runtime.Intrinsics", "Vector64`1", 8, 8);
            Fixed("System.Runtime.Intrinsics", "Vector128`1", 16, 16);
            Fixed("System.Runtime.Intrinsics", "Vector256`1", 32, 32);
            Fixed("System.Runtime.Intrinsics", "Vector512`1", 64, 64);
            Fixed("System.Threading", "CancellationToken", 8, 8, holdsReferences: true);
            Fixed("System", "Memory`1", 16, 8, holdsReferences: true);
            Fixed("System", "ReadOnlyMemory`1", 16, 8, holdsReferences: true);
            Fixed("System", "ArraySegment`1", 16, 8, holdsReferences: true);
            Fixed("System.Collections.Immutable", "ImmutableArray`1", 8, 8, holdsReferences: true);

            // A byref is not a GC reference for the choice of algorithm (CLR-LAYOUT §1.4).
            Fixed("System", "Span`1", 16, 8);
            Fixed("System", "ReadOnlySpan`1", 16, 8);

            Add(table, "Nullable`1", new Entry("System", Shape.Nullable, default));
            Add(table, "KeyValuePair`2", new Entry("System.Collections.Generic", Shape.KeyValuePair, default));
            for (int arity = 1; arity <= 8; arity++)
            {
                Add(table, "ValueTuple`" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture), new Entry("System", Shape.ValueTuple, default));
            }

            var result = new Dictionary<string, Entry[]>(table.Count);
            foreach (var pair in table)
            {
                result.Add(pair.Key, pair.Value.ToArray());
            }

            return result;
        }

        private static void Add(Dictionary<string, List<Entry>> table, string name, Entry entry)
        {
            if (!table.TryGetValue(name, out var list))
            {
                table[name] = list = new List<Entry>(1);
            }

            list.Add(entry);
        }
    }
}
