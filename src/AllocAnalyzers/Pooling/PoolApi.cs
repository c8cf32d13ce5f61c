using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>How a rental goes back.</summary>
    internal enum RentalKind
    {
        /// <summary><c>ArrayPool&lt;T&gt;.Rent</c> / <c>Return(array, clearArray)</c>.</summary>
        Array,

        /// <summary><c>ObjectPool&lt;T&gt;.Get</c> / <c>Return(obj)</c>.</summary>
        Object,

        /// <summary><c>MemoryPool&lt;T&gt;.Rent</c> → an <c>IMemoryOwner&lt;T&gt;</c> to dispose.</summary>
        Owner,

        /// <summary>A pool from <c>alloc_analyzers.pool_methods</c>.</summary>
        Custom,
    }

    /// <summary>Recognises the rent and return calls of the pools the package knows and of user-configured pools.</summary>
    internal static class PoolApi
    {
        public static bool IsRent(IInvocationOperation invocation, ImmutableArray<(string Rent, string Return)> custom, out RentalKind kind)
        {
            var method = invocation.TargetMethod;
            kind = RentalKind.Array;
            if (method.Name == "Rent" && KnownTypeNames.ArrayPool.Matches(method.ContainingType))
            {
                return true;
            }

            if (method.Name == "Get" && KnownTypeNames.ObjectPool.Matches(method.ContainingType))
            {
                kind = RentalKind.Object;
                return true;
            }

            if (method.Name == "Rent" && KnownTypeNames.MemoryPool.Matches(method.ContainingType))
            {
                kind = RentalKind.Owner;
                return true;
            }

            kind = RentalKind.Custom;
            return ConfiguredReturn(method, custom) != null;
        }

        /// <summary>The configured Return method name (<c>Namespace.Type.Method</c>) paired with <paramref name="rent"/>, or null.</summary>
        public static string? ConfiguredReturn(IMethodSymbol rent, ImmutableArray<(string Rent, string Return)> custom)
        {
            string? name = null; // the full name only for a pair that names this method (a display string is costly)
            foreach (var pair in custom)
            {
                if (NamesMember(pair.Rent, rent) && pair.Rent == (name ??= FullName(rent)))
                {
                    return pair.Return;
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="invocation"/> gives back a rental of <paramref name="kind"/> passed as <paramref name="rental"/>.</summary>
        public static bool IsReturn(IInvocationOperation invocation, RentalKind kind, ImmutableArray<(string Rent, string Return)> custom, out IOperation? rental)
        {
            rental = null;
            var method = invocation.TargetMethod;
            switch (kind)
            {
                case RentalKind.Array when method.Name == "Return" && KnownTypeNames.ArrayPool.Matches(method.ContainingType):
                case RentalKind.Object when method.Name == "Return" && KnownTypeNames.ObjectPool.Matches(method.ContainingType):
                    rental = invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
                    return rental != null;
                case RentalKind.Owner when method.Name == "Dispose" && method.Parameters.IsEmpty:
                    rental = invocation.Instance;
                    return rental != null;
                case RentalKind.Custom:
                    string? name = null;
                    foreach (var pair in custom)
                    {
                        if (NamesMember(pair.Return, method) && pair.Return == (name ??= FullName(method)))
                        {
                            rental = invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : invocation.Instance;
                            return rental != null;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }

        /// <summary>The symbol naming a pool instance (<c>ArrayPool&lt;T&gt;.Shared</c>, a field, a local), or null.</summary>
        public static ISymbol? PoolSymbol(IOperation? receiver)
        {
            return receiver?.WithoutConversions() switch
            {
                IPropertyReferenceOperation property => property.Property.OriginalDefinition,
                IFieldReferenceOperation field => field.Field.OriginalDefinition,
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
        }

        public static string Describe(IOperation? receiver) => receiver?.Syntax.ToString() ?? "the pool";

        /// <summary>The pool a rent call names: its receiver, or for a static rent method its type.</summary>
        public static string Describe(IInvocationOperation rent)
            => rent.Instance == null && rent.TargetMethod.IsStatic && rent.TargetMethod.ContainingType is { } type ? type.Name : Describe(rent.Instance);

        private static string FullName(IMethodSymbol method) => TypeName(method.ContainingType) + "." + method.Name;

        /// <summary>True when <paramref name="configured"/> (<c>Namespace.Type.Method</c>) ends in <paramref name="method"/>'s name: what its full name must match.</summary>
        private static bool NamesMember(string configured, IMethodSymbol method)
            => configured.Length > method.Name.Length && configured[configured.Length - method.Name.Length - 1] == '.'
               && configured.EndsWith(method.Name, System.StringComparison.Ordinal);

        /// <summary>A type's name as <c>alloc_analyzers.pool_methods</c> spells it: namespace-qualified, no type arguments.</summary>
        public static string TypeName(ITypeSymbol? type)
            => type?.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) ?? string.Empty;
    }
}
