using System.Collections.Generic;

namespace AllocAnalyzers.Samples.HotPathAllocations
{
    public sealed class AuditEntry
    {
        public string Action = string.Empty;
        public int Amount;
    }

    /// <summary>Its initializers run in every constructor: a new AuditLog costs more than its own 32 bytes.</summary>
    public sealed class AuditLog
    {
        private readonly List<AuditEntry> _entries = new List<AuditEntry>();
        private AuditEntry _last = new AuditEntry();

        public int Count => _entries.Count + _last.Amount;

        public void Record(string action, int amount)
        {
            _last = new AuditEntry { Action = action, Amount = amount };
            _entries.Add(_last);
        }
    }

    /// <summary>
    /// Only Complete is hot here (this file sets alloc_analyzers.hot_path_depth = 0), so what AuditLog's constructor and
    /// Record allocate is said where they are called (ALLOC101's constructor part, ALLOC112).
    /// </summary>
    public static class Checkout
    {
        [HotPath]
        public static AuditLog Complete(int amount)
        {
            var log = new AuditLog();                                                // ALLOC101, and its constructor's allocations
            log.Record("checkout", amount);                                          // ALLOC112
            return log;
        }
    }
}
