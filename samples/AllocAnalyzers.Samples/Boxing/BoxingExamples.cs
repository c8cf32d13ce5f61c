using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.Samples.Boxing
{
    public struct ShardKey
    {
        public int Shard;
        public int Partition;
    }

    public struct Reading
    {
        public int Value;

        public int Get() => Value;
    }

    /// <summary>Everyday boxing on a hot path: each reported line says what is boxed, into what, and the bytes.</summary>
    public sealed class BoxingExamples
    {
        private readonly Dictionary<ShardKey, int> _counts = new Dictionary<ShardKey, int>();   // ALLOC205
        private readonly StringBuilder _log = new StringBuilder();

        [HotPath]
        public string Record(int shard, int partition, Guid requestId, DayOfWeek day, int[] values)
        {
            var key = new ShardKey { Shard = shard, Partition = partition };
            _counts[key] = _counts.TryGetValue(key, out var count) ? count + 1 : 1;
            _log.Append(requestId);                                          // ALLOC201 (fix: requestId.ToString())
            object last = shard;                                             // ALLOC201
            int hash = key.GetHashCode();                                    // ALLOC202
            string name = day.ToString();                                    // ALLOC202
            var reading = new Reading { Value = hash };
            Func<int> read = reading.Get;                                    // ALLOC203
            int positives = values.OfType<int>().Count(v => v > 0);          // ALLOC204
            return name + last + read() + positives;
        }
    }
}
