using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// A parsed, validated 32-bit little-endian ARM executable (ET_EXEC or ET_DYN).
///
/// The parser is strict: everything it exposes has been checked against the
/// file (offsets and sizes inside it, counts bounded by its size before anything
/// is allocated, string tables NUL-terminated, the gABI's ordering rules for
/// PT_LOAD, PT_INTERP and PT_PHDR), so consumers index the data without further
/// checks. Bad input raises <see cref="ElfFormatException"/> and nothing else.
///
/// References: System V gABI (chapters "ELF Header", "Sections", "String Table",
/// "Symbol Table", "Program Header"), and "ELF for the Arm Architecture" (AAELF32)
/// for e_flags, the Thumb bit of code symbols and mapping symbols.
///
/// The file keeps the memory it was parsed from (no copy); the caller must not
/// modify it afterwards.
/// </summary>
internal sealed class ElfFile
{
    private const int HeaderSize = 52;          // sizeof(Elf32_Ehdr)
    private const int PhEntSize = 32;           // sizeof(Elf32_Phdr)
    private const int ShEntSize = 40;           // sizeof(Elf32_Shdr)
    private const int SymEntSize = 16;          // sizeof(Elf32_Sym)
    private const ushort EmArm = 40;            // EM_ARM
    private const ushort PnXnum = 0xFFFF;       // PN_XNUM: real e_phnum is in section 0's sh_info
    private const uint ShnLoReserve = 0xFF00;   // SHN_LORESERVE
    private const uint ShnXindex = 0xFFFF;      // SHN_XINDEX: real index is elsewhere
    // Linux refuses a PT_INTERP longer than PATH_MAX or shorter than one character plus NUL (fs/binfmt_elf.c).
    private const uint MaxInterpreterSize = 4096;

    private const uint EfArmEabiMask = 0xFF000000;
    private const uint EfArmBe8 = 0x00800000;
    private const uint EfArmAbiFloatSoft = 0x00000200;
    private const uint EfArmAbiFloatHard = 0x00000400;

    private readonly Lazy<ElfSymbol[]> _functionsByAddress;
    private readonly Lazy<Dictionary<string, ElfSymbol>> _symbolsByName;

    private ElfFile(ReadOnlyMemory<byte> data)
    {
        Data = data;
        _functionsByAddress = new Lazy<ElfSymbol[]>(BuildFunctionIndex);
        _symbolsByName = new Lazy<Dictionary<string, ElfSymbol>>(BuildNameIndex);
    }

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public ElfType Type { get; private set; }

    /// <summary>EI_OSABI: 0 (System V) or 3 (GNU/Linux) for Linux binaries, 97 (ARM) for some old toolchains.</summary>
    public byte OsAbi { get; private set; }

    /// <summary>e_entry as stored: for ARM, bit 0 set means the entry is Thumb code (AAELF32 5.2).</summary>
    public uint Entry { get; private set; }

    /// <summary>The entry address with the Thumb bit cleared.</summary>
    public uint EntryAddress => Entry & ~1u;

    public bool EntryIsThumb => (Entry & 1) != 0;

    /// <summary>e_flags (AAELF32 5.2: EF_ARM_*).</summary>
    public uint Flags { get; private set; }

    /// <summary>EF_ARM_EABI version, e_flags[31:24]: 5 for current EABI tools, 0 for pre-EABI (GNU/OABI) files.</summary>
    public int EabiVersion => (int)((Flags & EfArmEabiMask) >> 24);

    /// <summary>EF_ARM_ABI_FLOAT_SOFT: floating point arguments are passed in integer registers.</summary>
    public bool IsSoftFloatAbi => (Flags & EfArmAbiFloatSoft) != 0;

    /// <summary>EF_ARM_ABI_FLOAT_HARD: floating point arguments are passed in VFP registers.</summary>
    public bool IsHardFloatAbi => (Flags & EfArmAbiFloatHard) != 0;

    /// <summary>EF_ARM_BE8: byte-invariant big-endian data with little-endian code.</summary>
    public bool IsBe8 => (Flags & EfArmBe8) != 0;

    public IReadOnlyList<ProgramHeader> ProgramHeaders { get; private set; } = [];

    /// <summary>The PT_LOAD headers, in ascending, non-overlapping p_vaddr order.</summary>
    public IReadOnlyList<ProgramHeader> LoadSegments { get; private set; } = [];

    /// <summary>All section headers, index 0 (the null section) included so indices match st_shndx and sh_link.</summary>
    public IReadOnlyList<ElfSection> Sections { get; private set; } = [];

    /// <summary>Every entry of .symtab then .dynsym except each table's reserved entry 0, mapping symbols included.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; private set; } = [];

    /// <summary>The mapping symbols ($a, $t, $d) of .symtab, sorted by address.</summary>
    public IReadOnlyList<MappingSymbol> MappingSymbols { get; private set; } = [];

    /// <summary>The PT_INTERP path (the dynamic linker), without its NUL; null for static executables.</summary>
    public string? Interpreter { get; private set; }

    public ProgramHeader? InterpreterHeader { get; private set; }
    public ProgramHeader? PhdrHeader { get; private set; }
    public ProgramHeader? DynamicHeader { get; private set; }
    public ProgramHeader? TlsHeader { get; private set; }
    public ProgramHeader? ArmExidxHeader { get; private set; }

    /// <summary>PT_GNU_STACK; its flags give the stack's permissions (PF_X set = executable stack).</summary>
    public ProgramHeader? GnuStackHeader { get; private set; }

    public static ElfFile Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Parse(new ReadOnlyMemory<byte>(data));
    }

    /// <summary>Parses and validates; throws <see cref="ElfFormatException"/> for any defect.</summary>
    public static ElfFile Parse(ReadOnlyMemory<byte> data)
    {
        var elf = new ElfFile(data);
        elf.ParseAll(data.Span);
        return elf;
    }

    /// <summary>
    /// Parses a program to run as Linux's binfmt_elf reads one: the section headers are not
    /// needed to run, so they are neither checked nor read (no sections, no symbols), nor are
    /// e_ehsize and e_version, which binfmt_elf ignores. The program headers and everything
    /// else are checked as <see cref="Parse(ReadOnlyMemory{byte})"/> checks them. The loader
    /// uses it for files the strict parse refuses only because of their section headers.
    /// </summary>
    public static ElfFile ParseForExecution(ReadOnlyMemory<byte> data)
    {
        var elf = new ElfFile(data) { _ignoreSectionHeaders = true };
        elf.ParseAll(data.Span);
        return elf;
    }

    private bool _ignoreSectionHeaders;

    /// <summary>
    /// Reads and parses a file. Failing to read it is an <see cref="IOException"/>
    /// ("cannot read PATH: reason"); a malformed file is an <see cref="ElfFormatException"/>.
    /// </summary>
    public static ElfFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot read {path}: {OneLine(e.Message)}", e);
        }
        return Parse(bytes);
    }

    /// <summary>
    /// The file bytes of a segment (p_filesz of them; the rest up to p_memsz is zero-filled by a loader).
    /// PT_NULL entries (whose fields the gABI leaves undefined, so they were not checked) give no bytes.</summary>
    public ReadOnlySpan<byte> SegmentData(ProgramHeader segment)
    {
        if ((uint)segment.Index >= (uint)ProgramHeaders.Count || !ReferenceEquals(ProgramHeaders[segment.Index], segment))
            throw new ArgumentException("not a program header of this file", nameof(segment));
        return segment.Type == SegmentType.Null || segment.FileSize == 0
            ? default
            : Data.Span.Slice((int)segment.Offset, (int)segment.FileSize);
    }

    /// <summary>The file bytes of a section; empty for SHT_NOBITS and SHT_NULL.</summary>
    public ReadOnlySpan<byte> SectionData(ElfSection section)
    {
        if ((uint)section.Index >= (uint)Sections.Count || !ReferenceEquals(Sections[section.Index], section))
            throw new ArgumentException("not a section of this file", nameof(section));
        return !section.HasFileData || section.Size == 0
            ? default
            : Data.Span.Slice((int)section.Offset, (int)section.Size);
    }

    public ElfSection? FindSection(string name)
    {
        foreach (var s in Sections)
            if (s.Index != 0 && s.Name == name) return s;
        return null;
    }

    /// <summary>
    /// The symbol called <paramref name="name"/>, mapping, file and section symbols
    /// excluded. When several match, a defined one wins over an undefined one, then
    /// global over weak over local, then .symtab over .dynsym, then the lower index.
    /// </summary>
    public ElfSymbol? FindSymbol(string name) =>
        _symbolsByName.Value.TryGetValue(name, out var s) ? s : null;

    /// <summary>
    /// The function (STT_FUNC/STT_GNU_IFUNC) containing <paramref name="address"/>, for
    /// profiles and traces. A function of size 0 (hand-written assembly without .size)
    /// is taken to extend to the next function or the end of its section.
    /// Aliases at one address resolve as in <see cref="FindSymbol"/>, sized ones first.
    /// </summary>
    public ElfSymbol? SymbolAt(uint address)
    {
        var functions = _functionsByAddress.Value;
        int i = LastAtOrBelow(functions, address, static f => f.Address);
        if (i < 0) return null;
        var f = functions[i];
        if (f.Size != 0) return address - f.Address < f.Size ? f : null;
        // Unsized: reaches up to the next function (functions[i + 1] starts above address).
        return InSectionOf(f.SectionIndex, address) ? f : null;
    }

    /// <summary>
    /// Whether <paramref name="address"/> holds ARM code, Thumb code or data according
    /// to the nearest mapping symbol at or below it in the same section; null if none.
    /// </summary>
    public MappingKind? MappingKindAt(uint address)
    {
        var mapping = MappingSymbols;
        int i = LastAtOrBelow(mapping, address, static m => m.Address);
        if (i < 0) return null;
        return InSectionOf(mapping[i].SectionIndex, address) ? mapping[i].Kind : null;
    }

    private bool InSectionOf(uint sectionIndex, uint address)
    {
        if (sectionIndex == 0 || sectionIndex >= (uint)Sections.Count) return sectionIndex == ElfSymbol.SectionAbsolute;
        var s = Sections[(int)sectionIndex];
        return address >= s.Address && address - s.Address < s.Size;
    }

    private static int LastAtOrBelow<T>(IReadOnlyList<T> sorted, uint address, Func<T, uint> key)
    {
        int lo = 0, hi = sorted.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (key(sorted[mid]) <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    // Lower rank wins when several symbols share a name or an address.
    private static int Preference(ElfSymbol s) =>
        (s.IsDefined ? 0 : 8)
        + s.Binding switch { SymbolBinding.Global => 0, SymbolBinding.Weak => 2, _ => 4 }
        + (s.Table == SymbolTable.Static ? 0 : 1);

    private Dictionary<string, ElfSymbol> BuildNameIndex()
    {
        var candidates = Symbols
            .Where(s => s.Name.Length != 0 && s.Type is not (SymbolType.File or SymbolType.Section) && !IsMappingSymbol(s))
            .OrderBy(Preference).ThenBy(s => s.Index);
        var byName = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        foreach (var s in candidates) byName.TryAdd(s.Name, s);
        return byName;
    }

    private ElfSymbol[] BuildFunctionIndex()
    {
        var sorted = Symbols
            .Where(s => s.IsCode && s.IsDefined && s.SectionIndex != ElfSymbol.SectionCommon)
            .OrderBy(s => s.Address).ThenBy(s => s.Size == 0 ? 1 : 0).ThenBy(Preference).ThenBy(s => s.Index);
        var unique = new List<ElfSymbol>();
        foreach (var s in sorted)
            if (unique.Count == 0 || unique[^1].Address != s.Address) unique.Add(s);
        return [.. unique];
    }

    // ---------------------------------------------------------------- parsing

    private void ParseAll(ReadOnlySpan<byte> d)
    {
        var h = ParseHeader(d);
        ParseProgramHeaders(d, h);
        CheckEntry();
        if (_ignoreSectionHeaders) return;
        var sections = ParseSectionHeaders(d, h);
        ParseSymbols(d, sections);
    }

    // Table locations and counts after the gABI extended-numbering escapes are resolved.
    private readonly record struct Header(
        uint PhOff, uint ShOff, uint PhNum, uint ShNum, uint ShStrNdx);

    private Header ParseHeader(ReadOnlySpan<byte> d)
    {
        ReadOnlySpan<byte> magic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];
        if (d.Length == 0) throw Fail("not an ELF file (empty file)");
        if (d.Length < magic.Length && magic.StartsWith(d))
            throw Fail($"truncated: file is {d.Length} bytes, shorter than the {HeaderSize}-byte ELF header");
        if (!d.StartsWith(magic))
            throw Fail($"not an ELF file (bad magic {Convert.ToHexString(d[..Math.Min(4, d.Length)]).ToLowerInvariant()}, expected 7f454c46)");
        // e_machine is at offset 18 in both ELF classes, so the most useful complaint
        // ("this is an x86-64 program") comes before the class check.
        const int MachineEnd = 20;
        if (d.Length < MachineEnd)
            throw Fail($"truncated: file is {d.Length} bytes, shorter than the {HeaderSize}-byte ELF header");
        byte eiClass = d[4], eiData = d[5], eiVersion = d[6];
        if (eiData is not (1 or 2))
            throw Fail($"invalid EI_DATA {eiData} (expected 1 = ELFDATA2LSB)");
        ushort machine = eiData == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(d[18..])
            : BinaryPrimitives.ReadUInt16BigEndian(d[18..]);
        if (machine != EmArm)
            throw Fail($"not an ARM executable (e_machine {machine}{MachineName(machine)})");
        if (eiClass != 1)
            throw Fail(eiClass == 2
                ? "not a 32-bit ELF file (EI_CLASS 2 = ELFCLASS64)"
                : $"invalid EI_CLASS {eiClass} (expected 1 = ELFCLASS32)");
        if (eiData != 1)
            throw Fail("big-endian ARM ELF files (EI_DATA 2 = ELFDATA2MSB) are not supported");
        if (eiVersion != 1)
            throw Fail($"invalid EI_VERSION {eiVersion} (expected 1 = EV_CURRENT)");
        if (d.Length < HeaderSize)
            throw Fail($"truncated: file is {d.Length} bytes, shorter than the {HeaderSize}-byte ELF header");

        OsAbi = d[7];
        ushort type = U16(d, 16);
        Type = (ElfType)type;
        if (Type is not (ElfType.Executable or ElfType.SharedObject))
            throw Fail(type switch
            {
                1 => "not an executable: e_type 1 = ET_REL (relocatable object file)",
                4 => "not an executable: e_type 4 = ET_CORE (core dump)",
                _ => $"not an executable: e_type {type} (expected 2 = ET_EXEC or 3 = ET_DYN)",
            });
        uint version = U32(d, 20);
        if (version != 1 && !_ignoreSectionHeaders) throw Fail($"invalid e_version {version} (expected 1 = EV_CURRENT)");
        Entry = U32(d, 24);
        uint phoff = U32(d, 28), shoff = U32(d, 32);
        Flags = U32(d, 36);
        ushort ehsize = U16(d, 40), phentsize = U16(d, 42), phnum = U16(d, 44);
        ushort shentsize = U16(d, 46), shnum = U16(d, 48), shstrndx = U16(d, 50);

        if (_ignoreSectionHeaders)
        {
            // binfmt_elf: e_phentsize must be sizeof(struct elf32_phdr) and the table at most 64 KiB (load_elf_phdrs).
            if (phentsize != PhEntSize) throw Fail($"e_phentsize is {phentsize}, expected {PhEntSize}");
            if (phnum == 0 || phnum > 65536 / PhEntSize) throw Fail($"e_phnum is {phnum}, not between 1 and {65536 / PhEntSize}");
            return new Header(phoff, 0, phnum, 0, 0);
        }
        if (ehsize != HeaderSize) throw Fail($"e_ehsize is {ehsize}, expected {HeaderSize}");
        if (phnum != 0 && phentsize != PhEntSize)
            throw Fail($"e_phentsize is {phentsize}, expected {PhEntSize}");
        if (phentsize is not (0 or PhEntSize))
            throw Fail($"e_phentsize is {phentsize}, expected {PhEntSize} (or 0 without program headers)");
        if (shentsize is not (0 or ShEntSize) || (shoff != 0 && shentsize != ShEntSize))
            throw Fail($"e_shentsize is {shentsize}, expected {ShEntSize}");

        var h = new Header(phoff, shoff, phnum, shnum, shstrndx);
        if (shoff == 0)
        {
            if (shnum != 0) throw Fail($"e_shnum is {shnum} but e_shoff is 0");
            if (shstrndx != 0) throw Fail($"e_shstrndx is {shstrndx} but there are no section headers (e_shoff 0)");
            if (phnum == PnXnum)
                throw Fail("e_phnum is PN_XNUM (0xffff) but there is no section header 0 holding the real count (e_shoff 0)");
            return h;
        }
        if (shstrndx >= ShnLoReserve && shstrndx != ShnXindex)
            throw Fail($"e_shstrndx 0x{shstrndx:x} is a reserved section index");

        // gABI extended numbering: counts that do not fit the 16-bit header fields
        // live in section header 0.
        if (phnum != PnXnum && shnum != 0 && shstrndx != ShnXindex) return h;
        CheckTable(d, "section header 0", shoff, 1, ShEntSize);
        uint s0Size = U32(d, shoff + 20), s0Link = U32(d, shoff + 24), s0Info = U32(d, shoff + 28);
        if (shnum == 0)
        {
            if (s0Size < ShnLoReserve)
                throw Fail($"e_shnum is 0 with e_shoff 0x{shoff:x}, but section 0 sh_size 0x{s0Size:x} is not an extended count (>= 0xff00)");
            h = h with { ShNum = s0Size };
        }
        if (phnum == PnXnum)
        {
            if (s0Info < PnXnum)
                throw Fail($"e_phnum is PN_XNUM (0xffff), but section 0 sh_info 0x{s0Info:x} is not an extended count (>= 0xffff)");
            h = h with { PhNum = s0Info };
        }
        if (shstrndx == ShnXindex)
        {
            if (s0Link < ShnLoReserve)
                throw Fail($"e_shstrndx is SHN_XINDEX (0xffff), but section 0 sh_link 0x{s0Link:x} is not an extended index (>= 0xff00)");
            h = h with { ShStrNdx = s0Link };
        }
        return h;
    }

    private void ParseProgramHeaders(ReadOnlySpan<byte> d, Header h)
    {
        if (h.PhNum != 0 && h.PhOff == 0) throw Fail($"e_phnum is {h.PhNum} but e_phoff is 0");
        CheckTable(d, "program header table", h.PhOff, h.PhNum, PhEntSize);

        var all = new ProgramHeader[h.PhNum];
        var loads = new List<ProgramHeader>();
        for (int i = 0; i < all.Length; i++)
        {
            uint o = h.PhOff + (uint)(i * PhEntSize);
            var p = new ProgramHeader(i, (SegmentType)U32(d, o), U32(d, o + 4), U32(d, o + 8), U32(d, o + 12),
                U32(d, o + 16), U32(d, o + 20), (SegmentFlags)U32(d, o + 24), U32(d, o + 28));
            all[i] = p;
            if (p.Type == SegmentType.Null) continue;   // gABI: an unused entry; its other members are undefined

            string where = $"program header {i}";
            if (p.FileSize != 0 && (ulong)p.Offset + p.FileSize > (ulong)d.Length)
                throw Fail($"{where}: segment extends past end of file (offset 0x{p.Offset:x} + size 0x{p.FileSize:x} > file size 0x{d.Length:x})");
            if (p.Align > 1 && !IsPowerOfTwo(p.Align))
                throw Fail($"{where}: p_align 0x{p.Align:x} is not a power of two");

            switch (p.Type)
            {
                case SegmentType.Load:
                    CheckMemorySize(p, where);
                    // gABI: "p_vaddr should equal p_offset, modulo p_align"; a loader maps pages on that assumption.
                    if (p.Align > 1 && (p.VirtualAddress - p.Offset) % p.Align != 0)
                        throw Fail($"{where}: p_vaddr 0x{p.VirtualAddress:x} and p_offset 0x{p.Offset:x} differ modulo p_align 0x{p.Align:x}");
                    if (p.VirtualEnd > 1UL << 32)
                        throw Fail($"{where}: segment wraps past the top of the address space (p_vaddr 0x{p.VirtualAddress:x} + p_memsz 0x{p.MemorySize:x})");
                    // gABI: "Loadable segment entries in the program header table appear in
                    // ascending order, sorted on the p_vaddr member."
                    if (loads.Count != 0)
                    {
                        var prev = loads[^1];
                        if (p.VirtualAddress < prev.VirtualAddress)
                            throw Fail($"{where}: PT_LOAD segments are not sorted by p_vaddr (0x{p.VirtualAddress:x} follows 0x{prev.VirtualAddress:x} of program header {prev.Index})");
                        if (p.VirtualAddress < prev.VirtualEnd)
                            throw Fail($"{where}: PT_LOAD segment at 0x{p.VirtualAddress:x} overlaps program header {prev.Index} (0x{prev.VirtualAddress:x}-0x{prev.VirtualEnd - 1:x})");
                    }
                    loads.Add(p);
                    break;

                case SegmentType.Interp:
                    // gABI: at most once, and before any loadable segment entry.
                    InterpreterHeader = Single(InterpreterHeader, p, "PT_INTERP");
                    if (loads.Count != 0) throw Fail($"{where}: PT_INTERP follows a PT_LOAD (the gABI requires it to precede them)");
                    if (p.FileSize < 2 || p.FileSize > MaxInterpreterSize)
                        throw Fail($"{where}: PT_INTERP size 0x{p.FileSize:x} is not between 2 and 0x{MaxInterpreterSize:x}");
                    var path = d.Slice((int)p.Offset, (int)p.FileSize);
                    if (path[^1] != 0) throw Fail($"{where}: PT_INTERP path is not NUL-terminated");
                    int nul = path.IndexOf((byte)0);
                    if (nul == 0) throw Fail($"{where}: PT_INTERP path is empty");
                    Interpreter = Encoding.UTF8.GetString(path[..nul]);
                    break;

                case SegmentType.Phdr:
                    // gABI: at most once, and before any loadable segment entry.
                    PhdrHeader = Single(PhdrHeader, p, "PT_PHDR");
                    if (loads.Count != 0) throw Fail($"{where}: PT_PHDR follows a PT_LOAD (the gABI requires it to precede them)");
                    break;

                case SegmentType.Tls:
                    CheckMemorySize(p, where);
                    TlsHeader = Single(TlsHeader, p, "PT_TLS");
                    break;

                case SegmentType.Dynamic:
                    DynamicHeader = Single(DynamicHeader, p, "PT_DYNAMIC");
                    break;

                case SegmentType.GnuStack:
                    GnuStackHeader = Single(GnuStackHeader, p, "PT_GNU_STACK");
                    break;

                case SegmentType.ArmExidx:
                    ArmExidxHeader = Single(ArmExidxHeader, p, "PT_ARM_EXIDX");
                    break;
            }
        }
        if (loads.Count == 0) throw Fail("no PT_LOAD segment: nothing to load");
        ProgramHeaders = all;
        LoadSegments = loads;
    }

    private static void CheckMemorySize(ProgramHeader p, string where)
    {
        if (p.FileSize > p.MemorySize)
            throw Fail($"{where}: p_filesz 0x{p.FileSize:x} > p_memsz 0x{p.MemorySize:x}");
    }

    private static ProgramHeader Single(ProgramHeader? first, ProgramHeader p, string type) =>
        first is null ? p : throw Fail($"program header {p.Index}: second {type} (the first is program header {first.Index})");

    private void CheckEntry()
    {
        // A shared object may have no entry (e_entry 0); an executable always runs from one.
        if (Type != ElfType.Executable && Entry == 0) return;
        // Bit 0 selects Thumb (any halfword address); ARM code is word aligned, so 0b10 in bits 1:0 is neither.
        if ((Entry & 3) == 2)
            throw Fail($"entry point 0x{Entry:x} is neither a word-aligned ARM address nor a Thumb address (bit 0 set)");
        foreach (var p in LoadSegments)
            if ((p.Flags & SegmentFlags.Execute) != 0 && p.Contains(EntryAddress)) return;
        throw Fail($"entry point 0x{Entry:x} is not inside an executable PT_LOAD segment");
    }

    private ElfSection[] ParseSectionHeaders(ReadOnlySpan<byte> d, Header h)
    {
        if (h.ShNum == 0) return [ ];
        CheckTable(d, "section header table", h.ShOff, h.ShNum, ShEntSize);
        if (h.ShStrNdx >= h.ShNum)
            throw Fail($"e_shstrndx {h.ShStrNdx} is out of range ({h.ShNum} sections)");

        var raw = new ElfSection[h.ShNum];
        for (int i = 0; i < raw.Length; i++)
        {
            uint o = h.ShOff + (uint)(i * ShEntSize);
            raw[i] = new ElfSection(i, "", (SectionType)U32(d, o + 4), (SectionFlags)U32(d, o + 8), U32(d, o + 12),
                U32(d, o + 16), U32(d, o + 20), U32(d, o + 24), U32(d, o + 28), U32(d, o + 32), U32(d, o + 36));
        }
        if (raw[0].Type != SectionType.Null)
            throw Fail($"section 0: sh_type 0x{(uint)raw[0].Type:x}, expected SHT_NULL");

        ElfSection? names = null;
        if (h.ShStrNdx != 0)
        {
            names = raw[h.ShStrNdx];
            CheckStringTable(d, names, $"section {names.Index} (e_shstrndx)");
        }
        var sections = new ElfSection[raw.Length];
        sections[0] = raw[0];
        for (int i = 1; i < raw.Length; i++)
        {
            var s = raw[i];
            uint nameOffset = U32(d, h.ShOff + (uint)(i * ShEntSize));
            string name = names is null
                ? (nameOffset == 0 ? "" : throw Fail($"section {i}: sh_name 0x{nameOffset:x} but there is no section name table (e_shstrndx 0)"))
                : ReadString(d, names, nameOffset, $"section {i}: sh_name");
            sections[i] = s = s with { Name = name };
            string where = $"section {i} ({Printable(name)})";
            if (s.HasFileData && s.Size != 0 && (ulong)s.Offset + s.Size > (ulong)d.Length)
                throw Fail($"{where}: data extends past end of file (offset 0x{s.Offset:x} + size 0x{s.Size:x} > file size 0x{d.Length:x})");
            // gABI: sh_link is always a section header table index (0 when unused).
            if (s.Link >= (uint)raw.Length)
                throw Fail($"{where}: sh_link {s.Link} is out of range ({raw.Length} sections)");
            if (s.AddressAlign > 1 && !IsPowerOfTwo(s.AddressAlign))
                throw Fail($"{where}: sh_addralign 0x{s.AddressAlign:x} is not a power of two");
        }
        Sections = sections;
        return sections;
    }

    private void ParseSymbols(ReadOnlySpan<byte> d, ElfSection[] sections)
    {
        ElfSection? symtab = null, dynsym = null;
        foreach (var s in sections)
        {
            // gABI: "Currently, an object file may have only one section of each type" (SHT_SYMTAB, SHT_DYNSYM).
            if (s.Type == SectionType.SymTab)
                symtab = symtab is null ? s : throw Fail($"section {s.Index} ({Printable(s.Name)}): second SHT_SYMTAB (the first is section {symtab.Index})");
            else if (s.Type == SectionType.DynSym)
                dynsym = dynsym is null ? s : throw Fail($"section {s.Index} ({Printable(s.Name)}): second SHT_DYNSYM (the first is section {dynsym.Index})");
        }
        var symbols = new List<ElfSymbol>();
        var mapping = new List<MappingSymbol>();
        if (symtab is not null) ReadSymbolTable(d, sections, symtab, SymbolTable.Static, symbols, mapping);
        if (dynsym is not null) ReadSymbolTable(d, sections, dynsym, SymbolTable.Dynamic, symbols, null);
        Symbols = symbols;
        mapping.Sort((a, b) => a.Address.CompareTo(b.Address));
        MappingSymbols = mapping;
    }

    private static void ReadSymbolTable(ReadOnlySpan<byte> d, ElfSection[] sections, ElfSection table, SymbolTable kind,
        List<ElfSymbol> symbols, List<MappingSymbol>? mapping)
    {
        string where = $"section {table.Index} ({Printable(table.Name)})";
        if (table.EntrySize != SymEntSize)
            throw Fail($"{where}: sh_entsize {table.EntrySize}, expected {SymEntSize} for a symbol table");
        if (table.Size % SymEntSize != 0)
            throw Fail($"{where}: sh_size 0x{table.Size:x} is not a multiple of {SymEntSize}");
        uint count = table.Size / SymEntSize;
        // gABI: sh_info is "one greater than the symbol table index of the last local symbol".
        if (table.Info > count)
            throw Fail($"{where}: sh_info {table.Info} (first non-local symbol) is past the {count} symbols");
        if (table.Link == 0) throw Fail($"{where}: sh_link is 0, no string table for the symbol names");
        var strings = sections[table.Link];
        CheckStringTable(d, strings, $"section {strings.Index} ({Printable(strings.Name)}, string table of {Printable(table.Name)})");

        // SHN_XINDEX symbols keep their real section index in an SHT_SYMTAB_SHNDX section linked to this table.
        ElfSection? shndx = null;
        foreach (var s in sections)
            if (s.Type == SectionType.SymTabShndx && s.Link == table.Index) { shndx = s; break; }

        for (uint i = 1; i < count; i++)
        {
            uint o = table.Offset + i * SymEntSize;
            uint nameOffset = U32(d, o), value = U32(d, o + 4), size = U32(d, o + 8);
            byte info = d[(int)o + 12], other = d[(int)o + 13];
            uint section = U16(d, o + 14);
            string name = ReadString(d, strings, nameOffset, $"{where} symbol {i}: st_name");
            if (section == ShnXindex)
            {
                if (shndx is null)
                    throw Fail($"{where} symbol {i}: st_shndx is SHN_XINDEX but no SHT_SYMTAB_SHNDX section belongs to this table");
                if ((ulong)i * 4 + 4 > shndx.Size)
                    throw Fail($"section {shndx.Index} ({Printable(shndx.Name)}): SHT_SYMTAB_SHNDX has no entry for symbol {i}");
                section = U32(d, shndx.Offset + i * 4);
                if (section >= (uint)sections.Length)
                    throw Fail($"{where} symbol {i}: extended section index {section} is out of range ({sections.Length} sections)");
            }
            else if (section != 0 && section < ShnLoReserve && section >= (uint)sections.Length)
                throw Fail($"{where} symbol {i}: st_shndx {section} is out of range ({sections.Length} sections)");

            var sym = new ElfSymbol(kind, (int)i, name, value, size, (SymbolType)(info & 0xF), (SymbolBinding)(info >> 4),
                (SymbolVisibility)(other & 3), section);
            symbols.Add(sym);
            if (mapping is not null && IsMappingSymbol(sym))
                mapping.Add(new MappingSymbol(value, name[1] switch { 'a' => MappingKind.Arm, 't' => MappingKind.Thumb, _ => MappingKind.Data }, section));
        }
    }

    /// <summary>
    /// AAELF32 5.5.5: "$a", "$t", "$d", optionally followed by "." and anything, local and
    /// defined in a section. AAELF32 gives them STT_NOTYPE, but GNU as makes the $d of a TLS
    /// section STT_TLS, so (like binutils) the type is not checked beyond "not code".
    /// ("$x" is AArch64's, not ours.)
    /// </summary>
    private static bool IsMappingSymbol(ElfSymbol s) =>
        !s.IsCode && s.Binding == SymbolBinding.Local && s.IsDefined
        && s.Name.Length >= 2 && s.Name[0] == '$' && (s.Name[1] is 'a' or 't' or 'd')
        && (s.Name.Length == 2 || s.Name[2] == '.');

    // ---------------------------------------------------------------- helpers

    /// <summary>A table of <paramref name="count"/> entries must lie inside the file; checked before anything is allocated for it.</summary>
    private static void CheckTable(ReadOnlySpan<byte> d, string what, uint offset, uint count, int entrySize)
    {
        ulong end = offset + (ulong)count * (ulong)entrySize;   // < 2^33 + 2^38: no overflow in 64 bits
        if (end > (ulong)d.Length)
            throw Fail($"{what} extends past end of file (offset 0x{offset:x} + {count} x {entrySize} bytes = 0x{end:x} > file size 0x{d.Length:x})");
    }

    /// <summary>gABI "String Table": index 0 and the last byte hold NUL; the section lies in the file (checked by the caller's section pass or here).</summary>
    private static void CheckStringTable(ReadOnlySpan<byte> d, ElfSection s, string where)
    {
        if (s.Type != SectionType.StrTab)
            throw Fail($"{where}: sh_type 0x{(uint)s.Type:x} is not SHT_STRTAB");
        if (s.Size == 0) return;   // gABI: an empty string table is allowed; only index 0 may be used with it
        if ((ulong)s.Offset + s.Size > (ulong)d.Length)
            throw Fail($"{where}: string table extends past end of file (offset 0x{s.Offset:x} + size 0x{s.Size:x} > file size 0x{d.Length:x})");
        if (d[(int)s.Offset] != 0) throw Fail($"{where}: string table does not start with a NUL byte");
        if (d[(int)(s.Offset + s.Size - 1)] != 0) throw Fail($"{where}: string table does not end with a NUL byte");
    }

    /// <summary>A name from a string table already passed through <see cref="CheckStringTable"/>.</summary>
    private static string ReadString(ReadOnlySpan<byte> d, ElfSection table, uint index, string where)
    {
        if (index == 0) return "";   // gABI: index 0 is the empty string, even in an empty table
        if (index >= table.Size)
            throw Fail($"{where} 0x{index:x} is out of range (string table section {table.Index} has size 0x{table.Size:x})");
        var rest = d.Slice((int)(table.Offset + index), (int)(table.Size - index));
        return Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)0)]);   // the table ends with NUL, so IndexOf >= 0
    }

    private static ushort U16(ReadOnlySpan<byte> d, uint offset) => BinaryPrimitives.ReadUInt16LittleEndian(d.Slice((int)offset, 2));

    private static uint U32(ReadOnlySpan<byte> d, uint offset) => BinaryPrimitives.ReadUInt32LittleEndian(d.Slice((int)offset, 4));

    private static bool IsPowerOfTwo(uint x) => (x & (x - 1)) == 0;

    private static ElfFormatException Fail(string message) => new(message);

    /// <summary>A name from the file, made safe for a one-line message.</summary>
    private static string Printable(string s)
    {
        if (s.Length > 64) s = s[..64] + "...";
        return s.All(c => c >= ' ' && c < 0x7F) ? s : string.Concat(s.Select(c => c >= ' ' && c < 0x7F ? c.ToString() : "?"));
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private static string MachineName(ushort machine) => machine switch
    {
        0 => " = EM_NONE",
        2 => " = SPARC",
        3 => " = x86",
        8 => " = MIPS",
        20 => " = PowerPC",
        21 => " = PowerPC64",
        22 => " = S/390",
        40 => " = ARM",
        43 => " = SPARC V9",
        50 => " = IA-64",
        62 => " = x86-64",
        183 => " = AArch64",
        243 => " = RISC-V",
        258 => " = LoongArch",
        _ => "",
    };
}
