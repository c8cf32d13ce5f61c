using System;
using System.Buffers.Text;
using System.Text;

namespace OrderService
{
    /// <summary>
    /// Reads the wire format: a header line of <c>name:value</c> fields separated by <c>;</c>
    /// (<c>O:1001;C:42;CH:web;R:eu;N:2;CP:WINTER10</c>), then one line per item:
    /// <c>sku,quantity,unitPrice,category,gift</c>.
    /// </summary>
    public static class OrderParser
    {
        public const int MaxLines = 64;

        public static bool TryParseHeader(ReadOnlySpan<byte> request, out OrderHeader header, out int consumed)
        {
            header = default;
            consumed = 0;
            int end = request.IndexOf((byte)'\n');
            if (end < 0)
            {
                return false;
            }

            consumed = end + 1;
            var fields = request.Slice(0, end);
            while (!fields.IsEmpty)
            {
                int separator = fields.IndexOf((byte)';');
                var field = separator < 0 ? fields : fields.Slice(0, separator);
                fields = separator < 0 ? ReadOnlySpan<byte>.Empty : fields.Slice(separator + 1);
                int colon = field.IndexOf((byte)':');
                if (colon <= 0 || !TryApply(ref header, field.Slice(0, colon), field.Slice(colon + 1)))
                {
                    return false;
                }
            }

            return header.OrderId > 0 && header.LineCount > 0 && header.LineCount <= MaxLines;
        }

        public static bool TryParseLines(ReadOnlySpan<byte> text, Span<OrderLine> lines)
        {
            for (int i = 0; i < lines.Length; i++)
            {
                int end = text.IndexOf((byte)'\n');
                var line = end < 0 ? text : text.Slice(0, end);
                text = end < 0 ? ReadOnlySpan<byte>.Empty : text.Slice(end + 1);
                if (!TryParseLine(line, out lines[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryParseLine(ReadOnlySpan<byte> line, out OrderLine item)
        {
            item = default;
            if (!Utf8Parser.TryParse(line, out item.Sku, out int used) || !Skip(ref line, used))
            {
                return false;
            }

            if (!Utf8Parser.TryParse(line, out item.Quantity, out used) || item.Quantity <= 0 || !Skip(ref line, used))
            {
                return false;
            }

            if (!Utf8Parser.TryParse(line, out item.UnitPrice, out used) || !Skip(ref line, used))
            {
                return false;
            }

            if (line.Length < 3)
            {
                return false;
            }

            item.Category = line[0] switch { (byte)'p' => Category.Physical, (byte)'f' => Category.Fragile, _ => Category.Digital };
            item.IsGift = line[2] == (byte)'1';
            return true;
        }

        /// <summary>Steps over the parsed value and the comma after it.</summary>
        private static bool Skip(ref ReadOnlySpan<byte> line, int used)
        {
            if (used >= line.Length || line[used] != (byte)',')
            {
                return false;
            }

            line = line.Slice(used + 1);
            return true;
        }

        private static bool TryApply(ref OrderHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            if (name.SequenceEqual("O"u8))
            {
                return Utf8Parser.TryParse(value, out header.OrderId, out _);
            }

            if (name.SequenceEqual("C"u8))
            {
                return Utf8Parser.TryParse(value, out header.CustomerId, out _);
            }

            if (name.SequenceEqual("N"u8))
            {
                return Utf8Parser.TryParse(value, out header.LineCount, out _);
            }

            if (name.SequenceEqual("CH"u8))
            {
                header.Channel = value.SequenceEqual("web"u8) ? Channel.Web : value.SequenceEqual("app"u8) ? Channel.Mobile : Channel.Store;
                return true;
            }

            if (name.SequenceEqual("R"u8))
            {
                header.Region = value.SequenceEqual("eu"u8) ? Region.Eu : value.SequenceEqual("us"u8) ? Region.Us : Region.Apac;
                return true;
            }

            if (name.SequenceEqual("CP"u8))
            {
                header.Coupon = Encoding.UTF8.GetString(value);
                return true;
            }

            return true; // unknown metadata is ignored
        }
    }
}
