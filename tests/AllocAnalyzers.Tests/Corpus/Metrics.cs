using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Corpus.Metrics
{
    public enum Unit { Count, Bytes, Milliseconds }

    public readonly struct MetricKey
    {
        public MetricKey(string name, int shard)
        {
            Name = name;
            Shard = shard;
        }

        public string Name { get; }
        public int Shard { get; }
    }

    public readonly struct Sample : IComparable<Sample>
    {
        public Sample(long timestamp, double value)
        {
            Timestamp = timestamp;
            Value = value;
        }

        public long Timestamp { get; }
        public double Value { get; }

        public int CompareTo(Sample other) => Timestamp.CompareTo(other.Timestamp);

        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    public interface IMeasure
    {
        double Read();
    }

    public struct Gauge : IMeasure
    {
        public double Current;

        public double Read() => Current;
    }

    public sealed class MetricsRegistry
    {
        private readonly Dictionary<MetricKey, List<Sample>> _series = new Dictionary<MetricKey, List<Sample>>();
        private readonly Dictionary<string, object> _tags = new Dictionary<string, object>();
        private readonly StringBuilder _log = new StringBuilder();
        private Unit _unit = Unit.Count;

        public void Record(string name, int shard, long timestamp, double value)
        {
            var key = new MetricKey(name, shard);
            if (!_series.TryGetValue(key, out var samples))
            {
                samples = new List<Sample>();
                _series[key] = samples;
            }

            samples.Add(new Sample(timestamp, value));
            _tags["last"] = timestamp;
        }

        public string Describe(string name, int shard)
        {
            var key = new MetricKey(name, shard);
            int hash = key.GetHashCode();
            string unit = _unit.ToString();
            return string.Format(CultureInfo.InvariantCulture, "{0}#{1} ({2}) hash {3}", name, shard, unit, hash);
        }

        public double Total(IMeasure measure) => measure.Read();

        public double ReadGauge(Gauge gauge)
        {
            IMeasure measure = gauge;
            return Total(measure) + Total(gauge);
        }

        public void Trace(Sample sample, Unit unit)
        {
            _log.Append(sample).Append(' ').Append(unit).Append(' ').Append(sample.Timestamp).AppendLine();
            _log.AppendFormat(CultureInfo.InvariantCulture, "{0:F2}", sample.Value);
        }

        public bool SameUnit(object other) => Equals(_unit, other);

        public int CountPositive(IEnumerable<int> values) => values.OfType<int>().Count(v => v > 0);

        public IComparable<Sample> Latest(Sample sample) => sample;

        public bool IsComparable(Sample sample) => sample is IComparable<Sample>;

        public string Summary(List<Sample> samples)
        {
            var sorted = samples.OrderBy(s => s).ToList();
            object first = sorted.Count > 0 ? sorted[0] : "none";
            return "first " + first + ", unit " + _unit + ", count " + sorted.Count;
        }

        public Func<double> Reader(Gauge gauge) => gauge.Read;

        public T Echo<T>(T value) => (T)(object)value!;
    }
}
