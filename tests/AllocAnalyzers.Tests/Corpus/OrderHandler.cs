using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Corpus.Orders
{
    public enum OrderStatus { New, Priced, Rejected }

    public sealed class OrderItem
    {
        public OrderItem(string sku, int quantity, decimal price)
        {
            Sku = sku;
            Quantity = quantity;
            Price = price;
        }

        public string Sku { get; }
        public int Quantity { get; }
        public decimal Price { get; }
    }

    public sealed class OrderRequest
    {
        public long Id { get; set; }
        public string Customer { get; set; } = string.Empty;
        public List<OrderItem> Items { get; } = new List<OrderItem>();
        public Dictionary<string, string> Metadata { get; } = new Dictionary<string, string>();
        public OrderStatus Status { get; set; }
    }

    public readonly record struct PriceResult(decimal Total, int Lines);

    public sealed class OrderHandler
    {
        private readonly Dictionary<string, decimal> _discounts = new Dictionary<string, decimal>();
        private readonly List<string> _audit = new List<string>();
        private int _handled;

        public string Handle(string line)
        {
            var request = Parse(line);
            if (!Validate(request, out var error))
            {
                _audit.Add("rejected " + request.Id + ": " + error);
                request.Status = OrderStatus.Rejected;
                return error;
            }

            var price = Price(request);
            request.Status = OrderStatus.Priced;
            _handled++;
            return Serialize(request, price);
        }

        public OrderRequest Parse(string line)
        {
            var parts = line.Split(';');
            var request = new OrderRequest { Id = long.Parse(parts[0], CultureInfo.InvariantCulture), Customer = parts[1] };
            for (int i = 2; i + 2 < parts.Length; i += 3)
            {
                request.Items.Add(new OrderItem(parts[i], int.Parse(parts[i + 1], CultureInfo.InvariantCulture), decimal.Parse(parts[i + 2], CultureInfo.InvariantCulture)));
            }

            request.Metadata["source"] = "line";
            return request;
        }

        public bool Validate(OrderRequest request, out string error)
        {
            var missing = request.Items.Where(item => item.Quantity <= 0).Select(item => item.Sku).ToList();
            if (missing.Count > 0)
            {
                error = $"invalid quantity for {string.Join(",", missing)}";
                return false;
            }

            error = string.Empty;
            return request.Customer.Length > 0;
        }

        public PriceResult Price(OrderRequest request)
        {
            decimal total = 0;
            var seen = new HashSet<string>();
            foreach (var item in request.Items)
            {
                if (!seen.Add(item.Sku))
                {
                    continue;
                }

                decimal discount = _discounts.TryGetValue(item.Sku, out var d) ? d : 0m;
                total += item.Quantity * item.Price * (1 - discount);
            }

            var weights = new int[request.Items.Count];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = request.Items[i].Quantity;
            }

            Func<int, int> scale = w => w * _handled;
            int weight = weights.Sum(w => scale(w));
            return new PriceResult(total + weight, request.Items.Count);
        }

        public string Serialize(OrderRequest request, PriceResult price)
        {
            var builder = new StringBuilder();
            builder.Append($"{request.Id}|{request.Customer}|");
            foreach (var pair in request.Metadata)
            {
                builder.Append(pair.Key).Append('=').Append(pair.Value).Append(';');
            }

            builder.Append(price.Total.ToString(CultureInfo.InvariantCulture));
            return builder.ToString();
        }

        public IEnumerable<string> AuditTrail()
        {
            foreach (var entry in _audit)
            {
                yield return entry.ToUpperInvariant();
            }
        }

        public int CountAudit()
        {
            int count = 0;
            foreach (var entry in AuditTrail())
            {
                count += entry.Length;
            }

            return count;
        }

        public void Reset(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                _discounts.Remove(key);
            }

            if (_handled < 0)
            {
                throw new InvalidOperationException("negative count " + _handled);
            }
        }
    }
}
