using System;
using System.Buffers;
using System.Text.Unicode;

namespace OrderService
{
    /// <summary>Quotes shipping from the carrier label the order would need.</summary>
    public static class Shipping
    {
        private const int LabelBytes = 1024;

        public static decimal Quote(in OrderHeader header, ReadOnlySpan<OrderLine> lines)
        {
            byte[] label = ArrayPool<byte>.Shared.Rent(LabelBytes);
            int length = WriteLabel(lines, label.AsSpan());
            if (length == 0)
            {
                return 0m; // digital goods only: nothing ships
            }

            var rate = new CarrierRate(BaseRate(header.Region), 0.01m);
            decimal cost = rate.Base + (rate.PerByte * length);
            ArrayPool<byte>.Shared.Return(label);
            return cost;
        }

        private static int WriteLabel(ReadOnlySpan<OrderLine> lines, Span<byte> label)
        {
            int written = 0;
            foreach (ref readonly var line in lines)
            {
                if (line.Category == Category.Digital)
                {
                    continue;
                }

                if (!Utf8.TryWrite(label.Slice(written), $"{line.Sku}:{line.Quantity}{(line.Category == Category.Fragile ? "!" : "")};", out int count))
                {
                    break;
                }

                written += count;
            }

            return written;
        }

        private static decimal BaseRate(Region region) => region switch
        {
            Region.Eu => 4.90m,
            Region.Us => 5.90m,
            _ => 9.90m,
        };
    }

    /// <summary>A carrier's rate: a base price per parcel and a price per byte of its label.</summary>
    public sealed class CarrierRate
    {
        public CarrierRate(decimal baseRate, decimal perByte)
        {
            Base = baseRate;
            PerByte = perByte;
        }

        public decimal Base { get; }

        public decimal PerByte { get; }
    }
}
