using System;
using System.Buffers;

namespace AllocAnalyzers.Samples.Pooling
{
    /// <summary>Pool rentals gone wrong, each reported (ALLOC401–ALLOC406), and one done right.</summary>
    public static class RentalMistakes
    {
        private static readonly ArrayPool<byte> Private = ArrayPool<byte>.Create();

        public static int EarlyReturn(ReadOnlySpan<byte> input)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(input.Length);                 // ALLOC401: the early return skips Return
            if (input.IsEmpty)
            {
                return 0;
            }

            input.CopyTo(buffer);
            int sum = 0;
            for (int i = 0; i < buffer.Length; i++)                                  // ALLOC405: Length is not input.Length
            {
                sum += buffer[i];
            }

            ArrayPool<byte>.Shared.Return(buffer);
            return sum;
        }

        public static int TwiceAndAfter(int size)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                buffer[0] = 1;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            int first = buffer[0];                                                   // ALLOC403: used after Return
            ArrayPool<byte>.Shared.Return(buffer);                                   // ALLOC402: returned twice
            return first;
        }

        public static void WrongPool(int size)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                buffer[0] = 1;
            }
            finally
            {
                Private.Return(buffer);                                              // ALLOC404: not where it came from
            }
        }

        public static string Names(int count)
        {
            var names = ArrayPool<string>.Shared.Rent(count);
            try
            {
                names[0] = "first";
                return names[0];
            }
            finally
            {
                ArrayPool<string>.Shared.Return(names);                              // ALLOC406 (raised to a warning in the samples' .editorconfig): keeps the strings alive
            }
        }

        public static int Correct(ReadOnlySpan<byte> input)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(input.Length);
            try
            {
                input.CopyTo(buffer);
                int sum = 0;
                foreach (var b in buffer.AsSpan(0, input.Length))
                {
                    sum += b;
                }

                return sum;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public static int ThrowsBeforeReturn(int size)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);                         // ALLOC401: an exception in Checksum skips Return
            int sum = Checksum(buffer, size);
            ArrayPool<byte>.Shared.Return(buffer);
            return sum;
        }

        private static int Checksum(byte[] buffer, int count) => count > buffer.Length ? throw new ArgumentOutOfRangeException(nameof(count)) : buffer[0] + count;
    }
}
