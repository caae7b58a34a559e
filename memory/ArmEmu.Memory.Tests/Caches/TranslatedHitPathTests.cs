using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The D-cache hit path translated code calls (<see cref="MemoryPort.TryReadHit"/>,
/// <see cref="MemoryPort.TryWriteHit"/>, with their remembered lines) against the ordinary path:
/// two identical machines run the same random accesses -- one through the hit path first and the
/// ordinary path only when it declines, the other through the ordinary path alone -- with
/// evictions, maintenance by address and set/way, remaps and privilege changes in between. Every
/// value loaded, every counter of the cache and RAM must be the same in both.
/// </summary>
public class TranslatedHitPathTests
{
    private sealed class Machine : IDisposable
    {
        public readonly PhysicalBus Bus = new();
        public readonly FlatTranslation Flat = new();
        public readonly MemoryPort Port;
        public readonly CacheSystem Caches;

        public Machine(CacheConfig data)
        {
            Bus.AddRam(0, 0x4_0000);
            Flat.Map(0, 0x4_0000, Permission.All);
            Port = new MemoryPort(Bus, Flat);
            Caches = new CacheSystem(Bus, new Cache(new CacheConfig(), "I-cache"), new Cache(data, "D-cache"), () => 0);
            Port.Caches = Caches;
            Flat.MarkDevice(0x3_0000, 0x1000); // an uncached page: the hit path must decline it
        }

        public void Dispose()
        {
            Port.Dispose();
            Bus.Dispose();
        }
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
        int hits = 0;
        for (int step = 0; step < 200_000; step++)
        {
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
            if (rng.Next(3) == 0)
            {
                uint value = (uint)rng.Next();
                if (hitFirst.Port.TryWriteHit(address, size, value)) hits++;
                else if (word) hitFirst.Port.Write32(address, value);
                else hitFirst.Port.Write8(address, value);
                if (word) ordinary.Port.Write32(address, value);
                else ordinary.Port.Write8(address, value);
            }
            else
            {
                uint a;
                if (hitFirst.Port.TryReadHit(address, size, out a)) hits++;
                else a = word ? hitFirst.Port.Read32(address) : hitFirst.Port.Read8(address);
                uint b = word ? ordinary.Port.Read32(address) : ordinary.Port.Read8(address);
                Assert.True(a == b, $"step {step}: {a:x8} vs {b:x8} at {address:x8}");
            }
        }
        var (x, y) = (hitFirst.Caches.DataCache!.Counters, ordinary.Caches.DataCache!.Counters);
        Assert.Equal((x.Reads, x.ReadHits, x.ReadMisses, x.Writes, x.WriteHits, x.WriteMisses, x.LineFills, x.WriteBacks, x.Evictions, x.Maintenance),
                     (y.Reads, y.ReadHits, y.ReadMisses, y.Writes, y.WriteHits, y.WriteMisses, y.LineFills, y.WriteBacks, y.Evictions, y.Maintenance));
        Assert.True(x.Evictions > 1000, "evictions happened between hits");
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
        else Assert.True(hits > 50_000, $"hits served: {hits}");
    }
}
