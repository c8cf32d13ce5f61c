using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OrderService
{
    /// <summary>
    /// Handles one order request: parse, validate against the price book, price, quote shipping, write the receipt
    /// and tag it. The service calls <see cref="Handle"/> for every request (configured as hot in ../.editorconfig).
    /// </summary>
    public sealed class OrderHandler
    {
        public const int MaxReceiptBytes = 4096;

        private readonly PriceBook _prices;

        public OrderHandler(PriceBook prices) => _prices = prices;

        public OrderResult Handle(ReadOnlySpan<byte> request)
        {
            if (!OrderParser.TryParseHeader(request, out var header, out int consumed))
            {
                return OrderResult.Rejected(0, "malformed header");
            }

            var lines = new OrderLine[header.LineCount];
            if (!OrderParser.TryParseLines(request.Slice(consumed), lines))
            {
                return OrderResult.Rejected(header.OrderId, "malformed line");
            }

            var amounts = new decimal[header.LineCount];
            decimal subtotal = 0m;
            for (int i = 0; i < lines.Length; i++)
            {
                if (!_prices.TryGetPrice(header.Region, lines[i].Sku, out decimal listPrice))
                {
                    return OrderResult.Rejected(header.OrderId, $"unknown SKU {lines[i].Sku} on line {i + 1}");
                }

                if (listPrice != lines[i].UnitPrice)
                {
                    return OrderResult.Rejected(header.OrderId, $"stale price for SKU {lines[i].Sku}: {lines[i].UnitPrice}, now {listPrice}");
                }

                amounts[i] = Pricing.LineAmount(lines[i], listPrice);
                subtotal += amounts[i];
            }

            decimal shipping = Shipping.Quote(header, lines);
            decimal total = subtotal + shipping;

            var receipt = new byte[MaxReceiptBytes];
            int written = ReceiptWriter.Write(header, lines, amounts, shipping, total, receipt);
            if (written < 0)
            {
                return OrderResult.Rejected(header.OrderId, "receipt too large");
            }

            var tag = new byte[32];
            SHA256.HashData(receipt.AsSpan(0, written), tag);
            return new OrderResult(header.OrderId, total, written, BinaryPrimitives.ReadUInt64LittleEndian(tag));
        }
    }
}
