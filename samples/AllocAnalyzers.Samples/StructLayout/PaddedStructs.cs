using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AllocAnalyzers.Samples.StructLayout
{
    /// <summary>ALLOC301: 24 bytes as declared, 16 once the fields are ordered by alignment.</summary>
    public struct Packet
    {
        public byte Flags;
        public long Timestamp;
        public byte Priority;
        public int Length;
    }

    /// <summary>No ALLOC301: already ordered by descending alignment.</summary>
    public struct OrderedPacket
    {
        public long Timestamp;
        public int Length;
        public byte Flags;
        public byte Priority;
    }

    /// <summary>No ALLOC301: it holds a reference, so the runtime reorders the fields itself (auto layout).</summary>
    public struct Tagged
    {
        public byte Kind;
        public string Name;
        public byte Version;
        public long Id;
    }

    /// <summary>ALLOC303: holds a reference, so the runtime orders it, but it keeps the value-type fields in declared order.</summary>
    public struct CacheEntry
    {
        public string Key;
        public System.TimeSpan Age;
        public System.Half Weight;
        public byte Hits;
    }

    /// <summary>No ALLOC301: an explicit [StructLayout(Sequential)] says the order is an interop contract.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct WireHeader
    {
        public byte Version;
        public int Length;
    }

    public static class PaddedStructs
    {
        public static string Describe()
            => $"Packet {Unsafe.SizeOf<Packet>()} bytes, OrderedPacket {Unsafe.SizeOf<OrderedPacket>()} bytes, Tagged {Unsafe.SizeOf<Tagged>()} bytes, CacheEntry {Unsafe.SizeOf<CacheEntry>()} bytes, WireHeader {Unsafe.SizeOf<WireHeader>()} bytes";
    }
}
