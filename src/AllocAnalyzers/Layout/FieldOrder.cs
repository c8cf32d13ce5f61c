using System;
using System.Collections.Immutable;

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
