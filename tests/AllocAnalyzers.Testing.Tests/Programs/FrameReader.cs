using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;

namespace AllocAnalyzers.Testing.Tests.Programs
{
    /// <summary>
    /// Reads length-prefixed frames (a 4-byte big-endian length, then the payload) into pooled buffers that grow as
    /// needed, and hands each frame to the caller, who returns it by disposing it. Correct use of a pool: the
    /// grow-buffer pattern (rent bigger, copy, return the smaller) and ownership handed to a caller.
    /// </summary>
    public sealed class FrameReader
    {
        private readonly ArrayPool<byte> pool;
        private readonly Stream stream;

        public FrameReader(Stream stream, ArrayPool<byte>? pool = null)
        {
            this.stream = stream;
            this.pool = pool ?? ArrayPool<byte>.Shared;
        }

        /// <summary>The next frame, or null at the end of the stream. The caller owns it and must dispose it.</summary>
        public Frame? ReadFrame()
        {
            Span<byte> header = stackalloc byte[4];
            if (!ReadExactly(header))
            {
                return null;
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(header);
            if (length < 0)
            {
                throw new InvalidDataException("negative frame length " + length);
            }

            byte[] buffer = pool.Rent(Math.Min(length, 64));
            int filled = 0;
            try
            {
                while (filled < length)
                {
                    if (filled == buffer.Length)
                    {
                        byte[] bigger = pool.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(bigger);
                        pool.Return(buffer);
                        buffer = bigger;
                    }

                    int read = stream.Read(buffer, filled, Math.Min(buffer.Length, length) - filled);
                    if (read == 0)
                    {
                        throw new EndOfStreamException("frame cut short after " + filled + " of " + length + " bytes");
                    }

                    filled += read;
                }

                return new Frame(pool, buffer, length);
            }
            catch
            {
                pool.Return(buffer);
                throw;
            }
        }

        private bool ReadExactly(Span<byte> destination)
        {
            int total = 0;
            while (total < destination.Length)
            {
                int read = stream.Read(destination.Slice(total));
                if (read == 0)
                {
                    return total == 0 ? false : throw new EndOfStreamException("header cut short");
                }

                total += read;
            }

            return true;
        }

        public static byte[] Encode(params byte[][] payloads)
        {
            var output = new MemoryStream();
            foreach (var payload in payloads)
            {
                var header = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(header, payload.Length);
                output.Write(header, 0, 4);
                output.Write(payload, 0, payload.Length);
            }

            return output.ToArray();
        }
    }

    /// <summary>A frame's payload in a pooled buffer; disposing it returns the buffer.</summary>
    public sealed class Frame : IDisposable
    {
        private readonly ArrayPool<byte> pool;
        private byte[]? buffer;

        public Frame(ArrayPool<byte> pool, byte[] buffer, int length)
        {
            this.pool = pool;
            this.buffer = buffer;
            Length = length;
        }

        public int Length { get; }

        public ReadOnlySpan<byte> Payload => (buffer ?? throw new ObjectDisposedException(nameof(Frame))).AsSpan(0, Length);

        public void Dispose()
        {
            var rented = buffer;
            buffer = null;
            if (rented != null)
            {
                pool.Return(rented);
            }
        }
    }
}
