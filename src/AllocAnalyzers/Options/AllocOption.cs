using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers
{
    /// <summary>
    /// One <c>alloc_analyzers.*</c> option: its key, its default and how its text is read. Rules read values with
    /// <see cref="AllocOption{T}.Read"/>, which falls back to the default on a bad value (a list keeps its good
    /// entries); the configuration analyzer reports what is wrong (ALLOC001) through <see cref="Check"/>.
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

        /// <summary>
        /// What is wrong with <paramref name="raw"/>, each as the two halves of an ALLOC001 message after the key
        /// (<c>has the invalid value 'x': expected ...</c>, <c>the default (1) is used instead</c>); empty when it reads.
        /// </summary>
        public abstract System.Collections.Generic.IEnumerable<(string Problem, string Consequence)> Check(string raw);
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

        public override System.Collections.Generic.IEnumerable<(string Problem, string Consequence)> Check(string raw)
        {
            if (!TryParse(raw.Trim(), out _))
            {
                yield return ("has the invalid value '" + raw.Trim() + "': " + Expectation, "the default (" + DefaultText + ") is used instead");
            }
        }

        /// <summary>What a valid value looks like, for the ALLOC001 message.</summary>
        public abstract string Expectation { get; }

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

        public override string Expectation => "expected a whole number from " + _min.ToString(CultureInfo.InvariantCulture) + " to " + _max.ToString(CultureInfo.InvariantCulture);

        protected override bool TryParse(string text, out int value)
            => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= _min && value <= _max;
    }

    internal sealed class BoolOption : AllocOption<bool>
    {
        public BoolOption(string key, bool defaultValue)
            : base(key, defaultValue, defaultValue ? "true" : "false")
        {
        }

        public override string Expectation => "expected true or false";

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

        public override string Expectation => "expected one of " + string.Join(", ", _choices);

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

    /// <summary>
    /// A list of entries separated by commas (or semicolons): the entries that read are used, each one that does not is
    /// reported on its own (parsed once per distinct text).
    /// </summary>
    internal abstract class ListOption<TEntry> : AllocOption<System.Collections.Immutable.ImmutableArray<TEntry>>
    {
        private static readonly char[] Separators = { ',', ';' };

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (System.Collections.Immutable.ImmutableArray<TEntry> Valid, System.Collections.Immutable.ImmutableArray<string> Invalid)> _parsed =
            new System.Collections.Concurrent.ConcurrentDictionary<string, (System.Collections.Immutable.ImmutableArray<TEntry>, System.Collections.Immutable.ImmutableArray<string>)>(System.StringComparer.Ordinal);

        protected ListOption(string key)
            : base(key, System.Collections.Immutable.ImmutableArray<TEntry>.Empty, "none")
        {
        }

        public override System.Collections.Generic.IEnumerable<(string Problem, string Consequence)> Check(string raw)
        {
            var (valid, invalid) = Parse(raw.Trim());
            foreach (var entry in invalid)
            {
                yield return ("has the invalid entry '" + entry + "': " + Expectation, valid.IsEmpty ? "the default (none) is used instead" : "the other entries are used");
            }
        }

        protected abstract bool TryParseEntry(string entry, out TEntry value);

        protected sealed override bool TryParse(string text, out System.Collections.Immutable.ImmutableArray<TEntry> value)
        {
            value = Parse(text).Valid;
            return true;
        }

        private (System.Collections.Immutable.ImmutableArray<TEntry> Valid, System.Collections.Immutable.ImmutableArray<string> Invalid) Parse(string text)
            => _parsed.GetOrAdd(text, t =>
            {
                var valid = System.Collections.Immutable.ImmutableArray.CreateBuilder<TEntry>();
                var invalid = System.Collections.Immutable.ImmutableArray.CreateBuilder<string>();
                foreach (var part in t.Split(Separators, System.StringSplitOptions.RemoveEmptyEntries))
                {
                    var entry = part.Trim();
                    if (entry.Length == 0)
                    {
                        continue;
                    }

                    if (TryParseEntry(entry, out var value))
                    {
                        valid.Add(value);
                    }
                    else
                    {
                        invalid.Add(entry);
                    }
                }

                return (valid.ToImmutable(), invalid.ToImmutable());
            });
    }

    /// <summary>Documentation-ID patterns naming hot members.</summary>
    internal sealed class PatternListOption : ListOption<MemberPattern>
    {
        public PatternListOption(string key)
            : base(key)
        {
        }

        public override string Expectation => "expected documentation-ID patterns such as M:MyApp.OrderHandler.Handle* or T:MyApp.Pipeline.*";

        protected override bool TryParseEntry(string entry, out MemberPattern value)
            => MemberPattern.TryParse(entry, out value!);
    }

    /// <summary><c>Type.Rent:Type.Return</c> pairs of fully qualified method names.</summary>
    internal sealed class PoolMethodsOption : ListOption<(string Rent, string Return)>
    {
        public PoolMethodsOption(string key)
            : base(key)
        {
        }

        public override string Expectation => "expected pairs such as MyApp.BufferPool.Take:MyApp.BufferPool.Give";

        protected override bool TryParseEntry(string entry, out (string Rent, string Return) value)
        {
            var halves = entry.Split(':');
            if (halves.Length != 2 || !IsQualifiedName(halves[0]) || !IsQualifiedName(halves[1]))
            {
                value = default;
                return false;
            }

            value = (halves[0].Trim(), halves[1].Trim());
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
