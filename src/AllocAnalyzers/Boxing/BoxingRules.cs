using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Boxing
{
    /// <summary>Questions the boxing rules ask about types and methods.</summary>
    internal static class BoxingRules
    {
        /// <summary>A value type whose boxing is known at compile time (not a type parameter, which the JIT specializes).</summary>
        public static bool IsConcreteValueType(ITypeSymbol? type) => type is { IsValueType: true, TypeKind: not TypeKind.TypeParameter } && !type.IsRefLikeType;

        /// <summary>True when <paramref name="method"/> (object/ValueType/Enum's) runs on a boxed copy of <paramref name="receiver"/>.</summary>
        public static bool RunsOnBox(IMethodSymbol method, ITypeSymbol receiver)
        {
            if (method.IsStatic || method.ContainingType == null || !method.ContainingType.IsReferenceType)
            {
                return false;
            }

            if (method.ContainingType.SpecialType == SpecialType.System_Enum && method.Name == "HasFlag" && IsCoreRuntime(method.ContainingType))
            {
                // A JIT intrinsic since .NET Core 2.1: no box (.NET Framework still boxes).
                return false;
            }

            return !Overrides(receiver, method);
        }

        /// <summary>True when <paramref name="type"/> declares an override of <paramref name="method"/>.</summary>
        public static bool Overrides(ITypeSymbol type, IMethodSymbol method)
        {
            foreach (var member in type.GetMembers(method.Name))
            {
                for (var candidate = member as IMethodSymbol; candidate != null; candidate = candidate.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method.OriginalDefinition) && !SymbolEqualityComparer.Default.Equals(member, method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// True when the compilation targets .NET Core / .NET 5+ (its core library is not .NET Framework's mscorlib), where
        /// the JIT removes the boxes of <c>Enum.HasFlag</c>.
        /// </summary>
        public static bool IsCoreRuntime(ITypeSymbol anyCoreType) => anyCoreType.ContainingAssembly?.Name != "mscorlib";
    }
}
