using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>The same <c>.editorconfig</c> keys for every file: how a benchmark posture configures the analyzers.</summary>
    internal sealed class FixedOptions : AnalyzerConfigOptionsProvider
    {
        private readonly Values _values;

        public FixedOptions(IReadOnlyDictionary<string, string> values) => _values = new Values(values);

        public override AnalyzerConfigOptions GlobalOptions => _values;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _values;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _values;

        private sealed class Values : AnalyzerConfigOptions
        {
            private readonly IReadOnlyDictionary<string, string> _values;

            public Values(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
                => _values.TryGetValue(key, out value);
        }
    }
}
