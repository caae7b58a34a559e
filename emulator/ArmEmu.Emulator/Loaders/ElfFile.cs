using System.Text;
using ELFSharp.ELF;
using SharpNoteSection = ELFSharp.ELF.Sections.NoteSection<uint>;
using SharpSymbolTable = ELFSharp.ELF.Sections.SymbolTable<uint>;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// A parsed, validated 32-bit little-endian ARM executable (ET_EXEC or ET_DYN).
///
/// ELFSharp (NuGet ELFSharp) reads the file: the header's entry, flags and type, the program
/// headers, the section headers and their names, and the symbol tables. Around it the checks
/// are ours and strict, so that everything this class exposes has been checked against the
/// file and consumers index the data without further checks: <see cref="ElfGuard"/> first, on
/// the raw bytes, for what decides how much ELFSharp reads and allocates (header, table and
/// section extents, string tables, name indices, notes, symbol table shape and section
/// indices); then, on ELFSharp's values, the gABI's rules for what they mean (PT_LOAD order and
/// overlaps, PT_INTERP, PT_PHDR, the entry point, alignments). The symbol tables are read on
/// first use of the symbols. Bad input raises <see cref="ElfFormatException"/> and nothing else:
/// anything ELFSharp throws all the same is caught in one place (<see cref="WithElfSharp"/>)
/// and becomes one.
///
/// References: System V gABI (chapters "ELF Header", "Sections", "String Table",
/// "Symbol Table", "Program Header"), and "ELF for the Arm Architecture" (AAELF32)
/// for e_flags, the Thumb bit of code symbols and mapping symbols.
///
/// The file keeps the memory it was parsed from (no copy: ELFSharp reads it through a stream
/// over the same array); the caller must not modify it afterwards.
/// </summary>
internal sealed class ElfFile
{
    private const uint ShnXindex = 0xFFFF;      // SHN_XINDEX: real index is elsewhere
    // Linux refuses a PT_INTERP longer than PATH_MAX or shorter than one character plus NUL (fs/binfmt_elf.c).
    private const uint MaxInterpreterSize = 4096;

    private const uint EfArmEabiMask = 0xFF000000;
    private const uint EfArmBe8 = 0x00800000;
    private const uint EfArmAbiFloatSoft = 0x00000200;
    private const uint EfArmAbiFloatHard = 0x00000400;

    private readonly Lazy<ElfSymbol[]> _functionsByAddress;
    private readonly Lazy<Dictionary<string, ElfSymbol>> _symbolsByName;
    private readonly Lazy<(ElfSymbol[] All, MappingSymbol[] Mapping)> _symbols;
    private ElfGuard.Layout _layout;
    // ParseForLoading: the section headers are read (and checked as Parse checks them) on first use.
    private bool _sectionsDeferred;
    private IReadOnlyList<ElfSection> _sections = [];

    private ElfFile(ReadOnlyMemory<byte> data, ElfGuard.Layout layout)
    {
        Data = data;
        _layout = layout;
        ProgramHeaderOffset = layout.PhOff;
        _symbols = new Lazy<(ElfSymbol[], MappingSymbol[])>(ReadSymbols);
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

    /// <summary>e_phoff: where the program header table is in the file (ELFSharp does not expose it).</summary>
    public uint ProgramHeaderOffset { get; }

    /// <summary>The PT_LOAD headers, in ascending, non-overlapping p_vaddr order.</summary>
    public IReadOnlyList<ProgramHeader> LoadSegments { get; private set; } = [];

    /// <summary>All section headers, index 0 (the null section) included so indices match st_shndx and sh_link.</summary>
    public IReadOnlyList<ElfSection> Sections
    {
        get
        {
            if (Volatile.Read(ref _sectionsDeferred)) ReadDeferredSections();
            return _sections;
        }
        private set => _sections = value;
    }

    /// <summary>
    /// Every entry of .symtab then .dynsym except each table's reserved entry 0, mapping symbols
    /// included. Read on first use (checked already by the parse, so reading them cannot fail).
    /// </summary>
    public IReadOnlyList<ElfSymbol> Symbols => _symbols.Value.All;

    /// <summary>The mapping symbols ($a, $t, $d) of .symtab, sorted by address.</summary>
    public IReadOnlyList<MappingSymbol> MappingSymbols => _symbols.Value.Mapping;

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
    public static ElfFile Parse(ReadOnlyMemory<byte> data) => Read(data, forExecution: false);

    /// <summary>
    /// Parses a program to run as Linux's binfmt_elf reads one: the section headers are not
    /// needed to run, so they are neither checked nor read (no sections, no symbols), nor are
    /// e_ehsize and e_version, which binfmt_elf ignores. The program headers and everything
    /// else are checked as <see cref="Parse(ReadOnlyMemory{byte})"/> checks them. The loader
    /// uses it for files the strict parse refuses only because of their section headers.
    /// </summary>
    public static ElfFile ParseForExecution(ReadOnlyMemory<byte> data) => Read(data, forExecution: true);

    /// <summary>
    /// Parses a program to load and run: what <see cref="Parse(ReadOnlyMemory{byte})"/> gives for a
    /// sound file, and what <see cref="ParseForExecution"/> gives for one whose section headers only
    /// are unsound, without reading the section headers until something asks for them (symbols for
    /// a profile, a section's bytes): running a program needs only its program headers, and the
    /// section headers' checks and ELFSharp's reading of them were a sixth of a small program's
    /// start-up. On first use <see cref="Sections"/> are read with every check of
    /// <see cref="Parse(ReadOnlyMemory{byte})"/>; if one fails there are none, as with
    /// <see cref="ParseForExecution"/>. A file refused here is refused with the strict parse's message.
    /// </summary>
    public static ElfFile ParseForLoading(ReadOnlyMemory<byte> data)
    {
        ElfFile elf;
        try
        {
            elf = ParseForExecution(data);
        }
        catch (ElfFormatException)
        {
            // Only the strict parse accepts some files (extended numbering: e_phnum PN_XNUM with the
            // count in section header 0); for the rest it gives the message.
            return Parse(data);
        }
        elf._sectionsDeferred = true;
        return elf;
    }

    private readonly Lock _sectionsLock = new();

    private void ReadDeferredSections()
    {
        lock (_sectionsLock)
        {
            if (!_sectionsDeferred) return;
            try
            {
                var d = Data.Span;
                var layout = ElfGuard.CheckHeader(d, forExecution: false);
                ElfGuard.CheckProgramHeaders(d, layout);
                layout = ElfGuard.CheckSections(d, layout);
                var programLayout = _layout;
                _layout = layout;
                try
                {
                    if (layout.ShNum != 0) WithElfSharp(ElfSharpStream.View.Sections, (sharp, _, hiddenSections) => ReadSections(sharp, hiddenSections));
                }
                catch (ElfFormatException)
                {
                    _layout = programLayout;
                    throw;
                }
            }
            catch (ElfFormatException)
            {
                _sections = [];   // as ParseForExecution: a program runs without its section headers
            }
            Volatile.Write(ref _sectionsDeferred, false);
        }
    }

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

    // ---------------------------------------------------------------- reading

    private static ElfFile Read(ReadOnlyMemory<byte> data, bool forExecution)
    {
        var d = data.Span;
        var layout = ElfGuard.CheckHeader(d, forExecution);
        ElfGuard.CheckProgramHeaders(d, layout);
        if (!forExecution) layout = ElfGuard.CheckSections(d, layout);

        var elf = new ElfFile(data, layout);
        elf.WithElfSharp(forExecution ? ElfSharpStream.View.Program : ElfSharpStream.View.Sections, (sharp, hiddenSegments, hiddenSections) =>
        {
            elf.ReadHeader(sharp);
            elf.ReadProgramHeaders(sharp, hiddenSegments);
            elf.CheckEntry();
            if (layout.ShNum != 0) elf.ReadSections(sharp, hiddenSections);
        });
        return elf;
    }

    private delegate void ElfSharpReader(ELF<uint> sharp, bool[] hiddenSegments, bool[] hiddenSections);

    /// <summary>
    /// ELFSharp's reading of the file as <paramref name="view"/> shows it, given to <paramref name="read"/>.
    /// The one place ELFSharp's exceptions end: ElfGuard is there so that none comes on any input;
    /// should one come all the same, it is still a one-line refusal of the file.
    /// </summary>
    private void WithElfSharp(ElfSharpStream.View view, ElfSharpReader read)
    {
        try
        {
            using var stream = ElfSharpStream.Open(Data, _layout, view, out var hiddenSegments, out var hiddenSections);
            using var sharp = ELFReader.Load<uint>(stream, shouldOwnStream: false);
            read(sharp, hiddenSegments, hiddenSections);
        }
        catch (Exception e) when (e is not ElfFormatException)
        {
            throw Fail($"malformed ELF file ({OneLine(e.Message)})");
        }
    }

    private void ReadHeader(ELF<uint> sharp)
    {
        var d = Data.Span;
        Type = (ElfType)(ushort)sharp.Type;
        OsAbi = d[7];   // EI_OSABI: ELFSharp does not keep it
        Entry = sharp.EntryPoint;
        Flags = sharp.MachineFlags;
    }

    private void ReadProgramHeaders(ELF<uint> sharp, bool[] hiddenSegments)
    {
        var all = new ProgramHeader[sharp.Segments.Count];
        var loads = new List<ProgramHeader>();
        for (int i = 0; i < all.Length; i++)
        {
            var s = sharp.Segments[i];
            // p_filesz comes as a signed 32-bit number from ELFSharp; p_offset is never above 2^32.
            var type = (uint)i < (uint)hiddenSegments.Length && hiddenSegments[i] ? SegmentType.Note : (SegmentType)(uint)s.Type;
            var p = new ProgramHeader(i, type, (uint)s.Offset, s.Address, s.PhysicalAddress,
                unchecked((uint)s.FileSize), s.Size, (SegmentFlags)(uint)s.Flags, s.Alignment);
            all[i] = p;
            if (p.Type == SegmentType.Null) continue;   // gABI: an unused entry; its other members are undefined

            // Concatenated, not interpolated: the handler rents from ArrayPool<char>.Shared, whose
            // first use (the pool, its event source) every start-up paid here for a name that only
            // error messages use.
            string where = "program header " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
                    var path = Data.Span.Slice((int)p.Offset, (int)p.FileSize);
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

    private void ReadSections(ELF<uint> sharp, bool[] hiddenSections)
    {
        var d = Data.Span;
        var layout = _layout;
        if (sharp.Sections.Count != layout.ShNum)
            throw Fail($"ELFSharp read {sharp.Sections.Count} section headers where the file has {layout.ShNum}");
        var sections = new ElfSection[sharp.Sections.Count];
        for (int i = 0; i < sections.Length; i++)
        {
            var s = sharp.Sections[i];
            var type = (uint)i < (uint)hiddenSections.Length && hiddenSections[i] ? (SectionType)ElfGuard.U32(d, layout.ShOff + (uint)i * ElfGuard.ShEntSize + 4) : (SectionType)(uint)s.Type;
            // ELFSharp 2.17 reads sh_link and sh_info but does not expose them: ElfGuard has them.
            var section = new ElfSection(i, s.Name ?? "", type, (SectionFlags)s.RawFlags, s.LoadAddress,
                s.Offset, s.Size, layout.Links[i], layout.Infos[i], s.Alignment, s.EntrySize)
            {
                Note = s is SharpNoteSection note && s.Size != 0 ? new ElfNote(note.NoteName ?? "", note.NoteType, note.Description ?? []) : null,
            };
            sections[i] = section;
            if (i != 0 && section.AddressAlign > 1 && !IsPowerOfTwo(section.AddressAlign))
                throw Fail($"section {i} ({Printable(section.Name)}): sh_addralign 0x{section.AddressAlign:x} is not a power of two");
        }
        Sections = sections;
    }

    /// <summary>
    /// The symbol tables, read by ELFSharp on first use of the symbols. ElfGuard checked them with
    /// the parse (names, section indices, SHN_XINDEX entries), so nothing here refuses the file.
    /// </summary>
    private (ElfSymbol[], MappingSymbol[]) ReadSymbols()
    {
        var sections = Sections;
        if (!sections.Any(s => s.Type is SectionType.SymTab or SectionType.DynSym)) return ([], []);
        var symbols = new List<ElfSymbol>();
        var mapping = new List<MappingSymbol>();
        WithElfSharp(ElfSharpStream.View.Symbols, (sharp, _, _) =>
        {
            var d = Data.Span;
            // At most one table of each kind (ElfGuard), each linked to the string table ELFSharp reads.
            foreach (var (kind, type) in new[] { (SymbolTable.Static, SectionType.SymTab), (SymbolTable.Dynamic, SectionType.DynSym) })
                foreach (var s in sections)
                    if (s.Type == type)
                        ReadSymbolTable(d, s, (SharpSymbolTable)sharp.Sections[s.Index], kind, symbols, kind == SymbolTable.Static ? mapping : null);
        });
        mapping.Sort((a, b) => a.Address.CompareTo(b.Address));
        return ([.. symbols], [.. mapping]);
    }

    private void ReadSymbolTable(ReadOnlySpan<byte> d, ElfSection table, SharpSymbolTable sharp, SymbolTable kind,
        List<ElfSymbol> symbols, List<MappingSymbol>? mapping)
    {
        // SHN_XINDEX symbols keep their real section index in an SHT_SYMTAB_SHNDX section linked to this
        // table (gABI "Symbol Table"); ELFSharp does not read those, so it is read here.
        var shndx = Sections.FirstOrDefault(s => s.Type == SectionType.SymTabShndx && s.Link == table.Index);
        int i = 0;
        foreach (var entry in sharp.Entries)
        {
            if (i == 0) { i++; continue; }   // the reserved entry 0
            uint section = entry.PointedSectionIndex;
            if (section == ShnXindex) section = ElfGuard.U32(d, shndx!.Offset + (uint)i * 4);
            var sym = new ElfSymbol(kind, i, entry.Name, entry.Value, entry.Size, (SymbolType)(byte)entry.Type, (SymbolBinding)(byte)entry.Binding,
                (SymbolVisibility)(byte)entry.Visibility, section);
            symbols.Add(sym);
            if (mapping is not null && IsMappingSymbol(sym))
                mapping.Add(new MappingSymbol(sym.Value, sym.Name[1] switch { 'a' => MappingKind.Arm, 't' => MappingKind.Thumb, _ => MappingKind.Data }, section));
            i++;
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

    private static bool IsPowerOfTwo(uint x) => (x & (x - 1)) == 0;

    private static ElfFormatException Fail(string message) => ElfGuard.Fail(message);

    private static string Printable(string s) => ElfGuard.Printable(s);

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
