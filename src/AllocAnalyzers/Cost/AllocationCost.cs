using System.Globalization;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// What one heap allocation costs on x64 (.NET 10), in the words the messages use. Objects: 8-byte header,
    /// 8-byte method table pointer, the fields (from the layout engine), rounded up to 8, at least 24 bytes. Arrays:
    /// 24 bytes of header, method table and length, then the elements, rounded up to 8. Strings: 22 bytes plus 2 per
    /// character, rounded up to 8. Delegates: 64 bytes. Boxes: 16 bytes plus the value, rounded up to 8.
    /// </summary>
    internal static class AllocationCost
    {
        public const int DelegateBytes = 64;

        /// <summary>"72 bytes" for a class whose layout is known; otherwise null.</summary>
        public static int? ObjectBytes(LayoutEngine engine, ITypeSymbol? type)
        {
            if (type is INamedTypeSymbol named)
            {
                if (named.TypeKind == TypeKind.Class && engine.TryGetClassInstanceSize(named, out int size))
                {
                    return size;
                }

                if (named.TypeKind == TypeKind.Delegate)
                {
                    return DelegateBytes;
                }
            }

            return null;
        }

        /// <summary>Bytes of an array of <paramref name="length"/> elements; null when the element size is unknown.</summary>
        public static int? ArrayBytes(LayoutEngine engine, ITypeSymbol elementType, int length)
            => TryGetElementSize(engine, elementType, out int element) ? Round(24 + (length * element)) : (int?)null;

        /// <summary>"24 + 4 × n bytes" for an array whose length is not constant.</summary>
        public static string ArrayFormula(LayoutEngine engine, ITypeSymbol elementType)
            => TryGetElementSize(engine, elementType, out int element)
                ? "24 + " + element.ToString(CultureInfo.InvariantCulture) + " × length bytes (rounded up to 8)"
                : "an array";

        public static int BoxBytes(int valueSize) => Round(16 + valueSize);

        /// <summary>Bytes of an array of <paramref name="length"/> references.</summary>
        public static int ArrayBytesOfReferences(int length) => Round(24 + (8 * length));

        public static string Bytes(int bytes) => bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

        public const string StringFormula = "a new string (22 + 2 × length bytes, rounded up to 8)";

        private static bool TryGetElementSize(LayoutEngine engine, ITypeSymbol elementType, out int size)
        {
            size = 0;
            if (elementType.IsReferenceType)
            {
                size = 8;
                return true;
            }

            if (engine.TryGetFieldLayout(elementType, out var layout))
            {
                size = layout.Size;
                return true;
            }

            return false;
        }

        private static int Round(int bytes) => System.Math.Max(24, LayoutRules.AlignUp(bytes, 8));
    }
}
