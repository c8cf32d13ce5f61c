using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Reflection.Metadata;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Layout
{
    /// <summary>
    /// The structs of a compilation whose layout native code depends on: used (directly, through pointers, refs or
    /// arrays, or as a field of such a struct) in the signature of a <c>DllImport</c>/<c>extern</c> or
    /// <c>LibraryImport</c> method, of an <c>[UnmanagedFunctionPointer]</c> delegate, or of an unmanaged function
    /// pointer type in a member signature. Built lazily, once per compilation, only when a rule asks.
    /// </summary>
    internal sealed class InteropUsage
    {
        private static readonly ConditionalWeakTable<Compilation, InteropUsage> Cache = new ConditionalWeakTable<Compilation, InteropUsage>();

        private readonly Compilation _compilation;
        private HashSet<ITypeSymbol>? _structs;

        private InteropUsage(Compilation compilation)
        {
            _compilation = compilation;
        }

        public static InteropUsage For(Compilation compilation) => Cache.GetValue(compilation, c => new InteropUsage(c));

        public bool IsUsedInInterop(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var structs = LazyInitializer.EnsureInitialized(ref _structs, () => Collect(cancellationToken))!;
            return structs.Contains(type.OriginalDefinition);
        }

        private HashSet<ITypeSymbol> Collect(CancellationToken cancellationToken)
        {
            var known = KnownTypes.For(_compilation);
            var found = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var symbol in _compilation.GetSymbolsWithName(_ => true, SymbolFilter.TypeAndMember, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (symbol)
                {
                    case IMethodSymbol method when method.IsExtern || HasAttribute(method, known.DllImportAttribute) || HasAttribute(method, known.LibraryImportAttribute):
                        AddSignature(method, found);
                        break;
                    case IMethodSymbol method:
                        AddUnmanagedFunctionPointers(method.ReturnType, found);
                        foreach (var parameter in method.Parameters)
                        {
                            AddUnmanagedFunctionPointers(parameter.Type, found);
                        }

                        break;
                    case IFieldSymbol field:
                        AddUnmanagedFunctionPointers(field.Type, found);
                        break;
                    case INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } type when HasAttributeNamed(type, "UnmanagedFunctionPointerAttribute"):
                        AddSignature(invoke, found);
                        break;
                }
            }

            return found;
        }

        private static void AddUnmanagedFunctionPointers(ITypeSymbol type, HashSet<ITypeSymbol> found)
        {
            var unwrapped = Unwrap(type);
            if (unwrapped is IFunctionPointerTypeSymbol pointer && pointer.Signature.CallingConvention != SignatureCallingConvention.Default)
            {
                AddSignature(pointer.Signature, found);
            }
        }

        private static void AddSignature(IMethodSymbol method, HashSet<ITypeSymbol> found)
        {
            AddType(method.ReturnType, found, 0);
            foreach (var parameter in method.Parameters)
            {
                AddType(parameter.Type, found, 0);
            }
        }

        private static void AddType(ITypeSymbol type, HashSet<ITypeSymbol> found, int depth)
        {
            var unwrapped = Unwrap(type);
            if (depth > 32 || unwrapped is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named || !found.Add(named.OriginalDefinition))
            {
                return;
            }

            foreach (var member in named.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false } field)
                {
                    AddType(field.Type, found, depth + 1);
                }
            }
        }

        private static ITypeSymbol Unwrap(ITypeSymbol type)
        {
            while (true)
            {
                switch (type)
                {
                    case IPointerTypeSymbol pointer:
                        type = pointer.PointedAtType;
                        break;
                    case IArrayTypeSymbol array:
                        type = array.ElementType;
                        break;
                    default:
                        return type;
                }
            }
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
        {
            if (attributeType == null)
            {
                return false;
            }

            foreach (var attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasAttributeNamed(ISymbol symbol, string name)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == name)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
