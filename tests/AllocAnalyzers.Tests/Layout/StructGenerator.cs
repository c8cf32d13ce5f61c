using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.Tests.Layout
{
    /// <summary>
    /// Generates C# structs covering every layout case the engine models (all field-type families, every layout kind,
    /// Pack, Size, fixed buffers, records, nested and generic structs) plus seeded random mixes.
    /// </summary>
    internal static class StructGenerator
    {
        public const string Prelude = """
            using System;
            using System.Collections.Generic;
            using System.Numerics;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;
            using System.Runtime.Intrinsics;
            using System.Threading;

            public enum E8 : byte { A }
            public enum E16 : short { A }
            public enum E32 { A }
            public enum E64 : long { A }
            public struct Seq { public byte A; public int B; }
            [StructLayout(LayoutKind.Sequential, Pack = 1)] public struct Pack1 { public byte A; public long B; }
            [StructLayout(LayoutKind.Sequential, Pack = 2)] public struct Pack2 { public byte A; public int B; }
            [StructLayout(LayoutKind.Auto)] public struct AutoSmall { public int A; public byte B; }
            [StructLayout(LayoutKind.Auto)] public struct AutoThree { public byte A, B, C; }
            [StructLayout(LayoutKind.Auto)] public struct AutoMixed { public Half A; public byte B; public TimeSpan C; }
            [StructLayout(LayoutKind.Sequential, Size = 20)] public struct Sized20 { public long A; }
            public struct Empty { }
            [InlineArray(3)] public struct Inline3 { private short _element; }
            [InlineArray(2)] public struct InlineRefs { private string _element; }
            public struct Gen<T> { public T A; public byte B; }
            [StructLayout(LayoutKind.Explicit)] public struct Expl { [FieldOffset(0)] public int A; [FieldOffset(1)] public long B; }
            public struct WithRef { public string S; public byte B; }
            public unsafe struct FixedBuf { public fixed ushort Buffer[5]; public byte X; }
            public struct Nested { public Seq A; public byte B; public Pack1 C; }

            """;

        /// <summary>Field types without references (the sequential families).</summary>
        public static readonly string[] UnmanagedTypes =
        {
            "byte", "sbyte", "bool", "char", "short", "ushort", "int", "uint", "float", "long", "ulong", "double",
            "nint", "nuint", "decimal", "DateTime", "TimeSpan", "TimeOnly", "DateOnly", "Guid", "DateTimeOffset",
            "Int128", "UInt128", "Half", "Index", "Range", "Vector2", "Vector3", "Vector4", "Quaternion", "Complex",
            "Matrix3x2", "Vector64<byte>", "Vector128<int>", "Vector256<long>", "int?", "long?", "bool?", "Guid?",
            "decimal?", "Int128?", "(int, byte)", "(byte, long)", "(short, byte)", "(byte, int, byte)", "ValueTuple<byte>",
            "KeyValuePair<int, byte>", "KeyValuePair<long, byte>", "E8", "E16", "E32", "E64", "byte*", "long*",
            "delegate*<int, void>", "Seq", "Pack1", "Pack2", "AutoSmall", "AutoThree", "AutoMixed", "Sized20", "Empty",
            "Inline3", "Gen<long>", "Gen<byte>", "Gen<Guid>", "Expl", "FixedBuf", "Nested",
        };

        /// <summary>Field types that hold a GC reference (they make the struct auto layout).</summary>
        public static readonly string[] ReferenceTypes =
        {
            "string", "object", "int[]", "Action", "IDisposable", "Memory<byte>", "ReadOnlyMemory<char>",
            "ArraySegment<int>", "CancellationToken", "KeyValuePair<string, int>", "(string, int)", "WithRef",
            "InlineRefs", "Gen<string>", "BigInteger",
        };

        private static readonly string[] FixedElementTypes = { "byte", "short", "int", "long", "double", "char", "bool", "float" };

        /// <summary>A struct declaration and the names of its fields.</summary>
        public sealed record GeneratedStruct(string Name, string Declaration, bool IsSequentialCandidate);

        public static List<GeneratedStruct> Generate(int count, int seed)
        {
            var random = new Random(seed);
            var structs = new List<GeneratedStruct>();
            for (int i = 0; i < count; i++)
            {
                structs.Add(GenerateOne(random, "G" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            return structs;
        }

        public static string Source(IEnumerable<GeneratedStruct> structs)
            => Prelude + string.Join(Environment.NewLine, structs.Select(s => s.Declaration));

        private static GeneratedStruct GenerateOne(Random random, string name)
        {
            int kind = random.Next(100);
            int fieldCount = random.Next(0, 8);
            bool withReferences = kind >= 60 && kind < 75;
            bool isExplicit = kind >= 90;
            var attribute = string.Empty;
            if (kind >= 75 && kind < 82)
            {
                attribute = "[StructLayout(LayoutKind.Auto)]";
            }
            else if (kind >= 82 && kind < 86)
            {
                attribute = "[StructLayout(LayoutKind.Sequential, Pack = " + new[] { 1, 2, 4, 8, 16 }[random.Next(5)] + ")]";
            }
            else if (kind >= 86 && kind < 90)
            {
                attribute = "[StructLayout(LayoutKind.Sequential, Size = " + random.Next(1, 48) + ")]";
            }
            else if (isExplicit)
            {
                attribute = "[StructLayout(LayoutKind.Explicit" + (random.Next(3) == 0 ? ", Pack = 1" : string.Empty) + ")]";
            }

            bool isRecord = !isExplicit && random.Next(12) == 0;
            var body = new StringBuilder();
            for (int f = 0; f < fieldCount; f++)
            {
                string fieldName = "F" + f.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string offset = isExplicit ? "[FieldOffset(" + random.Next(0, 24) + ")] " : string.Empty;
                if (!isExplicit && !isRecord && random.Next(10) == 0)
                {
                    body.Append("    public fixed ").Append(FixedElementTypes[random.Next(FixedElementTypes.Length)]).Append(' ')
                        .Append(fieldName).Append('[').Append(random.Next(1, 6)).AppendLine("];");
                    continue;
                }

                string type = withReferences && random.Next(3) == 0
                    ? ReferenceTypes[random.Next(ReferenceTypes.Length)]
                    : UnmanagedTypes[random.Next(UnmanagedTypes.Length)];
                if (isRecord && type.Contains('*'))
                {
                    type = "long";
                }

                bool asProperty = !isExplicit && random.Next(8) == 0 && !type.Contains('*');
                body.Append("    ").Append(offset).Append("public ").Append(type).Append(' ').Append(fieldName)
                    .AppendLine(asProperty ? " { get; set; }" : ";");
            }

            var declaration = attribute + Environment.NewLine + "public unsafe " + (isRecord ? "record struct " : "struct ") + name + Environment.NewLine
                + "{" + Environment.NewLine + body + "}" + Environment.NewLine;
            return new GeneratedStruct(name, declaration, attribute.Length == 0 && !withReferences);
        }
    }
}
