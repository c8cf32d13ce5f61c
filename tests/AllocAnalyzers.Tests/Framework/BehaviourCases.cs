namespace AllocAnalyzers.Tests.Framework
{
    /// <summary>
    /// Realistic programs whose behaviour a wrong fix would change: values that escape in ways a shallow escape
    /// analysis misses, rentals whose ownership leaves the method, and code that observes what a rewrite alters
    /// (array copies vs span views, one shared box, field order). Each has <c>Program.Run()</c> returning a string
    /// that shows identity across two calls, so a pooled object or array shared between owners changes it.
    /// </summary>
    internal static class BehaviourCases
    {
        public static readonly (string Name, string Source)[] All =
        {
            ("ObjectInReturnedCollectionExpression", """
                using System.Collections.Generic;
                public sealed class Item { public int Value; }
                public static class Program
                {
                    static List<Item> Make(int v) { var item = new Item(); item.Value = v; List<Item> list = [item]; return list; }
                    public static string Run() { var a = Make(1); var b = Make(2); return a[0].Value + " " + b[0].Value + " " + ReferenceEquals(a[0], b[0]); }
                }
                """),
            ("ObjectHeldByEventSubscription", """
                using System.Collections.Generic;
                public sealed class Source { public event System.Action<int>? Changed; public void Raise(int v) => Changed?.Invoke(v); }
                public sealed class Listener { public int Id; public void OnChanged(int v) { Program.Log.Add(Id * v); } }
                public static class Program
                {
                    public static readonly List<int> Log = new List<int>();
                    static void Subscribe(Source source, int id) { var listener = new Listener(); listener.Id = id; source.Changed += listener.OnChanged; }
                    public static string Run() { var s = new Source(); Subscribe(s, 1); Subscribe(s, 2); s.Raise(10); return string.Join(",", Log); }
                }
                """),
            ("ObjectThroughConditionalAccess", """
                public sealed class Node { public int Value; public Node Self() => this; }
                public static class Program
                {
                    static Node? _last;
                    static void Keep(int v) { var node = new Node(); node.Value = v; _last = node?.Self(); }
                    public static string Run() { Keep(1); var first = _last; Keep(2); return first!.Value + " " + _last!.Value; }
                }
                """),
            ("ObjectReturnedByFluentMethod", """
                public sealed class Builder { public int V; public Builder With(int v) { V = v; return this; } }
                public static class Program
                {
                    static Builder Make(int v) { var b = new Builder(); return b.With(v); }
                    public static string Run() { var a = Make(1); var b = Make(2); return a.V + " " + b.V + " " + ReferenceEquals(a, b); }
                }
                """),
            ("ObjectKeptThroughPatternVariable", """
                public sealed class Item { public int Value; }
                public static class Program
                {
                    static Item? _kept;
                    static void Keep(int v) { var item = new Item(); item.Value = v; if (item is Item kept) _kept = kept; }
                    public static string Run() { Keep(1); var first = _kept; Keep(2); return first!.Value + " " + _kept!.Value; }
                }
                """),
            ("ObjectStoredByCalledHelper", """
                using System.Collections.Generic;
                public sealed class Item { public int Value; }
                public static class Registry { public static readonly List<Item> Items = new List<Item>(); public static void Add(Item item) => Items.Add(item); }
                public static class Program
                {
                    static void Register(int v) { var item = new Item(); item.Value = v; Registry.Add(item); }
                    public static string Run() { Register(1); Register(2); return Registry.Items[0].Value + " " + Registry.Items[1].Value; }
                }
                """),
            ("ObjectInIteratorStateMachine", """
                using System.Collections.Generic;
                public sealed class Acc { public int Total; }
                public static class Program
                {
                    static IEnumerable<int> Running(int n) { var acc = new Acc(); for (int i = 1; i <= n; i++) { acc.Total += i; yield return acc.Total; } }
                    public static string Run()
                    {
                        var e1 = Running(3).GetEnumerator(); var e2 = Running(3).GetEnumerator();
                        e1.MoveNext(); e2.MoveNext(); e1.MoveNext(); e2.MoveNext();
                        return e1.Current + " " + e2.Current;
                    }
                }
                """),
            ("ObjectLocalControl", """
                public sealed class Request { public int Id; public long Total; }
                public static class Program
                {
                    static long Price(int id) { long t = 0; for (int k = 0; k < 2; k++) { var request = new Request(); request.Id = id + k; request.Total = request.Id * 3L; t += request.Total; } return t; }
                    public static string Run() => Price(1) + " " + Price(2);
                }
                """),
            ("ArrayRangeIsACopy", """
                public static class Program
                {
                    static int _n = 8;
                    static int Head(int seed) { var values = new int[_n]; for (int i = 0; i < values.Length; i++) values[i] = seed + i; var head = values[..2]; values[0] = 100; return head[0] + head[1]; }
                    public static string Run() => Head(1) + " " + Head(5);
                }
                """),
            ("ArrayReturnedAsSpan", """
                using System;
                public static class Program
                {
                    static System.ReadOnlySpan<byte> Header(byte kind) { var header = new byte[4]; header[0] = kind; header[3] = 9; return header; }
                    static System.ReadOnlySpan<byte> Tail(byte kind) { var tail = new byte[4]; tail[1] = kind; return tail.AsSpan(1); }
                    public static string Run() => string.Join(",", Header(1).ToArray()) + ";" + string.Join(",", Header(2).ToArray()) + ";" + string.Join(",", Tail(3).ToArray());
                }
                """),
            ("ArrayStoredByCalledHelper", """
                public static class Program
                {
                    static int _n = 4;
                    static int[]? _kept;
                    static void Keep(int[] values) { _kept = values; }
                    static void Fill(int seed) { var values = new int[_n]; values[0] = seed; Keep(values); }
                    public static string Run() { Fill(1); var first = _kept; Fill(2); return first![0] + " " + _kept![0] + " " + ReferenceEquals(first, _kept); }
                }
                """),
            ("ArrayLocalControl", """
                public static class Program
                {
                    static int _n = 1000;
                    static long Squares(int k) { var squares = new long[_n]; for (int i = 0; i < squares.Length; i++) squares[i] = (long)i * k; long t = 0; foreach (var s in squares) t += s; return t; }
                    public static string Run() => Squares(1) + " " + Squares(2);
                }
                """),
            ("RentalReturnedInTuple", """
                using System.Buffers;
                public static class Program
                {
                    static (byte[] Buffer, int Used) Fill(int n, byte seed) { var bigger = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < n; i++) bigger[i] = seed; return (bigger, n); }
                    public static string Run()
                    {
                        var (a, na) = Fill(16, 1); var (b, nb) = Fill(16, 2);
                        string result = a[0] + " " + b[0] + " " + ReferenceEquals(a, b) + " " + (na + nb);
                        ArrayPool<byte>.Shared.Return(a); ArrayPool<byte>.Shared.Return(b);
                        return result;
                    }
                }
                """),
            ("RentalKeptByTracker", """
                using System.Buffers;
                using System.Collections.Generic;
                using System.Linq;
                public sealed class Tracker : System.IDisposable
                {
                    private readonly List<byte[]> _live = new List<byte[]>();
                    private void Track(byte[] buffer) => _live.Add(buffer);
                    public void Prepare(int n) { var buffer = ArrayPool<byte>.Shared.Rent(16); buffer[0] = (byte)n; Track(buffer); }
                    public string Dump() => string.Join(",", _live.Select(b => b[0]));
                    public void Dispose() { foreach (var b in _live) ArrayPool<byte>.Shared.Return(b); _live.Clear(); }
                }
                public static class Program
                {
                    public static string Run() { using var t = new Tracker(); t.Prepare(1); t.Prepare(2); return t.Dump(); }
                }
                """),
            ("RentalGrowBuffer", """
                using System;
                using System.Buffers;
                public static class Program
                {
                    static string Collect(int count)
                    {
                        var buffer = ArrayPool<int>.Shared.Rent(2);
                        int n = 0;
                        for (int i = 0; i < count; i++)
                        {
                            if (n == buffer.Length)
                            {
                                var previous = buffer;
                                buffer = ArrayPool<int>.Shared.Rent(n * 2);
                                previous.AsSpan(0, n).CopyTo(buffer);
                                ArrayPool<int>.Shared.Return(previous);
                            }

                            buffer[n++] = i * i;
                        }

                        string result = string.Join(",", buffer.AsSpan(0, n).ToArray());
                        ArrayPool<int>.Shared.Return(buffer);
                        return result;
                    }

                    public static string Run() => Collect(40) + ";" + Collect(3);
                }
                """),
            ("RentalNotReturnedControl", """
                using System.Buffers;
                public static class Program
                {
                    static int _size = 100;
                    static int Sum(int seed) { var buffer = ArrayPool<byte>.Shared.Rent(_size); for (int i = 0; i < _size; i++) buffer[i] = (byte)(seed + i); int sum = 0; for (int i = 0; i < _size; i++) sum += buffer[i]; return sum; }
                    public static string Run() => Sum(1) + " " + Sum(2);
                }
                """),
            ("RentalEnumeratedWithEarlyReturn", """
                using System.Buffers;
                public static class Program
                {
                    static int _size = 16;
                    static int FirstOver(int limit)
                    {
                        var buffer = ArrayPool<int>.Shared.Rent(_size);
                        for (int i = 0; i < buffer.Length; i++) buffer[i] = i * 3;
                        foreach (var value in buffer)
                        {
                            if (value > limit) return value;
                        }

                        ArrayPool<int>.Shared.Return(buffer);
                        return -1;
                    }

                    public static string Run()
                    {
                        var first = ArrayPool<int>.Shared.Rent(_size);
                        ArrayPool<int>.Shared.Return(first);
                        int a = FirstOver(10), b = FirstOver(1000), c = FirstOver(20);
                        var again = ArrayPool<int>.Shared.Rent(_size);
                        bool reused = ReferenceEquals(first, again);
                        ArrayPool<int>.Shared.Return(again);
                        return a + " " + b + " " + c + " " + (reused || !reused);
                    }
                }
                """),
            ("BoxSharedByPassingItOn", """
                public interface ICounter { void Increment(); int Count { get; } }
                public struct Counter : ICounter { private int _count; public void Increment() => _count++; public int Count => _count; }
                public static class Program
                {
                    static void Bump(ICounter counter) => counter.Increment();
                    static int Twice(ICounter counter) { Bump(counter); Bump(counter); return counter.Count; }
                    static bool Same(ICounter a, ICounter b) => ReferenceEquals(a, b);
                    static bool SameAsItself(ICounter counter) { ICounter alias = counter; return Same(alias, counter); }
                    public static string Run() { var c = new Counter(); return Twice(c) + " " + SameAsItself(c) + " " + c.Count; }
                }
                """),
            ("StructReinterpretedAsBytes", """
                using System.Runtime.InteropServices;
                public struct Header { public byte Kind; public long Stamp; public byte Flags; }
                public static class Program
                {
                    public static string Run()
                    {
                        var h = new Header { Kind = 1, Stamp = 2, Flags = 3 };
                        var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref h, 1));
                        return string.Join(",", bytes.ToArray());
                    }
                }
                """),
            ("StructSerializedWithFields", """
                public struct Reading { public byte Sensor; public double Value; public byte Quality; }
                public static class Program
                {
                    public static string Run()
                        => System.Text.Json.JsonSerializer.Serialize(new Reading { Sensor = 1, Value = 2.5, Quality = 3 }, new System.Text.Json.JsonSerializerOptions { IncludeFields = true });
                }
                """),
        };
    }
}
