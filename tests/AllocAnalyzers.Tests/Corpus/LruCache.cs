using System;
using System.Collections.Generic;

namespace Corpus.Caching
{
    public sealed class LruCache<TKey, TValue>
        where TKey : notnull
    {
        private sealed class Entry
        {
            public TKey Key = default!;
            public TValue Value = default!;
            public Entry? Previous;
            public Entry? Next;
        }

        private readonly Dictionary<TKey, Entry> _map;
        private readonly int _capacity;
        private Entry? _head;
        private Entry? _tail;

        public LruCache(int capacity)
        {
            if (capacity <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive, was " + capacity);
            }

            _capacity = capacity;
            _map = new Dictionary<TKey, Entry>(capacity);
        }

        public int Count => _map.Count;

        public bool TryGet(TKey key, out TValue value)
        {
            if (_map.TryGetValue(key, out var entry))
            {
                MoveToFront(entry);
                value = entry.Value;
                return true;
            }

            value = default!;
            return false;
        }

        public void Set(TKey key, TValue value)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                existing.Value = value;
                MoveToFront(existing);
                return;
            }

            var entry = new Entry { Key = key, Value = value };
            _map[key] = entry;
            AddFront(entry);
            if (_map.Count > _capacity && _tail != null)
            {
                var evicted = _tail;
                Unlink(evicted);
                _map.Remove(evicted.Key);
            }
        }

        public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
        {
            if (TryGet(key, out var value))
            {
                return value;
            }

            value = factory(key);
            Set(key, value);
            return value;
        }

        public TKey[] Keys()
        {
            var keys = new TKey[_map.Count];
            int i = 0;
            for (var entry = _head; entry != null; entry = entry.Next)
            {
                keys[i++] = entry.Key;
            }

            return keys;
        }

        public List<TValue> Snapshot(Predicate<TValue> filter)
        {
            var result = new List<TValue>();
            for (var entry = _head; entry != null; entry = entry.Next)
            {
                if (filter(entry.Value))
                {
                    result.Add(entry.Value);
                }
            }

            return result;
        }

        private void MoveToFront(Entry entry)
        {
            if (entry == _head)
            {
                return;
            }

            Unlink(entry);
            AddFront(entry);
        }

        private void AddFront(Entry entry)
        {
            entry.Next = _head;
            entry.Previous = null;
            if (_head != null)
            {
                _head.Previous = entry;
            }

            _head = entry;
            _tail ??= entry;
        }

        private void Unlink(Entry entry)
        {
            if (entry.Previous != null)
            {
                entry.Previous.Next = entry.Next;
            }
            else
            {
                _head = entry.Next;
            }

            if (entry.Next != null)
            {
                entry.Next.Previous = entry.Previous;
            }
            else
            {
                _tail = entry.Previous;
            }
        }
    }

    public static class CacheUser
    {
        public static int Warm(LruCache<int, string> cache, int count)
        {
            int misses = 0;
            for (int i = 0; i < count; i++)
            {
                int offset = count;
                cache.GetOrAdd(i, key => (key + offset).ToString());
                misses += cache.TryGet(i, out _) ? 0 : 1;
            }

            return misses + cache.Snapshot(static v => v.Length > 1).Count;
        }
    }
}
