using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The D-cache hit path of translated code (the remembered line checked inline, through
/// <see cref="MemoryPort.HitPath"/>; or <see cref="MemoryPort.TryReadHit"/>/<see cref="MemoryPort.TryWriteHit"/>)
/// against the ordinary path: two identical machines run the same random accesses -- one through
/// the hit path first and the ordinary path (which remembers the lines it hits and fills) only
/// when it declines, the other through the ordinary path alone -- with
/// evictions, maintenance by address, remaps and privilege changes in between, and LDM/STM-like
/// runs of words (<see cref="MemoryPort.TryReadHits"/>, <see cref="MemoryPort.TryWriteHits"/>, and with
/// misses <see cref="MemoryPort.TryReadMultiple"/>, <see cref="MemoryPort.TryWriteMultiple"/>), and
/// translated code's path off its inline check (<see cref="MemoryPort.ReadRemembered"/>). Every
/// value loaded, every counter of the cache and RAM must be the same in both.
/// </summary>
public unsafe class TranslatedHitPathTests
{
    private sealed class Machine : IDisposable
    {
        public readonly PhysicalBus Bus = new();
        public readonly FlatTranslation Flat = new();
        public readonly MemoryPort Port;
        public readonly CacheSystem Caches;
        /// <summary>The write buffer's clock (instructions run): advanced by the test, so entries age and drain by themselves.</summary>
        public ulong Now;

        public Machine(CacheConfig data)
        {
            Bus.AddRam(0, 0x4_0000);
            Flat.Map(0, 0x4_0000, Permission.All);
            Port = new MemoryPort(Bus, Flat);
            Caches = new CacheSystem(Bus, new Cache(new CacheConfig(), "I-cache"), new Cache(data, "D-cache"), () => Now);
            Port.Caches = Caches;
            Flat.MarkDevice(0x3_0000, 0x1000); // an uncached page: the hit path must decline it
        }

        public void Dispose()
        {
            Port.Dispose();
            Bus.Dispose();
        }
    }

    /// <summary>
    /// What a translated load checks in the block's own code (BlockTranslator's
    /// EmitRememberedLineAddress and EmitHitCounters): the remembered line of the access's virtual
    /// line, its key unchanged; then the data, counted. False: the block takes the slow path.
    /// </summary>
    private static bool InlineReadHit(MemoryPort port, uint va, int size, out uint value)
    {
        DataHitPath* path = port.HitPath;
        RememberedLine* entry = path->ReadLines + ((va >> path->LineShift) & (DataHitPath.Entries - 1));
        value = 0;
        if (entry->LineVa != (va & path->LineMask) || *entry->KeyAt != entry->Key) return false;
        byte* at = entry->Data + (va & ~path->LineMask);
        value = size == 4 ? *(uint*)at : *at;
        ++*path->Reads;
        ++*path->ReadHits;
        return true;
    }

    /// <summary>A translated store's inline check (and EmitMarkDirty): see <see cref="InlineReadHit"/>.</summary>
    private static bool InlineWriteHit(MemoryPort port, uint va, int size, uint value)
    {
        DataHitPath* path = port.HitPath;
        RememberedLine* entry = path->WriteLines + ((va >> path->LineShift) & (DataHitPath.Entries - 1));
        if (entry->LineVa != (va & path->LineMask) || *entry->KeyAt != entry->Key) return false;
        uint offset = va & ~path->LineMask;
        if (size == 4) *(uint*)(entry->Data + offset) = value;
        else entry->Data[offset] = (byte)value;
        *entry->State |= (byte)(path->DirtyBits << (int)((offset >> path->DirtyHalfShift) & 1));
        ++*path->Writes;
        ++*path->WriteHits;
        return true;
    }

    public static TheoryData<string> Configurations => ["arm926-random", "arm926-round-robin", "arm926-write-through", "cortex-a9", "lru"];

    private static CacheConfig Config(string name) => name switch
    {
        "arm926-random" => new CacheConfig(),
        "arm926-round-robin" => new CacheConfig(Replacement: ReplacementPolicy.RoundRobin),
        "arm926-write-through" => new CacheConfig(WritePolicy: WritePolicy.WriteThrough, Allocation: AllocationPolicy.WriteAllocate),
        "cortex-a9" => CacheConfig.CortexA9Data,
        _ => new CacheConfig(Replacement: ReplacementPolicy.Lru),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void TheHitPath_CountsLoadsAndStoresAsTheOrdinaryPath(string name)
    {
        using var hitFirst = new Machine(Config(name));
        using var ordinary = new Machine(Config(name));
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        int hits = 0, inlineHits = 0, multiples = 0;
        for (int step = 0; step < 200_000; step++)
        {
            // Some instructions ran (an LDM/STM's words are one instruction's: one time for all).
            ulong ran = (ulong)rng.Next(40);
            hitFirst.Now += ran;
            ordinary.Now += ran;
            int what = rng.Next(1000);
            if (what < 2)
            {
                uint mva = (uint)rng.Next(0x4_0000) & ~31u;
                foreach (var m in new[] { hitFirst, ordinary }) m.Caches.InvalidateDataLine(mva);
                continue;
            }
            if (what < 4)
            {
                uint mva = (uint)rng.Next(0x4_0000) & ~31u;
                foreach (var m in new[] { hitFirst, ordinary }) m.Caches.CleanAndInvalidateDataLine(mva);
                continue;
            }
            if (what == 4)
            {
                foreach (var m in new[] { hitFirst, ordinary }) m.Caches.InvalidateDataCache();
                continue;
            }
            if (what == 5)
            {
                // A remap of a page (the fast path is emptied; the remembered lines with it).
                uint page = (uint)rng.Next(0x30) << 12;
                foreach (var m in new[] { hitFirst, ordinary }) m.Flat.Protect(page, 0x1000, Permission.All);
                continue;
            }
            if (what == 6)
            {
                bool privileged = rng.Next(2) == 0;
                foreach (var m in new[] { hitFirst, ordinary }) m.Port.Privileged = privileged;
                continue;
            }
            if (what < 60)
            {
                // An LDM or STM of 1-12 words in one page: all hits through the port's scratch, or
                // declined with nothing changed (then word by word, as the interpreter's handler).
                int count = 1 + rng.Next(12);
                // Mostly the hot lines; sometimes anywhere (misses: TryReadMultiple, TryWriteMultiple)
                // or the uncached page (declined: the handler's word by word), in one page.
                uint first = rng.Next(4) switch
                {
                    0 => (uint)rng.Next(0x4_0000 - 0x40) & ~3u,
                    1 => 0x3_0000 + ((uint)rng.Next(0xF00) & ~3u),
                    _ => (0x1_0000 + (uint)rng.Next(0x400)) & ~3u,
                };
                if ((first & 0xFFF) + 4 * (uint)count > 0x1000) first &= ~0xFFFu;
                var words = Enumerable.Range(0, count).Select(_ => (uint)rng.Next()).ToArray();
                uint* scratch = (uint*)hitFirst.Port.MultipleScratch;
                if (rng.Next(2) == 0)
                {
                    for (int k = 0; k < count; k++) scratch[k] = words[k];
                    if (MemoryPort.TryWriteHits(hitFirst.Port, first, count)) hits++;
                    else if (MemoryPort.TryWriteMultiple(hitFirst.Port, first, count)) multiples++;
                    else for (int k = 0; k < count; k++) hitFirst.Port.Write32(first + 4 * (uint)k, words[k]);
                    for (int k = 0; k < count; k++) ordinary.Port.Write32(first + 4 * (uint)k, words[k]);
                }
                else
                {
                    bool hit = MemoryPort.TryReadHits(hitFirst.Port, first, count);
                    if (hit) hits++;
                    else if (MemoryPort.TryReadMultiple(hitFirst.Port, first, count))
                    {
                        hit = true;
                        multiples++;
                    }
                    for (int k = 0; k < count; k++)
                    {
                        uint a = hit ? scratch[k] : hitFirst.Port.Read32(first + 4 * (uint)k);
                        uint b = ordinary.Port.Read32(first + 4 * (uint)k);
                        Assert.True(a == b, $"step {step}: word {k} {a:x8} vs {b:x8} at {first:x8}");
                    }
                }
                continue;
            }
            // Mostly a few hot lines (hits), sometimes anywhere in 256 KiB (misses, evictions)
            // or the uncached page.
            uint address = rng.Next(4) switch
            {
                0 => (uint)rng.Next(0x4_0000),
                1 => 0x3_0000 + (uint)rng.Next(0x1000),
                _ => 0x1_0000 + (uint)rng.Next(0x400),
            };
            bool word = rng.Next(2) == 0;
            if (word) address &= ~3u;
            int size = word ? 4 : 1;
            bool inline = rng.Next(4) != 0; // as translated code does, or the port's TryReadHit/TryWriteHit
            if (rng.Next(3) == 0)
            {
                uint value = (uint)rng.Next();
                if (inline ? InlineWriteHit(hitFirst.Port, address, size, value) : hitFirst.Port.TryWriteHit(address, size, value))
                {
                    hits++;
                    if (inline) inlineHits++;
                }
                else if (rng.Next(2) == 0) hitFirst.Port.WriteRemembered(address, size, value); // a translated store off its inline path
                else if (word) hitFirst.Port.Write32(address, value);
                else hitFirst.Port.Write8(address, value);
                if (word) ordinary.Port.Write32(address, value);
                else ordinary.Port.Write8(address, value);
            }
            else
            {
                uint a;
                if (inline ? InlineReadHit(hitFirst.Port, address, size, out a) : hitFirst.Port.TryReadHit(address, size, out a))
                {
                    hits++;
                    if (inline) inlineHits++;
                }
                else if (rng.Next(2) == 0) a = hitFirst.Port.ReadRemembered(address, size); // a translated load off its inline path
                else a = word ? hitFirst.Port.Read32(address) : hitFirst.Port.Read8(address);
                uint b = word ? ordinary.Port.Read32(address) : ordinary.Port.Read8(address);
                Assert.True(a == b, $"step {step}: {a:x8} vs {b:x8} at {address:x8}");
            }
        }
        var (x, y) = (hitFirst.Caches.DataCache!.Counters, ordinary.Caches.DataCache!.Counters);
        Assert.Equal((x.Reads, x.ReadHits, x.ReadMisses, x.Writes, x.WriteHits, x.WriteMisses, x.LineFills, x.WriteBacks, x.Evictions, x.Maintenance),
                     (y.Reads, y.ReadHits, y.ReadMisses, y.Writes, y.WriteHits, y.WriteMisses, y.LineFills, y.WriteBacks, y.Evictions, y.Maintenance));
        Assert.True(x.Evictions > 1000, "evictions happened between hits");
        var (bx, by) = (hitFirst.Caches.WriteBuffer, ordinary.Caches.WriteBuffer);
        Assert.Equal((by.Writes, by.Drains, by.Stalls), (bx.Writes, bx.Drains, bx.Stalls));
        var (lx, ly) = (hitFirst.Caches.LastLevel, ordinary.Caches.LastLevel);
        Assert.Equal((ly.DataReadMisses, ly.DataWriteMisses), (lx.DataReadMisses, lx.DataWriteMisses));
        Assert.True(multiples > 1000, $"LDM/STM runs with misses served in one call: {multiples}");
        foreach (var m in new[] { hitFirst, ordinary })
        {
            while (!m.Caches.TestAndCleanDataCache()) { }
            m.Caches.DrainWriteBuffer();
        }
        var ra = new byte[0x4_0000];
        var rb = new byte[0x4_0000];
        Assert.True(hitFirst.Bus.ReadRam(0, ra) && ordinary.Bus.ReadRam(0, rb));
        Assert.True(ra.AsSpan().SequenceEqual(rb), "RAM differs after cleaning");
        if (name == "arm926-write-through") Assert.True(hits > 10_000, $"read hits served: {hits}");
        else if (name == "lru")
        {
            // An LRU hit reorders the set: no line is remembered, every hit is looked up.
            Assert.Equal(0, inlineHits);
            Assert.True(hits > 10_000, $"hits served: {hits}");
        }
        else Assert.True(hits > 50_000 && inlineHits > 30_000, $"hits served: {hits}, inline {inlineHits}");
    }
}
