namespace ArmEmu.Memory.Mmu;

/// <summary>
/// The ARMv5 virtual memory system architecture (VMSAv5, ARM ARM chapter B4) as the
/// ARM926EJ-S implements it: FCSE relocation (B8), a two-level table walk of physical
/// memory, domains, the AP/S/R access permissions and a software TLB.
///
/// The system control coprocessor (CP15) owns the registers and pushes them here:
/// <see cref="Enabled"/> (SCTLR.M), <see cref="SystemProtection"/> (SCTLR.S),
/// <see cref="RomProtection"/> (SCTLR.R), <see cref="TranslationTableBase"/> (c2),
/// <see cref="DomainAccessControl"/> (c3) and <see cref="FcsePid"/> (c13).
///
/// The TLB holds what the walks found and nothing else changes it but the explicit
/// invalidations (c8): a guest that edits a descriptor without invalidating keeps the
/// old translation, as on hardware. Domain and permission checks are made on every
/// access against the current DACR, S and R, as the hardware makes them against the
/// access-control fields held in the TLB entry (ARM ARM B4.2).
///
/// Faults throw <see cref="MemoryFault"/> of kind <see cref="FaultKind.Translation"/>
/// whose <see cref="MemoryFault.Status"/> is the FSR value (ARM ARM B4.6, Table B4-1
/// "Priority of fault status"): domain in bits [7:4], status in [3:0].
/// </summary>
internal sealed unsafe class ArmV5Mmu : IAddressTranslator
{
    // ---- fault status encodings, FS[3:0] (ARM ARM B4.6) --------------------------------------

    public const uint StatusAlignment = 0b0001;
    public const uint StatusExternalAbortOnTranslationFirstLevel = 0b1100;
    public const uint StatusExternalAbortOnTranslationSecondLevel = 0b1110;
    public const uint StatusTranslationSection = 0b0101;
    public const uint StatusTranslationPage = 0b0111;
    public const uint StatusDomainSection = 0b1001;
    public const uint StatusDomainPage = 0b1011;
    public const uint StatusPermissionSection = 0b1101;
    public const uint StatusPermissionPage = 0b1111;
    public const uint StatusExternalAbortSection = 0b1000;
    public const uint StatusExternalAbortPage = 0b1010;

    /// <summary>Addresses below this are relocated by the FCSE PID (ARM ARM B8.1: 32 MiB).</summary>
    public const uint FcseLimit = 1u << 25;

    private readonly PhysicalBus _bus;

    // The TLB: one table per mapping size, keyed by the MVA shifted down to that size, so
    // an invalidation by MVA removes the whole entry whatever its size (ARM ARM B4.9 says
    // the single-entry invalidate removes the entry that translates the MVA).
    private readonly Dictionary<uint, TlbEntry>[] _tlb = [new(), new(), new(), new()];
    private static ReadOnlySpan<byte> SizeShift => [20, 16, 12, 10];

    private bool _enabled, _system, _rom;
    private uint _ttbr, _dacr, _fcsePid;

    public ArmV5Mmu(PhysicalBus bus) => _bus = bus;

    public event Action? TranslationsChanged;

    /// <summary>SCTLR.M. Off: the physical address is the MVA (flat; VA itself while the FCSE PID is 0) and every access is allowed.</summary>
    public bool Enabled
    {
        get => _enabled;
        set => Set(ref _enabled, value);
    }

    /// <summary>SCTLR.S, the System protection bit (AP = 00 rows of ARM ARM B4.4.1 Table B4-1).</summary>
    public bool SystemProtection
    {
        get => _system;
        set => Set(ref _system, value);
    }

    /// <summary>SCTLR.R, the ROM protection bit.</summary>
    public bool RomProtection
    {
        get => _rom;
        set => Set(ref _rom, value);
    }

    /// <summary>c2, the Translation Table Base as written; the walk uses bits [31:14] (ARM ARM B4.7.3).</summary>
    public uint TranslationTableBase
    {
        get => _ttbr;
        set => Set(ref _ttbr, value);
    }

    /// <summary>c3, the Domain Access Control register: two bits per domain, domain 0 in bits [1:0].</summary>
    public uint DomainAccessControl
    {
        get => _dacr;
        set => Set(ref _dacr, value);
    }

    /// <summary>c13 FCSE PID, bits [31:25] (bits [24:0] read as zero). Zero disables relocation.</summary>
    public uint FcsePid
    {
        get => _fcsePid;
        set => Set(ref _fcsePid, value & 0xFE00_0000);
    }

    /// <summary>Number of entries now in the TLB (for tests and statistics).</summary>
    public int TlbEntryCount => _tlb[0].Count + _tlb[1].Count + _tlb[2].Count + _tlb[3].Count;

    /// <summary>
    /// The entries now in the TLB, smallest mappings last (a debugger's view: gdb's
    /// <c>monitor tlb</c>): modified virtual base, physical base, size in bytes, domain, C and B.
    /// </summary>
    public IEnumerable<(uint ModifiedVirtualBase, uint PhysicalBase, uint Size, int Domain, bool Cacheable, bool Bufferable)> TlbEntries()
    {
        for (int size = 0; size < 4; size++)
            foreach (var (key, e) in _tlb[size].OrderBy(p => p.Key))
                yield return (key << SizeShift[size], e.PhysicalBase, 1u << SizeShift[size], e.Domain, e.Cacheable, e.Bufferable);
    }

    /// <summary>
    /// The modified virtual address (ARM ARM B8.2): VA + PID × 32 MiB for a VA below 32 MiB.
    /// With the MMU off the physical address is the MVA, as in QEMU, which relocates before
    /// it looks at SCTLR.M; software only sets a PID with the MMU on, where this matters not.
    /// </summary>
    public uint ModifiedVirtualAddress(uint va) => va < FcseLimit ? va | _fcsePid : va;

    // ---- TLB maintenance (c8) ----------------------------------------------------------------

    /// <summary>Invalidate the whole TLB (MCR p15,0,Rd,c8,c7,0).</summary>
    public void InvalidateAll()
    {
        foreach (var table in _tlb) table.Clear();
        TranslationsChanged?.Invoke();
    }

    /// <summary>
    /// Invalidate the entry that translates <paramref name="mva"/> (MCR p15,0,Rd,c8,c7,1). The
    /// operand is an MVA: software passes addresses already relocated by the FCSE.
    /// </summary>
    public void InvalidateEntry(uint mva)
    {
        for (int size = 0; size < 4; size++) _tlb[size].Remove(mva >> SizeShift[size]);
        TranslationsChanged?.Invoke();
    }

    /// <summary>c8,c5,0: the instruction TLB. One unified TLB here, so the same as <see cref="InvalidateAll"/>.</summary>
    public void InvalidateInstructionAll() => InvalidateAll();

    /// <summary>c8,c5,1: one instruction TLB entry.</summary>
    public void InvalidateInstructionEntry(uint mva) => InvalidateEntry(mva);

    /// <summary>c8,c6,0: the data TLB.</summary>
    public void InvalidateDataAll() => InvalidateAll();

    /// <summary>c8,c6,1: one data TLB entry.</summary>
    public void InvalidateDataEntry(uint mva) => InvalidateEntry(mva);

    // ---- translation -------------------------------------------------------------------------

    public uint Translate(uint va, AccessKind access) => Translate(va, access, out _);

    /// <summary>
    /// Translates and checks an access. <paramref name="wholePage"/> is false when the answer
    /// may differ elsewhere in the same 4 KiB page: a tiny (1 KiB) page, or a small page whose
    /// four 1 KiB subpages do not all have the same AP.
    /// </summary>
    public uint Translate(uint va, AccessKind access, out bool wholePage)
    {
        wholePage = true;
        uint mva = ModifiedVirtualAddress(va);
        if (!_enabled) return mva;
        bool debug = (access & AccessKind.Debug) != 0;
        TlbEntry e = Find(va, mva, access, fill: !debug);
        wholePage = e.CoversWholePage;
        if (!debug) Check(e, va, mva, access);
        return e.PhysicalAddress(mva);
    }

    /// <summary>
    /// The physical address and the C and B bits of the mapping of <paramref name="va"/>, with no
    /// permission check; false when the walk faults. With the MMU off: the MVA, C = B = 0 (ARM926
    /// TRM: data accesses are non-cacheable, non-bufferable while the MMU is disabled).
    /// Like a real access it walks the table and fills the TLB on a miss.
    /// </summary>
    public bool TryLookup(uint va, out uint pa, out bool cacheable, out bool bufferable)
    {
        uint mva = ModifiedVirtualAddress(va);
        pa = mva;
        cacheable = bufferable = false;
        if (!_enabled) return true;
        try
        {
            TlbEntry e = Find(va, mva, AccessKind.Read | AccessKind.Privileged, fill: true);
            pa = e.PhysicalAddress(mva);
            cacheable = e.Cacheable;
            bufferable = e.Bufferable;
            return true;
        }
        catch (MemoryFault)
        {
            return false;
        }
    }

    /// <summary>
    /// C and B of the page for the cache model. With the MMU off, data accesses are NCNB but
    /// instruction fetches may still be cached (ARM926EJ-S TRM 4.1: the I-cache can be enabled
    /// with the MMU disabled, and then treats all fetches as cacheable).
    /// </summary>
    public Caches.PageAttributes AttributesOf(uint va, AccessKind access)
    {
        if (!_enabled) return (access & AccessKind.Fetch) != 0 ? Caches.PageAttributes.Normal : Caches.PageAttributes.Uncached;
        return TryLookup(va, out _, out bool c, out bool b) ? new Caches.PageAttributes(c, b) : Caches.PageAttributes.Uncached;
    }

    /// <summary>
    /// The FSR value for an external abort (a bus error) on an access to <paramref name="va"/>:
    /// 0b1000 (section) or 0b1010 (page) with the domain of its mapping; section and domain 0
    /// with the MMU off or no TLB entry (ARM ARM B4.6, "external abort on non-cacheable").
    /// </summary>
    public uint ExternalAbortStatus(uint va)
    {
        if (!_enabled) return StatusExternalAbortSection;
        uint mva = ModifiedVirtualAddress(va);
        if (!TryFindInTlb(mva, out TlbEntry e)) return StatusExternalAbortSection;
        return (uint)e.Domain << 4 | (e.Size == MappingSize.Section ? StatusExternalAbortSection : StatusExternalAbortPage);
    }

    private TlbEntry Find(uint va, uint mva, AccessKind access, bool fill)
    {
        if (TryFindInTlb(mva, out TlbEntry e)) return e;
        e = Walk(va, mva, access);
        if (fill) _tlb[(int)e.Size][mva >> SizeShift[(int)e.Size]] = e;
        return e;
    }

    private bool TryFindInTlb(uint mva, out TlbEntry entry)
    {
        // Smallest mapping first: if stale entries of two sizes overlap (the guest remapped
        // without invalidating; UNPREDICTABLE), the finer one wins.
        for (int size = 3; size >= 0; size--)
            if (_tlb[size].Count != 0 && _tlb[size].TryGetValue(mva >> SizeShift[size], out entry)) return true;
        entry = default;
        return false;
    }

    /// <summary>
    /// The translation table walk (ARM ARM B4.7): the first-level descriptor at
    /// TTB[31:14] | MVA[31:20] × 4, then for a coarse table (base [31:10], index MVA[19:12])
    /// or a fine table (base [31:12], index MVA[19:10]) the second-level descriptor.
    /// Faults found here are the translation faults and the external aborts on translation;
    /// domain and permission come after, in <see cref="Check"/>.
    /// </summary>
    private TlbEntry Walk(uint va, uint mva, AccessKind access)
    {
        uint l1Address = (_ttbr & 0xFFFF_C000) | ((mva >> 20) << 2);
        if (!ReadDescriptor(l1Address, out uint l1))
            throw Fault(va, access, 0, StatusExternalAbortOnTranslationFirstLevel);
        byte domain = (byte)((l1 >> 5) & 15);
        switch (l1 & 3)
        {
            case 0b00:
                // Fault descriptor. The domain of a section translation fault is invalid
                // (ARM ARM B4.6); QEMU reports bits [8:5] of the descriptor, and so do we.
                throw Fault(va, access, domain, StatusTranslationSection);
            case 0b10:
                // Section (B4.7.4): base [31:20], AP [11:10], domain [8:5], C [3], B [2].
                return new TlbEntry(MappingSize.Section, l1 & 0xFFF0_0000, domain, (l1 >> 10) & 3,
                                    (l1 & 8) != 0, (l1 & 4) != 0);
        }

        bool coarse = (l1 & 3) == 0b01;
        uint l2Address = coarse
            ? (l1 & 0xFFFF_FC00) | (((mva >> 12) & 0xFF) << 2)
            : (l1 & 0xFFFF_F000) | (((mva >> 10) & 0x3FF) << 2);
        if (!ReadDescriptor(l2Address, out uint l2))
            throw Fault(va, access, domain, StatusExternalAbortOnTranslationSecondLevel);
        bool c = (l2 & 8) != 0, b = (l2 & 4) != 0;
        switch (l2 & 3)
        {
            case 0b01:
                // Large page (B4.7.6): base [31:16], AP3..AP0 in [11:4], one per 16 KiB subpage.
                return new TlbEntry(MappingSize.Large, l2 & 0xFFFF_0000, domain, (l2 >> 4) & 0xFF, c, b);
            case 0b10:
                // Small page (B4.7.7): base [31:12], AP3..AP0 in [11:4], one per 1 KiB subpage.
                return new TlbEntry(MappingSize.Small, l2 & 0xFFFF_F000, domain, (l2 >> 4) & 0xFF, c, b);
            case 0b11 when !coarse:
                // Tiny page (B4.7.8): base [31:10], AP [5:4].
                return new TlbEntry(MappingSize.Tiny, l2 & 0xFFFF_FC00, domain, (l2 >> 4) & 3, c, b);
            default:
                // A fault descriptor; or a tiny-page descriptor in a coarse table, which ARMv5
                // leaves UNPREDICTABLE and QEMU turns into a page translation fault.
                throw Fault(va, access, domain, StatusTranslationPage);
        }
    }

    /// <summary>Reads a descriptor from RAM; a walk that reaches anything else is an external abort on translation.</summary>
    private bool ReadDescriptor(uint pa, out uint descriptor)
    {
        descriptor = 0;
        return _bus.RamPage(pa) != null && _bus.TryRead(pa, 4, out descriptor);
    }

    /// <summary>
    /// Domain then access permission (ARM ARM B4.4, B4.5): a domain with DACR field 00 (no
    /// access) faults; 01 (client) checks the AP bits; 11 (manager) allows everything. The
    /// reserved value 10 is UNPREDICTABLE; QEMU treats it as no access, and so do we.
    /// </summary>
    private void Check(in TlbEntry e, uint va, uint mva, AccessKind access)
    {
        bool section = e.Size == MappingSize.Section;
        uint dacrField = (_dacr >> (2 * e.Domain)) & 3;
        if (dacrField == 0b11) return;
        if (dacrField != 0b01)
            throw Fault(va, access, e.Domain, section ? StatusDomainSection : StatusDomainPage);
        if (!Permits(e.AccessPermission(mva), (access & AccessKind.Privileged) != 0, (access & AccessKind.Write) != 0))
            throw Fault(va, access, e.Domain, section ? StatusPermissionSection : StatusPermissionPage);
    }

    /// <summary>
    /// ARM ARM B4.4.1, Table B4-1 (MMU access permissions). Fetches are reads (ARMv5 has no
    /// execute-never).
    /// <code>
    ///   AP  S R   privileged   user
    ///   00  0 0   none         none
    ///   00  1 0   read         none
    ///   00  0 1   read         read
    ///   00  1 1   UNPREDICTABLE (QEMU: none)
    ///   01  x x   read/write   none
    ///   10  x x   read/write   read
    ///   11  x x   read/write   read/write
    /// </code>
    /// </summary>
    private bool Permits(uint ap, bool privileged, bool write) => ap switch
    {
        0b00 => !write && (_system != _rom) && (_rom || privileged),
        0b01 => privileged,
        0b10 => privileged || !write,
        _ => true,
    };

    private static MemoryFault Fault(uint va, AccessKind access, uint domain, uint status) =>
        new(va, access, FaultKind.Translation, (domain << 4) | status);

    private void Set<T>(ref T field, T value)
    {
        if (EqualityComparer<T>.Default.Equals(field, value)) return;
        field = value;
        TranslationsChanged?.Invoke();
    }

    private enum MappingSize : byte { Section, Large, Small, Tiny }

    /// <summary>One TLB entry: what a successful walk found.</summary>
    private readonly struct TlbEntry(MappingSize size, uint physicalBase, byte domain, uint apBits, bool c, bool b)
    {
        public MappingSize Size { get; } = size;
        public uint PhysicalBase { get; } = physicalBase;
        public byte Domain { get; } = domain;
        /// <summary>Section and tiny page: AP. Large and small page: AP3..AP0, two bits each, AP0 lowest.</summary>
        public byte ApBits { get; } = (byte)apBits;
        public bool Cacheable { get; } = c;
        public bool Bufferable { get; } = b;

        public uint PhysicalAddress(uint mva) => PhysicalBase | (mva & ~(~0u << SizeShift[(int)Size]));

        /// <summary>The AP that governs <paramref name="mva"/>: subpage MVA[15:14] of a large page, MVA[11:10] of a small one.</summary>
        public uint AccessPermission(uint mva) => Size switch
        {
            MappingSize.Large => (uint)ApBits >> (int)(2 * ((mva >> 14) & 3)) & 3,
            MappingSize.Small => (uint)ApBits >> (int)(2 * ((mva >> 10) & 3)) & 3,
            _ => ApBits,
        };

        /// <summary>True when every address of the 4 KiB page translates alike and has the same rights.</summary>
        public bool CoversWholePage => Size switch
        {
            MappingSize.Tiny => false,
            MappingSize.Small => ApBits is 0x00 or 0x55 or 0xAA or 0xFF,
            _ => true,
        };
    }
}
