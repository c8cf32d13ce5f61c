namespace AllocAnalyzers.Testing
{
    /// <summary>A strict pool that holds returned objects, which its provider disposes when it is disposed.</summary>
    internal interface IRetainsObjects : IStrictPool
    {
        /// <summary>Disposes the disposable objects waiting in the pool, and forgets them.</summary>
        void DisposeRetained();
    }
}
