using System;
using System.Globalization;
using System.Text.Unicode;

namespace OrderService
{
    /// <summary>Writes the UTF-8 receipt the service sends back.</summary>
    public static class ReceiptWriter
    {
        /// <summary>The receipt's length in bytes, or -1 when it does not fit.</summary>
        public static int Write(in OrderHeader header, ReadOnlySpan<OrderLine> lines, ReadOnlySpan<decimal> amounts, decimal shipping, decimal total, Span<byte> destination)
        {
            var culture = CultureInfo.InvariantCulture;
            if (!Utf8.TryWrite(destination, culture, $"order {header.OrderId} customer {header.CustomerId} region {header.Region} channel {header.Channel}\n", out int written))
            {
                return -1;
            }

            for (int i = 0; i < lines.Length; i++)
            {
                ref readonly var line = ref lines[i];
                if (!Utf8.TryWrite(destination.Slice(written), culture, $"{line.Sku} x{line.Quantity} @ {line.UnitPrice} = {amounts[i]}{(line.IsGift ? " (gift)" : "")}\n", out int count))
                {
                    return -1;
                }

                written += count;
            }

            if (!Utf8.TryWrite(destination.Slice(written), culture, $"shipping {shipping} total {total} coupon {header.Coupon ?? "-"}\n", out int tail))
            {
                return -1;
            }

            return written + tail;
        }
    }
}
