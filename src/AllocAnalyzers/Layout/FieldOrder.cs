using System;
using System.Collections.Immutable;
using AllocAnalyzers.Cost;

namespace AllocAnalyzers.Layout
{
    /// <summary>The field order the padding fix proposes: stable sort by descending (Pack-capped) alignment.</summary>
    internal static class FieldOrder
    {
        /// <summary>
        /// Indices of <paramref name="fields"/> in the proposed order. Stable, so fields of equal alignment keep their
        /// relative order (and the variables of one <c>int a, b;</c> declaration stay together).
        /// </summary>
        public static ImmutableArray<int> ByDescendingAlignment(ImmutableArray<TypeLayout> fields, int packCap)
        {
            var order = new int[fields.Length];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            // Insertion sort: stable, allocation-free, and structs have few fields.
            for (int i = 1; i < order.Length; i++)
            {
                int current = order[i];
                int key = Math.Min(fields[current].Alignment, packCap);
                int j = i - 1;
                while (j >= 0 && Math.Min(fields[order[j]].Alignment, packCap) < key)
                {
                    order[j + 1] = order[j];
                    j--;
                }

                order[j + 1] = current;
            }

            return ImmutableArray.Create(order);
        }

        /// <summary>The most value-type fields whose orderings <see cref="BestValueTypeOrder"/> tries (7! = 5040).</summary>
        public const int MaxPermutedValueTypeFields = 7;

        /// <summary>
        /// For an auto-layout struct, where only the order of the value-type fields (placed last, in declaration order)
        /// matters: the ordering of those fields that gives the smallest size, every other field staying in place.
        /// The declared order wins ties. Default when there are too many value-type fields to try every ordering.
        /// </summary>
        public static ImmutableArray<int> BestValueTypeOrder(ImmutableArray<TypeLayout> fields)
        {
            var slots = new System.Collections.Generic.List<int>();
            for (int i = 0; i < fields.Length; i++)
            {
                if (fields[i].Bucket == LayoutBucket.ValueType)
                {
                    slots.Add(i);
                }
            }

            if (slots.Count > MaxPermutedValueTypeFields)
            {
                return default;
            }

            var order = new int[fields.Length];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            var best = (int[])order.Clone();
            int bestSize = LayoutRules.Auto(fields).Size;
            var permutation = slots.ToArray();
            var counters = new int[permutation.Length];
            int k = 1;
            while (k < permutation.Length)
            {
                // Heap's algorithm: each step swaps two slots, visiting every ordering once.
                if (counters[k] < k)
                {
                    int swapWith = k % 2 == 0 ? 0 : counters[k];
                    (permutation[swapWith], permutation[k]) = (permutation[k], permutation[swapWith]);
                    for (int s = 0; s < slots.Count; s++)
                    {
                        order[slots[s]] = permutation[s];
                    }

                    int size = LayoutRules.Auto(Apply(fields, ImmutableArray.Create(order))).Size;
                    if (size < bestSize)
                    {
                        bestSize = size;
                        best = (int[])order.Clone();
                    }

                    counters[k]++;
                    k = 1;
                }
                else
                {
                    counters[k] = 0;
                    k++;
                }
            }

            return ImmutableArray.Create(best);
        }

        /// <summary>Applies <paramref name="order"/> to <paramref name="items"/>.</summary>
        public static ImmutableArray<T> Apply<T>(ImmutableArray<T> items, ImmutableArray<int> order)
        {
            var builder = ImmutableArray.CreateBuilder<T>(order.Length);
            foreach (int index in order)
            {
                builder.Add(items[index]);
            }

            return builder.MoveToImmutable();
        }
    }
}
