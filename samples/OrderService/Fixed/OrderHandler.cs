using System;
using System.Buffers;
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

            OrderLine[] linesRented = ArrayPool<OrderLine>.Shared.Rent(header.LineCount);
            try
            {
                Span<OrderLine> lines = new Span<OrderLine>(linesRented, 0, header.LineCount);
                lines.Clear();
                if (!OrderParser.TryParseLines(request.Slice(consumed), lines))
                {
                    return OrderResult.Rejected(header.OrderId, "malformed line");
                }

                decimal[] amountsRented = ArrayPool<decimal>.Shared.Rent(header.LineCount);
                try
                {
                    Span<decimal> amounts = new Span<decimal>(amountsRented, 0, header.LineCount);
                    amounts.Clear();
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

                    byte[] receiptRented = ArrayPool<byte>.Shared.Rent(MaxReceiptBytes);
                    try
                    {
                        Span<byte> receipt = new Span<byte>(receiptRented, 0, MaxReceiptBytes);
                        receipt.Clear();
                        int written = ReceiptWriter.Write(header, lines, amounts, shipping, total, receipt);
                        if (written < 0)
                        {
                            return OrderResult.Rejected(header.OrderId, "receipt too large");
                        }

                        Span<byte> tag = stackalloc byte[32];
                        SHA256.HashData(receipt.Slice(0, written), tag);
                        return new OrderResult(header.OrderId, total, written, BinaryPrimitives.ReadUInt64LittleEndian(tag));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(receiptRented);
                    }
                }
                finally
                {
                    ArrayPool<decimal>.Shared.Return(amountsRented);
                }
            }
            finally
            {
                ArrayPool<OrderLine>.Shared.Return(linesRented);
            }
        }
    }
}
