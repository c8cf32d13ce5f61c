using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// Well-known types resolved once per compilation and shared by every analyzer (the only place that calls
    /// <see cref="Compilation.GetTypeByMetadataName"/>). A type the compilation does not have is <c>null</c>.
    /// </summary>
    internal sealed class KnownTypes
    {
        private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new ConditionalWeakTable<Compilation, KnownTypes>();

        private KnownTypes(Compilation compilation)
        {
            Compilation = compilation;
            StructLayoutAttribute = Resolve(compilation, "System.Runtime.InteropServices.StructLayoutAttribute");
            FieldOffsetAttribute = Resolve(compilation, "System.Runtime.InteropServices.FieldOffsetAttribute");
            InlineArrayAttribute = Resolve(compilation, "System.Runtime.CompilerServices.InlineArrayAttribute");
            DllImportAttribute = Resolve(compilation, "System.Runtime.InteropServices.DllImportAttribute");
            LibraryImportAttribute = Resolve(compilation, "System.Runtime.InteropServices.LibraryImportAttribute");
            Exception = Resolve(compilation, "System.Exception");
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

            var span = Resolve(compilation, "System.ReadOnlySpan`1");
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

        private static INamedTypeSymbol? Resolve(Compilation compilation, string metadataName)
        {
#pragma warning disable RS0030 // The one sanctioned caller.
            return compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030
        }
    }
}
