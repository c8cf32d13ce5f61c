namespace AllocAnalyzers
{
    /// <summary>
    /// Every diagnostic ID the package reports, named by meaning. IDs are stable for the life of the product:
    /// ALLOC0xx configuration, ALLOC1xx hot-path allocations, ALLOC2xx boxing, ALLOC3xx struct layout,
    /// ALLOC4xx pool rentals.
    /// </summary>
    public static class RuleIds
    {
        public const string InvalidConfiguration = "ALLOC001";

        public const string ObjectAllocation = "ALLOC101";
        public const string ArrayAllocation = "ALLOC102";
        public const string ParamsAllocation = "ALLOC103";
        public const string ClosureAllocation = "ALLOC104";
        public const string DelegateAllocation = "ALLOC105";
        public const string StringAllocation = "ALLOC106";
        public const string EnumeratorAllocation = "ALLOC107";
        public const string LinqAllocation = "ALLOC108";
        public const string IteratorAllocation = "ALLOC109";
        public const string AsyncTaskAllocation = "ALLOC110";
        public const string FrameworkCallAllocation = "ALLOC111";
        public const string CallAllocation = "ALLOC112";

        public const string BoxingConversion = "ALLOC201";
        public const string BoxingCall = "ALLOC202";
        public const string BoxingDelegate = "ALLOC203";
        public const string BoxingEnumeration = "ALLOC204";
        public const string StructKeyWithoutEquality = "ALLOC205";

        public const string PaddedStruct = "ALLOC301";
        public const string LargeStructCopy = "ALLOC302";
        public const string PaddedAutoLayoutStruct = "ALLOC303";

        public const string RentalNotReturned = "ALLOC401";
        public const string RentalReturnedTwice = "ALLOC402";
        public const string RentalUsedAfterReturn = "ALLOC403";
        public const string RentalReturnedToOtherPool = "ALLOC404";
        public const string RentedLengthAssumed = "ALLOC405";
        public const string RentalReturnedWithoutClearing = "ALLOC406";
    }
}
