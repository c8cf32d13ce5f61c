using System.Collections.Immutable;
using AllocAnalyzers.Cost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Boxing
{
    /// <summary>
    /// ALLOC205: a Dictionary, HashSet or ConcurrentDictionary created with a struct key that has no equality members of
    /// its own and no comparer: the default comparer boxes the key to hash it and both keys to compare them.
    /// </summary>
    internal sealed class StructKeyEqualityRule : OperationRule<BoxingScope>
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.StructKeyWithoutEquality);

        public override void AddChecks(OperationChecks<BoxingScope> checks) => checks.On(AnalyzeKeyedCollection, OperationKind.ObjectCreation);

        private static void AnalyzeKeyedCollection(OperationAnalysisContext context, BoxingScope scope)
        {
            var creation = (IObjectCreationOperation)context.Operation;
            if (creation.Type is not INamedTypeSymbol { IsGenericType: true } type || !IsKeyedCollection(type) || HasComparerArgument(creation))
            {
                return;
            }

            var key = type.TypeArguments[0];
            if (!BoxingRules.IsConcreteValueType(key) || key.SpecialType != SpecialType.None || key.TypeKind == TypeKind.Enum || HasOwnEquality(key))
            {
                return;
            }

            string cost = LookupCost(scope, key, out int? bytes);
            scope.Report(context, Descriptors.StructKeyWithoutEquality, creation, creation.Syntax.GetLocation(), "Every lookup in this " + type.Name, key, "object", cost, bytes,
                paidElsewhere: "paid wherever the collection is used");
        }

        /// <summary>
        /// What one lookup that finds the key costs (<paramref name="bytes"/>): a box to hash it, and for the comparison
        /// with the stored key ValueType.Equals boxes both. When the struct holds references, has padding, or has
        /// floating-point fields, ValueType.Equals cannot compare its bits and goes through reflection: a copy of the
        /// FieldInfo[] and a box of each value-type field on both sides (measured: CachedAndFreeSitesTests).
        /// </summary>
        private static string LookupCost(BoxingScope scope, ITypeSymbol key, out int? bytes)
        {
            string box = scope.BoxCost(key, out int? boxBytes);
            bytes = null;
            if (boxBytes == null || key is not INamedTypeSymbol named || !ReflectionBytes(scope, named, out int reflection, out string why))
            {
                return box + " per key hashed or compared";
            }

            bytes = (3 * boxBytes.Value) + reflection;
            string total = AllocationCost.Bytes(bytes.Value) + " per lookup that finds the key: one box (" + box + ") to hash it and two to compare it";
            return reflection == 0 ? total : total + ", and since '" + key.Name + "' " + why + ", ValueType.Equals compares it by reflection (a FieldInfo[] and a box of each field: " + AllocationCost.Bytes(reflection) + ")";
        }

        /// <summary>The bytes ValueType.Equals spends on reflection per comparison (0 when it compares bits), or false when the layout is unknown.</summary>
        private static bool ReflectionBytes(BoxingScope scope, INamedTypeSymbol key, out int bytes, out string why)
        {
            bytes = 0;
            why = string.Empty;
            var fields = LayoutEngine.GetInstanceFields(key);
            int packed = 0;
            int boxes = 0;
            bool floating = false;
            foreach (var field in fields)
            {
                if (!scope.Engine.TryGetFieldLayout(field.Type, out var layout))
                {
                    return false;
                }

                packed += layout.Size;
                floating |= field.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double;
                if (field.Type.IsValueType)
                {
                    boxes += 2 * AllocationCost.BoxBytes(layout.Size);
                }
            }

            if (!scope.Engine.TryGetFieldLayout(key, out var keyLayout))
            {
                return false;
            }

            why = keyLayout.HoldsReferences ? "holds references" : packed != keyLayout.Size ? "has padding" : floating ? "has floating-point fields" : string.Empty;
            if (why.Length > 0)
            {
                // The FieldInfo[] copy (an array of references) and a box of each value-type field, for this and the other key.
                bytes = AllocationCost.ArrayBytesOfReferences(fields.Length) + boxes;
            }

            return true;
        }

        private static bool IsKeyedCollection(INamedTypeSymbol type)
        {
            return KnownTypeNames.Dictionary.Matches(type) || KnownTypeNames.HashSet.Matches(type) || KnownTypeNames.ConcurrentDictionary.Matches(type);
        }

        private static bool HasComparerArgument(IObjectCreationOperation creation)
        {
            foreach (var argument in creation.Arguments)
            {
                if (KnownTypeNames.IEqualityComparer.Matches(argument.Parameter?.Type))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>IEquatable&lt;T&gt; implemented, or both Equals(object) and GetHashCode overridden.</summary>
        private static bool HasOwnEquality(ITypeSymbol key)
        {
            foreach (var implemented in key.AllInterfaces)
            {
                if (KnownTypeNames.IEquatable.Matches(implemented) && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0], key))
                {
                    return true;
                }
            }

            bool equals = false;
            bool hash = false;
            foreach (var member in key.GetMembers())
            {
                if (member is IMethodSymbol { IsOverride: true } method)
                {
                    equals |= method.Name == "Equals" && method.Parameters.Length == 1;
                    hash |= method.Name == "GetHashCode" && method.Parameters.IsEmpty;
                }
            }

            return equals && hash;
        }
    }
}
