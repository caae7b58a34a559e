using ArmEmu.Memory.Mmu;

namespace ArmEmu.Memory.Tests;

/// <summary>
/// The VMSAv7 short-descriptor walker (<see cref="ArmV7Mmu"/>): every descriptor kind, every
/// fault with its hand-computed FSR (ARM ARM DDI 0406C B3.5, B3.7, B3.13.3), the TTBR0/TTBR1
/// split, ASID-tagged TLB entries and every TLB maintenance operation, PAR, TEX remap.
/// Tables live in 1 MiB of RAM at 0; L1 table at 0x4000, L2 tables at 0x8000.
/// </summary>
public sealed class ArmV7MmuTests : IDisposable
{
    private const uint L1 = 0x4000, L2 = 0x8000;
    private const AccessKind PrivRead = AccessKind.Read | AccessKind.Privileged;
    private const AccessKind PrivWrite = AccessKind.Write | AccessKind.Privileged;
    private const AccessKind UserRead = AccessKind.Read;
    private const AccessKind UserWrite = AccessKind.Write;
    private const AccessKind PrivFetch = AccessKind.Fetch | AccessKind.Privileged;

    private readonly PhysicalBus _bus = new();
    private readonly ArmV7Mmu _mmu;

    public ArmV7MmuTests()
    {
        _bus.AddRam(0, 1 << 20);
        _mmu = new ArmV7Mmu(_bus) { Ttbr0 = L1, Dacr = 0x5555_5555, Enabled = true }; // every domain client
    }

    public void Dispose() => _bus.Dispose();

    private void Poke(uint pa, uint value) => _bus.WriteRam(pa, BitConverter.GetBytes(value));

    /// <summary>Section: base [31:20], nG [17], S [16], AP[2] [15], TEX [14:12], AP[1:0] [11:10], domain [8:5], XN [4], C [3], B [2].</summary>
    private static uint Section(uint pa, uint ap, uint domain = 0, bool xn = false, bool ng = false, uint tex = 0, bool c = false, bool b = false) =>
        (pa & 0xFFF0_0000) | (ng ? 1u << 17 : 0) | ((ap >> 2) & 1) << 15 | tex << 12 | (ap & 3) << 10 | domain << 5
        | (xn ? 1u << 4 : 0) | (c ? 8u : 0) | (b ? 4u : 0) | 2;

    private static uint PageTable(uint pa, uint domain = 0) => (pa & 0xFFFF_FC00) | domain << 5 | 1;

    /// <summary>Small page: base [31:12], nG [11], S [10], AP[2] [9], TEX [8:6], AP[1:0] [5:4], C, B, XN [0].</summary>
    private static uint Small(uint pa, uint ap, bool xn = false, bool ng = false) =>
        (pa & 0xFFFF_F000) | (ng ? 1u << 11 : 0) | ((ap >> 2) & 1) << 9 | (ap & 3) << 4 | 2 | (xn ? 1u : 0);

    /// <summary>Large page: base [31:16], XN [15], TEX [14:12], nG [11], S [10], AP[2] [9], AP[1:0] [5:4].</summary>
    private static uint Large(uint pa, uint ap, bool xn = false) =>
        (pa & 0xFFFF_0000) | (xn ? 1u << 15 : 0) | ((ap >> 2) & 1) << 9 | (ap & 3) << 4 | 1;

    private void MapL1(uint va, uint descriptor) => Poke(L1 + (va >> 20) * 4, descriptor);

    private uint FaultStatus(uint va, AccessKind access)
    {
        var e = Assert.Throws<MemoryFault>(() => _mmu.Translate(va, access));
        Assert.Equal(FaultKind.Translation, e.Kind);
        Assert.Equal(va, e.Address);
        return e.Status;
    }

    [Fact]
    public void MmuOffIsFlat() => Assert.Equal(0x1234_5678u, new ArmV7Mmu(_bus).Translate(0x1234_5678, UserWrite));

    [Fact]
    public void SectionMapsOneMebibyte()
    {
        MapL1(0x3000_0000, Section(0x0000_0000, ap: 3));
        Assert.Equal(0x0004_5678u, _mmu.Translate(0x3004_5678, UserWrite));
        Assert.Equal(0x000F_FFFFu, _mmu.Translate(0x300F_FFFF, PrivRead));
    }

    [Fact]
    public void SupersectionMapsSixteenMebibytesInDomainZero()
    {
        // A supersection's descriptor is repeated in 16 consecutive entries; bits [8:5] are PA[39:36], not a domain.
        for (uint i = 0; i < 16; i++) MapL1(0x4000_0000 + (i << 20), Section(0x0000_0000, ap: 3, domain: 0) | 1u << 18 | 0xF << 5);
        Assert.Equal(0x00AB_CDEFu, _mmu.Translate(0x40AB_CDEF, UserRead));
        _mmu.InvalidateAll();
        _mmu.Dacr = 0x5555_5554; // domain 0 no access: the supersection is in domain 0 whatever bits [8:5] say
        Assert.Equal(ArmV7Mmu.FsrOf(ArmV7Mmu.StatusDomainSection, 0), FaultStatus(0x40AB_CDEF, UserRead));
    }

    [Fact]
    public void SmallAndLargePages()
    {
        MapL1(0x0010_0000, PageTable(L2, domain: 3));
        Poke(L2 + 0x05 * 4, Small(0x000C_3000, ap: 3));
        for (uint i = 0; i < 16; i++) Poke(L2 + (0x10 + i) * 4, Large(0x0009_0000, ap: 3)); // repeated 16 times
        Assert.Equal(0x000C_3ABCu, _mmu.Translate(0x0010_5ABC, UserRead));
        Assert.Equal(0x0009_7123u, _mmu.Translate(0x0011_7123, UserRead));
        Assert.Equal(0x0009_F123u, _mmu.Translate(0x0011_F123, UserRead));
    }

    [Fact]
    public void TranslationFaultsAtBothLevels()
    {
        MapL1(0x0020_0000, PageTable(L2, domain: 7));
        // First level: FS 0b00101, domain unknown (reported 0, as QEMU).
        Assert.Equal(0x005u, FaultStatus(0x0030_0000, PrivRead));
        // Second level: FS 0b00111 with the page table's domain.
        Assert.Equal(0x077u, FaultStatus(0x0020_1000, PrivRead));
        // A first-level 0b11 descriptor without the long-format PXN: a translation fault.
        MapL1(0x0040_0000, 3);
        Assert.Equal(0x005u, FaultStatus(0x0040_0000, PrivRead));
    }

    [Fact]
    public void WalkOutsideRamIsAnExternalAbortOnTheWalk()
    {
        _mmu.Ttbr0 = 0x8000_0000; // no RAM there
        Assert.Equal(ArmV7Mmu.FsrOf(ArmV7Mmu.StatusExternalOnWalkFirstLevel), FaultStatus(0x1000, PrivRead));
        Assert.Equal(0x00Cu, FaultStatus(0x1000, PrivRead)); // FS 0b01100: FS[4] (bit 10) is 0
        Assert.Equal(0x400u, ArmV7Mmu.FsrOf(0b10000));       // FS[4] goes to bit 10
    }

    [Fact]
    public void DomainsNoAccessReservedClientManager()
    {
        MapL1(0x0050_0000, Section(0x0000_0000, ap: 0, domain: 4)); // AP 000: no access for a client
        _mmu.Dacr = 0u << 8;
        Assert.Equal(0x049u, FaultStatus(0x0050_0000, PrivRead));   // domain fault, section, domain 4
        _mmu.Dacr = 2u << 8;
        Assert.Equal(0x049u, FaultStatus(0x0050_0000, PrivRead));   // reserved 10: no access (as QEMU)
        _mmu.Dacr = 1u << 8;
        Assert.Equal(0x04Du, FaultStatus(0x0050_0000, PrivRead));   // client: AP 000 is a permission fault
        _mmu.Dacr = 3u << 8;
        Assert.Equal(0u, _mmu.Translate(0x0050_0000, UserWrite));  // manager: no checks
        MapL1(0x0060_0000, PageTable(L2, domain: 4));
        Poke(L2 + 0x00 * 4, Small(0x0000_0000, ap: 3));
        _mmu.Dacr = 0;
        Assert.Equal(0x04Bu, FaultStatus(0x0060_0000, PrivRead));   // domain fault, page
    }

    /// <summary>Table B3-8: AP[2:0] for PL1 and PL0 reads and writes (true = allowed).</summary>
    [Theory]
    [InlineData(0b000, false, false, false, false)]
    [InlineData(0b001, true, true, false, false)]
    [InlineData(0b010, true, true, true, false)]
    [InlineData(0b011, true, true, true, true)]
    [InlineData(0b100, false, false, false, false)]
    [InlineData(0b101, true, false, false, false)]
    [InlineData(0b110, true, false, true, false)]
    [InlineData(0b111, true, false, true, false)]
    public void AccessPermissions(uint ap, bool pl1Read, bool pl1Write, bool pl0Read, bool pl0Write)
    {
        MapL1(0x0070_0000, Section(0x0000_0000, ap, domain: 2));
        MapL1(0x0080_0000, PageTable(L2, domain: 2));
        Poke(L2, Small(0x0000_0000, ap));
        foreach ((uint va, uint status) in new[] { (0x0070_0000u, 0x02Du), (0x0080_0000u, 0x02Fu) })
        {
            foreach ((AccessKind access, bool allowed) in new[] { (PrivRead, pl1Read), (PrivWrite, pl1Write), (UserRead, pl0Read), (UserWrite, pl0Write) })
            {
                if (allowed) Assert.Equal(0u, _mmu.Translate(va, access));
                else Assert.Equal(status, FaultStatus(va, access));
            }
        }
    }

    /// <summary>SCTLR.AFE: AP[0] is the access flag (fault FS 0b00011 section, 0b00110 page) and AP[2:1] the simplified permissions.</summary>
    [Fact]
    public void AccessFlagAndSimplifiedPermissions()
    {
        _mmu.AccessFlagEnabled = true;
        MapL1(0x0090_0000, Section(0x0000_0000, ap: 0b010, domain: 1)); // AF = 0
        Assert.Equal(0x013u, FaultStatus(0x0090_0000, PrivRead));
        MapL1(0x00A0_0000, PageTable(L2, domain: 1));
        Poke(L2, Small(0x0000_0000, ap: 0b010));
        Assert.Equal(0x016u, FaultStatus(0x00A0_0000, PrivRead));
        // With AF = 1: AP[2:1] = 01 is read/write at both levels; 10 read-only at PL1 only; 11 read-only at both.
        Poke(L1 + (0x0090_0000 >> 20) * 4, Section(0x0000_0000, ap: 0b011, domain: 1));
        Assert.Equal(0u, _mmu.Translate(0x0090_0000, UserWrite)); // the AF = 0 entry was not cached
        Poke(L2, Small(0x0000_0000, ap: 0b101));
        Assert.Equal(0u, _mmu.Translate(0x00A0_0000, PrivRead));
        Assert.Equal(0x01Fu, FaultStatus(0x00A0_0004, PrivWrite));
        Assert.Equal(0x01Fu, FaultStatus(0x00A0_0008, UserRead));
    }

    [Fact]
    public void ExecuteNever()
    {
        MapL1(0x00B0_0000, Section(0x0000_0000, ap: 3, xn: true));
        Assert.Equal(0u, _mmu.Translate(0x00B0_0000, PrivRead));
        Assert.Equal(0x00Du, FaultStatus(0x00B0_0000, PrivFetch));
        MapL1(0x00C0_0000, PageTable(L2));
        Poke(L2, Small(0x0000_0000, ap: 3, xn: true));
        Poke(L2 + 4, Small(0x0000_0000, ap: 1));                  // PL1 only: a PL0 fetch is a permission fault
        Assert.Equal(0x00Fu, FaultStatus(0x00C0_0000, PrivFetch));
        Assert.Equal(0x100u, _mmu.Translate(0x00C0_1100, PrivFetch));
        Assert.Equal(0x00Fu, FaultStatus(0x00C0_1100, AccessKind.Fetch));
    }

    [Fact]
    public void TtbcrSplitsTheAddressSpaceBetweenTtbr0AndTtbr1()
    {
        const uint table1 = 0x1_0000, table0 = 0x2_0000; // TTBR0's table with N = 2 is 4 KiB
        _mmu.Ttbr0 = table0;
        _mmu.Ttbr1 = table1;
        _mmu.Ttbcr = 2;                                   // VA[31:30] == 0 uses TTBR0
        Poke(table0 + (0x3FF0_0000 >> 20) * 4, Section(0x0010_0000, ap: 3));
        Poke(table1 + (0x4000_0000 >> 20) * 4, Section(0x0020_0000, ap: 3));
        Assert.Equal(0x0010_0004u, _mmu.Translate(0x3FF0_0004, PrivRead));
        Assert.Equal(0x0020_0004u, _mmu.Translate(0x4000_0004, PrivRead));
        _mmu.Ttbcr = 2 | 1u << 5;                         // PD1: no walks with TTBR1 (a translation fault)
        _mmu.InvalidateAll();
        Assert.Equal(0x005u, FaultStatus(0x4000_0004, PrivRead));
        Assert.Equal(0x0010_0004u, _mmu.Translate(0x3FF0_0004, PrivRead));
    }

    [Fact]
    public void TheTlbKeepsStaleEntriesUntilInvalidated()
    {
        MapL1(0x00D0_0000, Section(0x0010_0000, ap: 3));
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00D0_0000, PrivRead));
        MapL1(0x00D0_0000, Section(0x0020_0000, ap: 3));
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00D0_0000, PrivRead)); // stale
        _mmu.InvalidateByMva(0x00D0_0000);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x00D0_0000, PrivRead));
        MapL1(0x00D0_0000, 0);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x00D0_0000, PrivRead)); // still cached
        _mmu.InvalidateAll();
        Assert.Equal(0x005u, FaultStatus(0x00D0_0000, PrivRead));
        MapL1(0x00D0_0000, Section(0x0030_0000, ap: 3));
        Assert.Equal(0x0030_0000u, _mmu.Translate(0x00D0_0000, PrivRead)); // faults are not cached
    }

    [Fact]
    public void NonGlobalEntriesBelongToTheirAsid()
    {
        MapL1(0x00E0_0000, Section(0x0010_0000, ap: 3, ng: true));
        _mmu.ContextId = 0x0000_0105;                     // PROCID 1, ASID 5
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00E0_0000, PrivRead));
        MapL1(0x00E0_0000, Section(0x0020_0000, ap: 3, ng: true));
        _mmu.ContextId = 6;
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x00E0_0000, PrivRead)); // ASID 6 walks anew
        _mmu.ContextId = 5;
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00E0_0000, PrivRead)); // ASID 5 keeps its entry
        Assert.Equal(2, _mmu.TlbEntryCount);
        _mmu.InvalidateByAsid(6);
        Assert.Equal(1, _mmu.TlbEntryCount);
        _mmu.InvalidateByMva(0x00E0_0000 | 6);            // by MVA for ASID 6: ASID 5's entry stays
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00E0_0000, PrivRead));
        _mmu.InvalidateByMva(0x00E0_0000 | 5);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x00E0_0000, PrivRead));
        _mmu.ContextId = 7;
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x00E0_0000, PrivRead));
        Assert.Equal(2, _mmu.TlbEntryCount);
        _mmu.InvalidateByMvaAllAsids(0x00E0_0000);        // both ASIDs' entries go
        Assert.Equal(0, _mmu.TlbEntryCount);
    }

    [Fact]
    public void GlobalEntriesServeEveryAsidAndGoWithAnyMvaInvalidation()
    {
        MapL1(0x00F0_0000, Section(0x0010_0000, ap: 3));
        _mmu.ContextId = 1;
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00F0_0000, PrivRead));
        MapL1(0x00F0_0000, Section(0x0020_0000, ap: 3));
        _mmu.ContextId = 2;
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00F0_0000, PrivRead)); // the global entry
        _mmu.InvalidateByAsid(2);
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x00F0_0000, PrivRead)); // TLBIASID leaves global entries
        _mmu.InvalidateByMva(0x00F0_0000 | 9);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x00F0_0000, PrivRead));
    }

    [Fact]
    public void ParReportsTranslationAttributesOrTheFault()
    {
        // Normal write-back write-allocate (TEX 001, C, B), shareable; a second section with no PL0 access.
        MapL1(0x0100_0000, Section(0x0050_0000, ap: 3, tex: 1, c: true, b: true) | 1u << 16);
        MapL1(0x0110_0000, Section(0x0060_0000, ap: 1, domain: 3));
        // PA[31:12] | SH [7] | Inner 101 (WBWA) [6:4] | Outer 01 (WBWA) [3:2].
        Assert.Equal(0x0050_3000u | 1u << 7 | 0b101u << 4 | 0b01u << 2, _mmu.TranslateForPar(0x0100_3ABC, privileged: true, write: false));
        // User read of a PL1-only section: F, FS 0b01101 in [5:1].
        Assert.Equal(0b01101u << 1 | 1, _mmu.TranslateForPar(0x0110_0000, privileged: false, write: false));
        Assert.Equal(0b00101u << 1 | 1, _mmu.TranslateForPar(0x0120_0000, privileged: true, write: true));
    }

    [Fact]
    public void TexRemapTakesTheTypeFromPrrrAndThePolicyFromNmrr()
    {
        // Linux's values: PRRR 0xff0a81a8, NMRR 0x40e040e0. Index n = TEX[0]:C:B.
        _mmu.TexRemap = true;
        _mmu.Prrr = 0xff0a_81a8;
        _mmu.Nmrr = 0x40e0_40e0;
        MapL1(0x0200_0000, Section(0x0000_0000, ap: 3, tex: 0, c: true, b: true));  // n = 3: Normal, IR3 = OR3 = 11 (WB, no WA)
        MapL1(0x0230_0000, Section(0x0000_0000, ap: 3, tex: 1, c: true, b: true));  // n = 7: Normal, IR7 = OR7 = 01 (WBWA)
        MapL1(0x0210_0000, Section(0x0000_0000, ap: 3, tex: 1, c: false, b: false)); // n = 4: PRRR TR4 = 01, Device
        MapL1(0x0240_0000, Section(0x0000_0000, ap: 3, tex: 0, c: false, b: true)); // n = 1: TR1 = 10 Normal, IR1 = 00 non-cacheable
        MapL1(0x0220_0000, Section(0x0000_0000, ap: 3, tex: 0, c: false, b: false)); // n = 0: Strongly-ordered
        Assert.True(_mmu.TryLookup(0x0200_0000, out _, out var normal));
        Assert.Equal(new MemoryAttributes(MemoryType.Normal, CachePolicy.WriteBackNoWriteAllocate, CachePolicy.WriteBackNoWriteAllocate, false), normal);
        Assert.True(_mmu.TryLookup(0x0230_0000, out _, out var wbwa));
        Assert.Equal(new MemoryAttributes(MemoryType.Normal, CachePolicy.WriteBackWriteAllocate, CachePolicy.WriteBackWriteAllocate, false), wbwa);
        Assert.True(_mmu.TryLookup(0x0210_0000, out _, out var device));
        Assert.Equal(MemoryType.Device, device.Type);
        Assert.True(_mmu.TryLookup(0x0220_0000, out _, out var so));
        Assert.Equal(MemoryType.StronglyOrdered, so.Type);
        Assert.Equal(new ArmEmu.Memory.Caches.PageAttributes(true, true), _mmu.AttributesOf(0x0200_0000, PrivRead));
        Assert.Equal(new ArmEmu.Memory.Caches.PageAttributes(true, true) { WriteAllocate = true }, _mmu.AttributesOf(0x0230_0000, PrivRead));
        Assert.Equal(new ArmEmu.Memory.Caches.PageAttributes(false, true), _mmu.AttributesOf(0x0210_0000, PrivRead));
        Assert.True(_mmu.TryLookup(0x0240_0000, out _, out var nc));
        Assert.Equal(new MemoryAttributes(MemoryType.Normal, CachePolicy.NonCacheable, CachePolicy.NonCacheable, false), nc);
        Assert.Equal(ArmEmu.Memory.Caches.PageAttributes.Uncached, _mmu.AttributesOf(0x0220_0000, PrivRead));
    }

    [Fact]
    public void WithoutRemapTexCAndBNameTheAttributes()
    {
        MapL1(0x0300_0000, Section(0x0000_0000, ap: 3, tex: 0, c: true, b: false));  // WT
        MapL1(0x0310_0000, Section(0x0000_0000, ap: 3, tex: 0b110, c: true, b: false)); // Normal, outer WT, inner WT
        MapL1(0x0320_0000, Section(0x0000_0000, ap: 3, tex: 2));                     // non-shareable Device
        Assert.Equal(new ArmEmu.Memory.Caches.PageAttributes(true, false), _mmu.AttributesOf(0x0300_0000, PrivRead));
        Assert.True(_mmu.TryLookup(0x0310_0000, out _, out var a));
        Assert.Equal(new MemoryAttributes(MemoryType.Normal, CachePolicy.WriteThrough, CachePolicy.WriteThrough, false), a);
        Assert.True(_mmu.TryLookup(0x0320_0000, out _, out var d));
        Assert.Equal(MemoryType.Device, d.Type);
    }

    [Fact]
    public void AWalkMarkedCacheableSeesTheCachesAndAnUncachedOneSeesRam()
    {
        // RAM holds a page table whose entry is invalid; "the caches" hold the valid entry the
        // kernel just wrote (an SMP Linux kernel does not clean it to memory).
        MapL1(0x0010_0000, PageTable(L2));
        Poke(L2 + 0x5 * 4, 0);
        uint cached = Small(0x0003_0000, ap: 3);
        _mmu.CachedWalkRead = pa => pa == L2 + 0x5 * 4 ? cached : null;

        Assert.Equal(0x7u, FaultStatus(0x0010_5000, PrivRead));                  // TTBR0 IRGN = 00: RAM, no page
        _mmu.Ttbr0 = L1 | 0x40;                                                  // IRGN = 01, write-back write-allocate
        _mmu.InvalidateAll();
        Assert.Equal(0x0003_0123u, _mmu.Translate(0x0010_5123, PrivRead));       // the cached descriptor
        _mmu.Ttbr0 = L1 | 0x01;                                                  // IRGN = 10, write-through
        _mmu.InvalidateAll();
        Assert.Equal(0x0003_0123u, _mmu.Translate(0x0010_5123, PrivRead));
    }
}
