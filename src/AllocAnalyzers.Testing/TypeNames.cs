using System;
using System.Linq;

namespace AllocAnalyzers.Testing
{
    /// <summary>A type as C# writes it, for messages: <c>byte</c>, <c>List&lt;string&gt;</c>.</summary>
    internal static class TypeNames
    {
        public static string Of(Type type)
        {
            if (type.IsArray)
            {
                return Of(type.GetElementType()!) + "[]";
            }

            if (type.IsEnum)
            {
                return type.Name;
            }

            switch (Type.GetTypeCode(type))
            {
                case TypeCode.Boolean: return "bool";
                case TypeCode.Byte: return "byte";
                case TypeCode.SByte: return "sbyte";
                case TypeCode.Char: return "char";
                case TypeCode.Int16: return "short";
                case TypeCode.UInt16: return "ushort";
                case TypeCode.Int32: return "int";
                case TypeCode.UInt32: return "uint";
                case TypeCode.Int64: return "long";
                case TypeCode.UInt64: return "ulong";
                case TypeCode.Single: return "float";
                case TypeCode.Double: return "double";
                case TypeCode.Decimal: return "decimal";
                case TypeCode.String: return "string";
            }

            if (type == typeof(object))
            {
                return "object";
            }

            if (!type.IsGenericType)
            {
                return type.Name;
            }

            string name = type.Name;
            int tick = name.IndexOf('`');
            return (tick < 0 ? name : name.Substring(0, tick)) + "<" + string.Join(", ", type.GetGenericArguments().Select(Of)) + ">";
        }
    }
}
