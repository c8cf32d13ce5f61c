using System;
using AllocAnalyzers.Samples.Boxing;
using AllocAnalyzers.Samples.HotPathAllocations;
using AllocAnalyzers.Samples.Pooling;
using AllocAnalyzers.Samples.StructLayout;

namespace AllocAnalyzers.Samples
{
    /// <summary>Runs each demonstration so the samples are real, working code, not just text to analyze.</summary>
    public static class Program
    {
        public static void Main()
        {
            Console.WriteLine(PaddedStructs.Describe());
            var pricing = new OrderPricing();
            pricing.Add("A-1", 2, 9.5m);
            pricing.Add("B-2", 1, 20m);
            Console.WriteLine(pricing.Price(0.1m) + " (" + string.Join(",", pricing.Skus()) + ")");
            Console.WriteLine("Bulk order: " + OrderPricing.AnyBulk(new[] { new OrderLine { Sku = "C-3", Quantity = 12 } }));
            Console.WriteLine($"Content-Length {HeaderParsing.ContentLength("Content-Length: 42 ")} = {HeaderParsing.ContentLengthOverSpans("Content-Length: 42 ")}");
            Console.WriteLine("Audit entries: " + Checkout.Complete(12).Count);
            Console.WriteLine(new BoxingExamples().Record(1, 2, Guid.Empty, DayOfWeek.Friday, new[] { 1, -2, 3 }));
            var bytes = new byte[] { 1, 2, 3 };
            Console.WriteLine($"Rentals: {RentalMistakes.EarlyReturn(bytes)} {RentalMistakes.TwiceAndAfter(4)} {RentalMistakes.Names(1)} {RentalMistakes.Correct(bytes)}");
            var transforms = new Transform[] { new Transform { M11 = 1, M22 = 2, M33 = 3 } };
            Console.WriteLine($"Trace sum by value {LargeStructCopies.SumByValue(transforms)}, by reference {LargeStructCopies.SumByReference(transforms)}");
        }
    }
}
