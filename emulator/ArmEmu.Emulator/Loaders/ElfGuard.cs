using System.Buffers.Binary;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// The checks made on the raw bytes before ELFSharp is given a file (<see cref="ElfFile"/> has
/// the reasons). ELFSharp's <c>ELFReader.Load</c> reads everything at once and trusts what it
/// reads: it allocates sh_size bytes for a string table, a symbol table or a note before
/// reading them, seeks wherever an offset points, looks every name up by scanning byte by
/// byte from its index to the next NUL, and casts the section called ".strtab" to a string
/// table. So what decides how much it reads and allocates is checked here first, with the
/// one-line messages of <see cref="ElfFormatException"/>: the ELF header (identity, sizes,
/// counts and the gABI's extended numbering), that the program and section header tables,
/// every segment's and section's bytes and the note of every SHT_NOTE section lie inside the file, that every name
/// index is inside a NUL-terminated string table, and that the symbol tables have the shape
/// ELFSharp reads. Nothing here builds a program header, a section or a symbol: those are
/// ELFSharp's, and the checks of what they mean (PT_LOAD order and overlaps, the entry point,
/// PT_INTERP, alignments) are made on ELFSharp's values afterwards. The symbols' section indices
/// (with SHT_SYMTAB_SHNDX, which ELFSharp does not read) are checked here too, so that the symbol
/// tables, which ELFSharp reads only when the symbols are first used, need no checking then.
/// </summary>
/// <remarks>
/// References: System V gABI ("ELF Header", "Sections", "String Table", "Symbol Table",
/// "Program Header", "Note Section"); Linux fs/binfmt_elf.c for what a loader reads.
/// </remarks>
internal static class ElfGuard
{
    public const int HeaderSize = 52;           // sizeof(Elf32_Ehdr)
    public const int PhEntSize = 32;            // sizeof(Elf32_Phdr)
    public const int ShEntSize = 40;            // sizeof(Elf32_Shdr)
    public const int SymEntSize = 16;           // sizeof(Elf32_Sym)
    private const int NoteHeaderSize = 12;      // namesz, descsz, type
    private const ushort EmArm = 40;            // EM_ARM
    private const ushort PnXnum = 0xFFFF;       // PN_XNUM: real e_phnum is in section 0's sh_info
    private const uint ShnLoReserve = 0xFF00;   // SHN_LORESERVE
    private const uint ShnXindex = 0xFFFF;      // SHN_XINDEX: real index is elsewhere

    // Where ELFSharp takes symbol names from: the one section called so, whatever sh_link says.
    public const string StaticNames = ".strtab", DynamicNames = ".dynstr";

    /// <summary>
    /// The header's table locations and counts after the gABI's extended-numbering escapes, and
    /// (for the sections) each entry's sh_link and sh_info, which ELFSharp 2.17 reads but does not expose.
    /// </summary>
    public sealed record Layout(uint PhOff, uint PhNum, uint ShOff, uint ShNum, uint ShStrNdx)
    {
        public uint[] Links { get; init; } = [];
        public uint[] Infos { get; init; } = [];
    }

    // ---------------------------------------------------------------- ELF header

    /// <summary>
    /// The ELF header. For a program to run (<paramref name="forExecution"/>) only what Linux's
    /// binfmt_elf reads is checked: not e_ehsize, e_version or the section header fields.
    /// </summary>
    public static Layout CheckHeader(ReadOnlySpan<byte> d, bool forExecution)
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

        ushort type = U16(d, 16);
        if (type is not (2 or 3))
            throw Fail(type switch
            {
                1 => "not an executable: e_type 1 = ET_REL (relocatable object file)",
                4 => "not an executable: e_type 4 = ET_CORE (core dump)",
                _ => $"not an executable: e_type {type} (expected 2 = ET_EXEC or 3 = ET_DYN)",
            });
        uint version = U32(d, 20);
        if (version != 1 && !forExecution) throw Fail($"invalid e_version {version} (expected 1 = EV_CURRENT)");
        uint phoff = U32(d, 28), shoff = U32(d, 32);
        ushort ehsize = U16(d, 40), phentsize = U16(d, 42), phnum = U16(d, 44);
        ushort shentsize = U16(d, 46), shnum = U16(d, 48), shstrndx = U16(d, 50);

        if (forExecution)
        {
            // binfmt_elf: e_phentsize must be sizeof(struct elf32_phdr) and the table at most 64 KiB (load_elf_phdrs).
            if (phentsize != PhEntSize) throw Fail($"e_phentsize is {phentsize}, expected {PhEntSize}");
            if (phnum == 0 || phnum > 65536 / PhEntSize) throw Fail($"e_phnum is {phnum}, not between 1 and {65536 / PhEntSize}");
            return new Layout(phoff, phnum, 0, 0, 0);
        }
        if (ehsize != HeaderSize) throw Fail($"e_ehsize is {ehsize}, expected {HeaderSize}");
        if (phnum != 0 && phentsize != PhEntSize)
            throw Fail($"e_phentsize is {phentsize}, expected {PhEntSize}");
        if (phentsize is not (0 or PhEntSize))
            throw Fail($"e_phentsize is {phentsize}, expected {PhEntSize} (or 0 without program headers)");
        if (shentsize is not (0 or ShEntSize) || (shoff != 0 && shentsize != ShEntSize))
            throw Fail($"e_shentsize is {shentsize}, expected {ShEntSize}");

        var h = new Layout(phoff, phnum, shoff, shnum, shstrndx);
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

        // gABI extended numbering: counts that do not fit the 16-bit header fields live in section header 0.
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
            // ELFSharp takes the index from sh_link only when e_shnum is 0 too.
            if (shnum != 0)
                throw Fail($"e_shstrndx is SHN_XINDEX (0xffff) but e_shnum {shnum} is not the extended escape 0");
            h = h with { ShStrNdx = s0Link };
        }
        return h;
    }

    // ---------------------------------------------------------------- program headers

    /// <summary>
    /// The program header table and every segment's file bytes inside the file. (PT_NOTE
    /// segments are not read by ELFSharp: <see cref="ElfSharpStream"/> shows them as PT_NULL.)
    /// </summary>
    public static void CheckProgramHeaders(ReadOnlySpan<byte> d, Layout h)
    {
        if (h.PhNum != 0 && h.PhOff == 0) throw Fail($"e_phnum is {h.PhNum} but e_phoff is 0");
        CheckTable(d, "program header table", h.PhOff, h.PhNum, PhEntSize);
        // ELFSharp reads e_phnum entries and does not follow PN_XNUM to section 0's sh_info.
        if (h.PhNum > PnXnum)
            throw Fail($"e_phnum is PN_XNUM (0xffff) with section 0 sh_info 0x{h.PhNum:x}: more than 65535 program headers are not supported");
        for (uint i = 0; i < h.PhNum; i++)
        {
            uint o = h.PhOff + i * PhEntSize;
            uint type = U32(d, o), offset = U32(d, o + 4), fileSize = U32(d, o + 16);
            if (type == (uint)SegmentType.Null) continue;   // gABI: an unused entry; its other members are undefined
            if (fileSize != 0 && (ulong)offset + fileSize > (ulong)d.Length)
                throw Fail($"program header {i}: segment extends past end of file (offset 0x{offset:x} + size 0x{fileSize:x} > file size 0x{d.Length:x})");
        }
    }

    // ---------------------------------------------------------------- section headers

    /// <summary>
    /// The section header table, the section name table and every name in it, each section's
    /// bytes, sh_link, its notes, and the symbol tables; returns the layout with each section's
    /// sh_link and sh_info.
    /// </summary>
    public static Layout CheckSections(ReadOnlySpan<byte> d, Layout h)
    {
        if (h.ShNum == 0) return h;
        CheckTable(d, "section header table", h.ShOff, h.ShNum, ShEntSize);
        if (h.ShStrNdx >= h.ShNum)
            throw Fail($"e_shstrndx {h.ShStrNdx} is out of range ({h.ShNum} sections)");
        int count = (int)h.ShNum;
        var links = new uint[count];
        var infos = new uint[count];
        for (int i = 0; i < count; i++)
        {
            links[i] = Field(d, h, i, 24);
            infos[i] = Field(d, h, i, 28);
        }

        // Names: ELFSharp looks up every sh_name, section 0's too, when e_shstrndx is not 0.
        long budget = NameBudget(d);
        Range names = default;
        if (h.ShStrNdx != 0)
        {
            int n = (int)h.ShStrNdx;
            names = CheckStringTable(d, h, n, $"section {n} (e_shstrndx)");
        }
        for (int i = 0; i < count; i++)
        {
            uint nameOffset = Field(d, h, i, 0);
            if (h.ShStrNdx == 0)
            {
                if (nameOffset != 0 && i != 0)
                    throw Fail($"section {i}: sh_name 0x{nameOffset:x} but there is no section name table (e_shstrndx 0)");
                continue;
            }
            CheckName(d, names, (int)h.ShStrNdx, nameOffset, ref budget, i == 0 ? "section 0: sh_name" : $"section {i}: sh_name");
        }

        // Each section's bytes (ELFSharp reads string and symbol tables, notes and .dynamic whole) and sh_link.
        for (int i = 1; i < count; i++)
        {
            uint type = Field(d, h, i, 4), offset = Field(d, h, i, 16), size = Field(d, h, i, 20);
            string where = $"section {i} ({Printable(Name(d, h, names, i))})";
            bool fileData = type is not ((uint)SectionType.Null or (uint)SectionType.NoBits);
            if (fileData && size != 0 && (ulong)offset + size > (ulong)d.Length)
                throw Fail($"{where}: data extends past end of file (offset 0x{offset:x} + size 0x{size:x} > file size 0x{d.Length:x})");
            // gABI: sh_link is always a section header table index (0 when unused).
            if (links[i] >= (uint)count)
                throw Fail($"{where}: sh_link {links[i]} is out of range ({count} sections)");
            if (type == (uint)SectionType.Note)
                CheckNote(d, offset, size, where);
        }
        // ELFSharp's section 0 is read as any other: a note or a table there would be read as one.
        uint type0 = Field(d, h, 0, 4);
        if (type0 != (uint)SectionType.Null)
            throw Fail($"section 0: sh_type 0x{type0:x}, expected SHT_NULL");

        var layout = h with { Links = links, Infos = infos };
        CheckSymbolTables(d, layout, names, ref budget);
        return layout;
    }

    private static void CheckSymbolTables(ReadOnlySpan<byte> d, Layout h, Range names, ref long budget)
    {
        int count = (int)h.ShNum;
        int symtab = -1, dynsym = -1;
        for (int i = 1; i < count; i++)
        {
            uint type = Field(d, h, i, 4);
            // gABI: "Currently, an object file may have only one section of each type" (SHT_SYMTAB, SHT_DYNSYM).
            if (type == (uint)SectionType.SymTab)
                symtab = symtab < 0 ? i : throw Fail($"section {i} ({Printable(Name(d, h, names, i))}): second SHT_SYMTAB (the first is section {symtab})");
            else if (type == (uint)SectionType.DynSym)
                dynsym = dynsym < 0 ? i : throw Fail($"section {i} ({Printable(Name(d, h, names, i))}): second SHT_DYNSYM (the first is section {dynsym})");
        }
        // ELFSharp casts the one section called .strtab to a string table, symbol table or not.
        int strtab = OnlySectionCalled(d, h, names, StaticNames);
        if (strtab > 0 && Field(d, h, strtab, 4) != (uint)SectionType.StrTab)
            throw Fail($"section {strtab} ({StaticNames}): sh_type 0x{Field(d, h, strtab, 4):x} is not SHT_STRTAB");
        if (symtab > 0) CheckSymbolTable(d, h, names, symtab, strtab, StaticNames, ref budget);
        if (dynsym > 0) CheckSymbolTable(d, h, names, dynsym, OnlySectionCalled(d, h, names, DynamicNames), DynamicNames, ref budget);
    }

    private static void CheckSymbolTable(ReadOnlySpan<byte> d, Layout h, Range names, int table, int named, string namedAs, ref long budget)
    {
        string tableName = Name(d, h, names, table);
        string where = $"section {table} ({Printable(tableName)})";
        uint size = Field(d, h, table, 20), entrySize = Field(d, h, table, 36), offset = Field(d, h, table, 16);
        if (entrySize != SymEntSize)
            throw Fail($"{where}: sh_entsize {entrySize}, expected {SymEntSize} for a symbol table");
        if (size % SymEntSize != 0)
            throw Fail($"{where}: sh_size 0x{size:x} is not a multiple of {SymEntSize}");
        uint count = size / SymEntSize;
        // gABI: sh_info is "one greater than the symbol table index of the last local symbol".
        if (h.Infos[table] > count)
            throw Fail($"{where}: sh_info {h.Infos[table]} (first non-local symbol) is past the {count} symbols");
        int link = (int)h.Links[table];
        if (link == 0) throw Fail($"{where}: sh_link is 0, no string table for the symbol names");
        var strings = CheckStringTable(d, h, link, $"section {link} ({Printable(Name(d, h, names, link))}, string table of {Printable(tableName)})");
        // ELFSharp reads the names from the one section called .strtab (.dynstr for .dynsym), not
        // from sh_link's: refused when they differ, since ELFSharp's names would be another table's.
        if (named != link)
            throw Fail($"{where}: sh_link {link} is not the one section called {namedAs}, where ELFSharp reads the symbol names");
        // SHN_XINDEX symbols keep their real section index in an SHT_SYMTAB_SHNDX section linked to this table.
        int shndx = -1;
        for (int s = 1; s < h.ShNum; s++)
            if (Field(d, h, s, 4) == (uint)SectionType.SymTabShndx && h.Links[s] == table) { shndx = s; break; }
        for (uint i = 0; i < count; i++)
        {
            uint o = offset + i * SymEntSize;
            CheckName(d, strings, link, U32(d, o), ref budget, where, i);
            if (i == 0) continue;   // the reserved entry
            uint section = U16(d, o + 14);
            if (section == ShnXindex)
            {
                if (shndx < 0)
                    throw Fail($"{where} symbol {i}: st_shndx is SHN_XINDEX but no SHT_SYMTAB_SHNDX section belongs to this table");
                uint entries = Field(d, h, shndx, 20) / 4;
                if (i >= entries)
                    throw Fail($"section {shndx} ({Printable(Name(d, h, names, shndx))}): SHT_SYMTAB_SHNDX has no entry for symbol {i}");
                section = U32(d, Field(d, h, shndx, 16) + i * 4);
                if (section >= h.ShNum)
                    throw Fail($"{where} symbol {i}: extended section index {section} is out of range ({h.ShNum} sections)");
            }
            else if (section != 0 && section < ShnLoReserve && section >= h.ShNum)
                throw Fail($"{where} symbol {i}: st_shndx {section} is out of range ({h.ShNum} sections)");
        }
    }

    // ---------------------------------------------------------------- notes

    /// <summary>
    /// gABI "Note Section": records of namesz, descsz, type, then the name and the descriptor,
    /// each padded to 4 bytes. ELFSharp reads the first record of an SHT_NOTE section (its 12-byte
    /// header even of an empty section) and allocates namesz and descsz bytes for it.
    /// </summary>
    private static void CheckNote(ReadOnlySpan<byte> d, uint offset, uint size, string where)
    {
        if ((ulong)offset + NoteHeaderSize > (ulong)d.Length)
            throw Fail($"{where}: note header at offset 0x{offset:x} extends past end of file (file size 0x{d.Length:x})");
        if (size == 0) return;   // an empty section: ELFSharp reads the header only
        uint nameSize = U32(d, offset), descSize = U32(d, offset + 4);
        ulong record = NoteHeaderSize + ((nameSize + 3UL) & ~3UL) + ((descSize + 3UL) & ~3UL);
        if (record > size)
            throw Fail($"{where}: note (namesz 0x{nameSize:x}, descsz 0x{descSize:x}) runs past the end of the section (sh_size 0x{size:x})");
    }

    // ---------------------------------------------------------------- string tables

    /// <summary>
    /// gABI "String Table": a SHT_STRTAB section inside the file whose first and last bytes are NUL,
    /// so every name ELFSharp scans for ends inside it. Returns its bytes' range in the file.
    /// </summary>
    private static Range CheckStringTable(ReadOnlySpan<byte> d, Layout h, int index, string where)
    {
        uint type = Field(d, h, index, 4), offset = Field(d, h, index, 16), size = Field(d, h, index, 20);
        if (type != (uint)SectionType.StrTab)
            throw Fail($"{where}: sh_type 0x{type:x} is not SHT_STRTAB");
        if (size == 0) return new Range(0, 0);   // gABI: an empty string table is allowed; only index 0 may be used with it
        if ((ulong)offset + size > (ulong)d.Length)
            throw Fail($"{where}: string table extends past end of file (offset 0x{offset:x} + size 0x{size:x} > file size 0x{d.Length:x})");
        if (d[(int)offset] != 0) throw Fail($"{where}: string table does not start with a NUL byte");
        if (d[(int)(offset + size - 1)] != 0) throw Fail($"{where}: string table does not end with a NUL byte");
        return new Range((int)offset, (int)(offset + size));
    }

    /// <summary>
    /// A name index inside its table. ELFSharp finds a name by scanning from its index to the next
    /// NUL, once per distinct index: names at many indices inside one long run of non-NUL bytes
    /// would cost the square of its length, so the bytes scanned for all names together are
    /// bounded (<see cref="NameBudget"/>; a real file scans each of its names once, a few times its
    /// string tables' size at most).
    /// </summary>
    /// <remarks>
    /// The place named in a message is <paramref name="where"/>, or for a symbol (<paramref name="symbol"/>
    /// not negative) "<paramref name="where"/> symbol N: st_name", made only when there is a message.
    /// </remarks>
    private static void CheckName(ReadOnlySpan<byte> d, Range table, int tableIndex, uint index, ref long budget, string where, long symbol = -1)
    {
        if (index == 0) return;   // gABI: index 0 is the empty string, even in an empty table
        var (start, length) = table.GetOffsetAndLength(d.Length);
        if (index >= (uint)length)
            throw Fail($"{Where(where, symbol)} 0x{index:x} is out of range (string table section {tableIndex} has size 0x{length:x})");
        budget -= d.Slice(start + (int)index, length - (int)index).IndexOf((byte)0) + 1;
        if (budget < 0)
            throw Fail($"{Where(where, symbol)} 0x{index:x}: the names of this file would take more than 0x{NameBudget(d):x} bytes of string table to read; its string tables or name indices are damaged");
    }

    private static string Where(string where, long symbol) => symbol < 0 ? where : $"{where} symbol {symbol}: st_name";

    /// <summary>What all names may cost together: four times the file's size, and at least 1 MiB.</summary>
    private static long NameBudget(ReadOnlySpan<byte> d) => Math.Max(1L << 20, 4L * d.Length);

    /// <summary>The index of the one section whose name is <paramref name="name"/>; -1 if there is none or more than one (ELFSharp then has none).</summary>
    private static int OnlySectionCalled(ReadOnlySpan<byte> d, Layout h, Range names, string name)
    {
        if (h.ShStrNdx == 0) return -1;
        Span<byte> wanted = stackalloc byte[name.Length + 1];
        for (int c = 0; c < name.Length; c++) wanted[c] = (byte)name[c];   // ASCII; the NUL ends it
        var (start, length) = names.GetOffsetAndLength(d.Length);
        int found = -1;
        for (int i = 0; i < (int)h.ShNum; i++)
        {
            uint nameOffset = Field(d, h, i, 0);
            if (nameOffset == 0 || (ulong)nameOffset + (uint)wanted.Length > (uint)length
                || !d.Slice(start + (int)nameOffset, wanted.Length).SequenceEqual(wanted)) continue;
            if (found >= 0) return -1;
            found = i;
        }
        return found;
    }

    /// <summary>A section's name (its sh_name already checked), for messages and the name checks above.</summary>
    private static string Name(ReadOnlySpan<byte> d, Layout h, Range names, int index)
    {
        uint nameOffset = Field(d, h, index, 0);
        var (start, length) = names.GetOffsetAndLength(d.Length);
        if (nameOffset == 0 || nameOffset >= (uint)length) return "";
        var rest = d.Slice(start + (int)nameOffset, length - (int)nameOffset);
        return System.Text.Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)0)]);
    }

    // ---------------------------------------------------------------- helpers

    private static uint Field(ReadOnlySpan<byte> d, Layout h, int section, uint at) => U32(d, h.ShOff + (uint)section * ShEntSize + at);

    /// <summary>A table of <paramref name="count"/> entries must lie inside the file; checked before anything is allocated for it.</summary>
    private static void CheckTable(ReadOnlySpan<byte> d, string what, uint offset, uint count, int entrySize)
    {
        ulong end = offset + (ulong)count * (ulong)entrySize;   // < 2^33 + 2^38: no overflow in 64 bits
        if (end > (ulong)d.Length)
            throw Fail($"{what} extends past end of file (offset 0x{offset:x} + {count} x {entrySize} bytes = 0x{end:x} > file size 0x{d.Length:x})");
    }

    public static ushort U16(ReadOnlySpan<byte> d, uint offset) => BinaryPrimitives.ReadUInt16LittleEndian(d.Slice((int)offset, 2));

    public static uint U32(ReadOnlySpan<byte> d, uint offset) => BinaryPrimitives.ReadUInt32LittleEndian(d.Slice((int)offset, 4));

    public static ElfFormatException Fail(string message) => new(message);

    /// <summary>A name from the file, made safe for a one-line message.</summary>
    public static string Printable(string s)
    {
        if (s.Length > 64) s = s[..64] + "...";
        return s.All(c => c >= ' ' && c < 0x7F) ? s : string.Concat(s.Select(c => c >= ' ' && c < 0x7F ? c.ToString() : "?"));
    }

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
