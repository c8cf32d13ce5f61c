using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// Well-known types resolved once per compilation and shared by every analyzer (the only place that calls
    /// <see cref="Compilation.GetTypeByMetadataName"/>), by the names in <see cref="KnownTypeNames"/>. A type the
    /// compilation does not have is <c>null</c>.
    /// </summary>
    internal sealed class KnownTypes
    {
        private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new ConditionalWeakTable<Compilation, KnownTypes>();

        private KnownTypes(Compilation compilation)
        {
            Compilation = compilation;
            StructLayoutAttribute = Resolve(compilation, KnownTypeNames.StructLayoutAttribute);
            FieldOffsetAttribute = Resolve(compilation, KnownTypeNames.FieldOffsetAttribute);
            InlineArrayAttribute = Resolve(compilation, KnownTypeNames.InlineArrayAttribute);
            DllImportAttribute = Resolve(compilation, KnownTypeNames.DllImportAttribute);
            LibraryImportAttribute = Resolve(compilation, KnownTypeNames.LibraryImportAttribute);
            Exception = Resolve(compilation, KnownTypeNames.Exception);
            CharConcatUsesSpans = UsesSpansForChars(compilation);
            foreach (var member in compilation.GetSpecialType(SpecialType.System_Object).GetMembers("ToString"))
            {
                if (member is IMethodSymbol { Parameters.IsEmpty: true } toString)
                {
                    ObjectToString = toString;
                }
            }
        }

        public Compilation Compilation { get; }

        public INamedTypeSymbol? StructLayoutAttribute { get; }

        public INamedTypeSymbol? FieldOffsetAttribute { get; }

        public INamedTypeSymbol? InlineArrayAttribute { get; }

        public INamedTypeSymbol? DllImportAttribute { get; }

        public INamedTypeSymbol? LibraryImportAttribute { get; }

        public INamedTypeSymbol? Exception { get; }

        /// <summary><c>System.HashCode</c> (.NET Core 2.1+, netstandard2.1), which the equality fix uses when it exists (the fixes' types are resolved when asked: analyzers never ask).</summary>
        public INamedTypeSymbol? HashCode => Resolve(Compilation, KnownTypeNames.HashCode);

        /// <summary><c>Microsoft.Extensions.ObjectPool.ObjectPool&lt;T&gt;</c>, when the project references it (the pooling fix needs it).</summary>
        public INamedTypeSymbol? ObjectPool => Resolve(Compilation, KnownTypeNames.ObjectPool);

        /// <summary><c>Microsoft.Extensions.ObjectPool.IResettable</c> (ObjectPool 8.0+), which the default pool policy calls.</summary>
        public INamedTypeSymbol? Resettable => Resolve(Compilation, KnownTypeNames.IResettable);

        /// <summary>True when <paramref name="type"/> is <see cref="Exception"/> or derives from it (constructing one is cold code).</summary>
        public bool IsException(ITypeSymbol? type)
        {
            for (var current = type; current != null && Exception != null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, Exception))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>object.ToString()</c>, which string concatenation calls on each operand.</summary>
        public IMethodSymbol? ObjectToString { get; }

        /// <summary>
        /// The compiler concatenates a <c>char</c> operand through a span over it, allocating no string for it: Roslyn
        /// 4.10 and later (dotnet/roslyn#71793, the compiler running this analyzer is the one compiling) on a target with
        /// the <c>ReadOnlySpan&lt;T&gt;(in T)</c> constructor and <c>string.Concat</c> over spans (.NET 7+).
        /// </summary>
        public bool CharConcatUsesSpans { get; }

        /// <summary>The known types of <paramref name="compilation"/>, built on first use and then shared.</summary>
        public static KnownTypes For(Compilation compilation) => Cache.GetValue(compilation, c => new KnownTypes(c));

        private static bool UsesSpansForChars(Compilation compilation)
        {
            if (typeof(Compilation).Assembly.GetName().Version < new System.Version(4, 10))
            {
                return false;
            }

            var span = Resolve(compilation, KnownTypeNames.ReadOnlySpan);
            if (span == null)
            {
                return false;
            }

            foreach (var constructor in span.InstanceConstructors)
            {
                if (constructor.Parameters.Length == 1 && constructor.Parameters[0].RefKind is RefKind.In or RefKind.RefReadOnlyParameter)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A type the user named in configuration (<c>alloc_analyzers.pool_methods</c>), by its metadata name; null when the compilation has none or several.</summary>
        public INamedTypeSymbol? Configured(string metadataName)
        {
#pragma warning disable RS0030 // Configured names are not known ones: looked up when a fix needs one.
            return Compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030
        }

        private static INamedTypeSymbol? Resolve(Compilation compilation, KnownTypeName name)
        {
#pragma warning disable RS0030 // The one sanctioned caller.
            return compilation.GetTypeByMetadataName(name.FullMetadataName);
#pragma warning restore RS0030
        }
    }
}
