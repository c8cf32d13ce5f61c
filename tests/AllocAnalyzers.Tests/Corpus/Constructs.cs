using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

#nullable enable

namespace Corpus.Constructs
{
    public record Person(string Name, int Age)
    {
        public string Display => $"{Name} ({Age})";
    }

    public record struct Point(int X, int Y);

    public readonly record struct Span2(long Start, long Length);

    public sealed class Service(string name, int retries)
    {
        public string Name => name;

        public int Retry(Func<int, bool> attempt)
        {
            for (int i = 0; i < retries; i++)
            {
                if (attempt(i))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    public ref struct Cursor
    {
        private readonly Span<byte> _buffer;
        private int _position;

        public Cursor(Span<byte> buffer)
        {
            _buffer = buffer;
            _position = 0;
        }

        public bool TryWrite(byte value)
        {
            if (_position >= _buffer.Length)
            {
                return false;
            }

            _buffer[_position++] = value;
            return true;
        }
    }

    public unsafe struct Header
    {
        public byte Version;
        public fixed byte Magic[4];
        public long Length;
        public short Flags;
    }

    [InlineArray(8)]
    public struct EightInts
    {
        private int _element;
    }

    [StructLayout(LayoutKind.Explicit)]
    public struct Union
    {
        [FieldOffset(0)] public int AsInt;
        [FieldOffset(0)] public float AsFloat;
    }

    public partial class Split
    {
        public int Left() => Right() + 1;
    }

    public partial class Split
    {
        public int Right() => 41;
    }

    file sealed class Hidden
    {
        public static int Value => 3;
    }

    public static class Generic
    {
        public static T Max<T>(IReadOnlyList<T> items) where T : IComparable<T>
        {
            T best = items[0];
            foreach (var item in items)
            {
                if (item.CompareTo(best) > 0)
                {
                    best = item;
                }
            }

            return best;
        }

        public static Dictionary<TKey, List<TValue>> Group<TKey, TValue>(IEnumerable<TValue> values, Func<TValue, TKey> key)
            where TKey : notnull
        {
            var groups = new Dictionary<TKey, List<TValue>>();
            foreach (var value in values)
            {
                var k = key(value);
                if (!groups.TryGetValue(k, out var list))
                {
                    groups[k] = list = new List<TValue>();
                }

                list.Add(value);
            }

            return groups;
        }
    }

    public static class Flow
    {
        public static async Task<int> SumAsync(IAsyncEnumerable<int> values)
        {
            int sum = 0;
            await foreach (var value in values)
            {
                sum += value;
            }

            return sum;
        }

        public static async IAsyncEnumerable<int> Produce(int count)
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }

        public static IEnumerable<(int Index, string Text)> Indexed(string[] items)
        {
            for (int i = 0; i < items.Length; i++)
            {
                yield return (i, items[i]);
            }
        }

        public static string Classify(object value) => value switch
        {
            int n when n < 0 => "negative",
            int n => "int " + n,
            string { Length: 0 } => "empty",
            string s => s,
            Point { X: 0, Y: 0 } => "origin",
            Point p => p.ToString(),
            null => "null",
            _ => value.GetType().Name,
        };

        public static int Locals(int seed)
        {
            int total = seed;
            Add(2);
            Add(3);
            return total + Twice(seed);

            void Add(int amount) => total += amount;

            static int Twice(int x) => x * 2;
        }

        public static int[] Collections(int n)
        {
            int[] first = [1, 2, 3];
            List<int> second = [.. first, n];
            ReadOnlySpan<int> third = [4, 5, 6];
            int[] empty = [];
            return [.. second, third[0], empty.Length];
        }

        public static unsafe int Unsafe(Header header)
        {
            Header* pointer = &header;
            int sum = pointer->Version;
            for (int i = 0; i < 4; i++)
            {
                sum += header.Magic[i];
            }

            Span<int> stack = stackalloc int[4];
            stack[0] = sum;
            var eight = new EightInts();
            eight[0] = stack[0];
            return eight[0] + Hidden.Value;
        }

        public static string? Nullable(string? text, Person? person) => text?.Trim() ?? person?.Name;

        public static Person Older(Person person) => person with { Age = person.Age + 1 };

        public static Func<int, int> Adder(int amount) => x => x + amount;

        public static object Box(Point point) => point;
    }
}
