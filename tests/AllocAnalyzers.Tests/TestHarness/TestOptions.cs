using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>Analyzer options from <c>key = value</c> lines, applying to every file (for direct model tests).</summary>
    public sealed class TestOptions : AnalyzerConfigOptionsProvider
    {
        private readonly DictionaryOptions _options;

        public TestOptions(string? lines)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in (lines ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
                }
            }

            _options = new DictionaryOptions(values);
        }

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public static AnalyzerOptions Create(string? lines) => new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new TestOptions(lines));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class DictionaryOptions : AnalyzerConfigOptions
        {
            private readonly Dictionary<string, string> _values;

            public DictionaryOptions(Dictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
