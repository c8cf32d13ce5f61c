using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// A sequential struct's current layout and the layout of its fields sorted by descending alignment; shared by
    /// ALLOC301 and its code fix so both always agree. <c>null</c> when the struct is not sequential or unknown.
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
            if (current == null || current.Algorithm != LayoutAlgorithm.Sequential || !engine.TryGetDeclaredLayout(type, out var declared))
            {
                return null;
            }

            var fields = LayoutEngine.GetInstanceFields(type);
            var layouts = engine.GetFieldLayouts(fields);
            if (layouts.IsDefault)
            {
                return null;
            }

            var order = FieldOrder.ByDescendingAlignment(layouts, declared.PackCap);
            var optimal = engine.PlaceInOrder(type, FieldOrder.Apply(fields, order));
            return optimal == null || optimal.Algorithm != LayoutAlgorithm.Sequential
                ? null
                : new ReorderPlan(declared, current, optimal, fields, order);
        }
    }
}
