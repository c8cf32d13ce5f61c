using System;
using System.Text.RegularExpressions;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// A method as the runtime names it on a stack (<c>MyApp.OrderHandler.Handle(value class System.ReadOnlySpan`1&lt;…&gt;)</c>,
    /// <c>MyApp.Worker+&lt;&gt;c.&lt;Run&gt;b__3_0</c>, <c>MyApp.Worker+&lt;RunAsync&gt;d__5.MoveNext</c>) mapped to the source
    /// method it belongs to (lambdas, local functions and state machines to the method that declares them), as
    /// <c>Namespace.Type.Method</c> and as the documentation-ID pattern <c>alloc_analyzers.hot_path_methods</c> reads.
    /// </summary>
    internal sealed class MethodName : IEquatable<MethodName>
    {
        private static readonly Regex GeneratedMember = new Regex(@"^<([^>]+)>", RegexOptions.CultureInvariant);

        private MethodName(string typeName, string memberName)
        {
            TypeName = typeName;
            MemberName = memberName;
        }

        /// <summary>The declaring type, namespace included, nested types joined by '.'.</summary>
        public string TypeName { get; }

        /// <summary>The source method's name (<c>#ctor</c> for constructors).</summary>
        public string MemberName { get; }

        /// <summary><c>Namespace.Type.Method</c>, as a reader and the report show it.</summary>
        public string Display => TypeName + "." + MemberName;

        /// <summary>Every overload of the method: <c>M:Namespace.Type.Method</c> and <c>M:Namespace.Type.Method(…)</c>.</summary>
        public string DocumentationIdPattern => "M:" + Display + "*";

        public static MethodName Create(string typeName, string memberName) => new MethodName(typeName, memberName);

        public static MethodName? Parse(string fullMethodName)
        {
            if (string.IsNullOrEmpty(fullMethodName))
            {
                return null;
            }

            string name = fullMethodName;
            int parameters = name.IndexOf('(');
            if (parameters >= 0)
            {
                name = name.Substring(0, parameters);
            }

            name = StripGenericArguments(name.Trim());
            int lastDot = LastSeparator(name);
            if (lastDot <= 0 || lastDot == name.Length - 1)
            {
                return null;
            }

            string type = name.Substring(0, lastDot);
            string member = name.Substring(lastDot + 1);

            // Compiler-generated types and members: closures (<>c, <>c__DisplayClass), state machines (<Run>d__5) and
            // generated members (<Run>b__3_0, <Run>g__Local|3_0) belong to the method named between the brackets.
            string? owner = null;
            var generatedMember = GeneratedMember.Match(member);
            if (generatedMember.Success)
            {
                owner = generatedMember.Groups[1].Value;
            }

            int nested = type.IndexOf("+<", StringComparison.Ordinal);
            if (nested >= 0)
            {
                var generatedType = GeneratedMember.Match(type.Substring(nested + 1));
                if (generatedType.Success && generatedType.Groups[1].Value.Length > 0)
                {
                    owner ??= generatedType.Groups[1].Value;
                }

                type = type.Substring(0, nested);
            }

            if (owner != null)
            {
                if (owner.Length == 0 || owner.StartsWith('>'))
                {
                    return null; // a generated member with no named owner (e.g. a static lambda cache)
                }

                member = owner;
            }

            member = member == ".ctor" ? "#ctor" : member == ".cctor" ? "#cctor" : member;
            return new MethodName(type.Replace('+', '.'), member);
        }

        public bool Equals(MethodName? other) => other != null && TypeName == other.TypeName && MemberName == other.MemberName;

        public override bool Equals(object? obj) => Equals(obj as MethodName);

        public override int GetHashCode() => HashCode.Combine(TypeName, MemberName);

        public override string ToString() => Display;

        private static string StripGenericArguments(string name)
        {
            int open = name.IndexOf('[');
            return open > 0 ? name.Substring(0, open) : name;
        }

        /// <summary>The dot before the member name (a member may itself start with '.', as in .ctor).</summary>
        private static int LastSeparator(string name)
        {
            int dot = name.LastIndexOf('.');
            if (dot > 0 && name[dot - 1] == '.')
            {
                return dot - 1;
            }

            return dot;
        }
    }
}
