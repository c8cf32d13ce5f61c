using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.ObjectPool;

namespace AllocAnalyzers.Testing
{
    /// <summary>
    /// An <see cref="ObjectPool{T}"/> for tests that tells on its callers: a second Return (ALLOC402), a Return of an
    /// object it did not hand out (ALLOC404), and at <see cref="Verify"/> every object still out (ALLOC401), each with
    /// the stack of the offending call and of the Get. Returned objects go through the policy as in
    /// <c>DefaultObjectPool</c> (one the policy refuses is dropped, and disposed if it is disposable) and wait in a
    /// quarantine before they are handed out again. A use after Return is found where the object's state shows it: the
    /// pool takes a snapshot of each returned object (by default a <see cref="StringBuilder"/>'s text and a collection's
    /// count; pass your own for other types) and compares it when the object leaves quarantine and at Verify (ALLOC403).
    /// Thread-safe.
    /// </summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    public sealed class StrictObjectPool<T> : ObjectPool<T>, IStrictPool, IRetainsObjects
        where T : class
    {
        private readonly IPooledObjectPolicy<T> policy;
        private readonly Func<T, object?> snapshot;
        private readonly RentalLedger ledger;
        private readonly Queue<KeyValuePair<T, object?>> returned = new Queue<KeyValuePair<T, object?>>();

        /// <summary>A strict pool over <paramref name="policy"/>.</summary>
        /// <param name="policy">Creates objects and resets returned ones, as for <c>DefaultObjectPool</c>.</param>
        /// <param name="options">The checks (the defaults when null).</param>
        /// <param name="snapshot">
        /// The state of a returned object that a later use would change (compared with <see cref="object.Equals(object, object)"/>);
        /// by default a <see cref="StringBuilder"/>'s text and an <see cref="ICollection"/>'s count, nothing for other types.
        /// </param>
        public StrictObjectPool(IPooledObjectPolicy<T> policy, StrictPoolOptions? options = null, Func<T, object?>? snapshot = null)
        {
            this.policy = policy ?? throw new ArgumentNullException(nameof(policy));
            this.snapshot = snapshot ?? DefaultSnapshot;
            ledger = new RentalLedger("StrictObjectPool<" + TypeNames.Of(typeof(T)) + ">", StrictPoolOptions.Default(options), item => Describe((T)item));
        }

        /// <inheritdoc />
        public int Outstanding => ledger.OutstandingCount;

        /// <inheritdoc />
        public override T Get()
        {
            T? item = null;
            PoolViolation? violation = null;
            lock (ledger.Gate)
            {
                if (returned.Count > ledger.Options.Quarantine)
                {
                    var entry = returned.Dequeue();
                    violation = CheckSnapshot(entry);
                    if (violation == null)
                    {
                        item = entry.Key;
                    }
                }
            }

            ledger.Raise(violation);
            item ??= policy.Create();
            lock (ledger.Gate)
            {
                ledger.Rented(item);
            }

            return item;
        }

        /// <inheritdoc />
        public override void Return(T obj)
        {
            if (obj == null)
            {
                throw new ArgumentNullException(nameof(obj));
            }

            PoolViolation? violation;
            lock (ledger.Gate)
            {
                violation = ledger.Returned(obj);
            }

            if (violation == null)
            {
                if (policy.Return(obj))
                {
                    lock (ledger.Gate)
                    {
                        returned.Enqueue(new KeyValuePair<T, object?>(obj, snapshot(obj)));
                    }
                }
                else
                {
                    lock (ledger.Gate)
                    {
                        ledger.Dropped(obj);
                    }

                    (obj as IDisposable)?.Dispose();
                }
            }

            ledger.Raise(violation);
        }

        /// <inheritdoc />
        public void Verify() => StrictPoolException.ThrowIfAny(TakeViolations());

        /// <inheritdoc />
        public IReadOnlyList<PoolViolation> TakeViolations()
        {
            lock (ledger.Gate)
            {
                int count = returned.Count;
                for (int i = 0; i < count; i++)
                {
                    var entry = returned.Dequeue();
                    if (CheckSnapshot(entry) == null)
                    {
                        returned.Enqueue(entry);
                    }
                }

                return ledger.TakeViolations(withOutstanding: true);
            }
        }

        /// <summary>Runs <see cref="Verify"/>, then disposes the disposable objects the pool holds (as <c>DefaultObjectPoolProvider</c>'s pools do).</summary>
        public void Dispose()
        {
            try
            {
                Verify();
            }
            finally
            {
                DisposeRetained();
            }
        }

        /// <inheritdoc />
        void IRetainsObjects.DisposeRetained() => DisposeRetained();

        private void DisposeRetained()
        {
            lock (ledger.Gate)
            {
                while (returned.Count > 0)
                {
                    (returned.Dequeue().Key as IDisposable)?.Dispose();
                }
            }
        }

        private static object? DefaultSnapshot(T item)
            => item switch
            {
                StringBuilder text => text.ToString(),
                ICollection collection => collection.Count,
                _ => null,
            };

        private static string Describe(T item) => TypeNames.Of(item.GetType());

        /// <summary>A returned object whose state changed in quarantine: recorded, and the object dropped from the pool.</summary>
        private PoolViolation? CheckSnapshot(KeyValuePair<T, object?> entry)
        {
            var now = snapshot(entry.Key);
            if (Equals(now, entry.Value))
            {
                return null;
            }

            ledger.Dropped(entry.Key);
            return ledger.UsedAfterReturn(entry.Key,
                Describe(entry.Key) + " was used after it was returned to " + ledger.PoolName + ": its state changed from "
                + Quote(entry.Value) + " to " + Quote(now) + " while it was in the pool, so an owner that had returned it still used it");
        }

        private static string Quote(object? value) => value is string text ? "\"" + text + "\"" : value?.ToString() ?? "null";
    }
}
