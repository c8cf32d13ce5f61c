using System;
using System.Buffers;
using System.Collections.Generic;

namespace AllocAnalyzers.Testing
{
    /// <summary>
    /// An <see cref="ArrayPool{T}"/> for tests that tells on its callers. It hands out arrays sized as
    /// <see cref="ArrayPool{T}.Shared"/> does (a power of two, at least 16 elements) and filled with poison (every byte
    /// 0xDE, or null references), never zeroed; each array comes back to a quarantine, poisoned again, before it is
    /// rented anew. It reports, with the stack of the offending call and of the rent: a second Return (ALLOC402), a
    /// Return of an array it did not rent (ALLOC404), a write to an array after its Return (ALLOC403, found when the
    /// array leaves quarantine or at <see cref="Verify"/>), an array of references returned without clearing
    /// (ALLOC406), and at <see cref="Verify"/> every rental still out (ALLOC401). Thread-safe.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    public sealed class StrictArrayPool<T> : ArrayPool<T>, IStrictPool
    {
        private const int SmallestArray = 16;
        private const int LargestPooledArray = 1 << 30;

        private readonly RentalLedger ledger;
        private readonly Dictionary<int, Queue<T[]>> returned = new Dictionary<int, Queue<T[]>>();

        /// <summary>A strict pool with the given options (the defaults when null).</summary>
        public StrictArrayPool(StrictPoolOptions? options = null)
        {
            ledger = new RentalLedger("StrictArrayPool<" + TypeNames.Of(typeof(T)) + ">", StrictPoolOptions.Default(options), item => Describe((T[])item));
        }

        /// <inheritdoc />
        public int Outstanding => ledger.OutstandingCount;

        /// <inheritdoc />
        public override T[] Rent(int minimumLength)
        {
            if (minimumLength < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(minimumLength), minimumLength, "The length must not be negative.");
            }

            if (minimumLength == 0)
            {
                return Array.Empty<T>();
            }

            int length = LengthFor(minimumLength);
            T[]? array = null;
            PoolViolation? violation = null;
            lock (ledger.Gate)
            {
                if (returned.TryGetValue(length, out var queue) && queue.Count > ledger.Options.Quarantine)
                {
                    var candidate = queue.Dequeue();
                    violation = CheckPoison(candidate);
                    if (violation == null)
                    {
                        array = candidate;
                    }
                }

                if (violation == null)
                {
                    array ??= new T[length];
                    Poison<T>.Fill(array);
                    ledger.Rented(array);
                }
            }

            ledger.Raise(violation);
            return array ?? Rent(minimumLength);
        }

        /// <inheritdoc />
        public override void Return(T[] array, bool clearArray = false)
        {
            if (array == null)
            {
                throw new ArgumentNullException(nameof(array));
            }

            if (array.Length == 0)
            {
                return;
            }

            PoolViolation? violation;
            lock (ledger.Gate)
            {
                violation = ledger.Returned(array);
                if (violation == null)
                {
                    if (Poison<T>.HoldsReferences && !clearArray && ledger.Options.RequireClearingReferences)
                    {
                        violation = ledger.NotCleared(array);
                    }

                    Poison<T>.Fill(array);
                    if (!returned.TryGetValue(array.Length, out var queue))
                    {
                        returned[array.Length] = queue = new Queue<T[]>();
                    }

                    queue.Enqueue(array);
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
                foreach (var queue in returned.Values)
                {
                    foreach (var array in queue)
                    {
                        CheckPoison(array);
                    }
                }

                return ledger.TakeViolations(withOutstanding: true);
            }
        }

        /// <summary>Runs <see cref="Verify"/>.</summary>
        public void Dispose() => Verify();

        private static int LengthFor(int minimumLength)
        {
            if (minimumLength > LargestPooledArray)
            {
                return minimumLength;
            }

            int length = SmallestArray;
            while (length < minimumLength)
            {
                length <<= 1;
            }

            return length;
        }

        private static string Describe(T[] array) => TypeNames.Of(typeof(T)) + "[" + array.Length + "]";

        /// <summary>A write to a returned array: recorded, and the array poisoned again so that it is reported once.</summary>
        private PoolViolation? CheckPoison(T[] array)
        {
            int index = Poison<T>.FindOverwritten(array);
            if (index < 0)
            {
                return null;
            }

            Poison<T>.Fill(array);
            return ledger.UsedAfterReturn(array,
                Describe(array) + " was written after it was returned to " + ledger.PoolName + ": element [" + index
                + "] no longer holds the poison the pool filled it with, so an owner that had returned it still used it");
        }
    }
}
