using System;
using System.Collections.Generic;

namespace OrderService
{
    /// <summary>A catalogue item in one region.</summary>
    public struct SkuKey : IEquatable<SkuKey>
    {
        public SkuKey(long sku, Region region)
        {
            Sku = sku;
            Region = region;
        }

        public long Sku;
        public Region Region;

        public bool Equals(SkuKey other) => EqualityComparer<long>.Default.Equals(Sku, other.Sku) && EqualityComparer<Region>.Default.Equals(Region, other.Region);
        public override bool Equals(object? obj) => obj is SkuKey other && Equals(other);
        public override int GetHashCode() => HashCode.Combine(Sku, Region);
    }

    /// <summary>List prices by region and SKU, loaded once at start-up and read by every request.</summary>
    public sealed class PriceBook
    {
        private readonly Dictionary<SkuKey, decimal> _prices = new Dictionary<SkuKey, decimal>();

        public int Count => _prices.Count;

        public void Add(Region region, long sku, decimal price) => _prices.Add(new SkuKey(sku, region), price);

        public bool TryGetPrice(Region region, long sku, out decimal price) => _prices.TryGetValue(new SkuKey(sku, region), out price);
    }
}
