using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// A D-cache miss on a page the memory port remembers as cacheable goes to the model with the
/// physical page and attributes the entry recorded, without translating again (MemoryPort's
/// RememberedPageMiss). Checked against a port that translates every access (an observer that
/// does nothing keeps the port off every remembered table): the same random loads and stores, of
/// every size, on pages of each kind the attributes tell apart -- write-back, write-through,
/// write-back write-allocate, uncached -- with maintenance, remaps and privilege changes between,
/// must give the same values, the same counters (D-cache, write buffer, last level) and the same
/// memory after a clean, on the ARM926's caches (VIVT, allocation on reads) and the Cortex-A9's
/// (PIPT, allocation per page, write-through pages uncached), the latter with a remap of virtual
/// pages onto other physical ones.
/// </summary>
public class RememberedPageMissTests
{
    /// <summary>Pages of four kinds, 64 KiB each; virtual page v maps to physical page v ^ Swap.</summary>
    private sealed class KindsOfPages : IAddressTranslator
    {
        public uint Swap;

        public event Action? TranslationsChanged;

        public uint Translate(uint va, AccessKind access)
        {
            if (va >= 0x4_0000) throw new MemoryFault(va, access, FaultKind.Unmapped);
            return ((va >> PhysicalBus.PageBits) ^ Swap) << PhysicalBus.PageBits | (va & PhysicalBus.PageMask);
        }

        public PageAttributes AttributesOf(uint va, AccessKind access) => (va >> 16) switch
        {
            0 => PageAttributes.Normal,
            1 => new PageAttributes(true, false),
            2 => PageAttributes.Normal with { WriteAllocate = true },
            _ => PageAttributes.Uncached,
        };

        public void Remap(uint swap)
        {
            Swap = swap;
            TranslationsChanged?.Invoke();
        }
    }

    private sealed class Nobody : IMemoryObserver
    {
        public void OnAccess(uint va, uint pa, int size, AccessKind access, uint value) { }
    }

    private sealed class Machine : IDisposable
    {
        public readonly PhysicalBus Bus = new();
        public readonly KindsOfPages Pages = new();
        public readonly MemoryPort Port;
        public readonly CacheSystem Caches;

        public Machine(CacheConfig data, bool translateEveryAccess)
        {
            Bus.AddRam(0, 0x4_0000);
            Port = new MemoryPort(Bus, Pages);
            Caches = new CacheSystem(Bus, new Cache(new CacheConfig(), "I-cache"), new Cache(data, "D-cache"), () => 0);
            Port.Caches = Caches;
            if (translateEveryAccess) Port.Observer = new Nobody();
        }

        public void Dispose()
        {
            Port.Dispose();
            Bus.Dispose();
        }
    }

    public static TheoryData<string> Configurations => ["arm926", "cortex-a9"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MissesOnRememberedPages_DoWhatATranslatedAccessDoes(string name)
    {
        var data = name == "arm926" ? new CacheConfig() : CacheConfig.CortexA9Data;
        using var remembering = new Machine(data, translateEveryAccess: false);
        using var translating = new Machine(data, translateEveryAccess: true);
        var both = new[] { remembering, translating };
        var rng = new Random(name.Length * 7919);
        for (int step = 0; step < 200_000; step++)
        {
            int what = rng.Next(1000);
            if (what < 3)
            {
                uint mva = (uint)rng.Next(0x3_0000) & ~31u;
                foreach (var m in both) m.Caches.CleanAndInvalidateDataLine(mva);
                continue;
            }
            if (what == 3 && name == "cortex-a9")
            {
                uint swap = (uint)rng.Next(4) << 4; // virtual pages onto other physical ones, within a kind
                foreach (var m in both) m.Pages.Remap(swap);
                continue;
            }
            if (what == 4)
            {
                bool privileged = rng.Next(2) == 0;
                foreach (var m in both) m.Port.Privileged = privileged;
                continue;
            }
            // Mostly a few hot lines of each kind, sometimes anywhere (misses, evictions, write-backs).
            uint kind = (uint)rng.Next(4) << 16;
            uint address = kind + (rng.Next(3) == 0 ? (uint)rng.Next(0x1_0000) : (uint)rng.Next(0x600));
            int size = 1 << rng.Next(3);
            address &= ~(uint)(size - 1);
            if (rng.Next(3) == 0)
            {
                uint value = (uint)rng.Next();
                foreach (var m in both)
                {
                    if (size == 4) m.Port.Write32(address, value);
                    else if (size == 2) m.Port.Write16(address, value);
                    else m.Port.Write8(address, value);
                }
            }
            else
            {
                var values = both.Select(m => size == 4 ? m.Port.Read32(address) : size == 2 ? m.Port.Read16(address) : m.Port.Read8(address)).ToArray();
                Assert.True(values[0] == values[1], $"step {step}: {values[0]:x8} vs {values[1]:x8} at {address:x8}");
            }
        }
        var (x, y) = (remembering.Caches.DataCache!.Counters, translating.Caches.DataCache!.Counters);
        Assert.Equal((x.Reads, x.ReadHits, x.ReadMisses, x.Writes, x.WriteHits, x.WriteMisses, x.LineFills, x.WriteBacks, x.Evictions, x.Maintenance),
                     (y.Reads, y.ReadHits, y.ReadMisses, y.Writes, y.WriteHits, y.WriteMisses, y.LineFills, y.WriteBacks, y.Evictions, y.Maintenance));
        var (wa, wb) = (remembering.Caches.WriteBuffer, translating.Caches.WriteBuffer);
        Assert.Equal((wa.Writes, wa.Drains, wa.Stalls), (wb.Writes, wb.Drains, wb.Stalls));
        var (la, lb) = (remembering.Caches.LastLevel, translating.Caches.LastLevel);
        Assert.Equal((la.DataReadMisses, la.DataWriteMisses), (lb.DataReadMisses, lb.DataWriteMisses));
        Assert.True(x.ReadMisses > 10_000 && x.WriteMisses > 10_000 && x.WriteBacks > 1_000,
                    $"misses {x.ReadMisses}/{x.WriteMisses}, write-backs {x.WriteBacks}");
        foreach (var m in both)
        {
            while (!m.Caches.TestAndCleanDataCache()) { }
            m.Caches.DrainWriteBuffer();
        }
        var ra = new byte[0x4_0000];
        var rb = new byte[0x4_0000];
        Assert.True(remembering.Bus.ReadRam(0, ra) && translating.Bus.ReadRam(0, rb));
        Assert.True(ra.AsSpan().SequenceEqual(rb), "RAM differs after cleaning");
    }
}
