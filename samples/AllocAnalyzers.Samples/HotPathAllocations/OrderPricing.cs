using System;
using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Samples.HotPathAllocations
{
    public sealed class OrderLine
    {
        public string Sku = string.Empty;
        public int Quantity;
        public decimal UnitPrice;
    }

    /// <summary>Everyday code on a hot path: each line below that allocates is reported (ALLOC101–ALLOC109).</summary>
    public sealed class OrderPricing
    {
        private readonly List<OrderLine> _lines = new List<OrderLine>();
        private readonly List<Receipt> _issued = new List<Receipt>();
        private int _priced;

        public void Add(string sku, int quantity, decimal unitPrice)
            => _lines.Add(new OrderLine { Sku = sku, Quantity = quantity, UnitPrice = unitPrice });

        [HotPath]
        public string Price(decimal discount)
        {
            var totals = new decimal[_lines.Count];                                  // ALLOC102
            for (int i = 0; i < _lines.Count; i++)
            {
                totals[i] = _lines[i].Quantity * _lines[i].UnitPrice;
            }

            Func<decimal, decimal> apply = total => total * (1 - discount);         // ALLOC104
            var discounted = totals.Select(apply).ToList();                         // ALLOC108 ×2
            decimal sum = 0;
            foreach (var value in (IEnumerable<decimal>)discounted)                 // ALLOC107
            {
                sum += value;
            }

            _priced++;
            Log("priced", _priced, sum);                                            // ALLOC103
            int shipped = _lines.Count(IsShipped);                                  // ALLOC105        
            var receipt = new Receipt { Total = sum, Lines = shipped };             // ALLOC101
            _issued.Add(receipt);
            return receipt.Lines + " lines: " + receipt.Total;                     // ALLOC106
        }

        [HotPath]
        public static bool AnyBulk(IEnumerable<OrderLine> lines)
            => lines.Any(line => line.Quantity >= 10);                               // ALLOC108: the enumerator, unless an array or a List<T>

        [HotPath]
        public IEnumerable<string> Skus()
        {
            foreach (var line in _lines)
            {
                yield return line.Sku;                                               // ALLOC109
            }
        }

        [HotPath]
        public System.Threading.Tasks.Task<decimal> PriceAsync(decimal discount) => ComputeAsync(discount);       // ALLOC110

        private async System.Threading.Tasks.Task<decimal> ComputeAsync(decimal discount)
        {
            await System.Threading.Tasks.Task.Yield();
            return _lines.Count * (1 - discount);
        }

        private bool IsShipped(OrderLine line) => line.Quantity > 0 && _priced > 0;

        private static void Log(string what, params object[] values) => _ = what.Length + values.Length;

        private sealed class Receipt
        {
            public decimal Total;
            public int Lines;
        }

        /// <summary>What the .NET 10 JIT may keep off the heap in optimized code: suggestions that say so.</summary>
        [HotPath]
        public decimal Average(int count)
        {
            var receipt = new Receipt { Total = _priced, Lines = count };           // ALLOC101 (info): stays in the method, may be stack-allocated
            decimal perLine = receipt.Total / (receipt.Lines + 1);
            Func<int, decimal> share = n => perLine / (n + count);                 // ALLOC104: the closure always, the delegate perhaps
            return share(receipt.Lines);
        }
    }
}
