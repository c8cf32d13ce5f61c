using System.Threading;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers
{
    /// <summary>
    /// Whether the build has turned a rule off (<c>dotnet_diagnostic.ID.severity = none</c> in .editorconfig or a global
    /// config, <c>NoWarn</c>, a rule set) for a file, so that its checks need not run there: the driver skips an
    /// analyzer whose every rule is off, but not the rules of a family analyzer one by one. Answers "off" only when an
    /// ID-specific setting says so, read in the compiler's order (a compilation-wide suppression such as NoWarn first,
    /// then the file's setting, then the global one); anything else (no setting, a category-wide one) leaves the rule
    /// running and the driver filters. RuleSwitchTests checks the answers against what the driver keeps.
    /// </summary>
    internal static class RuleSwitch
    {
        public static bool IsOff(Compilation compilation, SyntaxTree? tree, DiagnosticDescriptor descriptor, CancellationToken cancellationToken)
        {
            if (compilation.Options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out var specific) && specific == ReportDiagnostic.Suppress)
            {
                // NoWarn (or a rule set's None) wins over every .editorconfig and global config setting.
                return true;
            }

            var provider = compilation.Options.SyntaxTreeOptionsProvider;
            if (provider != null)
            {
                if (tree != null && provider.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var severity))
                {
                    return severity == ReportDiagnostic.Suppress;
                }

                if (provider.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out severity))
                {
                    return severity == ReportDiagnostic.Suppress;
                }
            }

            return false;
        }

        /// <summary>True when every one of <paramref name="descriptors"/> is off for <paramref name="tree"/>.</summary>
        public static bool AllOff(Compilation compilation, SyntaxTree? tree, System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> descriptors, CancellationToken cancellationToken)
        {
            foreach (var descriptor in descriptors)
            {
                if (!IsOff(compilation, tree, descriptor, cancellationToken))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
