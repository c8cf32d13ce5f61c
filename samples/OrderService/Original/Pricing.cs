namespace OrderService
{
    /// <summary>A rule that adjusts the amount of one order line.</summary>
    public interface IPricingRule
    {
        decimal Apply(in OrderLine line, decimal amount);
    }

    /// <summary>A rate off lines of at least a minimum quantity.</summary>
    public readonly struct VolumeDiscount : IPricingRule
    {
        private readonly int _minQuantity;
        private readonly decimal _rate;

        public VolumeDiscount(int minQuantity, decimal rate)
        {
            _minQuantity = minQuantity;
            _rate = rate;
        }

        public decimal Apply(in OrderLine line, decimal amount) => line.Quantity >= _minQuantity ? amount - (amount * _rate) : amount;
    }

    /// <summary>A fee per gift-wrapped item.</summary>
    public readonly struct GiftWrap : IPricingRule
    {
        private readonly decimal _fee;

        public GiftWrap(decimal fee) => _fee = fee;

        public decimal Apply(in OrderLine line, decimal amount) => line.IsGift ? amount + (_fee * line.Quantity) : amount;
    }

    /// <summary>Prices order lines: list price times quantity, then the rules.</summary>
    public static class Pricing
    {
        public static decimal LineAmount(in OrderLine line, decimal listPrice)
        {
            decimal amount = listPrice * line.Quantity;
            amount = ApplyRule(new VolumeDiscount(10, 0.05m), line, amount);
            amount = ApplyRule(new GiftWrap(2.50m), line, amount);
            return decimal.Round(amount, 2);
        }

        private static decimal ApplyRule(IPricingRule rule, in OrderLine line, decimal amount) => rule.Apply(line, amount);
    }
}
