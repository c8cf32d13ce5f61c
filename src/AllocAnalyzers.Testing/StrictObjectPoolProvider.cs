using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.ObjectPool;

namespace AllocAnalyzers.Testing
{
    /// <summary>
    /// An <see cref="ObjectPoolProvider"/> whose pools are <see cref="StrictObjectPool{T}"/>: register it in a test's
    /// service collection in place of <c>DefaultObjectPoolProvider</c>, and <see cref="Verify"/> checks every pool it
    /// created.
    /// </summary>
    public sealed class StrictObjectPoolProvider : ObjectPoolProvider, IStrictPool
    {
        private readonly StrictPoolOptions? options;
        private readonly List<IRetainsObjects> pools = new List<IRetainsObjects>();

        /// <summary>A provider whose pools all use <paramref name="options"/> (the defaults when null).</summary>
        public StrictObjectPoolProvider(StrictPoolOptions? options = null)
        {
            this.options = options;
        }

        /// <summary>How many objects are out now, over every pool created.</summary>
        public int Outstanding
        {
            get
            {
                lock (pools)
                {
                    return pools.Sum(pool => pool.Outstanding);
                }
            }
        }

        /// <inheritdoc />
        public override ObjectPool<T> Create<T>(IPooledObjectPolicy<T> policy)
        {
            var pool = new StrictObjectPool<T>(policy, options);
            lock (pools)
            {
                pools.Add(pool);
            }

            return pool;
        }

        /// <inheritdoc />
        public void Verify() => StrictPoolException.ThrowIfAny(TakeViolations());

        /// <inheritdoc />
        public IReadOnlyList<PoolViolation> TakeViolations()
        {
            lock (pools)
            {
                return pools.SelectMany(pool => pool.TakeViolations()).ToList();
            }
        }

        /// <summary>Verifies every pool created, then disposes them.</summary>
        public void Dispose()
        {
            try
            {
                Verify();
            }
            finally
            {
                lock (pools)
                {
                    foreach (var pool in pools)
                    {
                        pool.DisposeRetained();
                    }
                }
            }
        }
    }
}
