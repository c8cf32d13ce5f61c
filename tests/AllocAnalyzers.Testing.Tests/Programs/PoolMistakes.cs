using System;
using System.Buffers;
using System.IO;
using System.Text;
using Microsoft.Extensions.ObjectPool;

namespace AllocAnalyzers.Testing.Tests.Programs
{
    /// <summary>A frame whose Dispose forgets to drop its buffer: disposing it twice returns the buffer twice.</summary>
    public sealed class SloppyFrame : IDisposable
    {
        private readonly ArrayPool<byte> pool;
        private readonly byte[] buffer;

        public SloppyFrame(ArrayPool<byte> pool, int length)
        {
            this.pool = pool;
            buffer = pool.Rent(length);
        }

        public void Dispose() => pool.Return(buffer);
    }

    /// <summary>Builds a message in a pooled buffer; Complete returns the buffer but keeps the field, so the next Write lands in it.</summary>
    public sealed class MessageWriter
    {
        private readonly ArrayPool<byte> pool;
        private byte[] buffer;
        private int count;

        public MessageWriter(ArrayPool<byte> pool)
        {
            this.pool = pool;
            buffer = pool.Rent(256);
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.AsSpan(count));
            count += bytes.Length;
        }

        public byte[] Complete()
        {
            byte[] message = buffer.AsSpan(0, count).ToArray();
            pool.Return(buffer);
            count = 0;
            return message;
        }
    }

    /// <summary>Adds up a stream's bytes; a bad header throws between Rent and Return, and the rental leaks.</summary>
    public static class Checksum
    {
        public static int Compute(Stream input, ArrayPool<byte> pool)
        {
            byte[] block = pool.Rent(4096);
            int read = input.Read(block, 0, block.Length);
            if (read > 0 && block[0] != 0x7F)
            {
                throw new InvalidDataException("not a checksum block");
            }

            int sum = 0;
            for (int i = 0; i < read; i++)
            {
                sum += block[i];
            }

            pool.Return(block);
            return sum;
        }
    }

    /// <summary>Small inputs use a scratch array of its own, large ones a rental, and both go back to the pool.</summary>
    public static class Escaper
    {
        public static string Escape(string text, ArrayPool<char> pool)
        {
            char[] scratch = text.Length * 2 <= 64 ? new char[64] : pool.Rent(text.Length * 2);
            try
            {
                int length = 0;
                foreach (char c in text)
                {
                    if (c == '"' || c == '\\')
                    {
                        scratch[length++] = '\\';
                    }

                    scratch[length++] = c;
                }

                return new string(scratch, 0, length);
            }
            finally
            {
                pool.Return(scratch);
            }
        }
    }

    /// <summary>Splits a CSV line into pooled string slots and returns them without clearing.</summary>
    public static class CsvFields
    {
        public static int CountNonEmpty(string line, ArrayPool<string> pool)
        {
            string[] fields = pool.Rent(16);
            int count = 0;
            foreach (var field in line.Split(','))
            {
                fields[count++] = field;
            }

            int nonEmpty = 0;
            for (int i = 0; i < count; i++)
            {
                nonEmpty += fields[i].Length > 0 ? 1 : 0;
            }

            pool.Return(fields);
            return nonEmpty;
        }
    }

    /// <summary>Counts byte values in a rented table it assumes to be zeroed, and the fixed version that clears it.</summary>
    public static class Histogram
    {
        public static int CountOf(byte value, ReadOnlySpan<byte> data, ArrayPool<int> pool, bool clearFirst)
        {
            int[] counts = pool.Rent(256);
            try
            {
                if (clearFirst)
                {
                    Array.Clear(counts, 0, 256);
                }

                foreach (byte b in data)
                {
                    counts[b]++;
                }

                return counts[value];
            }
            finally
            {
                pool.Return(counts);
            }
        }
    }

    /// <summary>Formats report lines with a pooled StringBuilder: correctly, and with the two mistakes.</summary>
    public sealed class ReportFormatter
    {
        private readonly ObjectPool<StringBuilder> pool;

        public ReportFormatter(ObjectPoolProvider provider)
        {
            pool = provider.CreateStringBuilderPool();
        }

        public string Line(string name, decimal amount)
        {
            var text = pool.Get();
            try
            {
                return text.Append(name).Append(": ").Append(amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).ToString();
            }
            finally
            {
                pool.Return(text);
            }
        }

        /// <summary>Returns the builder in the catch and again in the finally when the amount is negative.</summary>
        public string LineOrError(string name, decimal amount)
        {
            var text = pool.Get();
            try
            {
                if (amount < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(amount));
                }

                return text.Append(name).Append(": ").Append(amount).ToString();
            }
            catch (ArgumentOutOfRangeException)
            {
                pool.Return(text);
                return name + ": invalid";
            }
            finally
            {
                pool.Return(text);
            }
        }

        /// <summary>Keeps the builder in a field after returning it, and appends to it on the next call.</summary>
        private StringBuilder? last;

        public string Continue(string more)
        {
            last?.Append(" (continued)");
            var text = pool.Get();
            text.Append(more);
            string result = text.ToString();
            pool.Return(text);
            last = text;
            return result;
        }
    }
}
