using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ArmEmu.Memory.Caches;

/// <summary>
/// The caches and write buffer between the CPU and the physical bus, as a hierarchy of
/// levels: separate L1 I and D caches (any geometry and policy), an optional outer L2
/// (<see cref="OuterCache"/>, the PL310), the write buffer, the bus. Each L1 cache fills from
/// and writes back to the level below it (<see cref="IMemoryLevel"/>: the L2 when there is
/// one, else the write buffer). It takes the CP15 c7 operations of both architectures
/// (<see cref="ICacheMaintenance"/> for ARMv5, <see cref="ICacheMaintenanceV7"/>), which act on
/// L1 only. The memory port hands it every access to a page whose attributes involve it,
/// after translation; DMA and the LCD never come here.
///
/// Rules (ARM926EJ-S TRM chapter 4 and 8):
/// - Data: C=1 B=1 write-back, C=1 B=0 write-through (unless the configuration forces a
///   policy), C=0 B=1 bufferable, C=0 B=0 neither. The D-cache is used only when SCTLR.C
///   is set (<see cref="DataCacheEnabled"/>); the I-cache when SCTLR.I is set.
/// - Read miss on a cacheable page: drain the write buffer, pick a victim (writing its
///   dirty halves to the write-back buffer), fill the line from RAM.
/// - Write hit: update the line; write-back marks its half dirty, write-through also
///   queues the store. Write miss: with read-allocate the store goes to the write
///   buffer; with write-allocate the line is filled first.
/// - Uncached reads see pending writes to the same address (the buffer drains first);
///   NCNB accesses drain the whole buffer first.
/// - VIVT lookups use the MVA (<see cref="ToModifiedVirtual"/>: the FCSE-relocated address).
/// - Addresses that are not RAM (devices) are never cached.
/// - Uncached accesses (C=0, a write-through page under <see cref="WritePolicy.PerPageWriteBackOnly"/>,
///   SCTLR.C clear) bypass every cache level, the L2 included: they use the write buffer or
///   the bus directly.
/// </summary>
// No zeroed locals (as MemoryPort): a miss's Read/Write/Allocate zeroed their struct locals in every
// prologue; the stack buffers here are filled whole before they are read.
[SkipLocalsInit]
public sealed unsafe partial class CacheSystem : ICacheMaintenance, ICacheMaintenanceV7
{
    private readonly PhysicalBus _bus;
    // Where L1 lines fill from and write back to: the L2, or the write buffer.
    private readonly IMemoryLevel _below;
    private readonly bool _writeThroughUncached;

    internal CacheSystem(PhysicalBus bus, Cache? instructionCache, Cache? dataCache, Func<ulong> now, CacheConfig? outerCache = null)
    {
        _bus = bus;
        InstructionCache = instructionCache;
        DataCache = dataCache;
        WriteBuffer = new WriteBuffer(bus, now);
        if (outerCache is not null) OuterCache = new OuterCache(outerCache, WriteBuffer);
        _below = (IMemoryLevel?)OuterCache ?? WriteBuffer;
        _writeThroughUncached = dataCache?.Config.WritePolicy == WritePolicy.PerPageWriteBackOnly;
    }

    /// <summary>The L1 instruction cache, or null when the model has none.</summary>
    public Cache? InstructionCache { get; }

    /// <summary>The L1 data cache, or null when the model has none.</summary>
    public Cache? DataCache { get; }

    /// <summary>The outer L2 cache (the PL310), or null when the board has none.</summary>
    internal OuterCache? OuterCache { get; }

    internal WriteBuffer WriteBuffer { get; }

    /// <summary>The coherence monitor (--check-coherence), or null.</summary>
    internal CoherenceMonitor? Monitor
    {
        get => _monitor;
        set
        {
            _monitor = value;
            _lastWriter = value is not null && DataCache is not null ? new uint?[DataCache.LineCount] : null;
            if (OuterCache is not null) OuterCache.Monitored = value is not null;
            MonitorChanged?.Invoke();
        }
    }

    /// <summary>
    /// Raised when a monitor is attached or detached: the memory port forgets its fast-path
    /// entries (D-cache hits served by VA, I-cache hits served from decoded slots), which
    /// would otherwise bypass the monitor.
    /// </summary>
    public event Action? MonitorChanged;

    private CoherenceMonitor? _monitor;
    private uint?[]? _lastWriter;

    /// <summary>
    /// Who is told of misses, write-backs and (on the full path) hits: the profiler, the tracer;
    /// null when nobody is (<see cref="ICacheObserver"/>). Setting it changes nothing cached.
    /// </summary>
    internal ICacheObserver? Observer { get; set; }

    /// <summary>The last level's misses (the PL310's when it is on, else the L1s'): <see cref="LastLevelCounters"/>.</summary>
    internal LastLevelCounters LastLevel { get; } = new();

    // Around an L1 miss: whether the outer cache was in the path, and its demand misses before.
    private (bool Through, ulong Misses) OuterBefore() =>
        OuterCache is { Enabled: true } outer ? (true, outer.DemandMisses) : (false, 0);

    /// <summary>Counts (and reports) a last-level miss for an L1 miss if the outer cache missed it too, or was not in the path.</summary>
    private void CountLastLevel((bool Through, ulong Misses) before, uint va, bool instruction, bool write)
    {
        if (before.Through && OuterCache!.DemandMisses == before.Misses) return; // the L2 had it
        if (instruction) LastLevel.InstructionReadMisses++;
        else if (write) LastLevel.DataWriteMisses++;
        else LastLevel.DataReadMisses++;
        Observer?.OnLastLevelMiss(va, instruction, write);
    }

    /// <summary>The PC of the last store into a D-cache line while the monitor watches.</summary>
    public uint? LastWriter(int line) => _lastWriter?[line];

    /// <summary>SCTLR.C.</summary>
    public bool DataCacheEnabled { get; set; } = true;

    /// <summary>SCTLR.I.</summary>
    public bool InstructionCacheEnabled { get; set; } = true;

    /// <summary>VA to MVA (the FCSE relocation); identity when there is no FCSE.</summary>
    public Func<uint, uint> ToModifiedVirtual
    {
        get => _toModifiedVirtual ?? Identity;
        set => _toModifiedVirtual = ReferenceEquals(value, Identity) ? null : value;
    }

    private static readonly Func<uint, uint> Identity = va => va;
    private Func<uint, uint>? _toModifiedVirtual; // null: no FCSE (no delegate call on every lookup)

    /// <summary><see cref="ToModifiedVirtual"/> of <paramref name="va"/>, without a call when there is no FCSE.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Mva(uint va) => _toModifiedVirtual is { } f ? f(va) : va;

    /// <summary>MVA back to the VA below 32 MiB it relocates (FCSE), or null if it is not such an MVA.</summary>
    public Func<uint, uint?> FromModifiedVirtual { get; set; } = _ => null;

    /// <summary>MVA to PA for maintenance by MVA that needs a physical address (prefetch, VIPT/PIPT lookups); null if unmapped.</summary>
    public Func<uint, uint?> TranslateForMaintenance { get; set; } = mva => mva;

    // ---- data -------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool UsesDataCache(PageAttributes attributes, uint pa) =>
        attributes.Cacheable && (attributes.Bufferable || !_writeThroughUncached) && DataCacheEnabled && DataCache is not null
        && _bus.RamPage(pa) != null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (uint Index, uint Tag) Keys(Cache cache, uint va, uint pa) => cache.Keys(Mva(va), pa);

    internal bool WritesBack(PageAttributes attributes) => DataCache!.Config.WritePolicy switch
    {
        WritePolicy.WriteBack => true,
        WritePolicy.WriteThrough => false,
        _ => attributes.Bufferable,
    };

    /// <summary>
    /// True when hits on this page can be served by virtual address alone (<see cref="TryReadHit"/>,
    /// <see cref="TryWriteHit"/>): a VIVT D-cache, the page cacheable RAM, no coherence monitor.
    /// </summary>
    internal bool ServesHitsByVirtualAddress(PageAttributes attributes, uint pa) =>
        UsesDataCache(attributes, pa) && DataCache!.Config.Indexing == CacheIndexing.Vivt && _monitor is null;

    /// <summary>
    /// Whether hits in the D-cache on this page may be served from the physical page the memory
    /// port remembers, without translating again: a PIPT D-cache (ARMv7), no coherence monitor.
    /// </summary>
    internal bool ServesHitsByPhysicalAddress(PageAttributes attributes, uint pa) =>
        UsesDataCache(attributes, pa) && DataCache!.Config.Indexing == CacheIndexing.Pipt && _monitor is null;

    /// <summary>A read that hits in the VIVT D-cache, served without translation; false on a miss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadHit(uint va, int size, out uint value) => TryReadHitAt(Mva(va), size, out value);

    /// <summary>A read that hits in the PIPT D-cache at <paramref name="pa"/> (a page translated before); false on a miss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadHitPhysical(uint pa, int size, out uint value) => TryReadHitAt(pa, size, out value);

    /// <summary>A write that hits a write-back line in the VIVT D-cache; false otherwise (the full path handles it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWriteHit(uint va, int size, uint value, bool writeBack) =>
        writeBack && TryWriteHitAt(Mva(va), size, value);

    /// <summary>A write that hits a write-back line in the PIPT D-cache at <paramref name="pa"/>; false otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWriteHitPhysical(uint pa, int size, uint value, bool writeBack) =>
        writeBack && TryWriteHitAt(pa, size, value);

    /// <summary>As <see cref="TryReadHit"/>; also the line and its tag address, for a caller that remembers hits (the memory port's remembered lines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryReadHitLocated(uint va, int size, out uint value, out int line, out uint tag) =>
        TryReadHitAt(Mva(va), size, out value, out line, out tag);

    /// <summary>As <see cref="TryReadHitPhysical"/>; also the line and its tag address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryReadHitPhysicalLocated(uint pa, int size, out uint value, out int line, out uint tag) =>
        TryReadHitAt(pa, size, out value, out line, out tag);

    /// <summary>As <see cref="TryWriteHit"/>; also the line and its tag address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryWriteHitLocated(uint va, int size, uint value, bool writeBack, out int line, out uint tag)
    {
        line = -1;
        tag = 0;
        return writeBack && TryWriteHitAt(Mva(va), size, value, out line, out tag);
    }

    /// <summary>As <see cref="TryWriteHitPhysical"/>; also the line and its tag address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryWriteHitPhysicalLocated(uint pa, int size, uint value, bool writeBack, out int line, out uint tag)
    {
        line = -1;
        tag = 0;
        return writeBack && TryWriteHitAt(pa, size, value, out line, out tag);
    }

    /// <summary>Whether a hit path access at <paramref name="address"/> (the MVA of a VIVT D-cache, the PA of a PIPT one) would hit now. Changes nothing.</summary>
    internal bool WouldHit(uint address) => DataCache!.Find(address, address) >= 0;

    /// <summary>
    /// Whether hits may be remembered by line (the memory port's remembered lines, which translated
    /// code checks inline): a hit then only counts, moves data and marks a store's half dirty. Not with LRU replacement, where a hit also
    /// updates the order (<see cref="Cache.Touch"/>): those take the lookup every time.
    /// </summary>
    internal bool HitsByLine => DataCache is { } cache && cache.Config.Replacement != ReplacementPolicy.Lru;

    // The hit paths: the cache's index and tag both come from one address (the MVA of a VIVT
    // cache, the PA of a PIPT one), the access lies within the line, and nothing below is involved.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadHitAt(uint address, int size, out uint value) => TryReadHitAt(address, size, out value, out _, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadHitAt(uint address, int size, out uint value, out int line, out uint tag)
    {
        var cache = DataCache!;
        tag = address & ~cache.LineMask;
        line = cache.Find(address, address);
        if (line < 0 || (address & cache.LineMask) + (uint)size > (uint)cache.LineBytes)
        {
            value = 0;
            return false;
        }
        cache.Counters.Reads++;
        cache.Counters.ReadHits++;
        cache.Touch(line);
        value = PhysicalBus.LoadLittle(cache.DataAt(line) + (address & cache.LineMask), size);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryWriteHitAt(uint address, int size, uint value) => TryWriteHitAt(address, size, value, out _, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryWriteHitAt(uint address, int size, uint value, out int line, out uint tag)
    {
        var cache = DataCache!;
        tag = address & ~cache.LineMask;
        line = cache.Find(address, address);
        uint offset = address & cache.LineMask;
        if (line < 0 || offset + (uint)size > (uint)cache.LineBytes) return false;
        cache.Counters.Writes++;
        cache.Counters.WriteHits++;
        cache.Touch(line);
        PhysicalBus.StoreLittle(cache.DataAt(line) + offset, size, value);
        cache.MarkDirty(line, offset, size);
        return true;
    }

    /// <summary>
    /// The D-cache line the last <see cref="Read(uint, uint, int, PageAttributes, bool)"/> or <see cref="Write(uint, uint, int, uint, PageAttributes, bool)"/> used -- the hit, or the
    /// line a miss filled -- or -1 when it used none (uncached, a miss not allocated, a locked
    /// set): the memory port remembers it for translated code's inline hits.
    /// </summary>
    internal int LastDataLine { get; private set; } = -1;

    /// <summary>A data read of 1, 2 or 4 bytes (naturally aligned within a line) after translation.</summary>
    internal uint Read(uint va, uint pa, int size, PageAttributes attributes) => Read(va, pa, size, attributes, knownMiss: false);

    /// <summary>
    /// <see cref="Read(uint, uint, int, PageAttributes)"/>; <paramref name="knownMiss"/>: the caller has
    /// just looked the line up where this read looks (the memory port's hit path: the MVA of a
    /// VIVT cache, the PA of a PIPT one) and found none, with nothing between -- the set is not
    /// searched a second time on every miss.
    /// </summary>
    internal uint Read(uint va, uint pa, int size, PageAttributes attributes, bool knownMiss)
    {
        LastDataLine = -1;
        WriteBuffer.Age();
        if (!UsesDataCache(attributes, pa))
        {
            if (!attributes.Bufferable || WriteBuffer.Covers(pa, size)) WriteBuffer.Drain();
            return _bus.TryRead(pa, size, out uint value) ? value : throw new BusError(pa);
        }
        var cache = DataCache!;
        cache.Counters.Reads++;
        var (index, tag) = Keys(cache, va, pa);
        int line = knownMiss ? -1 : cache.Find(index, tag);
        if (line >= 0)
        {
            cache.Counters.ReadHits++;
            cache.Touch(line);
            Observer?.OnDataRead(va, hit: true);
        }
        else
        {
            cache.Counters.ReadMisses++;
            Observer?.OnDataRead(va, hit: false); // before the fill, so an eviction's write-back follows its miss
            cache.ReportMiss(index, va, write: false);
            var outer = OuterBefore();
            line = Allocate(cache, index, tag, pa);
            if (line < 0)
            {
                // Every way of the set is locked down: the read goes to memory uncached.
                CountLastLevel((false, 0), va, instruction: false, write: false);
                WriteBuffer.Drain();
                return _bus.TryRead(pa, size, out uint value) ? value : throw new BusError(pa);
            }
            CountLastLevel(outer, va, instruction: false, write: false);
            _monitor?.OnDataLineChanged(cache, line);
        }
        LastDataLine = line;
        // Through the pinned line, not a span: a span local is zeroed in the prologue of every caller it is inlined into.
        return PhysicalBus.LoadLittle(cache.DataAt(line) + (index & cache.LineMask), size);
    }

    /// <summary>
    /// Whether a miss in <paramref name="cache"/> concerns only the write buffer below it: no outer
    /// cache, and nobody listening (observer, coherence monitor, the cache's events) -- the case
    /// the lean miss paths of translated code (<see cref="ReadMissOnRememberedPage"/>,
    /// <see cref="WriteMissOnRememberedPage"/>, <see cref="TryWriteMissWords"/>) may take.
    /// </summary>
    private bool NothingButTheWriteBufferBelow(Cache cache) =>
        OuterCache is null && Observer is null && _monitor is null && cache.Events is null;

    /// <summary>
    /// A data read on a page the memory port remembered as cacheable RAM (its tag: cacheable, and
    /// <paramref name="attributes"/>), whose line the port has just looked up and not found:
    /// <c>Read(va, pa, size, attributes, knownMiss: true)</c>, done as that does it when nothing
    /// but the write buffer is below the D-cache and nobody listens (no outer cache, observer,
    /// monitor or cache events) -- the common miss of translated code (chase: one per load) --
    /// without Read's general checks, and with the line's RAM looked up once for both the
    /// page check and the fill. Anything else goes to that Read: the same counts either way.
    /// </summary>
    internal uint ReadMissOnRememberedPage(uint va, uint pa, int size, PageAttributes attributes)
    {
        var cache = DataCache;
        byte* ram;
        if (cache is null || !NothingButTheWriteBufferBelow(cache)
            || !DataCacheEnabled || !attributes.Cacheable || (!attributes.Bufferable && _writeThroughUncached)
            || (ram = _bus.RamPage(pa)) == null)
            return Read(va, pa, size, attributes, knownMiss: true);
        LastDataLine = -1;
        WriteBuffer.Age();
        cache.Counters.Reads++;
        cache.Counters.ReadMisses++;
        var (index, tag) = Keys(cache, va, pa);
        int line = cache.ChooseVictim(index);
        if (line < 0)
        {
            // Every way of the set is locked down: the read goes to memory uncached (as Read).
            LastLevel.DataReadMisses++;
            WriteBuffer.Drain();
            return _bus.TryRead(pa, size, out uint value) ? value : throw new BusError(pa);
        }
        // Allocate's fill from the write buffer's level (see there), with the page found above.
        if (cache.IsDirty(line)) WriteBackLine(cache, line, eviction: true, fillFollows: true);
        else WriteBuffer.Drain();
        uint linePa = pa & ~cache.LineMask;
        cache.Fill(line, index, tag, linePa, ram + (linePa & PhysicalBus.PageMask));
        LastLevel.DataReadMisses++; // no outer cache: every L1 miss is a last-level one (CountLastLevel)
        LastDataLine = line;
        return PhysicalBus.LoadLittle(cache.DataAt(line) + (index & cache.LineMask), size);
    }

    /// <summary>
    /// A data write on a page the memory port remembered as cacheable RAM (write-back), whose line
    /// the port has just looked up and not found: <c>Write(va, pa, size, value, attributes,
    /// knownMiss: true)</c>, done as that does it when the store does not allocate (a read-allocate
    /// cache and page) and nothing but the write buffer is below the D-cache with nobody listening
    /// (see <see cref="ReadMissOnRememberedPage"/>): the store goes below, counted; anything
    /// else goes to that Write.
    /// </summary>
    internal void WriteMissOnRememberedPage(uint va, uint pa, int size, uint value, PageAttributes attributes)
    {
        var cache = DataCache;
        if (cache is null || !NothingButTheWriteBufferBelow(cache)
            || !DataCacheEnabled || !attributes.Cacheable || (!attributes.Bufferable && _writeThroughUncached)
            || cache.Config.Allocation == AllocationPolicy.WriteAllocate
            || (cache.Config.Allocation == AllocationPolicy.PerPage && attributes.WriteAllocate)
            || _bus.RamPage(pa) == null)
        {
            Write(va, pa, size, value, attributes, knownMiss: true);
            return;
        }
        LastDataLine = -1;
        WriteBuffer.Age();
        cache.Counters.Writes++;
        cache.Counters.WriteMisses++;
        _below.Store(pa, size, value, null); // no monitor: no storing PC
        LastLevel.DataWriteMisses++; // no outer cache: every L1 miss is a last-level one (CountLastLevel)
    }

    /// <summary>A data write of 1, 2 or 4 bytes after translation.</summary>
    internal void Write(uint va, uint pa, int size, uint value, PageAttributes attributes) => Write(va, pa, size, value, attributes, knownMiss: false);

    /// <summary><see cref="Write(uint, uint, int, uint, PageAttributes)"/>; <paramref name="knownMiss"/> as for <see cref="Read(uint, uint, int, PageAttributes, bool)"/>.</summary>
    internal void Write(uint va, uint pa, int size, uint value, PageAttributes attributes, bool knownMiss)
    {
        LastDataLine = -1;
        WriteBuffer.Age();
        if (!UsesDataCache(attributes, pa))
        {
            if (attributes.Bufferable)
            {
                WriteBuffer.Store(pa, size, value);
            }
            else
            {
                WriteBuffer.Drain();
                if (!_bus.TryWrite(pa, size, value)) throw new BusError(pa);
            }
            return;
        }
        var cache = DataCache!;
        cache.Counters.Writes++;
        var (index, tag) = Keys(cache, va, pa);
        int line = knownMiss ? -1 : cache.Find(index, tag);
        bool writeBack = WritesBack(attributes);
        if (line < 0)
        {
            cache.Counters.WriteMisses++;
            Observer?.OnDataWrite(va, hit: false);
            cache.ReportMiss(index, va, write: true);
            var outer = OuterBefore();
            if (cache.Config.Allocation == AllocationPolicy.WriteAllocate
                || (cache.Config.Allocation == AllocationPolicy.PerPage && attributes.WriteAllocate))
                line = Allocate(cache, index, tag, pa);
            if (line < 0)
            {
                _below.Store(pa, size, value, _monitor?.CurrentPc);
                CountLastLevel(outer, va, instruction: false, write: true);
                return;
            }
            CountLastLevel(outer, va, instruction: false, write: true);
        }
        else
        {
            cache.Counters.WriteHits++;
            cache.Touch(line);
            Observer?.OnDataWrite(va, hit: true);
        }
        uint offset = index & cache.LineMask;
        LastDataLine = line;
        PhysicalBus.StoreLittle(cache.DataAt(line) + offset, size, value);
        if (writeBack) cache.MarkDirty(line, offset, size);
        else _below.Store(pa, size, value, _monitor?.CurrentPc);
        if (_monitor is { } monitor)
        {
            _lastWriter![line] = monitor.CurrentPc;
            monitor.OnDataLineChanged(cache, line);
        }
    }

    /// <summary>
    /// Stores of <paramref name="count"/> words from <paramref name="values"/> at <paramref name="pa"/> onwards
    /// (one instruction's, an STM's), all in one D-cache line the caller has just looked up where
    /// <see cref="Write(uint, uint, int, uint, PageAttributes, bool)"/> looks and not found, on a page
    /// that is cacheable RAM: when no store allocates the line, every word is a miss that goes to the
    /// write buffer, counted and stored as <c>Write(..., knownMiss: true)</c> does it word by word, in
    /// one call. False, with nothing done, when a word may do more -- allocate the line (a write-allocate
    /// cache or page), go to an outer cache, be seen by an observer, the cache's events or a monitor:
    /// then the caller writes word by word.
    /// </summary>
    internal bool TryWriteMissWords(uint pa, uint* values, int count, PageAttributes attributes)
    {
        var cache = DataCache!;
        if (!NothingButTheWriteBufferBelow(cache)
            || cache.Config.Allocation == AllocationPolicy.WriteAllocate
            || (cache.Config.Allocation == AllocationPolicy.PerPage && attributes.WriteAllocate))
            return false;
        LastDataLine = -1;
        cache.Counters.Writes += (ulong)count;
        cache.Counters.WriteMisses += (ulong)count;
        LastLevel.DataWriteMisses += (ulong)count; // no L2: each miss is a last-level one (CountLastLevel)
        WriteBuffer.StoreWords(pa, values, count);
        return true;
    }

    /// <summary>Fills a line for a miss: evict (writing back dirty halves), read the line from the level below (the write buffer drains first). -1 if the set is locked.</summary>
    private int Allocate(Cache cache, uint index, uint tag, uint pa)
    {
        int victim = cache.ChooseVictim(index);
        if (victim < 0) return -1;
        uint linePa = pa & ~cache.LineMask;
        if (OuterCache is not null)
        {
            if (cache.IsDirty(victim)) WriteBackLine(cache, victim, eviction: true);
            FillFromOuterCache(cache, victim, index, tag, linePa);
            return victim;
        }
        // The level below is the write buffer: the victim's dirty halves enter it and the fill
        // drains it (WriteBuffer.ReadLine), so the halves go with the drain (WriteBackAndDrain:
        // the same counts, the same order of writes to RAM), then the line is copied from RAM into
        // the cache in one move. Cached pages are RAM (UsesDataCache), so RamPage is not null.
        if (cache.IsDirty(victim)) WriteBackLine(cache, victim, eviction: true, fillFollows: true);
        else WriteBuffer.Drain();
        byte* ram = _bus.RamPage(linePa);
        cache.Fill(victim, index, tag, linePa, ram + (linePa & PhysicalBus.PageMask));
        return victim;
    }

    /// <summary>The rest of <see cref="Allocate"/> with an outer cache: the line read from the L2 into a buffer, then filled.</summary>
    [SkipLocalsInit] // the line buffer is filled whole before it is read: no zeroing on every miss
    [MethodImpl(MethodImplOptions.NoInlining)] // its stack buffer (and the guard it needs) stays out of the write buffer's path
    private void FillFromOuterCache(Cache cache, int victim, uint index, uint tag, uint linePa)
    {
        // A buffer of the longest line a configuration allows, of which the line's length is used:
        // a constant size needs no stack probe loop on every miss, as a variable one does.
        Span<byte> buffer = stackalloc byte[CacheConfig.MaxLineBytes];
        Span<byte> data = buffer[..cache.LineBytes];
        _below.ReadLine(linePa, data, instruction: false);
        cache.Fill(victim, index, tag, linePa, data);
    }

    /// <summary>Cleans a line: its dirty halves (the whole line with one dirty bit) go to the level below.</summary>
    private void WriteBackLine(Cache cache, int line) => WriteBackLine(cache, line, eviction: false);

    /// <summary>
    /// <see cref="WriteBackLine(Cache, int)"/>; <paramref name="fillFollows"/>: a data line fill from the
    /// write buffer's level comes next, which drains the buffer -- done here, with the halves
    /// (<see cref="WriteBuffer.WriteBackAndDrain"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // off the common miss (a clean victim): its span locals stay out of Allocate's frame
    private void WriteBackLine(Cache cache, int line, bool eviction, bool fillFollows = false)
    {
        int halves = cache.Clean(line, eviction);
        if (halves == 0)
        {
            if (fillFollows) WriteBuffer.Drain();
            return;
        }
        int half = cache.LineBytes / 2;
        var data = cache.Data(line);
        uint pa = cache.PhysicalAddress(line);
        if (halves == 2)
        {
            pa += (uint)half;
            data = data[half..];
        }
        else if (halves == 1) data = data[..half];
        if (fillFollows) WriteBuffer.WriteBackAndDrain(pa, data);
        else _below.WriteBack(pa, data, ReferenceEquals(cache, DataCache) ? _lastWriter?[line] : null);
        cache.Counters.WriteBacks++;
        Observer?.OnWriteBack(cache.PhysicalAddress(line));
    }

    // ---- instruction fetch ---------------------------------------------------------------------

    /// <summary>True when fetches from this page go through the I-cache.</summary>
    internal bool UsesInstructionCache(PageAttributes attributes, uint pa) =>
        attributes.Cacheable && InstructionCacheEnabled && InstructionCache is not null && _bus.RamPage(pa) != null;

    /// <summary>A fetch of 2 or 4 bytes through the I-cache (the caller checked <see cref="UsesInstructionCache"/>).</summary>
    [SkipLocalsInit] // the line buffer is filled whole before it is read
    public uint Fetch(uint va, uint pa, int size)
    {
        var cache = InstructionCache!;
        cache.Counters.Reads++;
        var (index, tag) = Keys(cache, va, pa);
        int line = cache.Find(index, tag);
        if (line >= 0)
        {
            cache.Counters.ReadHits++;
            cache.Touch(line);
            Observer?.OnFetch(va, hit: true);
        }
        else
        {
            cache.Counters.ReadMisses++;
            Observer?.OnFetch(va, hit: false);
            cache.ReportMiss(index, va, write: false);
            // An instruction line fill reads the level below (RAM, or the L2): it does not see
            // the D-cache or the write buffer.
            int victim = cache.ChooseVictim(index);
            uint linePa = pa & ~cache.LineMask;
            Span<byte> data = stackalloc byte[cache.LineBytes];
            var outer = OuterBefore();
            _below.ReadLine(linePa, data, instruction: true);
            CountLastLevel(outer, va, instruction: true, write: false);
            if (victim < 0) return LoadLittle(data, (int)(pa & cache.LineMask), size);
            cache.Fill(victim, index, tag, linePa, data);
            line = victim;
        }
        uint fetched = PhysicalBus.LoadLittle(cache.DataAt(line) + (index & cache.LineMask), size);
        _monitor?.OnFetch(va, pa, size, fetched);
        return fetched;
    }

    // ---- views that change nothing (debuggers, the API, tests) ---------------------------------

    /// <summary>
    /// The line of <paramref name="cache"/> (one of this system's) that holds the byte at
    /// <paramref name="va"/>/<paramref name="pa"/>, indexed and tagged as that cache is; -1 if none.
    /// </summary>
    public int FindLine(Cache cache, uint va, uint pa)
    {
        var (index, tag) = Keys(cache, va, pa);
        return cache.Find(index, tag);
    }

    /// <summary>What a data read would return now, byte by byte: a cached line, else a pending write, else RAM.</summary>
    public bool Peek(uint va, uint pa, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            uint a = va + (uint)i, p = pa + (uint)i;
            if (DataCache is { } cache && DataCacheEnabled)
            {
                var (index, tag) = Keys(cache, a, p);
                int line = cache.Find(index, tag);
                if (line >= 0)
                {
                    destination[i] = cache.Data(line)[(int)(index & cache.LineMask)];
                    continue;
                }
            }
            if (OuterCache is { } outer && outer.TryPeekByte(p, dirtyOnly: false, out byte outerByte))
            {
                destination[i] = outerByte;
                continue;
            }
            if (WriteBuffer.TryPeekByte(p, out byte pending))
            {
                destination[i] = pending;
                continue;
            }
            if (!_bus.TryPeek(p, 1, out uint b)) return false; // never a device's side effect
            destination[i] = (byte)b;
        }
        return true;
    }

    /// <summary>
    /// What memory holds now for a fetch of 2 or 4 bytes (within one line) from RAM, as the
    /// coherence monitor compares it with what the I-cache returned: per byte, a D-cache copy
    /// whose half line is dirty (the newest data, not yet in RAM), else a dirty L2 copy, else a
    /// store pending in the write buffer, else RAM. A clean D-cache copy is not consulted: it equals RAM unless RAM
    /// changed under it (a DMA write), and then it is the D-side copy that is stale, not the
    /// I-side one. False if the address is not RAM.
    /// </summary>
    internal bool PeekMemory(uint va, uint pa, int size, out uint value)
    {
        value = 0;
        byte* host = _bus.RamPage(pa);
        if (host == null) return false;
        int line = -1;
        uint offset = 0;
        if (DataCache is { } cache && DataCacheEnabled)
        {
            var (index, tag) = Keys(cache, va, pa);
            line = cache.Find(index, tag);
            offset = index & cache.LineMask;
        }
        bool pending = !WriteBuffer.IsEmpty && WriteBuffer.Covers(pa, size);
        for (int i = 0; i < size; i++)
        {
            uint p = pa + (uint)i;
            byte b;
            if (line >= 0 && (DataCache!.DirtyHalves(line) & ((offset + (uint)i) < (uint)DataCache.LineBytes / 2 ? 1 : 2)) != 0)
                b = DataCache.Data(line)[(int)offset + i];
            else if (OuterCache is { } outer && outer.TryPeekByte(p, dirtyOnly: true, out b)) { }
            else if (!pending || !WriteBuffer.TryPeekByte(p, out b))
                b = host[p & PhysicalBus.PageMask];
            value |= (uint)b << (8 * i);
        }
        return true;
    }

    /// <summary>
    /// A debugger's (or the loader's) write of one byte that has already gone to RAM: any
    /// D-cache copy takes the new value (its dirty state unchanged), a pending buffered
    /// write to the byte is overridden, and the I-cache line is dropped, so what was poked
    /// is what runs. Counts nothing.
    /// </summary>
    public void Poke(uint va, uint pa, byte value)
    {
        if (DataCache is { } data)
        {
            var (index, tag) = Keys(data, va, pa);
            int line = data.Find(index, tag);
            if (line >= 0) data.Data(line)[(int)(index & data.LineMask)] = value;
        }
        OuterCache?.Poke(pa, value);
        WriteBuffer.Overwrite(pa, value);
        if (InstructionCache is { } code)
        {
            var (index, tag) = Keys(code, va, pa);
            int line = code.Find(index, tag);
            if (line >= 0) code.Invalidate(line);
        }
    }

    /// <summary>
    /// <see cref="Poke(uint, uint, byte)"/> for bytes that lie in one page (the loader's and a
    /// debugger's block writes): one lookup per line of each level, not one per byte.
    /// </summary>
    public void Poke(uint va, uint pa, ReadOnlySpan<byte> bytes)
    {
        if (DataCache is { } data)
        {
            for (int i = 0; i < bytes.Length;)
            {
                var (index, tag) = Keys(data, va + (uint)i, pa + (uint)i);
                int offset = (int)(index & data.LineMask), n = Math.Min(bytes.Length - i, data.LineBytes - offset);
                int line = data.Find(index, tag);
                if (line >= 0) bytes.Slice(i, n).CopyTo(data.Data(line)[offset..]);
                i += n;
            }
        }
        OuterCache?.Poke(pa, bytes);
        if (!WriteBuffer.IsEmpty)
            for (int i = 0; i < bytes.Length; i++) WriteBuffer.Overwrite(pa + (uint)i, bytes[i]);
        if (InstructionCache is { } code)
        {
            for (int i = 0; i < bytes.Length;)
            {
                var (index, tag) = Keys(code, va + (uint)i, pa + (uint)i);
                int offset = (int)(index & code.LineMask), n = Math.Min(bytes.Length - i, code.LineBytes - offset);
                int line = code.Find(index, tag);
                if (line >= 0) code.Invalidate(line);
                i += n;
            }
        }
    }

    // ---- CP15 c7 maintenance (ARM926EJ-S TRM 2.3.8, table 2-18) --------------------------------

    /// <summary>Invalidates the whole instruction cache (ARMv5 c7, c5, 0).</summary>
    public void InvalidateInstructionCache() => InvalidateAll(InstructionCache);

    /// <summary>Invalidates the instruction cache line holding <paramref name="mva"/> (ARMv5 c7, c5, 1).</summary>
    public void InvalidateInstructionLine(uint mva) => ByAddress(InstructionCache, mva, (c, l) => c.Invalidate(l));

    /// <summary>Invalidates the instruction cache line the set/way <paramref name="setWay"/> names (ARMv5 c7, c5, 2).</summary>
    public void InvalidateInstructionLineBySetWay(uint setWay) => BySetWay(InstructionCache, setWay, (c, l) => c.Invalidate(l));

    /// <summary>c7,c13,1: fill the I-cache line for an MVA (ignored when the MVA does not translate).</summary>
    public void PrefetchInstructionLine(uint mva)
    {
        if (InstructionCache is null || TranslateForMaintenance(mva) is not uint pa || _bus.RamPage(pa) == null) return;
        InstructionCache.Counters.Maintenance++;
        var (index, tag) = InstructionCache.Keys(mva, pa); // where Fetch would look
        if (InstructionCache.Find(index, tag) >= 0) return;
        Fetch(mva, pa, 4);
    }

    /// <summary>Invalidates the whole data cache, discarding dirty data (ARMv5 c7, c6, 0).</summary>
    public void InvalidateDataCache() => InvalidateAll(DataCache);

    /// <summary>Invalidates the data cache line holding <paramref name="mva"/>, discarding dirty data (ARMv5 c7, c6, 1).</summary>
    public void InvalidateDataLine(uint mva) => ByAddress(DataCache, mva, (c, l) => c.Invalidate(l));

    /// <summary>Invalidates the data cache line the set/way <paramref name="setWay"/> names (ARMv5 c7, c6, 2).</summary>
    public void InvalidateDataLineBySetWay(uint setWay) => BySetWay(DataCache, setWay, (c, l) => c.Invalidate(l));

    /// <summary>Writes the data cache line holding <paramref name="mva"/> back if dirty (ARMv5 c7, c10, 1).</summary>
    public void CleanDataLine(uint mva) => ByAddress(DataCache, mva, WriteBackLine);

    /// <summary>Writes the data cache line the set/way <paramref name="setWay"/> names back if dirty (ARMv5 c7, c10, 2).</summary>
    public void CleanDataLineBySetWay(uint setWay) => BySetWay(DataCache, setWay, WriteBackLine);

    /// <summary>Writes the data cache line holding <paramref name="mva"/> back if dirty, then invalidates it (ARMv5 c7, c14, 1).</summary>
    public void CleanAndInvalidateDataLine(uint mva) => ByAddress(DataCache, mva, CleanAndInvalidate);

    /// <summary>Writes the data cache line the set/way <paramref name="setWay"/> names back if dirty, then invalidates it (ARMv5 c7, c14, 2).</summary>
    public void CleanAndInvalidateDataLineBySetWay(uint setWay) => BySetWay(DataCache, setWay, CleanAndInvalidate);

    /// <summary>
    /// c7,c10,3 test and clean: writes back one dirty line if there is one and reports
    /// "clean" (bit 30, Z with Rd=R15) only when it found none, so the Linux loop
    /// <c>1: mrc p15,0,r15,c7,c10,3; bne 1b</c> runs once per dirty line, plus once.
    /// </summary>
    public bool TestAndCleanDataCache()
    {
        if (DataCache is not { } cache) return true;
        cache.Counters.Maintenance++;
        for (int line = 0; line < cache.LineCount; line++)
        {
            if (!cache.IsValid(line) || !cache.IsDirty(line)) continue;
            WriteBackLine(cache, line);
            return false;
        }
        return true;
    }

    /// <summary>c7,c14,3: as <see cref="TestAndCleanDataCache"/>; the test that finds the cache clean also invalidates it.</summary>
    public bool TestCleanAndInvalidateDataCache()
    {
        if (!TestAndCleanDataCache()) return false;
        if (DataCache is { } cache)
            for (int line = 0; line < cache.LineCount; line++) cache.Invalidate(line);
        return true;
    }

    /// <summary>Drains the write buffer: every buffered write reaches RAM (ARMv5 c7, c10, 4).</summary>
    public void DrainWriteBuffer() => WriteBuffer.Drain();

    private void CleanAndInvalidate(Cache cache, int line)
    {
        WriteBackLine(cache, line);
        cache.Invalidate(line);
    }

    private static void InvalidateAll(Cache? cache)
    {
        if (cache is null) return;
        cache.Counters.Maintenance++;
        for (int line = 0; line < cache.LineCount; line++) cache.Invalidate(line);
    }

    private void ByAddress(Cache? cache, uint mva, Action<Cache, int> operation)
    {
        if (cache is null) return;
        cache.Counters.Maintenance++;
        uint pa = mva;
        if (cache.Indexing.NeedsPhysicalAddress)
        {
            if (TranslateForMaintenance(mva) is not uint translated) return;
            pa = translated;
        }
        var (index, tag) = cache.Keys(mva, pa);
        int line = cache.Find(index, tag);
        if (line >= 0) operation(cache, line);
    }

    private static void BySetWay(Cache? cache, uint setWay, Action<Cache, int> operation)
    {
        if (cache is null) return;
        cache.Counters.Maintenance++;
        int line = cache.LineFromSetWay(setWay);
        if (cache.IsValid(line)) operation(cache, line);
    }

    // ---- little-endian helpers -------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LoadLittle(ReadOnlySpan<byte> line, int offset, int size) => size switch
    {
        4 => BinaryPrimitives.ReadUInt32LittleEndian(line[offset..]),
        2 => BinaryPrimitives.ReadUInt16LittleEndian(line[offset..]),
        _ => line[offset],
    };
}

