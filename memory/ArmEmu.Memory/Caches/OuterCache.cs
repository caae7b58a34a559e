namespace ArmEmu.Memory.Caches;

/// <summary>
/// An outer (L2) cache level between the processor's L1 caches and the write buffer: the model
/// of the PL310 (ARM DDI 0246, "CoreLink Level 2 Cache Controller L2C-310 TRM"), whose register
/// front-end is emulator/ArmEmu.Emulator/Devices/Pl310L2Cache.cs. It holds real data, like
/// <see cref="Cache"/>, which it wraps.
///
/// Rules as modelled (TRM chapter 2, "Functional overview"):
/// 1. Off (<see cref="Enabled"/> false, CTRL bit 0 clear, the reset state): every fill,
///    write-back and store passes to the level below untouched. Maintenance still acts on
///    the lines (Linux invalidates all ways before it sets CTRL).
/// 2. On: PIPT lookup. A read miss allocates (read-allocate always). A write -- an L1
///    write-back or a store the L1 did not keep -- updates a line that hits and marks it dirty
///    (write-back); a miss allocates when the configuration is write-allocate, else passes
///    down. A dirty victim goes to the level below whole (one dirty bit per line).
/// 3. DEBUG_CTRL (TRM 3.3.12): DCL (bit 0) stops line fills (misses pass through); DWB
///    (bit 1) makes it write-through (writes also pass down and dirty nothing).
/// 4. Lockdown by way (TRM 3.3.11): data allocations never pick a way set in
///    <see cref="DataLockdown"/>, instruction allocations one in <see cref="InstructionLockdown"/>.
/// 5. It is maintained only through its own operations (by PA, by index/way, by way, sync);
///    CP15 operations never reach it, as on hardware.
/// 6. Non-cacheable and device accesses never come here (the cache system sends them to the
///    write buffer or the bus), and bus masters see RAM only.
///
/// 7. At reset the PL310's RAMs hold whatever they hold (TRM 2.x: software must invalidate the
///    whole cache before it sets CTRL bit 0). Empty lines are the default, as a model that never
///    powered down would have; <see cref="FillUnknown"/> gives them arbitrary valid, dirty and clean
///    contents, so an initialisation that skips the invalidation shows.
///
/// Departures: page outer attributes are not distinguished from inner ones yet, so a
/// write-back of an L1 line allocates when the configuration is write-allocate (Normal
/// memory, WBWA, as Linux maps it) instead of by the transaction's AWCACHE.
/// </summary>
internal sealed class OuterCache : IMemoryLevel
{
    private uint?[]? _lastWriter;
    private bool _monitored;

    public OuterCache(CacheConfig config, IMemoryLevel below, string name = "L2-cache")
    {
        Below = below;
        Name = name;
        Cache = new Cache(config, name) { Level = 2 };
    }

    public string Name { get; }

    /// <summary>The lines. Replaced (empty) by <see cref="Reconfigure"/>.</summary>
    public Cache Cache { get; private set; }

    public IMemoryLevel Below { get; }

    public CacheCounters Counters => Cache.Counters;

    /// <summary>
    /// Misses of lookups made for an access of the CPU: L1 line fills and stores the L1 passed
    /// down, not L1 write-backs. The cache system compares it around an L1 miss to tell whether
    /// the access also missed here (the last level's misses, cachegrind's ILmr/DLmr/DLmw).
    /// </summary>
    public ulong DemandMisses { get; private set; }

    /// <summary>CTRL bit 0: the cache is in the path (rule 1).</summary>
    public bool Enabled { get; set; }

    /// <summary>DEBUG_CTRL.DCL: no line fills (rule 3).</summary>
    public bool LineFillsDisabled { get; set; }

    /// <summary>DEBUG_CTRL.DWB: forced write-through (rule 3).</summary>
    public bool WriteBackDisabled { get; set; }

    /// <summary>Ways data allocations must not use (LOCKDOWN_WAY_D, rule 4).</summary>
    public uint DataLockdown { get; set; }

    /// <summary>Ways instruction allocations must not use (LOCKDOWN_WAY_I, rule 4).</summary>
    public uint InstructionLockdown { get; set; }

    /// <summary>Keep the PC of the store behind every dirty line, for the coherence monitor.</summary>
    public bool Monitored
    {
        get => _monitored;
        set
        {
            _monitored = value;
            _lastWriter = value ? new uint?[Cache.LineCount] : null;
        }
    }

    /// <summary>The PC of the store whose data made <paramref name="line"/> dirty, when <see cref="Monitored"/>.</summary>
    public uint? LastWriter(int line) => _lastWriter?[line];

    /// <summary>
    /// A new geometry (the PL310's AUX_CTRL written while it is off), the counters kept: an empty
    /// cache, or after <see cref="FillUnknown"/> one as arbitrary as before (the RAMs keep what they
    /// hold; only their organisation changes).
    /// </summary>
    public void Reconfigure(CacheConfig config)
    {
        if (config == Cache.Config) return;
        var counters = Cache.Counters;
        var events = Cache.Events;
        Cache = new Cache(config, Name) { Level = 2, Events = events };
        CopyCounters(counters, Cache.Counters);
        Monitored = _monitored;
        if (_unknown is { } unknown) FillUnknown(unknown.Seed, unknown.Low, unknown.Size);
    }

    private (ulong Seed, uint Low, uint Size)? _unknown;

    /// <summary>
    /// Rule 7: every line valid with arbitrary data for an arbitrary line of [<paramref name="low"/>,
    /// <paramref name="low"/> + <paramref name="size"/>) (the board's RAM: the worst case of "arbitrary"),
    /// about half of them dirty, from <paramref name="seed"/>. Counts as no fill; the counters are untouched.
    /// </summary>
    public void FillUnknown(ulong seed, uint low, uint size)
    {
        _unknown = (seed, low, size);
        var cache = Cache;
        ulong x = seed * 0x9E37_79B9_7F4A_7C15UL + 1;
        ulong Next()
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            return x;
        }
        Span<byte> data = stackalloc byte[cache.LineBytes];
        var counters = (cache.Counters.LineFills, cache.Counters.Evictions);
        var events = cache.Events;
        cache.Events = null;
        uint setSpan = (uint)(cache.Sets * cache.LineBytes);
        for (int set = 0; set < cache.Sets; set++)
        {
            for (int way = 0; way < cache.Ways; way++)
            {
                // A line of the RAM that indexes this set: the set's offset plus a random multiple of the
                // set span, one line per address (a tag RAM that holds an address twice could not be read
                // back); a RAM smaller than the ways' reach leaves the rest of the set empty.
                uint pa = 0;
                bool found = false;
                for (int attempt = 0; attempt < 32 && !found; attempt++)
                {
                    pa = low + (uint)(Next() % Math.Max(1u, size / setSpan)) * setSpan + (uint)(set * cache.LineBytes);
                    found = cache.Find(pa, pa) < 0;
                }
                if (!found) continue;
                for (int i = 0; i < data.Length; i++) data[i] = (byte)Next();
                int line = cache.LineAt(set, way);
                cache.Fill(line, pa, pa, pa, data);
                if ((Next() & 1) != 0) cache.MarkDirty(line, 0, cache.LineBytes);
            }
        }
        (cache.Counters.LineFills, cache.Counters.Evictions) = counters;
        cache.Events = events;
    }

    private static void CopyCounters(CacheCounters from, CacheCounters to)
    {
        (to.Reads, to.Writes, to.ReadHits, to.ReadMisses, to.WriteHits, to.WriteMisses) =
            (from.Reads, from.Writes, from.ReadHits, from.ReadMisses, from.WriteHits, from.WriteMisses);
        (to.LineFills, to.WriteBacks, to.Evictions, to.Maintenance) = (from.LineFills, from.WriteBacks, from.Evictions, from.Maintenance);
    }

    // ---- as the level below L1 -----------------------------------------------------------------

    public void ReadLine(uint pa, Span<byte> line, bool instruction)
    {
        if (!Enabled)
        {
            Below.ReadLine(pa, line, instruction);
            return;
        }
        // The requesting line may be shorter or longer than ours: serve it piece by piece.
        int lineBytes = Cache.LineBytes;
        for (int done = 0; done < line.Length;)
        {
            uint at = pa + (uint)done;
            int n = Math.Min(line.Length - done, lineBytes - (int)(at & Cache.LineMask));
            ReadPiece(at, line.Slice(done, n), instruction);
            done += n;
        }
    }

    private void ReadPiece(uint pa, Span<byte> piece, bool instruction)
    {
        var cache = Cache;
        cache.Counters.Reads++;
        int line = cache.Find(pa, pa);
        if (line >= 0)
        {
            cache.Counters.ReadHits++;
            cache.Touch(line);
        }
        else
        {
            cache.Counters.ReadMisses++;
            DemandMisses++;
            cache.ReportMiss(pa, pa, write: false);
            line = Allocate(pa, instruction);
            if (line < 0)
            {
                Below.ReadLine(pa, piece, instruction);
                return;
            }
        }
        cache.Data(line).Slice((int)(pa & cache.LineMask), piece.Length).CopyTo(piece);
    }

    public void WriteBack(uint pa, ReadOnlySpan<byte> data, uint? writer)
    {
        if (!Enabled)
        {
            Below.WriteBack(pa, data, writer);
            return;
        }
        int lineBytes = Cache.LineBytes;
        for (int done = 0; done < data.Length;)
        {
            uint at = pa + (uint)done;
            int n = Math.Min(data.Length - done, lineBytes - (int)(at & Cache.LineMask));
            if (!WritePiece(at, data.Slice(done, n), writer, demand: false)) Below.WriteBack(at, data.Slice(done, n), writer);
            done += n;
        }
    }

    public void Store(uint pa, int size, uint value, uint? writer)
    {
        if (Enabled)
        {
            Span<byte> bytes = stackalloc byte[4];
            for (int i = 0; i < size; i++) bytes[i] = (byte)(value >> (8 * i));
            if (WritePiece(pa, bytes[..size], writer, demand: true)) return;
        }
        Below.Store(pa, size, value, writer);
    }

    /// <summary>A write into one line (rule 2). False when the write must also (or only) go to the level below.</summary>
    /// <param name="demand">A store of the CPU's (not an L1 write-back): its miss counts in <see cref="DemandMisses"/>.</param>
    /// <param name="pa">The physical address of the first byte.</param>
    /// <param name="data">The bytes, all within one line.</param>
    /// <param name="writer">The PC of the store, for the coherence monitor, or null.</param>
    private bool WritePiece(uint pa, ReadOnlySpan<byte> data, uint? writer, bool demand)
    {
        var cache = Cache;
        cache.Counters.Writes++;
        int line = cache.Find(pa, pa);
        if (line >= 0)
        {
            cache.Counters.WriteHits++;
            cache.Touch(line);
        }
        else
        {
            cache.Counters.WriteMisses++;
            if (demand) DemandMisses++;
            cache.ReportMiss(pa, pa, write: true);
            if (cache.Config.Allocation != AllocationPolicy.WriteAllocate) return false;
            line = Allocate(pa, instruction: false);
            if (line < 0) return false;
        }
        data.CopyTo(cache.Data(line)[(int)(pa & cache.LineMask)..]);
        if (WriteBackDisabled) return false;
        cache.MarkDirty(line, pa & cache.LineMask, data.Length);
        if (_lastWriter is not null) _lastWriter[line] = writer;
        return true;
    }

    /// <summary>Fills a line for <paramref name="pa"/> from below, writing back a dirty victim first; -1 when fills are off or every way is locked.</summary>
    private int Allocate(uint pa, bool instruction)
    {
        if (LineFillsDisabled) return -1;
        var cache = Cache;
        cache.LockdownMask = instruction ? InstructionLockdown : DataLockdown;
        int victim = cache.ChooseVictim(pa);
        if (victim < 0) return -1;
        if (cache.IsValid(victim)) WriteBackLine(victim, eviction: true);
        uint linePa = pa & ~cache.LineMask;
        Span<byte> data = stackalloc byte[cache.LineBytes];
        Below.ReadLine(linePa, data, instruction);
        cache.Fill(victim, linePa, linePa, linePa, data);
        return victim;
    }

    /// <summary>Writes a dirty line to the level below and marks it clean.</summary>
    private void WriteBackLine(int line, bool eviction = false)
    {
        var cache = Cache;
        if (cache.Clean(line, eviction) == 0) return;
        cache.Counters.WriteBacks++;
        Below.WriteBack(cache.PhysicalAddress(line), cache.Data(line), _lastWriter?[line]);
    }

    /// <summary>CACHE_SYNC: everything below drains (the PL310's buffers and ours are one write buffer here).</summary>
    public void Synchronize() => Below.Synchronize();

    // ---- maintenance (TRM 3.3.10, "Cache maintenance operations") ----------------------------

    /// <summary>What a maintenance operation does to one valid line.</summary>
    public enum Operation
    {
        Clean,
        Invalidate,
        CleanAndInvalidate,
    }

    /// <summary>By physical address (0x7B0, 0x770, 0x7F0): the line holding <paramref name="pa"/>, if any.</summary>
    public void ByPhysicalAddress(uint pa, Operation operation)
    {
        Counters.Maintenance++;
        int line = Cache.Find(pa, pa);
        if (line >= 0) Apply(line, operation);
    }

    /// <summary>
    /// By index and way (0x7B8, 0x7F8; TRM table 3-21): the way in bits [31:28], the index in
    /// bits [log2(sets)+4:5]. A way the cache does not have names nothing.
    /// </summary>
    public void ByIndexWay(uint operand, Operation operation)
    {
        Counters.Maintenance++;
        int way = (int)(operand >> 28);
        int set = (int)(operand >> 5) & (Cache.Sets - 1);
        if (way >= Cache.Ways) return;
        int line = Cache.LineAt(set, way);
        if (Cache.IsValid(line)) Apply(line, operation);
    }

    /// <summary>By way (0x7BC, 0x77C, 0x7FC): every line of the ways whose bit is set in <paramref name="wayMask"/>.</summary>
    public void ByWay(uint wayMask, Operation operation)
    {
        Counters.Maintenance++;
        for (int way = 0; way < Cache.Ways; way++)
        {
            if ((wayMask >> way & 1) == 0) continue;
            for (int set = 0; set < Cache.Sets; set++)
            {
                int line = Cache.LineAt(set, way);
                if (Cache.IsValid(line)) Apply(line, operation);
            }
        }
    }

    private void Apply(int line, Operation operation)
    {
        if (operation != Operation.Invalidate) WriteBackLine(line);
        if (operation != Operation.Clean) Cache.Invalidate(line);
    }

    // ---- views that change nothing ---------------------------------------------------------

    /// <summary>The byte a cached line holds for <paramref name="pa"/> (only while enabled); <paramref name="dirtyOnly"/>: only from a dirty line.</summary>
    public bool TryPeekByte(uint pa, bool dirtyOnly, out byte value)
    {
        value = 0;
        if (!Enabled) return false;
        int line = Cache.Find(pa, pa);
        if (line < 0 || (dirtyOnly && !Cache.IsDirty(line))) return false;
        value = Cache.Data(line)[(int)(pa & Cache.LineMask)];
        return true;
    }

    /// <summary>A debugger's write already in RAM: a cached copy of the byte takes it too (dirty state unchanged).</summary>
    public void Poke(uint pa, byte value)
    {
        int line = Cache.Find(pa, pa);
        if (line >= 0) Cache.Data(line)[(int)(pa & Cache.LineMask)] = value;
    }

    /// <summary>The same for bytes already in RAM from <paramref name="pa"/> on: one lookup per line.</summary>
    public void Poke(uint pa, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length;)
        {
            uint p = pa + (uint)i, offset = p & Cache.LineMask;
            int n = Math.Min(bytes.Length - i, Cache.LineBytes - (int)offset);
            int line = Cache.Find(p, p);
            if (line >= 0) bytes.Slice(i, n).CopyTo(Cache.Data(line)[(int)offset..]);
            i += n;
        }
    }
}
