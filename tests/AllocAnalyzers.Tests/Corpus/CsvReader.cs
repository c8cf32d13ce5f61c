using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Corpus.Text
{
    public readonly struct Field
    {
        public Field(int start, int length)
        {
            Start = start;
            Length = length;
        }

        public int Start { get; }
        public int Length { get; }
    }

    public sealed class CsvReader
    {
        private readonly char _separator;
        private readonly List<Field> _fields = new List<Field>(16);

        public CsvReader(char separator) => _separator = separator;

        public int Tokenize(ReadOnlySpan<char> line)
        {
            _fields.Clear();
            int start = 0;
            for (int i = 0; i <= line.Length; i++)
            {
                if (i == line.Length || line[i] == _separator)
                {
                    _fields.Add(new Field(start, i - start));
                    start = i + 1;
                }
            }

            return _fields.Count;
        }

        public string[] Split(string line)
        {
            int count = Tokenize(line.AsSpan());
            var values = new string[count];
            for (int i = 0; i < count; i++)
            {
                var field = _fields[i];
                values[i] = line.Substring(field.Start, field.Length);
            }

            return values;
        }

        public IEnumerable<string[]> ReadAll(IEnumerable<string> lines)
        {
            foreach (var line in lines)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                yield return Split(line);
            }
        }

        public Dictionary<string, int> CountColumns(IReadOnlyList<string> lines)
        {
            var counts = new Dictionary<string, int>();
            for (int i = 0; i < lines.Count; i++)
            {
                foreach (var value in Split(lines[i]))
                {
                    counts[value] = counts.TryGetValue(value, out var c) ? c + 1 : 1;
                }
            }

            return counts;
        }

        public string Describe(IReadOnlyList<string> lines)
        {
            var widest = lines.OrderByDescending(l => l.Length).FirstOrDefault() ?? string.Empty;
            var header = new[] { "lines", "widest" };
            return string.Format("{0}={1}, {2}={3}", header[0], lines.Count, header[1], widest.Length);
        }

        public string Join(IEnumerable<string> values)
        {
            var builder = new StringBuilder(64);
            foreach (var value in values)
            {
                if (builder.Length > 0)
                {
                    builder.Append(_separator);
                }

                builder.Append(value);
            }

            return builder.ToString();
        }

        public static int Checksum(string text)
        {
            Span<byte> buffer = stackalloc byte[64];
            int sum = 0;
            int written = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, 16)), buffer);
            for (int i = 0; i < written; i++)
            {
                sum = (sum * 31) + buffer[i];
            }

            return sum;
        }
    }
}
