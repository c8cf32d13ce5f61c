using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Cost
{
    /// <summary>
    /// String calls that provably return the string itself, as the runtime does when nothing changes (its methods
    /// return <c>this</c>): from constant arguments alone (<c>Substring(0)</c>, <c>Remove(i, 0)</c>,
    /// <c>Replace(c, c)</c>), or from a constant receiver with constant arguments, evaluated here with the same
    /// ordinal rules (ASCII only for the case and normalization methods, whose non-ASCII paths always allocate).
    /// </summary>
    internal static class UnchangedStringCalls
    {
        public static bool ReturnsInput(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            if (method.ContainingType.SpecialType != SpecialType.System_String || method.IsStatic)
            {
                return false;
            }

            var arguments = new object?[call.Arguments.Length];
            for (int i = 0; i < arguments.Length; i++)
            {
                var value = call.Arguments[i].Value.ConstantValue;
                if (!value.HasValue)
                {
                    return false;
                }

                arguments[i] = value.Value;
            }

            switch (method.Name)
            {
                case "Substring" when arguments.Length == 1 && arguments[0] is 0:
                case "Remove" when arguments.Length == 2 && arguments[1] is 0:
                case "Replace" when arguments.Length == 2 && arguments[0] is char a && arguments[1] is char b && a == b:
                    return true;
            }

            return call.Instance?.ConstantValue is { HasValue: true, Value: string text } && Evaluate(text, method.Name, arguments);
        }

        private static bool Evaluate(string text, string name, object?[] arguments)
        {
            switch (name)
            {
                case "Trim" when arguments.Length == 0:
                    return text.Trim().Length == text.Length;
                case "TrimStart" when arguments.Length == 0:
                    return text.TrimStart().Length == text.Length;
                case "TrimEnd" when arguments.Length == 0:
                    return text.TrimEnd().Length == text.Length;
                case "PadLeft" or "PadRight" when arguments.Length >= 1 && arguments[0] is int width:
                    return width <= text.Length;
                case "Replace" when arguments.Length == 2 && arguments[0] is char old:
                    return text.IndexOf(old) < 0;
                case "Replace" when arguments.Length == 2 && arguments[0] is string { Length: > 0 } old:
                    return text.IndexOf(old, System.StringComparison.Ordinal) < 0;
                case "Substring" when arguments.Length == 2 && arguments[0] is 0 && arguments[1] is int length:
                    return length == text.Length;
                case "ToUpperInvariant" when arguments.Length == 0:
                    return IsAscii(text) && text.ToUpperInvariant() == text;
                case "ToLowerInvariant" when arguments.Length == 0:
                    return IsAscii(text) && text.ToLowerInvariant() == text;
                case "Normalize" when arguments.Length == 0:
                    return IsAscii(text);
                default:
                    return false;
            }
        }

        private static bool IsAscii(string text)
        {
            foreach (char c in text)
            {
                if (c > 0x7F)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
