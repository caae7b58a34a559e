using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Mmu;

/// <summary>
/// The ARMv7 virtual memory system architecture with the short-descriptor translation table
/// format (VMSAv7, ARM ARM DDI 0406C chapter B3) as a Cortex-A8/A9 implements it: TTBR0/TTBR1
/// split by TTBCR.N, sections, 16 MiB supersections, 64 KiB large and 4 KiB small pages,
/// domains, the AP[2:0] permission model or, with SCTLR.AFE, the simplified model with the
/// access flag, XN and PXN, global and ASID-tagged (nG) TLB entries, and TEX remap (SCTLR.TRE
/// with PRRR/NMRR) for the memory attributes the cache model sees.
///
/// The system control coprocessor owns the registers and pushes them here. The TLB keeps what
/// the walks found until a TLB maintenance operation removes it: a guest that edits a
/// descriptor, or changes TTBR0, without invalidating keeps the old translation, as on
/// hardware. Translation faults are never cached; neither is an entry whose access flag is 0
/// while SCTLR.AFE is set (ARM ARM B3.7.1: such an entry must not be held in a TLB).
///
/// Faults throw <see cref="MemoryFault"/> of kind <see cref="FaultKind.Translation"/> whose
/// <see cref="MemoryFault.Status"/> is the short-descriptor FSR without WnR: FS[4] in bit 10,
/// FS[3:0] in bits [3:0], the domain in bits [7:4] (ARM ARM B4.1.52, Table B3-23). The CP15
/// adds WnR when it writes the DFSR.
///
/// Only the Secure state is modelled (the machine never leaves it): there is one bank of
/// the translation registers, NS bits in descriptors are ignored and PAR.NS reads 0.
/// </summary>
internal sealed unsafe class ArmV7Mmu : IAddressTranslator
{
    // ---- fault status codes FS[4:0] of the short-descriptor format (ARM ARM B3.13.3) ------

    public const uint StatusAlignment = 0b00001;
    public const uint StatusDebug = 0b00010;
    public const uint StatusAccessFlagSection = 0b00011;
    public const uint StatusAccessFlagPage = 0b00110;
    public const uint StatusTranslationSection = 0b00101;
    public const uint StatusTranslationPage = 0b00111;
    public const uint StatusSynchronousExternal = 0b01000;
    public const uint StatusDomainSection = 0b01001;
    public const uint StatusDomainPage = 0b01011;
    public const uint StatusExternalOnWalkFirstLevel = 0b01100;
    public const uint StatusExternalOnWalkSecondLevel = 0b01110;
    public const uint StatusPermissionSection = 0b01101;
    public const uint StatusPermissionPage = 0b01111;

    /// <summary>The FSR layout of a FS[4:0] code: FS[4] moves to bit 10.</summary>
    public static uint FsrOf(uint fs, uint domain = 0) => (fs & 0xF) | ((fs & 0x10) << 6) | (domain & 0xF) << 4;

    /// <summary>The FS[4:0] code of an FSR value.</summary>
    public static uint FsOf(uint fsr) => (fsr & 0xF) | ((fsr >> 6) & 0x10);

    private readonly PhysicalBus _bus;

    // The TLB: one table per mapping size, keyed by the VA shifted down to that size and the
    // ASID the entry is tagged with (GlobalTag for a global entry, nG = 0).
    private readonly Dictionary<ulong, TlbEntry>[] _tlb = [new(), new(), new(), new()];
    private static ReadOnlySpan<byte> SizeShift => [24, 20, 16, 12];
    private const uint GlobalTag = 0x100;

    private bool _enabled, _afe, _tre;
    private uint _ttbr0, _ttbr1, _ttbcr, _dacr, _contextId, _prrr, _nmrr;

    public ArmV7Mmu(PhysicalBus bus) => _bus = bus;

    public event Action? TranslationsChanged;

    /// <summary>SCTLR.M. Off: the physical address is the VA and every access is allowed (ARM ARM B3.2).</summary>
    public bool Enabled { get => _enabled; set => Set(ref _enabled, value); }

    /// <summary>SCTLR.AFE (bit 29): AP[0] is the access flag and permissions use AP[2:1] only.</summary>
    public bool AccessFlagEnabled { get => _afe; set => Set(ref _afe, value); }

    /// <summary>SCTLR.TRE (bit 28): TEX[0], C and B index PRRR/NMRR instead of naming the attributes.</summary>
    public bool TexRemap { get => _tre; set => Set(ref _tre, value); }

    /// <summary>TTBR0 (c2,c0,0): table base in [31:14-N], walk attributes below.</summary>
    public uint Ttbr0 { get => _ttbr0; set => _ttbr0 = value; }

    /// <summary>TTBR1 (c2,c0,1): table base in [31:14].</summary>
    public uint Ttbr1 { get => _ttbr1; set => _ttbr1 = value; }

    /// <summary>TTBCR (c2,c0,2): N[2:0], PD0[4], PD1[5]; EAE (bit 31) is 0 without LPAE.</summary>
    public uint Ttbcr { get => _ttbcr; set => Set(ref _ttbcr, value & 0x37); }

    /// <summary>DACR (c3,c0,0): two bits per domain, domain 0 in [1:0].</summary>
    public uint Dacr { get => _dacr; set => Set(ref _dacr, value); }

    /// <summary>CONTEXTIDR (c13,c0,1): PROCID[31:8], ASID[7:0]. The ASID selects the nG TLB entries that apply.</summary>
    public uint ContextId { get => _contextId; set => Set(ref _contextId, value); }

    /// <summary>The current ASID.</summary>
    public uint Asid => _contextId & 0xFF;

    /// <summary>PRRR (c10,c2,0), used with SCTLR.TRE.</summary>
    public uint Prrr { get => _prrr; set => Set(ref _prrr, value); }

    /// <summary>NMRR (c10,c2,1), used with SCTLR.TRE.</summary>
    public uint Nmrr { get => _nmrr; set => Set(ref _nmrr, value); }

    /// <summary>Number of entries now in the TLB (for tests and statistics).</summary>
    public int TlbEntryCount => _tlb[0].Count + _tlb[1].Count + _tlb[2].Count + _tlb[3].Count;

    /// <summary>
    /// The entries now in the TLB, largest mappings first, each size in address order (a
    /// debugger's view: gdb's <c>monitor tlb</c>), with the descriptor fields they were filled from.
    /// </summary>
    public IEnumerable<V7TlbEntryView> TlbEntries()
    {
        for (int size = 0; size < 4; size++)
            foreach (var (key, e) in _tlb[size].OrderBy(p => (uint)p.Key).ThenBy(p => p.Key >> 32))
                yield return new V7TlbEntryView((uint)key << SizeShift[size], e.PhysicalBase, 1u << SizeShift[size], e.Global, e.Asid,
                    e.Domain, e.Ap, e.Descriptor.Tex, e.Descriptor.C, e.Descriptor.B, e.Descriptor.S, e.ExecuteNever, e.PrivilegedExecuteNever);
    }

    // ---- TLB maintenance (c8; ARM ARM B4.2.2) ------------------------------------------------

    /// <summary>TLBIALL (and its IS, I-side and D-side forms): every entry. One unified TLB here.</summary>
    public void InvalidateAll()
    {
        foreach (var table in _tlb) table.Clear();
        TranslationsChanged?.Invoke();
    }

    /// <summary>
    /// TLBIMVA: the entries that translate the MVA in <paramref name="operand"/>[31:12] for the
    /// ASID in [7:0], and any global entry that translates it (ARM ARM B4.2.2: "global entries
    /// are invalidated whatever the ASID").
    /// </summary>
    public void InvalidateByMva(uint operand)
    {
        uint mva = operand & 0xFFFF_F000, asid = operand & 0xFF;
        for (int size = 0; size < 4; size++)
        {
            ulong page = mva >> SizeShift[size];
            _tlb[size].Remove(Key(page, GlobalTag));
            _tlb[size].Remove(Key(page, asid));
        }
        TranslationsChanged?.Invoke();
    }

    /// <summary>TLBIASID: every non-global entry tagged with the ASID in <paramref name="operand"/>[7:0].</summary>
    public void InvalidateByAsid(uint operand)
    {
        uint asid = operand & 0xFF;
        foreach (var table in _tlb)
            foreach (var key in table.Keys.Where(k => (uint)(k >> 32) == asid).ToList())
                table.Remove(key);
        TranslationsChanged?.Invoke();
    }

    /// <summary>TLBIMVAA (Multiprocessing Extensions): the entries that translate the MVA, whatever their ASID.</summary>
    public void InvalidateByMvaAllAsids(uint operand)
    {
        uint mva = operand & 0xFFFF_F000;
        for (int size = 0; size < 4; size++)
        {
            uint page = mva >> SizeShift[size];
            var table = _tlb[size];
            foreach (var key in table.Keys.Where(k => (uint)k == page).ToList())
                table.Remove(key);
        }
        TranslationsChanged?.Invoke();
    }

    // ---- translation -------------------------------------------------------------------------

    public uint Translate(uint va, AccessKind access) => Translate(va, access, out _);

    public uint Translate(uint va, AccessKind access, out bool wholePage)
    {
        wholePage = true;
        if (!_enabled) return va;
        bool debug = (access & AccessKind.Debug) != 0;
        TlbEntry e = Find(va, access, fill: !debug);
        if (!debug) Check(e, va, access);
        return e.PhysicalAddress(va);
    }

    /// <summary>
    /// The memory attributes for the cache model. With the MMU off, data accesses are
    /// Strongly-ordered and instruction fetches Normal cacheable (ARM ARM B3.2.1: with the MMU
    /// off, fetches are cacheable when SCTLR.I is set; the cache model applies SCTLR.I).
    /// Normal write-back memory is C and B (with WriteAllocate when the inner policy is WBWA,
    /// which a cache allocating per page follows); write-through C only; non-cacheable Normal
    /// and Device memory B only; Strongly-ordered neither.
    /// </summary>
    public PageAttributes AttributesOf(uint va, AccessKind access)
    {
        if (!_enabled) return (access & AccessKind.Fetch) != 0 ? PageAttributes.Normal : PageAttributes.Uncached;
        if (!TryLookup(va, out _, out var attributes)) return PageAttributes.Uncached;
        return attributes.Type switch
        {
            MemoryType.Normal => attributes.Inner switch
            {
                CachePolicy.WriteBackWriteAllocate => new PageAttributes(true, true) { WriteAllocate = true },
                CachePolicy.WriteBackNoWriteAllocate => new PageAttributes(true, true),
                CachePolicy.WriteThrough => new PageAttributes(true, false),
                _ => new PageAttributes(false, true),
            },
            MemoryType.Device => new PageAttributes(false, true),
            _ => PageAttributes.Uncached,
        };
    }

    /// <summary>
    /// The physical address and attributes of the mapping of <paramref name="va"/>, without a
    /// permission check; false when the walk faults. Like a real access it fills the TLB.
    /// With the MMU off: the VA, Strongly-ordered.
    /// </summary>
    public bool TryLookup(uint va, out uint pa, out MemoryAttributes attributes)
    {
        pa = va;
        attributes = new MemoryAttributes(MemoryType.StronglyOrdered, CachePolicy.NonCacheable, CachePolicy.NonCacheable, true);
        if (!_enabled) return true;
        try
        {
            TlbEntry e = Find(va, AccessKind.Read | AccessKind.Privileged, fill: true);
            pa = e.PhysicalAddress(va);
            attributes = Attributes(e);
            return true;
        }
        catch (MemoryFault)
        {
            return false;
        }
    }

    /// <summary>
    /// ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW (c7,c8,0..3): the stage 1 translation of
    /// <paramref name="va"/> for a privileged or User read or write, as the PAR reports it
    /// (ARM ARM B4.1.112, short-descriptor format). Success: PA[31:12] (supersection: PA[31:24]
    /// and SS, bit 1), NOS[10], NS[9] (0: Secure), SH[7], Inner[6:4], Outer[3:2]. Fault: F (bit 0),
    /// FS[4:0] in [5:1], ExT in [6]. QEMU 7.2 reports no attribute bits on success
    /// (target/arm/helper.c do_ats_write: "We do not set any attribute bits in the PAR"); the
    /// architecture says the PAR holds them, so we report them.
    /// </summary>
    public uint TranslateForPar(uint va, bool privileged, bool write)
    {
        var access = (write ? AccessKind.Write : AccessKind.Read) | (privileged ? AccessKind.Privileged : 0);
        try
        {
            if (!_enabled) return va & 0xFFFF_F000;
            TlbEntry e = Find(va, access, fill: true);
            Check(e, va, access);
            var a = Attributes(e);
            uint par = e.Size == MappingSize.Supersection ? (e.PhysicalAddress(va) & 0xFF00_0000) | 1u << 1 : e.PhysicalAddress(va) & 0xFFFF_F000;
            uint inner = a.Type switch
            {
                MemoryType.StronglyOrdered => 0b001,
                MemoryType.Device => 0b011,
                _ => a.Inner switch
                {
                    CachePolicy.WriteBackWriteAllocate => 0b101u,
                    CachePolicy.WriteThrough => 0b110u,
                    CachePolicy.WriteBackNoWriteAllocate => 0b111u,
                    _ => 0b000u,
                },
            };
            uint outer = a.Type == MemoryType.Normal ? (uint)a.Outer : 0;
            bool shareable = a.Type != MemoryType.Normal || a.Shareable;
            return par | (shareable ? 1u << 7 : 0) | inner << 4 | outer << 2;
        }
        catch (MemoryFault fault)
        {
            uint fs = FsOf(fault.Status);
            return fs << 1 | 1;
        }
    }

    private TlbEntry Find(uint va, AccessKind access, bool fill)
    {
        if (TryFindInTlb(va, out TlbEntry e)) return e;
        e = Walk(va, access);
        if (fill && !(_afe && !e.AccessFlag)) _tlb[(int)e.Size][Key(va >> SizeShift[(int)e.Size], e.Global ? GlobalTag : e.Asid)] = e;
        return e;
    }

    private bool TryFindInTlb(uint va, out TlbEntry entry)
    {
        uint asid = Asid;
        // Smallest mapping first: if stale entries of two sizes overlap (the guest remapped
        // without invalidating; UNPREDICTABLE), the finer one wins.
        for (int size = 3; size >= 0; size--)
        {
            var table = _tlb[size];
            if (table.Count == 0) continue;
            ulong page = va >> SizeShift[size];
            if (table.TryGetValue(Key(page, GlobalTag), out entry) || table.TryGetValue(Key(page, asid), out entry)) return true;
        }
        entry = default;
        return false;
    }

    private static ulong Key(ulong page, uint tag) => (ulong)tag << 32 | page;

    /// <summary>
    /// The translation table walk (ARM ARM B3.5): TTBR0 when TTBCR.N is 0 or VA[31:32-N] are all
    /// zero, TTBR1 otherwise (B3.5.4), unless TTBCR.PD0/PD1 forbids walks with that table (a
    /// section translation fault). The first-level descriptor, then for a page table the
    /// second-level descriptor at its base [31:10] + VA[19:12] × 4.
    /// </summary>
    private TlbEntry Walk(uint va, AccessKind access)
    {
        int n = (int)(_ttbcr & 7);
        bool useTtbr0 = n == 0 || va >> (32 - n) == 0;
        if ((_ttbcr & (useTtbr0 ? 1u << 4 : 1u << 5)) != 0)
            throw Fault(va, access, 0, StatusTranslationSection);
        uint l1Address = useTtbr0
            ? (_ttbr0 & (0xFFFF_FFFFu << (14 - n))) | ((va << n) >> (n + 20)) << 2
            : (_ttbr1 & 0xFFFF_C000) | (va >> 20) << 2;
        uint ttbr = useTtbr0 ? _ttbr0 : _ttbr1;
        if (!ReadDescriptor(l1Address, ttbr, out uint l1))
            throw Fault(va, access, 0, StatusExternalOnWalkFirstLevel);
        uint asid = Asid;
        switch (l1 & 3)
        {
            case 0b00:
            case 0b11: // reserved without PXN in the long format (B3.5.1); QEMU: a translation fault
                // The domain of a first-level translation fault is not known (B3.13.3); QEMU reports 0.
                throw Fault(va, access, 0, StatusTranslationSection);
            case 0b10:
            {
                // Section or supersection (B3.5.1, Figure B3-4): nG [17], S [16], AP[2] [15],
                // TEX [14:12], AP[1:0] [11:10], XN [4], C [3], B [2]; PXN is bit 0 only with the
                // long-format PXN, which a Cortex-A9 does not have (ID_MMFR0.VMSA = 3).
                uint ap = ((l1 >> 13) & 4) | ((l1 >> 10) & 3);
                bool super = (l1 & (1u << 18)) != 0;
                var attributes = new DescriptorAttributes((l1 >> 12) & 7, (l1 & 8) != 0, (l1 & 4) != 0, (l1 & (1u << 16)) != 0);
                // A supersection has no domain field: it is in domain 0 (B3.5.1).
                uint domain = super ? 0 : (l1 >> 5) & 15;
                return super
                    ? new TlbEntry(MappingSize.Supersection, l1 & 0xFF00_0000, domain, ap, (l1 & 16) != 0, false,
                        (l1 & (1u << 17)) == 0, asid, attributes)
                    : new TlbEntry(MappingSize.Section, l1 & 0xFFF0_0000, domain, ap, (l1 & 16) != 0, false,
                        (l1 & (1u << 17)) == 0, asid, attributes);
            }
        }

        // Page table (B3.5.1): base [31:10], domain [8:5], PXN [2] (not on this core).
        uint pageDomain = (l1 >> 5) & 15;
        uint l2Address = (l1 & 0xFFFF_FC00) | ((va >> 12) & 0xFF) << 2;
        if (!ReadDescriptor(l2Address, ttbr, out uint l2))
            throw Fault(va, access, pageDomain, StatusExternalOnWalkSecondLevel);
        uint pageAp = ((l2 >> 7) & 4) | ((l2 >> 4) & 3);
        bool global = (l2 & (1u << 11)) == 0;
        bool shareable = (l2 & (1u << 10)) != 0;
        switch (l2 & 3)
        {
            case 0b00:
                throw Fault(va, access, pageDomain, StatusTranslationPage);
            case 0b01:
                // Large page (Figure B3-5): XN [15], TEX [14:12], nG [11], S [10], AP[2] [9], AP[1:0] [5:4], C, B.
                return new TlbEntry(MappingSize.Large, l2 & 0xFFFF_0000, pageDomain, pageAp, (l2 & (1u << 15)) != 0, false,
                    global, asid, new DescriptorAttributes((l2 >> 12) & 7, (l2 & 8) != 0, (l2 & 4) != 0, shareable));
            default:
                // Small page: nG [11], S [10], AP[2] [9], TEX [8:6], AP[1:0] [5:4], C [3], B [2], XN [0].
                return new TlbEntry(MappingSize.Small, l2 & 0xFFFF_F000, pageDomain, pageAp, (l2 & 1) != 0, false,
                    global, asid, new DescriptorAttributes((l2 >> 6) & 7, (l2 & 8) != 0, (l2 & 4) != 0, shareable));
        }
    }

    /// <summary>
    /// How a walk reads a descriptor through the data caches (what a data read would see now, with no
    /// allocation and no counting), set by a board that models caches; null: walks read RAM.
    /// </summary>
    public Func<uint, uint?>? CachedWalkRead { get; set; }

    /// <summary>
    /// Reads a descriptor; a walk that reaches anything but RAM is an external abort on the walk.
    /// When the TTBR in use marks walks Inner Cacheable (IRGN, TTBR bits 0 and 6 with the
    /// multiprocessing extensions: B4.1.154) the walk is a cacheable access and sees what the data
    /// caches hold, as a Cortex-A9 with the MP extensions does: Linux's SMP kernels write page
    /// table entries without cleaning them to memory (cpu_v7_set_pte_ext cleans only on UP).
    /// Otherwise it reads RAM, and a descriptor still dirty in a cache is not seen.
    /// </summary>
    private bool ReadDescriptor(uint pa, uint ttbr, out uint descriptor)
    {
        descriptor = 0;
        if (_bus.RamPage(pa) == null) return false;
        if ((ttbr & 0x41) != 0 && CachedWalkRead is { } cached && cached(pa) is uint seen)
        {
            descriptor = seen;
            return true;
        }
        return _bus.TryRead(pa, 4, out descriptor);
    }

    /// <summary>
    /// Domain, access flag, then permissions, in the order QEMU 7.2's get_phys_addr_v6 checks
    /// them. DACR 00 (no access) and the reserved 10 fault (B3.12.3; the ARM ARM makes 10
    /// UNPREDICTABLE and QEMU treats it as no access); 11 (manager) allows everything with no
    /// further check; 01 (client) checks the access flag when SCTLR.AFE is set, then the AP
    /// bits, then execute-never for fetches.
    /// </summary>
    private void Check(in TlbEntry e, uint va, AccessKind access)
    {
        bool section = e.Size is MappingSize.Section or MappingSize.Supersection;
        uint dacrField = (_dacr >> (int)(2 * e.Domain)) & 3;
        if (dacrField == 0b11) return;
        if (dacrField != 0b01)
            throw Fault(va, access, e.Domain, section ? StatusDomainSection : StatusDomainPage);
        if (_afe && !e.AccessFlag)
            throw Fault(va, access, e.Domain, section ? StatusAccessFlagSection : StatusAccessFlagPage);
        bool privileged = (access & AccessKind.Privileged) != 0;
        (bool read, bool write) = _afe ? SimplifiedPermissions(e.Ap >> 1, privileged) : Permissions(e.Ap, privileged);
        bool allowed = (access & AccessKind.Fetch) != 0
            ? read && !e.ExecuteNever && !(privileged && e.PrivilegedExecuteNever) // B3.7.2: XN, and no execution where no read
            : (access & AccessKind.Write) != 0 ? write : read;
        if (!allowed)
            throw Fault(va, access, e.Domain, section ? StatusPermissionSection : StatusPermissionPage);
    }

    /// <summary>
    /// ARM ARM B3.7.1, Table B3-8 (VMSAv7 AP[2:0]; SCTLR.S and R do not exist in ARMv7):
    /// <code>
    ///   AP[2:0]  PL1   PL0
    ///   000      none  none
    ///   001      RW    none
    ///   010      RW    RO
    ///   011      RW    RW
    ///   100      reserved: no access (as QEMU)
    ///   101      RO    none
    ///   110      RO    RO   (deprecated encoding)
    ///   111      RO    RO
    /// </code>
    /// </summary>
    private static (bool Read, bool Write) Permissions(uint ap, bool privileged) => ap switch
    {
        0b001 => (privileged, privileged),
        0b010 => (true, privileged),
        0b011 => (true, true),
        0b101 => (privileged, false),
        0b110 or 0b111 => (true, false),
        _ => (false, false),
    };

    /// <summary>
    /// The simplified model, SCTLR.AFE = 1 (ARM ARM B3.7.1, Table B3-9), on AP[2:1]:
    /// 00 PL1 RW; 01 RW at both; 10 PL1 RO; 11 RO at both.
    /// </summary>
    private static (bool Read, bool Write) SimplifiedPermissions(uint ap21, bool privileged) => ap21 switch
    {
        0b00 => (privileged, privileged),
        0b01 => (true, true),
        0b10 => (privileged, false),
        _ => (true, false),
    };

    /// <summary>
    /// The memory type and cacheability of a mapping (ARM ARM B3.8.2, Table B3-10, with
    /// SCTLR.TRE = 0; B3.8.3 with TRE = 1). Without remap: TEX[2:0] C B name the type directly;
    /// TEX[2] = 1 makes it Normal with the outer policy in TEX[1:0] and the inner in C:B. With
    /// remap, n = TEX[0]:C:B selects PRRR's type field and NMRR's inner and outer fields.
    /// </summary>
    private MemoryAttributes Attributes(in TlbEntry e)
    {
        var d = e.Descriptor;
        if (_tre)
        {
            int n = (int)((d.Tex & 1) << 2 | (d.C ? 2u : 0) | (d.B ? 1u : 0));
            uint type = (_prrr >> (2 * n)) & 3;
            var inner = (CachePolicy)((_nmrr >> (2 * n)) & 3);
            var outer = (CachePolicy)((_nmrr >> (2 * n + 16)) & 3);
            return type switch
            {
                0b00 => new(MemoryType.StronglyOrdered, CachePolicy.NonCacheable, CachePolicy.NonCacheable, true),
                0b01 => new(MemoryType.Device, CachePolicy.NonCacheable, CachePolicy.NonCacheable, true),
                // 0b11 is reserved; the Cortex-A9 treats it as Normal (B3.8.3 lets it be UNPREDICTABLE).
                // Shareability of Normal memory: PRRR.NS1 (bit 19) when S is 1, NS0 (bit 18) when it is 0.
                _ => new(MemoryType.Normal, inner, outer, (_prrr & (d.S ? 1u << 19 : 1u << 18)) != 0),
            };
        }
        if ((d.Tex & 4) != 0)
        {
            var inner = (CachePolicy)((d.C ? 2u : 0) | (d.B ? 1u : 0));
            var outer = (CachePolicy)(d.Tex & 3);
            return new(MemoryType.Normal, inner, outer, d.S);
        }
        return (d.Tex, d.C, d.B) switch
        {
            (0, false, false) => new(MemoryType.StronglyOrdered, CachePolicy.NonCacheable, CachePolicy.NonCacheable, true),
            (0, false, true) => new(MemoryType.Device, CachePolicy.NonCacheable, CachePolicy.NonCacheable, true),
            (0, true, false) => new(MemoryType.Normal, CachePolicy.WriteThrough, CachePolicy.WriteThrough, d.S),
            (0, true, true) => new(MemoryType.Normal, CachePolicy.WriteBackNoWriteAllocate, CachePolicy.WriteBackNoWriteAllocate, d.S),
            (1, false, false) => new(MemoryType.Normal, CachePolicy.NonCacheable, CachePolicy.NonCacheable, d.S),
            (1, true, true) => new(MemoryType.Normal, CachePolicy.WriteBackWriteAllocate, CachePolicy.WriteBackWriteAllocate, d.S),
            (2, false, false) => new(MemoryType.Device, CachePolicy.NonCacheable, CachePolicy.NonCacheable, false),
            // The reserved encodings (TEX 001 with C:B 01 or 10, TEX 010 other than 00, TEX 011): UNPREDICTABLE; Strongly-ordered here.
            _ => new(MemoryType.StronglyOrdered, CachePolicy.NonCacheable, CachePolicy.NonCacheable, true),
        };
    }

    private static MemoryFault Fault(uint va, AccessKind access, uint domain, uint fs) =>
        new(va, access, FaultKind.Translation, FsrOf(fs, domain));

    private void Set<T>(ref T field, T value)
    {
        if (EqualityComparer<T>.Default.Equals(field, value)) return;
        field = value;
        TranslationsChanged?.Invoke();
    }

    private enum MappingSize : byte { Supersection, Section, Large, Small }

    /// <summary>The attribute fields of a descriptor, as written.</summary>
    private readonly record struct DescriptorAttributes(uint Tex, bool C, bool B, bool S);

    /// <summary>One TLB entry: what a successful walk found.</summary>
    private readonly struct TlbEntry(MappingSize size, uint physicalBase, uint domain, uint ap, bool xn, bool pxn,
        bool global, uint asid, DescriptorAttributes descriptor)
    {
        public MappingSize Size { get; } = size;
        public uint PhysicalBase { get; } = physicalBase;
        public uint Domain { get; } = domain;
        /// <summary>AP[2:0].</summary>
        public uint Ap { get; } = ap;
        public bool ExecuteNever { get; } = xn;
        public bool PrivilegedExecuteNever { get; } = pxn;
        public bool Global { get; } = global;
        public uint Asid { get; } = asid;
        public DescriptorAttributes Descriptor { get; } = descriptor;

        /// <summary>With SCTLR.AFE, AP[0] is the access flag.</summary>
        public bool AccessFlag => (Ap & 1) != 0;

        public uint PhysicalAddress(uint va) => PhysicalBase | (va & ~(~0u << SizeShift[(int)Size]));
    }
}

/// <summary>
/// A TLB entry as <see cref="ArmV7Mmu.TlbEntries"/> shows it: the virtual and physical bases
/// and size of the mapping, global or the ASID it is tagged with, the domain, AP[2:0], the
/// TEX/C/B/S fields as written in the descriptor, XN and PXN.
/// </summary>
internal readonly record struct V7TlbEntryView(uint VirtualBase, uint PhysicalBase, uint Size, bool Global, uint Asid, uint Domain,
    uint Ap, uint Tex, bool C, bool B, bool S, bool ExecuteNever, bool PrivilegedExecuteNever);

/// <summary>The three memory types of ARMv7 (ARM ARM A3.5).</summary>
internal enum MemoryType : byte { StronglyOrdered, Device, Normal }

/// <summary>A cacheability attribute, numbered as NMRR's fields and the TEX/C/B outer field are (ARM ARM B4.1.111).</summary>
internal enum CachePolicy : byte
{
    NonCacheable = 0b00,
    WriteBackWriteAllocate = 0b01,
    WriteThrough = 0b10,
    WriteBackNoWriteAllocate = 0b11,
}

/// <summary>The memory attributes of a VMSAv7 mapping: type, inner and outer cacheability, shareability.</summary>
internal readonly record struct MemoryAttributes(MemoryType Type, CachePolicy Inner, CachePolicy Outer, bool Shareable);
