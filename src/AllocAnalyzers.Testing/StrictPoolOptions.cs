namespace AllocAnalyzers.Testing
{
    /// <summary>How a strict pool checks its rentals. The defaults suit a unit test suite.</summary>
    public sealed class StrictPoolOptions
    {
        /// <summary>A name for the pool, shown in every violation (useful when a test uses several pools).</summary>
        public string? Name { get; set; }

        /// <summary>
        /// Whether each violation throws a <see cref="StrictPoolException"/> from the offending call (true by default),
        /// so the test fails at the line that misused the pool. Either way every violation is recorded and
        /// <see cref="IStrictPool.Verify"/> reports it, so a violation that user code catches and swallows still fails
        /// the test.
        /// </summary>
        public bool ThrowOnViolation { get; set; } = true;

        /// <summary>Which call stacks a rental records (each Rent and Return); see <see cref="StackCapture"/>.</summary>
        public StackCapture Stacks { get; set; } = StackCapture.WithSourceLines;

        /// <summary>
        /// How many returned items (per array size) stay out of circulation before the pool hands them out again
        /// (16 by default). While an item is in quarantine a second Return of it is seen as such, and a write to it
        /// is found when it leaves; once it is rented again, a stale owner's Return cannot be told from the new
        /// owner's. 0 reuses at once, as the shared pool does.
        /// </summary>
        public int Quarantine { get; set; } = 16;

        /// <summary>
        /// Whether an array whose element type is or contains a reference must be returned with
        /// <c>clearArray: true</c> (true by default): the pool would otherwise keep every object it references alive
        /// and hand them to the next renter (ALLOC406).
        /// </summary>
        public bool RequireClearingReferences { get; set; } = true;

        internal static StrictPoolOptions Default(StrictPoolOptions? options) => options ?? new StrictPoolOptions();
    }

    /// <summary>Which call stacks a strict pool records for its rentals.</summary>
    public enum StackCapture
    {
        /// <summary>No stacks: violations still name the rental and the pool. The cheapest.</summary>
        None,

        /// <summary>Method names only (no file and line): much cheaper than source lines.</summary>
        MethodsOnly,

        /// <summary>Method names with file and line where the caller's PDB has them (the default).</summary>
        WithSourceLines,
    }
}
