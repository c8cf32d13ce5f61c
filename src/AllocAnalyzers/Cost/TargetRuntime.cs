using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Cost
{
    /// <summary>Which runtime family a project targets: what its JIT may remove depends on it.</summary>
    internal enum RuntimeFamily
    {
        /// <summary>netstandard, or nothing the analyzers can read: the code may run anywhere.</summary>
        Unknown,

        /// <summary>.NET (Core) 5 and later, and .NET Core before it.</summary>
        DotNet,

        /// <summary>.NET Framework: its JIT allocates every object on the heap.</summary>
        NetFramework,
    }

    /// <summary>
    /// The runtime a compilation targets and whether its code is optimized: the MSBuild properties the package makes
    /// visible to the compiler (build/AllocAnalyzers.targets) when they are there, otherwise the core library the
    /// compilation references (System.Runtime 10.0.0.0 is .NET 10). Debug builds run unoptimized code, where the JIT
    /// removes no allocation.
    /// </summary>
    internal sealed class TargetRuntime
    {
        private TargetRuntime(RuntimeFamily family, int major, bool optimized, string name)
        {
            Family = family;
            Major = major;
            Optimized = optimized;
            Name = name;
            MessageSuffix = name.Length == 0 ? string.Empty : optimized ? " (" + name + ")" : " (" + name + ", Debug build)";
            EveryExecutionSuffix = " on every execution" + MessageSuffix;
        }

        public RuntimeFamily Family { get; }

        /// <summary>The major version (10 for net10.0), 0 when unknown.</summary>
        public int Major { get; }

        /// <summary>The compilation is optimized (a Release build): what runs is JIT-optimized code at steady state.</summary>
        public bool Optimized { get; }

        /// <summary>How the messages name it: "net10.0", ".NET Framework 4.8", or empty when unknown.</summary>
        public string Name { get; }

        /// <summary>" (net10.0)", " (net10.0, Debug build)", or empty: how the claims in the messages end.</summary>
        public string MessageSuffix { get; }

        /// <summary>" on every execution (net10.0)": how most claims end, made once per compilation.</summary>
        public string EveryExecutionSuffix { get; }

        /// <summary>True on .NET <paramref name="major"/> or later.</summary>
        public bool IsDotNet(int major) => Family == RuntimeFamily.DotNet && Major >= major;

        public static TargetRuntime For(Compilation compilation, AnalyzerConfigOptions global)
        {
            bool optimized = compilation.Options.OptimizationLevel == OptimizationLevel.Release;
            global.TryGetValue("build_property.TargetFramework", out var moniker);
            if (global.TryGetValue("build_property.TargetFrameworkIdentifier", out var identifier) && !string.IsNullOrEmpty(identifier)
                && global.TryGetValue("build_property.TargetFrameworkVersion", out var versionText) && TryMajor(versionText, out int major))
            {
                switch (identifier)
                {
                    case ".NETCoreApp":
                        return new TargetRuntime(RuntimeFamily.DotNet, major, optimized, string.IsNullOrEmpty(moniker) ? "net" + major.ToString(CultureInfo.InvariantCulture) + ".0" : moniker!);
                    case ".NETFramework":
                        return new TargetRuntime(RuntimeFamily.NetFramework, major, optimized, string.IsNullOrEmpty(moniker) ? ".NET Framework" : moniker!);
                    default:
                        return new TargetRuntime(RuntimeFamily.Unknown, 0, optimized, string.Empty);
                }
            }

            // No properties (a project that loads the analyzers without the package's build files): the core library.
            var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.Identity;
            switch (core?.Name)
            {
                case "System.Runtime":
                case "System.Private.CoreLib":
                    int version = core.Version.Major;
                    return version >= 5
                        ? new TargetRuntime(RuntimeFamily.DotNet, version, optimized, "net" + version.ToString(CultureInfo.InvariantCulture) + ".0")
                        : new TargetRuntime(RuntimeFamily.DotNet, 3, optimized, ".NET Core");
                case "mscorlib":
                    return new TargetRuntime(RuntimeFamily.NetFramework, 4, optimized, ".NET Framework");
                default:
                    return new TargetRuntime(RuntimeFamily.Unknown, 0, optimized, string.Empty);
            }
        }

        /// <summary>"v10.0" → 10.</summary>
        private static bool TryMajor(string? text, out int major)
        {
            major = 0;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var trimmed = text!.TrimStart('v', 'V');
            int dot = trimmed.IndexOf('.');
            return int.TryParse(dot < 0 ? trimmed : trimmed.Substring(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out major);
        }
    }
}
