using System;
using System.Collections.Immutable;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// CoreCLR x64 field placement, as pure functions of the fields' layouts (CLR-LAYOUT.md §1–§4). The symbol side
    /// lives in <see cref="LayoutEngine"/>; these rules are what the tests check against the running runtime.
    /// </summary>
    internal static class LayoutRules
    {
        private const int PointerSize = 8;

        /// <summary>Chooses the algorithm (§1) and places <paramref name="fields"/> (declaration order).</summary>
        /// <param name="explicitOffsets">The <c>[FieldOffset]</c> of each field; used only for explicit layout.</param>
        public static StructLayoutResult Place(DeclaredLayout declared, ImmutableArray<TypeLayout> fields, ImmutableArray<int> explicitOffsets)
        {
            if (declared.InlineArrayLength > 0 && fields.Length == 1)
            {
                return InlineArray(declared.InlineArrayLength, fields[0]);
            }

            if (declared.Kind == DeclaredLayoutKind.Explicit)
            {
                return Explicit(declared, fields, explicitOffsets);
            }

            return declared.Kind == DeclaredLayoutKind.Auto || AnyHoldsReferences(fields)
                ? Auto(fields)
                : Sequential(declared, fields);
        }

        /// <summary>§2: declaration order, each field aligned to min(alignment, Pack).</summary>
        public static StructLayoutResult Sequential(DeclaredLayout declared, ImmutableArray<TypeLayout> fields)
        {
            int cap = declared.PackCap;
            int position = 0;
            int alignment = 1;
            var offsets = ImmutableArray.CreateBuilder<int>(fields.Length);
            foreach (var field in fields)
            {
                int fieldAlignment = Math.Min(field.Alignment, cap);
                int offset = AlignUp(position, fieldAlignment);
                offsets.Add(offset);
                position = offset + field.Size;
                alignment = Math.Max(alignment, fieldAlignment);
            }

            int size = declared.Size > 0
                ? Math.Max(declared.Size, position)
                : Math.Max(1, AlignUp(position, alignment));
            return new StructLayoutResult(LayoutAlgorithm.Sequential, size, alignment, holdsReferences: false, offsets.MoveToImmutable());
        }

        /// <summary>§3: references, then primitives in size buckets 8→4→2→1, then other value types; Pack and Size ignored.</summary>
        public static StructLayoutResult Auto(ImmutableArray<TypeLayout> fields)
        {
            var offsets = new int[fields.Length];
            int position = 0;
            for (int i = 0; i < fields.Length; i++)
            {
                if (fields[i].Bucket == LayoutBucket.Reference)
                {
                    offsets[i] = position;
                    position += PointerSize;
                }
            }

            for (int bucket = 8; bucket >= 1; bucket /= 2)
            {
                for (int i = 0; i < fields.Length; i++)
                {
                    if (fields[i].Bucket == LayoutBucket.Primitive && fields[i].Size == bucket)
                    {
                        offsets[i] = position;
                        position += bucket;
                    }
                }
            }

            int roundingUnit = 1;
            for (int i = 0; i < fields.Length; i++)
            {
                if (fields[i].Bucket == LayoutBucket.ValueType)
                {
                    offsets[i] = AlignUp(position, fields[i].Alignment);
                    position = offsets[i] + fields[i].Size;
                    roundingUnit = Math.Max(roundingUnit, fields[i].Alignment);
                }
                else
                {
                    roundingUnit = Math.Max(roundingUnit, PointerSize);
                }
            }

            bool holdsReferences = AnyHoldsReferences(fields);
            int size;
            int alignment;
            if (holdsReferences)
            {
                size = AlignUp(position, PointerSize);
                alignment = PointerSize;
            }
            else if (position <= PointerSize)
            {
                size = NextPowerOfTwo(position);
                alignment = size;
            }
            else
            {
                size = AlignUp(position, roundingUnit);
                alignment = roundingUnit;
            }

            return new StructLayoutResult(LayoutAlgorithm.Auto, size, alignment, holdsReferences, ImmutableArray.Create(offsets));
        }

        /// <summary>
        /// The end of a class's own fields placed after its base class's fields (which end at <paramref name="start"/>):
        /// references, then primitives from 8 bytes down, then other value types, each at its own alignment.
        /// </summary>
        public static int AutoFrom(int start, ImmutableArray<TypeLayout> fields)
        {
            int position = start;
            foreach (var field in fields)
            {
                if (field.Bucket == LayoutBucket.Reference)
                {
                    position = AlignUp(position, PointerSize) + PointerSize;
                }
            }

            for (int bucket = 8; bucket >= 1; bucket /= 2)
            {
                foreach (var field in fields)
                {
                    if (field.Bucket == LayoutBucket.Primitive && field.Size == bucket)
                    {
                        position = AlignUp(position, bucket) + bucket;
                    }
                }
            }

            foreach (var field in fields)
            {
                if (field.Bucket == LayoutBucket.ValueType)
                {
                    position = AlignUp(position, field.Alignment) + field.Size;
                }
            }

            return position;
        }

        /// <summary>§4: offsets as written; size rounded to the largest (Pack-capped) alignment unless Size is given.</summary>
        public static StructLayoutResult Explicit(DeclaredLayout declared, ImmutableArray<TypeLayout> fields, ImmutableArray<int> offsets)
        {
            int cap = declared.PackCap;
            int end = 0;
            int alignment = 1;
            for (int i = 0; i < fields.Length; i++)
            {
                end = Math.Max(end, offsets[i] + fields[i].Size);
                alignment = Math.Max(alignment, Math.Min(fields[i].Alignment, cap));
            }

            bool holdsReferences = AnyHoldsReferences(fields);
            int size = declared.Size > 0 ? Math.Max(declared.Size, end) : AlignUp(end, alignment);
            if (holdsReferences)
            {
                size = AlignUp(size, PointerSize);
                alignment = Math.Max(alignment, PointerSize);
            }

            return new StructLayoutResult(LayoutAlgorithm.Explicit, Math.Max(1, size), alignment, holdsReferences, offsets);
        }

        /// <summary>§1.1: N × element, aligned as the element, no rounding.</summary>
        public static StructLayoutResult InlineArray(int length, TypeLayout element)
            => new StructLayoutResult(LayoutAlgorithm.InlineArray, length * element.Size, element.Alignment, element.HoldsReferences, ImmutableArray.Create(0));

        public static int AlignUp(int value, int alignment) => alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;

        private static int NextPowerOfTwo(int value)
        {
            int result = 1;
            while (result < value)
            {
                result <<= 1;
            }

            return result;
        }

        private static bool AnyHoldsReferences(ImmutableArray<TypeLayout> fields)
        {
            foreach (var field in fields)
            {
                if (field.HoldsReferences)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
