using ArmEmu.Memory.Mmu;

namespace ArmEmu.Memory.Tests;

/// <summary>
/// The ARMv5 MMU (ARM ARM B4): page tables built by hand in RAM, every descriptor kind,
/// the AP/S/R table, domains, every fault status with its domain field, FCSE relocation,
/// TLB staleness, and the memory port's fast path over sub-4 KiB mappings.
/// </summary>
public class ArmV5MmuTests : IDisposable
{
    private const uint Ttb = 0x4000;       // first-level table, 16 KiB aligned
    private const uint Coarse = 0x8000;    // coarse second-level table (1 KiB)
    private const uint Fine = 0xC000;      // fine second-level table (4 KiB)
    private const uint RamSize = 0x40_0000;

    private const AccessKind PrivRead = AccessKind.Read | AccessKind.Privileged;
    private const AccessKind PrivWrite = AccessKind.Write | AccessKind.Privileged;
    private const AccessKind UserRead = AccessKind.Read;
    private const AccessKind UserWrite = AccessKind.Write;

    private readonly PhysicalBus _bus = new();
    private readonly ArmV5Mmu _mmu;

    public ArmV5MmuTests()
    {
        _bus.AddRam(0, RamSize);
        _mmu = new ArmV5Mmu(_bus)
        {
            TranslationTableBase = Ttb,
            DomainAccessControl = 0x5555_5555, // every domain client
            Enabled = true,
        };
    }

    public void Dispose() => _bus.Dispose();

    // ---- descriptor builders (ARM ARM B4.7) ----------------------------------------------------

    private void Write(uint pa, uint value) => _bus.WriteRam(pa, BitConverter.GetBytes(value));

    private uint Read(uint pa)
    {
        Span<byte> b = stackalloc byte[4];
        Assert.True(_bus.ReadRam(pa, b));
        return BitConverter.ToUInt32(b);
    }

    private void Section(uint mva, uint pa, uint ap = 3, uint domain = 0, bool c = false, bool b = false) =>
        Write(Ttb + (mva >> 20) * 4, (pa & 0xFFF0_0000) | (ap << 10) | (domain << 5) | 0x10 | (c ? 8u : 0) | (b ? 4u : 0) | 0b10);

    private void CoarseTable(uint mva, uint table = Coarse, uint domain = 0) =>
        Write(Ttb + (mva >> 20) * 4, table | (domain << 5) | 0x10 | 0b01);

    private void FineTable(uint mva, uint table = Fine, uint domain = 0) =>
        Write(Ttb + (mva >> 20) * 4, table | (domain << 5) | 0x10 | 0b11);

    private static uint Aps(uint ap0, uint ap1, uint ap2, uint ap3) => (ap3 << 10) | (ap2 << 8) | (ap1 << 6) | (ap0 << 4);

    private void LargeInCoarse(uint mva, uint pa, uint aps, bool c = false, bool b = false)
    {
        // A large page fills 16 consecutive coarse entries (B4.7.6).
        for (uint i = 0; i < 16; i++)
            Write(Coarse + ((((mva >> 12) & 0xF0) + i) << 2), (pa & 0xFFFF_0000) | aps | (c ? 8u : 0) | (b ? 4u : 0) | 0b01);
    }

    private void SmallInCoarse(uint mva, uint pa, uint aps, bool c = false, bool b = false) =>
        Write(Coarse + (((mva >> 12) & 0xFF) << 2), (pa & 0xFFFF_F000) | aps | (c ? 8u : 0) | (b ? 4u : 0) | 0b10);

    private void TinyInFine(uint mva, uint pa, uint ap, bool c = false, bool b = false) =>
        Write(Fine + (((mva >> 10) & 0x3FF) << 2), (pa & 0xFFFF_FC00) | (ap << 4) | (c ? 8u : 0) | (b ? 4u : 0) | 0b11);

    private MemoryFault Faults(uint va, AccessKind access)
    {
        var f = Assert.Throws<MemoryFault>(() => _mmu.Translate(va, access));
        Assert.Equal(FaultKind.Translation, f.Kind);
        Assert.Equal(va, f.Address);
        return f;
    }

    // ---- MMU off ---------------------------------------------------------------------------------

    [Fact]
    public void MmuOffIsFlatAndAllowsEverything()
    {
        _mmu.Enabled = false;
        // No descriptor anywhere: with the MMU on every access would be a section translation fault.
        Assert.Equal(0xDEAD_BEEFu, _mmu.Translate(0xDEAD_BEEF, UserWrite));
        Assert.Equal(0x0000_1234u, _mmu.Translate(0x0000_1234, AccessKind.Fetch));
        Assert.True(_mmu.TryLookup(0x8000_0000, out uint pa, out bool c, out bool b));
        Assert.Equal((0x8000_0000u, false, false), (pa, c, b));
        Assert.Equal(0, _mmu.TlbEntryCount);
        _mmu.Enabled = true;
        Assert.Equal(ArmV5Mmu.StatusTranslationSection, Faults(0xDEAD_BEEF, UserWrite).Status & 15);
    }

    // ---- descriptor kinds ------------------------------------------------------------------------

    [Fact]
    public void SectionMapsOneMebibyteWithItsCAndBBits()
    {
        Section(0x8010_0000, 0x0020_0000, c: true, b: false);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x8010_0000, PrivRead));
        Assert.Equal(0x002F_FFFCu, _mmu.Translate(0x801F_FFFC, UserWrite));
        Assert.True(_mmu.TryLookup(0x8012_3456, out uint pa, out bool c, out bool b));
        Assert.Equal((0x0022_3456u, true, false), (pa, c, b));
        Faults(0x8020_0000, PrivRead); // the next megabyte has no descriptor
    }

    [Fact]
    public void CoarseTableLargePageHasFourSixteenKibSubpages()
    {
        CoarseTable(0x0030_0000);
        // AP0 = no user access, AP1 = user read-only, AP2 = user read/write, AP3 = privileged only.
        LargeInCoarse(0x0031_0000, 0x0015_0000, Aps(0, 2, 3, 1), b: true);
        Assert.Equal(0x0015_8000u, _mmu.Translate(0x0031_8000, PrivRead));
        Assert.Equal(0x0015_ABCDu, _mmu.Translate(0x0031_ABCD, PrivRead));
        Assert.Equal(0x0015_FFFFu, _mmu.Translate(0x0031_FFFF, PrivWrite));
        Assert.True(_mmu.TryLookup(0x0031_2000, out _, out bool c, out bool b));
        Assert.Equal((false, true), (c, b));

        // subpage 0 (0x0000-0x3FFF): AP 00 with S = R = 0: no access at all
        Assert.Equal(ArmV5Mmu.StatusPermissionPage, Faults(0x0031_3FFF, PrivRead).Status);
        // subpage 1 (0x4000-0x7FFF): AP 10: user read-only
        Assert.Equal(0x0015_4000u, _mmu.Translate(0x0031_4000, UserRead));
        Assert.Equal(ArmV5Mmu.StatusPermissionPage, Faults(0x0031_7FFC, UserWrite).Status);
        // subpage 2: AP 11: user read/write
        Assert.Equal(0x0015_8000u, _mmu.Translate(0x0031_8000, UserWrite));
        // subpage 3: AP 01: privileged only
        Assert.Equal(0x0015_C000u, _mmu.Translate(0x0031_C000, PrivWrite));
        Assert.Equal(ArmV5Mmu.StatusPermissionPage, Faults(0x0031_C000, UserRead).Status);
    }

    [Fact]
    public void CoarseTableSmallPageHasFourOneKibSubpages()
    {
        CoarseTable(0x0030_0000, domain: 7);
        SmallInCoarse(0x0030_5000, 0x0012_3000, Aps(3, 1, 2, 3), c: true, b: true);
        Assert.Equal(0x0012_3000u, _mmu.Translate(0x0030_5000, UserWrite));
        Assert.Equal(0x0012_3FFFu, _mmu.Translate(0x0030_5FFF, UserWrite));
        Assert.Equal(0x0012_3400u, _mmu.Translate(0x0030_5400, PrivWrite));
        Assert.Equal(0x70u | ArmV5Mmu.StatusPermissionPage, Faults(0x0030_5400, UserRead).Status);
        Assert.Equal(0x0012_3BFCu, _mmu.Translate(0x0030_5BFC, UserRead));
        Assert.Equal(0x70u | ArmV5Mmu.StatusPermissionPage, Faults(0x0030_5BFC, UserWrite).Status);
        Assert.True(_mmu.TryLookup(0x0030_5010, out uint pa, out bool c, out bool b));
        Assert.Equal((0x0012_3010u, true, true), (pa, c, b));
        // The neighbouring small page has a fault descriptor: page translation fault, domain valid.
        Assert.Equal(0x70u | ArmV5Mmu.StatusTranslationPage, Faults(0x0030_6000, PrivRead).Status);
    }

    [Fact]
    public void FineTableTinyPagesAreOneKib()
    {
        FineTable(0x0040_0000, domain: 3);
        TinyInFine(0x0040_0000, 0x0020_0400, ap: 3);
        TinyInFine(0x0040_0400, 0x0021_0000, ap: 1, c: true);
        Assert.Equal(0x0020_0400u, _mmu.Translate(0x0040_0000, UserRead));
        Assert.Equal(0x0020_07FFu, _mmu.Translate(0x0040_03FF, UserWrite));
        Assert.Equal(0x0021_0004u, _mmu.Translate(0x0040_0404, PrivWrite));
        Assert.Equal(0x30u | ArmV5Mmu.StatusPermissionPage, Faults(0x0040_0404, UserRead).Status);
        Assert.True(_mmu.TryLookup(0x0040_0408, out _, out bool c, out _));
        Assert.True(c);
        Assert.Equal(0x30u | ArmV5Mmu.StatusTranslationPage, Faults(0x0040_0800, PrivRead).Status);
    }

    [Fact]
    public void FineTableHoldsSmallAndLargePagesToo()
    {
        FineTable(0x0050_0000);
        // A small page occupies four fine entries, a large page sixty-four (B4.7.8).
        for (uint i = 0; i < 4; i++)
            Write(Fine + ((((0x0050_3000u >> 10) & 0x3FF) + i) << 2), 0x0033_3000 | Aps(3, 3, 3, 3) | 0b10);
        for (uint i = 0; i < 64; i++)
            Write(Fine + ((((0x0051_0000u >> 10) & 0x3FF) + i) << 2), 0x0034_0000 | Aps(3, 3, 3, 3) | 0b01);
        Assert.Equal(0x0033_3C44u, _mmu.Translate(0x0050_3C44, UserRead));
        Assert.Equal(0x0034_ABCCu, _mmu.Translate(0x0051_ABCC, UserWrite));
    }

    [Fact]
    public void TinyDescriptorInACoarseTableIsAPageTranslationFault()
    {
        // UNPREDICTABLE in ARMv5; QEMU (get_phys_addr_v5) takes a page translation fault.
        CoarseTable(0x0060_0000, domain: 2);
        Write(Coarse + (((0x0060_1000u >> 12) & 0xFF) << 2), 0x0010_0000 | (3 << 4) | 0b11);
        Assert.Equal(0x20u | ArmV5Mmu.StatusTranslationPage, Faults(0x0060_1000, PrivRead).Status);
    }

    // ---- access permissions (ARM ARM B4.4.1 Table B4-1) ------------------------------------------

    [Theory]
    //          AP  S  R   privileged  user
    [InlineData(0, false, false, "none", "none")]
    [InlineData(0, true, false, "ro", "none")]
    [InlineData(0, false, true, "ro", "ro")]
    [InlineData(0, true, true, "none", "none")] // UNPREDICTABLE; QEMU (ap_to_rw_prot) gives no access
    [InlineData(1, false, false, "rw", "none")]
    [InlineData(1, true, false, "rw", "none")]
    [InlineData(1, false, true, "rw", "none")]
    [InlineData(1, true, true, "rw", "none")]
    [InlineData(2, false, false, "rw", "ro")]
    [InlineData(2, true, false, "rw", "ro")]
    [InlineData(2, false, true, "rw", "ro")]
    [InlineData(2, true, true, "rw", "ro")]
    [InlineData(3, false, false, "rw", "rw")]
    [InlineData(3, true, false, "rw", "rw")]
    [InlineData(3, false, true, "rw", "rw")]
    [InlineData(3, true, true, "rw", "rw")]
    public void AccessPermissionTable(uint ap, bool s, bool r, string privileged, string user)
    {
        _mmu.SystemProtection = s;
        _mmu.RomProtection = r;
        Section(0x0070_0000, 0x0010_0000, ap, domain: 5);
        CoarseTable(0x0080_0000, domain: 6);
        SmallInCoarse(0x0080_0000, 0x0010_0000, Aps(ap, ap, ap, ap));

        foreach (var (va, status, domain) in new[] { (0x0070_0000u, ArmV5Mmu.StatusPermissionSection, 5u),
                                                    (0x0080_0000u, ArmV5Mmu.StatusPermissionPage, 6u) })
        {
            Check(va, status, domain, AccessKind.Privileged, privileged);
            Check(va, status, domain, 0, user);
        }

        void Check(uint va, uint status, uint domain, AccessKind level, string rights)
        {
            foreach (AccessKind kind in new[] { AccessKind.Read, AccessKind.Fetch, AccessKind.Write })
            {
                bool allowed = rights == "rw" || (rights == "ro" && kind != AccessKind.Write);
                if (allowed) Assert.Equal(0x0010_0000u, _mmu.Translate(va, kind | level));
                else Assert.Equal((domain << 4) | status, Faults(va, kind | level).Status);
            }
        }
    }

    [Fact]
    public void SAndRChangesApplyToEntriesAlreadyInTheTlb()
    {
        Section(0x0070_0000, 0x0010_0000, ap: 0);
        Faults(0x0070_0000, PrivRead);
        _mmu.Translate(0x0070_0000, AccessKind.Debug | AccessKind.Read); // no check for debug
        _mmu.RomProtection = true;
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x0070_0000, UserRead));
    }

    // ---- domains ---------------------------------------------------------------------------------

    [Theory]
    [InlineData(0b00u, "fault")]   // no access
    [InlineData(0b10u, "fault")]   // reserved: UNPREDICTABLE; QEMU treats it as no access
    [InlineData(0b01u, "check")]   // client: AP decides
    [InlineData(0b11u, "allow")]   // manager: AP ignored
    public void DomainAccessControl(uint field, string expected)
    {
        const uint domain = 9;
        _mmu.DomainAccessControl = 0x5555_5555 & ~(3u << (2 * (int)domain)) | (field << (2 * (int)domain));
        Section(0x0090_0000, 0x0010_0000, ap: 0, domain: domain);      // AP 00, S = R = 0: no access for a client
        CoarseTable(0x00A0_0000, domain: domain);
        SmallInCoarse(0x00A0_0000, 0x0010_0000, Aps(1, 1, 1, 1));      // privileged only for a client

        switch (expected)
        {
            case "fault":
                Assert.Equal((domain << 4) | ArmV5Mmu.StatusDomainSection, Faults(0x0090_0000, PrivRead).Status);
                Assert.Equal((domain << 4) | ArmV5Mmu.StatusDomainPage, Faults(0x00A0_0000, PrivRead).Status);
                break;
            case "check":
                Assert.Equal((domain << 4) | ArmV5Mmu.StatusPermissionSection, Faults(0x0090_0000, PrivRead).Status);
                Assert.Equal(0x0010_0000u, _mmu.Translate(0x00A0_0000, PrivWrite));
                Assert.Equal((domain << 4) | ArmV5Mmu.StatusPermissionPage, Faults(0x00A0_0000, UserRead).Status);
                break;
            default:
                Assert.Equal(0x0010_0000u, _mmu.Translate(0x0090_0000, UserWrite));
                Assert.Equal(0x0010_0000u, _mmu.Translate(0x00A0_0000, UserWrite));
                break;
        }
    }

    [Fact]
    public void PageTranslationFaultComesBeforeTheDomainCheck()
    {
        // ARM ARM B4.5 fault checking sequence: a page's domain is checked only after its
        // second-level descriptor has been fetched and found valid.
        _mmu.DomainAccessControl = 0;
        CoarseTable(0x00B0_0000, domain: 4);
        Assert.Equal(0x40u | ArmV5Mmu.StatusTranslationPage, Faults(0x00B0_0000, PrivRead).Status);
    }

    // ---- fault statuses --------------------------------------------------------------------------

    [Fact]
    public void SectionTranslationFaultReportsTheDescriptorsDomainBitsAsQemuDoes()
    {
        // Domain is "invalid" for a section translation fault (B4.6); QEMU reports bits [8:5].
        Write(Ttb + (0x00C0_0000u >> 20) * 4, 0xA << 5);
        MemoryFault f = Faults(0x00C0_0004, UserWrite);
        Assert.Equal(0xA0u | ArmV5Mmu.StatusTranslationSection, f.Status);
        Assert.Equal(UserWrite, f.Access);
    }

    [Fact]
    public void WalkOutsideRamIsAnExternalAbortOnTranslation()
    {
        // First level: the table itself is not in RAM.
        _mmu.TranslationTableBase = 0x8000_0000;
        Assert.Equal(ArmV5Mmu.StatusExternalAbortOnTranslationFirstLevel, Faults(0x1000, PrivRead).Status);
        // Second level: the coarse table is not in RAM; the domain is known by then.
        _mmu.TranslationTableBase = Ttb;
        CoarseTable(0x00D0_0000, table: 0x9000_0400, domain: 12);
        Assert.Equal(0xC0u | ArmV5Mmu.StatusExternalAbortOnTranslationSecondLevel, Faults(0x00D0_0000, PrivRead).Status);
    }

    [Fact]
    public void ExternalAbortStatusNamesSectionOrPageAndDomain()
    {
        Section(0x00E0_0000, 0x1000_0000, domain: 3);
        CoarseTable(0x00F0_0000, domain: 11);
        SmallInCoarse(0x00F0_0000, 0x1000_0000, Aps(3, 3, 3, 3));
        _mmu.Translate(0x00E0_0000, PrivRead);
        _mmu.Translate(0x00F0_0000, PrivRead);
        Assert.Equal(0x38u, _mmu.ExternalAbortStatus(0x00E0_0010));
        Assert.Equal(0xBAu, _mmu.ExternalAbortStatus(0x00F0_0010));
        _mmu.Enabled = false;
        Assert.Equal(0x08u, _mmu.ExternalAbortStatus(0x00F0_0010));
    }

    // ---- FCSE (ARM ARM B8) -----------------------------------------------------------------------

    [Fact]
    public void FcseRelocatesAddressesBelow32Mib()
    {
        _mmu.FcsePid = 0x0600_0000 | 0x1FF_FFFF; // PID 3; bits [24:0] are not part of it
        Assert.Equal(0x0600_0000u, _mmu.FcsePid);
        Assert.Equal(0x0600_1234u, _mmu.ModifiedVirtualAddress(0x0000_1234));
        Assert.Equal(0x07FF_FFFFu, _mmu.ModifiedVirtualAddress(0x01FF_FFFF));
        Assert.Equal(0x0200_0000u, _mmu.ModifiedVirtualAddress(0x0200_0000)); // 32 MiB and up: untouched

        Section(0x0610_0000, 0x0020_0000);
        Section(0x0010_0000, 0x0030_0000);
        Assert.Equal(0x0020_0010u, _mmu.Translate(0x0010_0010, UserRead)); // via MVA 0x06100010
        _mmu.FcsePid = 0;
        Assert.Equal(0x0030_0010u, _mmu.Translate(0x0010_0010, UserRead));
    }

    // ---- the TLB ---------------------------------------------------------------------------------

    [Fact]
    public void TlbKeepsAnOldTranslationUntilInvalidated()
    {
        Section(0x0100_0000, 0x0010_0000);
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x0100_0000, PrivRead));
        Section(0x0100_0000, 0x0020_0000); // edited without invalidating
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x0100_0000, PrivRead));
        // Invalidating an unrelated MVA leaves it; any MVA inside the section removes it.
        _mmu.InvalidateEntry(0x0200_0000);
        Assert.Equal(0x0010_0008u, _mmu.Translate(0x0100_0008, PrivRead));
        _mmu.InvalidateEntry(0x010F_F000);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x0100_0000, PrivRead));
    }

    [Fact]
    public void InvalidateAllForgetsPagesAndUnmappings()
    {
        CoarseTable(0x0110_0000);
        SmallInCoarse(0x0110_0000, 0x0010_0000, Aps(3, 3, 3, 3));
        _mmu.Translate(0x0110_0000, UserRead);
        Write(Coarse, 0);                        // now a fault descriptor
        _mmu.TranslationTableBase = 0x0030_0000; // even a new table base changes nothing cached
        Assert.Equal(0x0010_0004u, _mmu.Translate(0x0110_0004, UserRead));
        _mmu.TranslationTableBase = Ttb;
        _mmu.InvalidateDataAll();
        Assert.Equal(ArmV5Mmu.StatusTranslationPage, Faults(0x0110_0004, UserRead).Status);
        Assert.Equal(0, _mmu.TlbEntryCount);
    }

    [Fact]
    public void InvalidateEntryRemovesTheWholeLargePage()
    {
        CoarseTable(0x0120_0000);
        LargeInCoarse(0x0120_0000, 0x0010_0000, Aps(3, 3, 3, 3));
        _mmu.Translate(0x0120_0000, PrivRead);
        LargeInCoarse(0x0120_0000, 0x0020_0000, Aps(3, 3, 3, 3));
        Assert.Equal(0x0010_F000u, _mmu.Translate(0x0120_F000, PrivRead));
        _mmu.InvalidateInstructionEntry(0x0120_C000);
        Assert.Equal(0x0020_0000u, _mmu.Translate(0x0120_0000, PrivRead));
    }

    [Fact]
    public void FaultingWalksAndDebugLookupsFillNothing()
    {
        Faults(0x0130_0000, PrivRead);
        Assert.Equal(0, _mmu.TlbEntryCount);
        Section(0x0130_0000, 0x0010_0000, ap: 0);
        // A debug access needs a valid translation but no rights, and leaves the TLB alone.
        Assert.Equal(0x0010_0000u, _mmu.Translate(0x0130_0000, AccessKind.Read | AccessKind.Debug));
        Assert.Equal(0, _mmu.TlbEntryCount);
        // A permission fault still leaves the (valid) entry in the TLB.
        Faults(0x0130_0000, PrivRead);
        Assert.Equal(1, _mmu.TlbEntryCount);
    }

    [Fact]
    public void TranslationsChangedOnRegisterChangesAndFlushesOnly()
    {
        int raised = 0;
        _mmu.TranslationsChanged += () => raised++;
        Section(0x0140_0000, 0x0010_0000); // a page-table write: nothing
        Assert.Equal(0, raised);
        _mmu.DomainAccessControl = 0x5555_5555; // unchanged value: nothing
        Assert.Equal(0, raised);
        _mmu.DomainAccessControl = 0xFFFF_FFFF;
        _mmu.TranslationTableBase = 0x8000;
        _mmu.FcsePid = 0x0200_0000;
        _mmu.SystemProtection = true;
        _mmu.RomProtection = true;
        _mmu.Enabled = false;
        _mmu.InvalidateAll();
        _mmu.InvalidateEntry(0);
        Assert.Equal(8, raised);
    }

    // ---- with the memory port ---------------------------------------------------------------------

    [Fact]
    public void PortDoesNotCacheTinyPagesAtFourKibGranularity()
    {
        using var port = new MemoryPort(_bus, _mmu);
        FineTable(0x0150_0000);
        TinyInFine(0x0150_0000, 0x0020_0000, ap: 3);
        TinyInFine(0x0150_0400, 0x0021_0000, ap: 3);
        Write(0x0020_0000, 0xAAAA_AAAA);
        Write(0x0021_0000, 0xBBBB_BBBB);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(0xAAAA_AAAAu, port.Read32(0x0150_0000));
            Assert.Equal(0xBBBB_BBBBu, port.Read32(0x0150_0400));
        }
        port.Write32(0x0150_0404, 0x1234_5678);
        port.Write32(0x0150_0004, 0x8765_4321);
        Assert.Equal(0x1234_5678u, Read(0x0021_0004));
        Assert.Equal(0x8765_4321u, Read(0x0020_0004));
        Assert.Equal(0x8765_4321u, port.Fetch32(0x0150_0004));
        Assert.Equal(0x1234_5678u, port.Fetch32(0x0150_0404));
    }

    [Fact]
    public void PortChecksSubpagePermissionsOfASmallPageOnEveryAccess()
    {
        using var port = new MemoryPort(_bus, _mmu) { Privileged = false };
        CoarseTable(0x0160_0000);
        SmallInCoarse(0x0160_0000, 0x0020_0000, Aps(3, 1, 3, 3)); // subpage 1 is privileged only
        Write(0x0020_0000, 7);
        Assert.Equal(7u, port.Read32(0x0160_0000));
        Assert.Equal(7u, port.Read32(0x0160_0000));
        Assert.Equal(ArmV5Mmu.StatusPermissionPage, Assert.Throws<MemoryFault>(() => port.Read32(0x0160_0400)).Status);
        port.Write32(0x0160_0800, 9);
        Assert.Throws<MemoryFault>(() => port.Write32(0x0160_0400, 9));
    }

    [Fact]
    public void PortSeesDomainChangesButNotUnflushedTableEdits()
    {
        using var port = new MemoryPort(_bus, _mmu);
        Section(0x0170_0000, 0x0020_0000, domain: 1);
        Section(0x0180_0000, 0x0030_0000, domain: 1);
        Write(0x0020_0000, 0x11);
        Write(0x0030_0000, 0x22);
        Assert.Equal(0x11u, port.Read32(0x0170_0000));
        Section(0x0170_0000, 0x0030_0000, domain: 1);
        Assert.Equal(0x11u, port.Read32(0x0170_0000)); // stale, as on hardware
        _mmu.DomainAccessControl = 0x5555_5551;          // domain 1: no access
        Assert.Equal(0x10u | ArmV5Mmu.StatusDomainSection, Assert.Throws<MemoryFault>(() => port.Read32(0x0170_0000)).Status);
        _mmu.DomainAccessControl = 0x5555_5555;
        _mmu.InvalidateEntry(0x0170_0000);
        Assert.Equal(0x22u, port.Read32(0x0170_0000));
    }
}
