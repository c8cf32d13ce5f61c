namespace AllocAnalyzers.Shared
{
    /// <summary>
    /// One before-snippet per code fix, shared by the unit tests (which prove the fix keeps the result and allocates
    /// less) and the companion benchmarks (which measure time and bytes): the "after" code is always produced by applying
    /// the package's own fix to the "before" code, never written by hand. Each snippet has <c>Program.Run()</c>.
    /// </summary>
    public static class FixCases
    {
        public const string HotPath = "[System.AttributeUsage(System.AttributeTargets.All)] internal sealed class HotPathAttribute : System.Attribute { }\n";

        /// <summary>ID, name, and the before source.</summary>
        public static readonly (string Id, string Name, string Source)[] All =
        {
            ("ALLOC101", "ObjectPool", """
                using Microsoft.Extensions.ObjectPool;
                public sealed class Request { public int Id; public long Total; public string? Note; }
                public static class Program
                {
                    static int _id = 7;
                    [HotPath]
                    public static long Run()
                    {
                        // One request per item of the batch: allocated in a loop, so no JIT removes it.
                        long total = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            var request = new Request { Id = _id + i };
                            request.Total = request.Id * 3L;
                            total += request.Total;
                        }

                        return total;
                    }
                }
                """ + HotPath),
            ("ALLOC102", "ArrayPool", """
                public static class Program
                {
                    static int _n = 1000;
                    [HotPath]
                    public static long Run() { var squares = new long[_n]; for (int i = 0; i < squares.Length; i++) squares[i] = (long)i * i; long t = 0; foreach (var s in squares) t += s; return t; }
                }
                """ + HotPath),
            ("ALLOC201", "AppendToString", """
                public static class Program
                {
                    static readonly System.Text.StringBuilder Builder = new System.Text.StringBuilder(256);
                    static System.DateTime _when = new System.DateTime(2026, 11, 28, 12, 0, 0);
                    [HotPath]
                    public static int Run() { Builder.Clear(); Builder.Append(_when); return Builder.Length; }
                }
                """ + HotPath),
            ("ALLOC205", "IEquatableKey", """
                using System.Collections.Generic;
                public struct Key { public int Shard; public long Id; }
                public static class Program
                {
                    static readonly Dictionary<Key, int> Map = Build();
                    static Key _probe = new Key { Shard = 3, Id = 30 };
                    static Dictionary<Key, int> Build() { var map = new Dictionary<Key, int>(); for (int i = 0; i < 64; i++) map[new Key { Shard = i, Id = i * 10 }] = i; return map; }
                    [HotPath]
                    public static int Run() => Map.TryGetValue(_probe, out var value) ? value : -1;
                }
                """ + HotPath),
            ("ALLOC301", "ReorderStruct", """
                public struct Packet { public byte Flags; public long Timestamp; public byte Priority; public int Length; }
                public static class Program
                {
                    static int _n = 10000;
                    public static long Run() { var packets = new Packet[_n]; long t = 0; for (int i = 0; i < packets.Length; i++) { packets[i].Timestamp = i; t += packets[i].Timestamp; } return t; }
                }
                """ + HotPath),
            ("ALLOC303", "ReorderAutoStruct", """
                public struct CacheEntry { public string Key; public System.TimeSpan Age; public System.Half Weight; public byte Hits; }
                public static class Program
                {
                    static int _n = 10000;
                    public static long Run() { var entries = new CacheEntry[_n]; long t = 0; for (int i = 0; i < entries.Length; i++) { entries[i].Hits = (byte)i; t += entries[i].Hits; } return t; }
                }
                """ + HotPath),
            ("ALLOC401", "ReturnInFinally", """
                using System.Buffers;
                public static class Program
                {
                    static int _size = 1000;
                    static void Fill(byte[] buffer, int n) { for (int i = 0; i < n; i++) buffer[i] = (byte)i; }
                    public static int Run() { var buffer = ArrayPool<byte>.Shared.Rent(_size); Fill(buffer, _size); int sum = 0; for (int i = 0; i < _size; i++) sum += buffer[i]; return sum; }
                }
                """ + HotPath),
        };
    }
}
