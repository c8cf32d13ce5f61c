namespace OrderService
{
    /// <summary>Where an order was placed.</summary>
    public enum Channel : byte
    {
        Web,
        Mobile,
        Store,
    }

    /// <summary>The region an order ships to, which selects the warehouse.</summary>
    public enum Region : byte
    {
        Eu,
        Us,
        Apac,
    }

    /// <summary>What kind of goods a line holds; digital goods do not ship.</summary>
    public enum Category : byte
    {
        Physical,
        Fragile,
        Digital,
    }

    /// <summary>The header of an order request: who ordered, from where, and how many lines follow.</summary>
    public struct OrderHeader
    {
        public long OrderId;
        public int CustomerId;
        public Channel Channel;
        public Region Region;
        public int LineCount;
        public string? Coupon;
    }

    /// <summary>One line of an order.</summary>
    public struct OrderLine
    {
        public long Sku;
        public decimal UnitPrice;
        public int Quantity;
        public bool IsGift;
        public Category Category;
    }

    /// <summary>What the service answers: the order, its total, the receipt size and the receipt's tag.</summary>
    public sealed class OrderResult
    {
        public OrderResult(long orderId, decimal total, int receiptBytes, ulong receiptTag, string? error = null)
        {
            OrderId = orderId;
            Total = total;
            ReceiptBytes = receiptBytes;
            ReceiptTag = receiptTag;
            Error = error;
        }

        public long OrderId { get; }

        public decimal Total { get; }

        public int ReceiptBytes { get; }

        public ulong ReceiptTag { get; }

        public string? Error { get; }

        public bool Accepted => Error == null;

        public static OrderResult Rejected(long orderId, string error) => new OrderResult(orderId, 0m, 0, 0, error);
    }
}
