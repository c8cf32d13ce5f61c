using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// One <c>alloc_analyzers.*</c> option: its key, its default and how its text is read. Rules read values with
    /// <see cref="AllocOption{T}.Read"/>, which falls back to the default on a bad value; the configuration
    /// analyzer reports the bad value (ALLOC001) through <see cref="TryValidate"/>.
    /// </summary>
    internal abstract class AllocOption
    {
        protected AllocOption(string key, string defaultText)
        {
            Key = key;
            DefaultText = defaultText;
        }

        public string Key { get; }

        public string DefaultText { get; }

        /// <summary>False with a short reason when <paramref name="raw"/> is not a valid value.</summary>
        public abstract bool TryValidate(string raw, out string problem);
    }

    internal abstract class AllocOption<T> : AllocOption
    {
        protected AllocOption(string key, T defaultValue, string defaultText)
            : base(key, defaultText)
        {
            Default = defaultValue;
        }

        public T Default { get; }

        public T Read(AnalyzerConfigOptions options)
            => options.TryGetValue(Key, out var raw) && TryParse(raw.Trim(), out var value) ? value : Default;

        public sealed override bool TryValidate(string raw, out string problem)
        {
            if (TryParse(raw.Trim(), out _))
            {
                problem = string.Empty;
                return true;
            }

            problem = Expectation;
            return false;
        }

        /// <summary>What a valid value looks like, for the ALLOC001 message.</summary>
        protected abstract string Expectation { get; }

        protected abstract bool TryParse(string text, out T value);
    }

    internal sealed class IntOption : AllocOption<int>
    {
        private readonly int _min;
        private readonly int _max;

        public IntOption(string key, int defaultValue, int min, int max)
            : base(key, defaultValue, defaultValue.ToString(CultureInfo.InvariantCulture))
        {
            _min = min;
            _max = max;
        }

        protected override string Expectation => "expected a whole number from " + _min.ToString(CultureInfo.InvariantCulture) + " to " + _max.ToString(CultureInfo.InvariantCulture);

        protected override bool TryParse(string text, out int value)
            => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= _min && value <= _max;
    }

    internal sealed class BoolOption : AllocOption<bool>
    {
        public BoolOption(string key, bool defaultValue)
            : base(key, defaultValue, defaultValue ? "true" : "false")
        {
        }

        protected override string Expectation => "expected true or false";

        protected override bool TryParse(string text, out bool value)
        {
            if (string.Equals(text, "true", System.StringComparison.OrdinalIgnoreCase))
            {
                value = true;
                return true;
            }

            value = false;
            return string.Equals(text, "false", System.StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>One word out of a fixed set (case-insensitive), such as <c>annotated | all</c>.</summary>
    internal sealed class ChoiceOption : AllocOption<string>
    {
        private readonly string[] _choices;

        public ChoiceOption(string key, params string[] choices)
            : base(key, choices[0], choices[0])
        {
            _choices = choices;
        }

        protected override string Expectation => "expected one of " + string.Join(", ", _choices);

        protected override bool TryParse(string text, out string value)
        {
            foreach (var choice in _choices)
            {
                if (string.Equals(text, choice, System.StringComparison.OrdinalIgnoreCase))
                {
                    value = choice;
                    return true;
                }
            }

            value = Default;
            return false;
        }
    }

    /// <summary>A comma-separated list of documentation-ID patterns (parsed once per distinct text).</summary>
    internal sealed class PatternListOption : AllocOption<System.Collections.Immutable.ImmutableArray<HotPaths.MemberPattern>>
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Immutable.ImmutableArray<HotPaths.MemberPattern>?> _parsed =
            new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Immutable.ImmutableArray<HotPaths.MemberPattern>?>(System.StringComparer.Ordinal);

        public PatternListOption(string key)
            : base(key, System.Collections.Immutable.ImmutableArray<HotPaths.MemberPattern>.Empty, "none")
        {
        }

        protected override string Expectation => "expected comma-separated documentation-ID patterns such as M:MyApp.OrderHandler.Handle* or T:MyApp.Pipeline.*";

        protected override bool TryParse(string text, out System.Collections.Immutable.ImmutableArray<HotPaths.MemberPattern> value)
        {
            var parsed = _parsed.GetOrAdd(text, t => HotPaths.MemberPattern.TryParseList(t, out var patterns) ? patterns : (System.Collections.Immutable.ImmutableArray<HotPaths.MemberPattern>?)null);
            value = parsed ?? Default;
            return parsed != null;
        }
    }

    /// <summary>Comma-separated <c>Type.Rent:Type.Return</c> pairs of fully qualified method names.</summary>
    internal sealed class PoolMethodsOption : AllocOption<System.Collections.Immutable.ImmutableArray<(string Rent, string Return)>>
    {
        public PoolMethodsOption(string key)
            : base(key, System.Collections.Immutable.ImmutableArray<(string, string)>.Empty, "none")
        {
        }

        protected override string Expectation => "expected comma-separated pairs such as MyApp.BufferPool.Take:MyApp.BufferPool.Give";

        protected override bool TryParse(string text, out System.Collections.Immutable.ImmutableArray<(string Rent, string Return)> value)
        {
            var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<(string, string)>();
            foreach (var part in text.Split(','))
            {
                var pair = part.Trim();
                if (pair.Length == 0)
                {
                    continue;
                }

                var halves = pair.Split(':');
                if (halves.Length != 2 || !IsQualifiedName(halves[0]) || !IsQualifiedName(halves[1]))
                {
                    value = Default;
                    return false;
                }

                builder.Add((halves[0].Trim(), halves[1].Trim()));
            }

            value = builder.ToImmutable();
            return true;
        }

        private static bool IsQualifiedName(string text)
        {
            text = text.Trim();
            if (text.IndexOf('.') <= 0 || text.EndsWith(".", System.StringComparison.Ordinal))
            {
                return false;
            }

            foreach (char c in text)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '`'))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
