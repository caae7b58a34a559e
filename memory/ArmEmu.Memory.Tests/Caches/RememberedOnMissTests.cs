using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// A D-cache miss on a page the memory port remembers as cacheable leaves the line it filled in
/// the port's remembered lines (MemoryPort.RememberedPageMiss), so translated code's next access to
/// the line is an inline hit: the entry holds the virtual line and the line's key now; an eviction
/// or invalidation makes it stale; a store remembers its line only on a write-back page, and a
/// store miss that allocates nothing remembers nothing. Whether remembering changes any count or
/// value is TranslatedHitPathTests' business (its hit-first machine now takes these entries).
/// </summary>
public unsafe class RememberedOnMissTests : IDisposable
{
    /// <summary>VA = PA; the page at 0x3000 write-through (C=1 B=0), the others write-back.</summary>
    private sealed class Pages : IAddressTranslator
    {
        public event Action? TranslationsChanged { add { } remove { } }

        public uint Translate(uint va, AccessKind access) =>
            va < 0x4_0000 ? va : throw new MemoryFault(va, access, FaultKind.Unmapped);

        public PageAttributes AttributesOf(uint va, AccessKind access) =>
            va >> PhysicalBus.PageBits == 3 ? new PageAttributes(true, false) : PageAttributes.Normal;
    }

    private readonly PhysicalBus _bus = new();
    private readonly MemoryPort _port;
    private readonly CacheSystem _caches;

    public RememberedOnMissTests()
    {
        _bus.AddRam(0, 0x4_0000);
        _port = new MemoryPort(_bus, new Pages());
        // Round-robin: the victim of each fill is known; write-allocate, so a store miss fills too.
        _caches = new CacheSystem(_bus, new Cache(new CacheConfig(), "I-cache"),
            new Cache(new CacheConfig(Replacement: ReplacementPolicy.RoundRobin, Allocation: AllocationPolicy.WriteAllocate), "D-cache"), () => 0);
        _port.Caches = _caches;
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    private RememberedLine* ReadEntry(uint va) => _port.HitPath->ReadLines + ((va >> 5) & (DataHitPath.Entries - 1));

    private RememberedLine* WriteEntry(uint va) => _port.HitPath->WriteLines + ((va >> 5) & (DataHitPath.Entries - 1));

    private static bool Holds(RememberedLine* entry, uint va) => entry->LineVa == (va & ~31u) && *entry->KeyAt == entry->Key;

    [Fact]
    public void AReadMiss_RemembersTheLineItFilled_UntilTheLineIsEvicted()
    {
        _port.Read32(0x1000); // the page's first access translates and remembers the page
        uint va = 0x1240;
        Assert.False(Holds(ReadEntry(va), va));
        ulong missesBefore = _caches.DataCache!.Counters.ReadMisses;
        _port.Read32(va);
        Assert.Equal(missesBefore + 1, _caches.DataCache.Counters.ReadMisses);
        Assert.True(Holds(ReadEntry(va), va), "the miss's line is remembered");
        Assert.Equal(*_caches.DataCache.KeyAt(_caches.DataCache.Find(va, va)), ReadEntry(va)->Key);

        // The next word of the line: a hit from the remembered entry, counted as the model counts one.
        _bus.TryWrite(va + 4, 4, 0x1234_5678); // RAM only: the line holds what was filled
        ulong hits = _caches.DataCache.Counters.ReadHits, reads = _caches.DataCache.Counters.Reads;
        Assert.True(_port.TryReadHit(va + 4, 4, out uint value));
        Assert.Equal(0u, value);
        Assert.Equal((reads + 1, hits + 1), (_caches.DataCache.Counters.Reads, _caches.DataCache.Counters.ReadHits));

        _caches.InvalidateDataLine(va);
        Assert.False(Holds(ReadEntry(va), va), "an invalidated line's entry is stale");
        Assert.False(_port.TryReadHit(va + 4, 4, out _));
    }

    [Fact]
    public void AStoreMiss_RemembersItsLineOnAWriteBackPageOnly()
    {
        _port.Write32(0x2000, 1);
        uint va = 0x2300;
        _port.Write32(va, 2); // a write-allocate miss on a write-back page: filled, dirty, remembered
        Assert.True(Holds(WriteEntry(va), va));
        Assert.False(Holds(ReadEntry(va), va), "a store remembers nothing for loads");

        _port.Write32(0x3000, 1);
        uint wt = 0x3300;
        _port.Write32(wt, 2); // filled (write-allocate) but write-through: a later store must go below too
        Assert.True(_caches.DataCache!.Find(wt, wt) >= 0);
        Assert.False(Holds(WriteEntry(wt), wt));
    }

    [Fact]
    public void ALoadThatFillsNothing_RemembersNothing()
    {
        // Every way locked: the read goes to memory uncached and fills no line.
        _caches.DataCache!.LockdownMask = 0xF;
        _port.Read32(0x1000);
        uint va = 0x1240;
        _port.Read32(va);
        Assert.True(_caches.DataCache.Find(va, va) < 0);
        Assert.False(Holds(ReadEntry(va), va));
    }
}
