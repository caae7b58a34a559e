using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArmEmu.Memory;

/// <summary>
/// A D-cache line the memory port remembers for the hit path of translated code, by virtual line
/// (<see cref="RememberedLines"/>): where the line's key, data and state bytes are in the cache
/// (pinned), and the key it had then.
/// </summary>
/// <remarks>
/// The entry stands for a hit while the line's key is unchanged: the key is the tag address with
/// the valid bit (<see cref="Caches.Cache.KeyAt"/>), so an eviction, a refill with another line or
/// an invalidation (by address, set/way or all, a system call's flush, a poke that drops lines)
/// makes it 0 or another tag, and the next access asks the model again. What else can change the
/// answer -- a remap or permission change, a privilege change, an FCSE PID, SCTLR.C, a coherence
/// monitor, another cache model -- empties the tables with the rest of the fast path.
/// A clean (c7 clean by address or set/way) changes no key: it only clears dirty bits, which a
/// store hit sets again through <see cref="State"/>, as <see cref="Caches.Cache.MarkDirty"/> does.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct RememberedLine
{
    /// <summary>The virtual address of the line (line-aligned); 1 when the entry is empty (never a line address).</summary>
    public uint LineVa;
    /// <summary>The line's key when it was remembered.</summary>
    public uint Key;
    /// <summary>The line's key now.</summary>
    public uint* KeyAt;
    /// <summary>The line's first data byte.</summary>
    public byte* Data;
    /// <summary>The line's state byte (valid, dirty halves).</summary>
    public byte* State;
}

/// <summary>
/// What translated code needs to serve a D-cache hit inline (one per memory port, never moved):
/// the remembered lines of the current privilege, the D-cache's line geometry and dirty marking,
/// and its hit counters. A hit is <c>entry = lines[(va &gt;&gt; LineShift) &amp; (Entries - 1)]</c>;
/// <c>entry.LineVa == (va &amp; LineMask) &amp;&amp; *entry.KeyAt == entry.Key</c>; then the data at
/// <c>entry.Data + (va &amp; ~LineMask)</c>, counted, and for a store the dirty bit.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DataHitPath
{
    /// <summary>Entries per table (a power of two): 32 KiB of virtual lines of 32 bytes without conflicts.</summary>
    public const int Entries = 1024;

    public RememberedLine* ReadLines;
    /// <summary>Lines remembered by store hits: write-back lines only (a write-through store goes below too).</summary>
    public RememberedLine* WriteLines;
    /// <summary>~(line bytes - 1).</summary>
    public uint LineMask;
    public int LineShift;
    /// <summary>A store hit at offset o sets <c>DirtyBits &lt;&lt; ((o &gt;&gt; DirtyHalfShift) &amp; 1)</c> in the state (<see cref="Caches.Cache.InlineDirty"/>).</summary>
    public uint DirtyBits;
    public int DirtyHalfShift;
    /// <summary>The D-cache's counters (its <see cref="Caches.CacheCounters"/>, pinned while the port uses it).</summary>
    public ulong* Reads, ReadHits, Writes, WriteHits;
}

/// <summary>
/// One table of <see cref="RememberedLine"/>s (a privilege and a direction), direct-mapped by
/// virtual line, in native memory so that translated code indexes it with a pointer. Emptied with
/// the fast path: the entries filled since the last time (a short log), or all of them.
/// </summary>
internal sealed unsafe class RememberedLines : IDisposable
{
    private const int LogCapacity = 64;

    private readonly int[] _log = new int[LogCapacity];
    private int _logCount;
    private bool _overflowed;

    public RememberedLines()
    {
        Entries = (RememberedLine*)NativeMemory.AllocZeroed(DataHitPath.Entries, (nuint)sizeof(RememberedLine));
        for (int i = 0; i < DataHitPath.Entries; i++) Entries[i].LineVa = 1;
    }

    public RememberedLine* Entries { get; }

    public RememberedLine* At(uint va, int lineShift) => Entries + ((va >> lineShift) & (DataHitPath.Entries - 1));

    /// <summary>
    /// Makes <paramref name="entry"/> stand for the line whose key is at <paramref name="keyAt"/>
    /// (its key now), written in place: every miss of chase with the cache model remembers a line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Remember(RememberedLine* entry, uint lineVa, uint* keyAt, byte* data, byte* state)
    {
        entry->LineVa = lineVa;
        entry->Key = *keyAt;
        entry->KeyAt = keyAt;
        entry->Data = data;
        entry->State = state;
        if (_logCount < LogCapacity) _log[_logCount++] = (int)(entry - Entries);
        else _overflowed = true;
    }

    public void Clear()
    {
        if (_overflowed)
        {
            for (int i = 0; i < DataHitPath.Entries; i++) Entries[i].LineVa = 1;
            _overflowed = false;
        }
        else
        {
            for (int i = 0; i < _logCount; i++) Entries[_log[i]].LineVa = 1;
        }
        _logCount = 0;
    }

    public void Dispose() => NativeMemory.Free(Entries);
}
