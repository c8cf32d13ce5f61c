using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;

namespace AllocAnalyzers.Testing
{
    /// <summary>Captures the caller's stack at a Rent or Return, and renders it without the pool's own frames.</summary>
    internal static class CallStacks
    {
        private const int MaxFrames = 24;

        private static readonly Assembly Self = typeof(CallStacks).Assembly;

        public static StackTrace? Capture(StackCapture capture)
            => capture switch
            {
                StackCapture.None => null,
#if NET
                // Lines are looked up when a violation is rendered (SourceLines), not at every Rent and Return.
                _ => new StackTrace(1, fNeedFileInfo: false),
#else
                StackCapture.MethodsOnly => new StackTrace(1, fNeedFileInfo: false),
                _ => new StackTrace(1, fNeedFileInfo: true),
#endif
            };

        /// <summary>Renders a stack captured as <paramref name="capture"/> says, without the pool's frames or the test runner's.</summary>
        public static string? Render(StackTrace? stack, StackCapture capture)

        {
            if (stack == null)
            {
                return null;
            }

            var text = new StringBuilder();
            int shown = 0;
            foreach (var frame in stack.GetFrames() ?? new StackFrame[0])
            {
                var method = frame.GetMethod();
                if (method == null || method.DeclaringType?.Assembly == Self)
                {
                    continue;
                }

                // A test framework calls the test by reflection: what lies below is the runner, not the user's code.
                if (method.DeclaringType?.Namespace?.StartsWith("System.Reflection", System.StringComparison.Ordinal) == true || shown == MaxFrames)
                {
                    break;
                }

                shown++;

                text.Append("   at ");
                if (method.DeclaringType != null)
                {
                    text.Append(method.DeclaringType.FullName).Append('.');
                }

                text.Append(method.Name).Append('(')
                    .Append(string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name)))
                    .Append(')');
                if (capture == StackCapture.WithSourceLines && TryFindLine(frame, method, out string file, out int line))
                {
                    text.Append(" in ").Append(file).Append(":line ").Append(line);
                }

                text.AppendLine();
            }

            return text.ToString();
        }

        private static bool TryFindLine(StackFrame frame, MethodBase method, out string file, out int line)
        {
#if NET
            return SourceLines.TryFind(frame, method, out file, out line);
#else
            file = frame.GetFileName() ?? string.Empty;
            line = frame.GetFileLineNumber();
            return file.Length > 0;
#endif
        }
    }
}
