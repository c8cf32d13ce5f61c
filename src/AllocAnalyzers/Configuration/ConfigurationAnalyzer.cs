using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Configuration
{
    /// <summary>
    /// ALLOC001: reports, once per file it applies to, each <c>alloc_analyzers.*</c> value that cannot be read (naming
    /// the key, the value, what was expected and what is used instead), each bad entry of a list (the good ones are
    /// used), and each <c>alloc_analyzers.*</c> key that is not one of ours, with the nearest key that is. Reported on
    /// the file's first token, so a <c>#pragma</c> at the top of the file can suppress it.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ConfigurationAnalyzer : AllocDiagnosticAnalyzer
    {
        private const string Prefix = "alloc_analyzers.";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InvalidConfiguration);

        internal override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes knownTypes)
            => context.RegisterSyntaxTreeAction(AnalyzeTree);

        private static void AnalyzeTree(SyntaxTreeAnalysisContext context)
        {
            var provider = context.Options.AnalyzerConfigOptionsProvider;
            var options = provider.ForTree(context.Tree);
            Location? location = null;
            void Report(string key, string problem, string consequence)
                => context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.InvalidConfiguration,
                    location ??= context.Tree.GetRoot(context.CancellationToken).GetFirstToken(includeZeroWidth: true).GetLocation(),
                    key,
                    problem,
                    consequence));

            foreach (var option in AllocOptions.All)
            {
                if (options.TryGetValue(option.Key, out var raw))
                {
                    foreach (var (problem, consequence) in option.Check(raw))
                    {
                        Report(option.Key, problem, consequence);
                    }
                }
            }

            foreach (var key in UnknownKeys(provider.GetOptions(context.Tree), provider.GlobalOptions))
            {
                Report(key, "is not an AllocAnalyzers option" + (Nearest(key) is { } nearest ? " (did you mean '" + nearest + "'?)" : string.Empty), "it is ignored");
            }
        }

        /// <summary>
        /// The <c>alloc_analyzers.*</c> keys of the file's and the global options that no option has, in order. A host
        /// whose options cannot list their keys (the API is optional) gets no report rather than an exception.
        /// </summary>
        private static IEnumerable<string> UnknownKeys(AnalyzerConfigOptions file, AnalyzerConfigOptions global)
        {
            var unknown = new SortedSet<string>(System.StringComparer.Ordinal);
            foreach (var options in new[] { file, global })
            {
                IEnumerable<string> keys;
                try
                {
                    keys = options.Keys;
                }
                catch (System.NotImplementedException)
                {
                    continue;
                }
                catch (System.NotSupportedException)
                {
                    continue;
                }

                foreach (var key in keys)
                {
                    if (key.StartsWith(Prefix, System.StringComparison.OrdinalIgnoreCase) && !AllocOptions.IsKnownKey(key))
                    {
                        unknown.Add(key);
                    }
                }
            }

            return unknown;
        }

        /// <summary>The known key nearest to <paramref name="key"/> in edit distance, when it is close enough to be a typo.</summary>
        private static string? Nearest(string key)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var option in AllocOptions.All)
            {
                int distance = EditDistance(key.ToLowerInvariant(), option.Key);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = option.Key;
                }
            }

            return bestDistance <= System.Math.Max(3, (key.Length - Prefix.Length) / 3) ? best : null;
        }

        private static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                    current[j] = System.Math.Min(substitution, System.Math.Min(previous[j] + 1, current[j - 1] + 1));
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
