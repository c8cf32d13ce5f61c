namespace AllocAnalyzers.Testing
{
    /// <summary>What went wrong with a rental; each kind is the run-time check of one AllocAnalyzers rule.</summary>
    public enum PoolViolationKind
    {
        /// <summary>Still rented when the test ended (ALLOC401).</summary>
        NotReturned,

        /// <summary>Returned a second time (ALLOC402): the pool would hand one item to two renters.</summary>
        ReturnedTwice,

        /// <summary>Written after it was returned (ALLOC403): its poison was overwritten while it sat in the pool.</summary>
        UsedAfterReturn,

        /// <summary>Returned to a pool that did not rent it (ALLOC404).</summary>
        NotFromThisPool,

        /// <summary>An array of references returned without clearing (ALLOC406).</summary>
        ReturnedWithoutClearing,
    }
}
