extern alias original;
extern alias twin;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OrderService.LoadDriver
{
    /// <summary>
    /// The same deterministic stream of order requests and the same price book for both variants: a catalogue of SKUs
    /// per region, orders of 1 to 12 lines, a quarter of them digital goods only, a few with a coupon, and about one in
    /// a hundred carrying a stale price (rejected).
    /// </summary>
    internal sealed class Workload
    {
        private const int SkusPerRegion = 2000;
        private static readonly string[] Regions = { "eu", "us", "apac" };
        private static readonly string[] Channels = { "web", "app", "store" };

        private Workload(byte[][] requests, (int Region, long Sku, decimal Price)[] catalogue)
        {
            Requests = requests;
            Catalogue = catalogue;
        }

        public byte[][] Requests { get; }

        public (int Region, long Sku, decimal Price)[] Catalogue { get; }

        public static Workload Create(int distinctRequests, int seed)
        {
            var random = new Random(seed);
            var catalogue = new List<(int, long, decimal)>();
            var prices = new Dictionary<(int, long), decimal>();
            for (int region = 0; region < Regions.Length; region++)
            {
                for (int i = 0; i < SkusPerRegion; i++)
                {
                    long sku = 100_000 + i;
                    decimal price = Math.Round((decimal)(0.5 + (random.NextDouble() * 200)), 2);
                    catalogue.Add((region, sku, price));
                    prices[(region, sku)] = price;
                }
            }

            var requests = new byte[distinctRequests][];
            var text = new StringBuilder();
            for (int n = 0; n < requests.Length; n++)
            {
                int region = random.Next(Regions.Length);
                int lines = 1 + random.Next(12);
                bool digitalOnly = random.Next(4) == 0;
                text.Clear();
                text.Append(CultureInfo.InvariantCulture, $"O:{1000 + n};C:{random.Next(1, 50_000)};CH:{Channels[random.Next(3)]};R:{Regions[region]};N:{lines}");
                if (random.Next(10) < 3)
                {
                    text.Append(";CP:WINTER").Append(random.Next(5, 30));
                }

                text.Append('\n');
                for (int i = 0; i < lines; i++)
                {
                    long sku = 100_000 + random.Next(SkusPerRegion);
                    decimal price = prices[(region, sku)];
                    if (random.Next(1200) == 0)
                    {
                        price += 1m; // a stale price: the service rejects the order
                    }

                    char category = digitalOnly ? 'd' : "pppfd"[random.Next(5)];
                    int quantity = random.Next(10) == 0 ? 10 + random.Next(20) : 1 + random.Next(4);
                    text.Append(CultureInfo.InvariantCulture, $"{sku},{quantity},{price},{category},{(random.Next(8) == 0 ? 1 : 0)}\n");
                }

                requests[n] = Encoding.UTF8.GetBytes(text.ToString());
            }

            return new Workload(requests, catalogue.ToArray());
        }

        /// <summary>A request handler for one variant, over the shared price book.</summary>
        public Func<byte[], (decimal Total, ulong Tag, bool Accepted)> CreateHandler(string variant)
        {
            if (variant == "original")
            {
                var book = new original::OrderService.PriceBook();
                foreach (var (region, sku, price) in Catalogue)
                {
                    book.Add((original::OrderService.Region)region, sku, price);
                }

                var handler = new original::OrderService.OrderHandler(book);
                return request =>
                {
                    var result = handler.Handle(request);
                    return (result.Total, result.ReceiptTag, result.Accepted);
                };
            }

            if (variant == "fixed")
            {
                var book = new twin::OrderService.PriceBook();
                foreach (var (region, sku, price) in Catalogue)
                {
                    book.Add((twin::OrderService.Region)region, sku, price);
                }

                var handler = new twin::OrderService.OrderHandler(book);
                return request =>
                {
                    var result = handler.Handle(request);
                    return (result.Total, result.ReceiptTag, result.Accepted);
                };
            }

            throw new ArgumentException("unknown variant '" + variant + "' (expected original or fixed)");
        }
    }
}
