using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// Computes, from symbols alone, the layout CoreCLR x64 gives a value type. One engine per compilation, shared
    /// by every analyzer and thread; results are cached. Where the layout cannot be known (open type parameters,
    /// structs from references whose fields are hidden, captured primary-constructor parameters, invalid code)
    /// the answer is "unknown" (<c>null</c> / <c>false</c>), never a guess.
    /// </summary>
    internal sealed class LayoutEngine
    {
        private const int MaxNesting = 64;

        private static readonly ConditionalWeakTable<Compilation, LayoutEngine> Engines = new ConditionalWeakTable<Compilation, LayoutEngine>();

        private readonly KnownTypes _knownTypes;
        private readonly ConcurrentDictionary<ITypeSymbol, StructLayoutResult?> _structs =
            new ConcurrentDictionary<ITypeSymbol, StructLayoutResult?>(SymbolEqualityComparer.Default);

        private LayoutEngine(KnownTypes knownTypes)
        {
            _knownTypes = knownTypes;
        }

        public static LayoutEngine For(Compilation compilation)
            => Engines.GetValue(compilation, c => new LayoutEngine(KnownTypes.For(c)));

        /// <summary>The layout of a struct declared in source (or a closed generic of one); <c>null</c> when unknown.</summary>
        public StructLayoutResult? GetStructLayout(INamedTypeSymbol type) => GetStructLayout(type, 0);

        /// <summary>The size and alignment <paramref name="type"/> takes as a field; false when unknown.</summary>
        public bool TryGetFieldLayout(ITypeSymbol type, out TypeLayout layout) => TryGetTypeLayout(type, 0, out layout);

        /// <summary>
        /// Bytes one instance of a class takes on the x64 heap: an 8-byte header and 8-byte method table pointer, then
        /// the base class's fields, then the class's own fields placed as in auto layout (references, primitives from
        /// 8 bytes down, other value types) each at its alignment, rounded up to 8, at least 24. False when any field
        /// (or base class field) cannot be seen: classes from reference assemblies other than <see cref="object"/>.
        /// </summary>
        public bool TryGetClassInstanceSize(INamedTypeSymbol type, out int size)
        {
            size = 0;
            if (!TryGetClassFieldEnd(type, 0, out int end))
            {
                return false;
            }

            size = System.Math.Max(24, LayoutRules.AlignUp(16 + end, 8));
            return true;
        }

        private bool TryGetClassFieldEnd(INamedTypeSymbol type, int depth, out int end)
        {
            end = 0;
            if (type.SpecialType == SpecialType.System_Object)
            {
                return true;
            }

            if (type.IsAnonymousType)
            {
                // One field per property, typed as the property (the generic type's instantiation).
                var propertyLayouts = ImmutableArray.CreateBuilder<TypeLayout>();
                foreach (var member in type.GetMembers())
                {
                    if (member is IPropertySymbol property)
                    {
                        if (!TryGetTypeLayout(property.Type, depth + 1, out var propertyLayout))
                        {
                            return false;
                        }

                        propertyLayouts.Add(propertyLayout);
                    }
                }

                end = LayoutRules.AutoFrom(0, propertyLayouts.ToImmutable());
                return true;
            }

            if (depth > MaxNesting || type.TypeKind != TypeKind.Class || !IsDeclaredInSource(type) || HasHiddenFields(type)
                || type.BaseType == null || !TryGetClassFieldEnd(type.BaseType, depth + 1, out end))
            {
                return false;
            }

            var fields = GetInstanceFields(type);
            if (!TryGetFieldLayouts(fields, depth + 1, out var layouts))
            {
                return false;
            }

            end = LayoutRules.AutoFrom(end, layouts);
            return true;
        }

        /// <summary>The instance fields that take space in <paramref name="type"/>, in declaration (metadata) order.</summary>
        public static ImmutableArray<IFieldSymbol> GetInstanceFields(INamedTypeSymbol type)
        {
            var builder = ImmutableArray.CreateBuilder<IFieldSymbol>();
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
                {
                    builder.Add(field);
                }
            }

            return builder.ToImmutable();
        }

        /// <summary>What <paramref name="type"/> declares with <c>[StructLayout]</c> and <c>[InlineArray]</c>; false when invalid.</summary>
        public bool TryGetDeclaredLayout(INamedTypeSymbol type, out DeclaredLayout declared)
        {
            declared = DeclaredLayout.Default;
            var kind = DeclaredLayoutKind.Sequential;
            bool kindWritten = false;
            int pack = 0;
            int size = 0;
            int inlineLength = 0;
            foreach (var attribute in type.OriginalDefinition.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass == null)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(attributeClass, _knownTypes.StructLayoutAttribute))
                {
                    if (attribute.ConstructorArguments.Length != 1 || !TryGetInt(attribute.ConstructorArguments[0].Value, out int rawKind)
                        || (rawKind != 0 && rawKind != 2 && rawKind != 3))
                    {
                        return false;
                    }

                    kind = (DeclaredLayoutKind)rawKind;
                    kindWritten = true;
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Pack" && TryGetInt(named.Value.Value, out int packValue))
                        {
                            pack = packValue;
                        }
                        else if (named.Key == "Size" && TryGetInt(named.Value.Value, out int sizeValue))
                        {
                            size = sizeValue;
                        }
                    }
                }
                else if (SymbolEqualityComparer.Default.Equals(attributeClass, _knownTypes.InlineArrayAttribute))
                {
                    if (attribute.ConstructorArguments.Length != 1 || !TryGetInt(attribute.ConstructorArguments[0].Value, out inlineLength) || inlineLength <= 0)
                    {
                        return false;
                    }
                }
            }

            if (pack < 0 || size < 0)
            {
                return false;
            }

            declared = new DeclaredLayout(kind, kindWritten, pack, size, inlineLength);
            return true;
        }

        /// <summary>The field layout of each of <paramref name="fields"/>; default when any is unknown.</summary>
        public ImmutableArray<TypeLayout> GetFieldLayouts(ImmutableArray<IFieldSymbol> fields)
            => TryGetFieldLayouts(fields, 0, out var layouts) ? layouts : default;

        /// <summary>Places <paramref name="fields"/> of <paramref name="type"/> in a given order (for a proposed reorder).</summary>
        public StructLayoutResult? PlaceInOrder(INamedTypeSymbol type, ImmutableArray<IFieldSymbol> fields)
        {
            if (!TryGetDeclaredLayout(type, out var declared) || !TryGetFieldLayouts(fields, 0, out var layouts)
                || !TryGetExplicitOffsets(declared, fields, out var offsets))
            {
                return null;
            }

            return LayoutRules.Place(declared, layouts, offsets);
        }

        private StructLayoutResult? GetStructLayout(INamedTypeSymbol type, int depth)
        {
            if (_structs.TryGetValue(type, out var cached))
            {
                return cached;
            }

            var result = depth > MaxNesting ? null : ComputeStructLayout(type, depth);
            return depth > MaxNesting ? null : _structs.GetOrAdd(type, result);
        }

        private StructLayoutResult? ComputeStructLayout(INamedTypeSymbol type, int depth)
        {
            if (type.TypeKind != TypeKind.Struct || !IsDeclaredInSource(type) || HasHiddenFields(type))
            {
                return null;
            }

            var fields = GetInstanceFields(type);
            if (!TryGetDeclaredLayout(type, out var declared) || !TryGetFieldLayouts(fields, depth + 1, out var layouts)
                || !TryGetExplicitOffsets(declared, fields, out var offsets))
            {
                return null;
            }

            if (declared.InlineArrayLength > 0 && fields.Length != 1)
            {
                return null;
            }

            return LayoutRules.Place(declared, layouts, offsets);
        }

        private bool TryGetFieldLayouts(ImmutableArray<IFieldSymbol> fields, int depth, out ImmutableArray<TypeLayout> layouts)
        {
            var builder = ImmutableArray.CreateBuilder<TypeLayout>(fields.Length);
            foreach (var field in fields)
            {
                if (!TryGetFieldLayout(field, depth, out var layout))
                {
                    layouts = default;
                    return false;
                }

                builder.Add(layout);
            }

            layouts = builder.MoveToImmutable();
            return true;
        }

        private bool TryGetFieldLayout(IFieldSymbol field, int depth, out TypeLayout layout)
        {
            layout = default;
            if (field.RefKind != RefKind.None)
            {
                return false;
            }

            if (field.IsFixedSizeBuffer)
            {
                if (field.Type is IPointerTypeSymbol pointer && field.FixedSize > 0
                    && TryGetTypeLayout(pointer.PointedAtType, depth, out var element))
                {
                    layout = TypeLayout.ValueType(element.Size * field.FixedSize, element.Alignment);
                    return true;
                }

                return false;
            }

            return TryGetTypeLayout(field.Type, depth, out layout);
        }

        private bool TryGetExplicitOffsets(DeclaredLayout declared, ImmutableArray<IFieldSymbol> fields, out ImmutableArray<int> offsets)
        {
            offsets = default;
            if (declared.Kind != DeclaredLayoutKind.Explicit || declared.InlineArrayLength > 0)
            {
                return true;
            }

            var builder = ImmutableArray.CreateBuilder<int>(fields.Length);
            foreach (var field in fields)
            {
                int? offset = null;
                foreach (var attribute in field.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _knownTypes.FieldOffsetAttribute)
                        && attribute.ConstructorArguments.Length == 1 && TryGetInt(attribute.ConstructorArguments[0].Value, out int value) && value >= 0)
                    {
                        offset = value;
                    }
                }

                if (offset == null)
                {
                    return false;
                }

                builder.Add(offset.Value);
            }

            offsets = builder.MoveToImmutable();
            return true;
        }

        private bool TryGetTypeLayout(ITypeSymbol type, int depth, out TypeLayout layout)
        {
            layout = default;
            switch (type.TypeKind)
            {
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    layout = TypeLayout.Primitive(8);
                    return true;
                case TypeKind.Class:
                case TypeKind.Interface:
                case TypeKind.Delegate:
                case TypeKind.Array:
                case TypeKind.Dynamic:
                    layout = TypeLayout.Reference;
                    return true;
                case TypeKind.TypeParameter:
                    if (type.IsReferenceType)
                    {
                        layout = TypeLayout.Reference;
                        return true;
                    }

                    return false;
                case TypeKind.Enum:
                    return type is INamedTypeSymbol { EnumUnderlyingType: { } underlying } && TryGetTypeLayout(underlying, depth, out layout);
                case TypeKind.Struct:
                    return TryGetStructFieldLayout((INamedTypeSymbol)type, depth, out layout);
                default:
                    return false;
            }
        }

        private bool TryGetStructFieldLayout(INamedTypeSymbol type, int depth, out TypeLayout layout)
        {
            int primitive = PrimitiveSize(type.SpecialType);
            if (primitive > 0)
            {
                layout = TypeLayout.Primitive(primitive);
                return true;
            }

            if (!IsDeclaredInSource(type) && WellKnownLayouts.TryFind(type.OriginalDefinition, out var entry))
            {
                return TryGetWellKnownLayout(type, entry, depth, out layout);
            }

            var result = GetStructLayout(type, depth);
            layout = result?.AsField ?? default;
            return result != null;
        }

        private bool TryGetWellKnownLayout(INamedTypeSymbol type, WellKnownLayouts.Entry entry, int depth, out TypeLayout layout)
        {
            layout = entry.Layout;
            if (entry.Shape == WellKnownLayouts.Shape.Fixed)
            {
                return true;
            }

            var arguments = type.TypeArguments;
            var builder = ImmutableArray.CreateBuilder<TypeLayout>(entry.Shape == WellKnownLayouts.Shape.Nullable ? 2 : arguments.Length);
            if (entry.Shape == WellKnownLayouts.Shape.Nullable)
            {
                builder.Add(TypeLayout.Primitive(1));
            }

            foreach (var argument in arguments)
            {
                if (!TryGetTypeLayout(argument, depth + 1, out var argumentLayout))
                {
                    return false;
                }

                builder.Add(argumentLayout);
            }

            var fields = builder.MoveToImmutable();
            var declared = entry.Shape == WellKnownLayouts.Shape.ValueTuple
                ? new DeclaredLayout(DeclaredLayoutKind.Auto, kindWritten: true, pack: 0, size: 0, inlineArrayLength: 0)
                : DeclaredLayout.Default;
            layout = LayoutRules.Place(declared, fields, default).AsField;
            return true;
        }

        private static int PrimitiveSize(SpecialType specialType)
        {
            switch (specialType)
            {
                case SpecialType.System_Boolean:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                    return 1;
                case SpecialType.System_Char:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                    return 2;
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Single:
                    return 4;
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Double:
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return 8;
                default:
                    return 0;
            }
        }

        private static bool IsDeclaredInSource(INamedTypeSymbol type) => !type.OriginalDefinition.DeclaringSyntaxReferences.IsEmpty;

        /// <summary>
        /// True when the struct has storage that is not an <see cref="IFieldSymbol"/>: a non-record primary
        /// constructor's captured parameters, or a field-like event's delegate.
        /// </summary>
        private static bool HasHiddenFields(INamedTypeSymbol type)
        {
            foreach (var member in type.OriginalDefinition.GetMembers())
            {
                if (member is IEventSymbol { IsStatic: false } e)
                {
                    foreach (var reference in e.DeclaringSyntaxReferences)
                    {
                        if (reference.GetSyntax() is VariableDeclaratorSyntax)
                        {
                            return true;
                        }
                    }
                }
            }

            if (!type.IsRecord)
            {
                foreach (var constructor in type.OriginalDefinition.InstanceConstructors)
                {
                    if (!constructor.Parameters.IsEmpty)
                    {
                        foreach (var reference in constructor.DeclaringSyntaxReferences)
                        {
                            if (reference.GetSyntax() is TypeDeclarationSyntax)
                            {
                                return true;
                            }
                        }
                    }
                }
            }

            return false;
        }

        private static bool TryGetInt(object? value, out int result)
        {
            switch (value)
            {
                case int i:
                    result = i;
                    return true;
                case short s:
                    result = s;
                    return true;
                default:
                    result = 0;
                    return false;
            }
        }
    }
}
