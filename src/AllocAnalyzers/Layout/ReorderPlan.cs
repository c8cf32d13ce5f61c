using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// A struct's current layout and the smallest layout a reorder of its declarations reaches, shared by the
    /// analyzer (ALLOC301, ALLOC303) and the code fix so both always agree. Sequential structs: fields sorted by
    /// descending alignment. Auto-layout structs: the best ordering of the value-type fields (the runtime orders the
    /// rest itself). <c>null</c> when the layout is unknown, explicit or an inline array.
    /// </summary>
    internal sealed class ReorderPlan
    {
        private ReorderPlan(DeclaredLayout declared, StructLayoutResult current, StructLayoutResult optimal, ImmutableArray<IFieldSymbol> fields, ImmutableArray<int> order)
        {
            Declared = declared;
            Current = current;
            Optimal = optimal;
            Fields = fields;
            Order = order;
        }

        public DeclaredLayout Declared { get; }

        public StructLayoutResult Current { get; }

        public StructLayoutResult Optimal { get; }

        /// <summary>The instance fields in declaration order.</summary>
        public ImmutableArray<IFieldSymbol> Fields { get; }

        /// <summary>Indices into <see cref="Fields"/> in the proposed order.</summary>
        public ImmutableArray<int> Order { get; }

        public int Saving => Current.Size - Optimal.Size;

        public static ReorderPlan? Create(LayoutEngine engine, INamedTypeSymbol type)
        {
            var current = engine.GetStructLayout(type);
            if (current == null || (current.Algorithm != LayoutAlgorithm.Sequential && current.Algorithm != LayoutAlgorithm.Auto)
                || !engine.TryGetDeclaredLayout(type, out var declared))
            {
                return null;
            }

            var fields = LayoutEngine.GetInstanceFields(type);
            var layouts = engine.GetFieldLayouts(fields);
            if (layouts.IsDefault)
            {
                return null;
            }

            var order = current.Algorithm == LayoutAlgorithm.Sequential
                ? FieldOrder.ByDescendingAlignment(layouts, declared.PackCap)
                : FieldOrder.BestValueTypeOrder(layouts);
            if (order.IsDefault)
            {
                return null;
            }

            var optimal = engine.PlaceInOrder(type, FieldOrder.Apply(fields, order));
            return optimal == null || optimal.Algorithm != current.Algorithm
                ? null
                : new ReorderPlan(declared, current, optimal, fields, order);
        }
    }
}
