using System.Buffers.Binary;
using System.Diagnostics;
using ArmEmu.Emulator.Loaders;
using static ArmEmu.Emulator.Tests.ElfTestBinaries;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// Damaged executables: <see cref="ElfFile.Parse(ReadOnlyMemory{byte})"/> either accepts
/// them or throws <see cref="ElfFormatException"/> with a one-line message; never any
/// other exception, never a huge allocation, never a hang.
/// </summary>
public class ElfCorruptionTests
{
    // A case slower than this means the parser's work is not bounded by the file.
    private static readonly TimeSpan SlowCase = TimeSpan.FromSeconds(1);

    /// <summary>Parses, uses every accessor, and returns the rejection message (null if accepted).</summary>
    private static string? ParseOrReject(ReadOnlyMemory<byte> data, string what)
    {
        var clock = Stopwatch.StartNew();
        string? message = null;
        try
        {
            var elf = ElfFile.Parse(data);
            foreach (var p in elf.ProgramHeaders) _ = elf.SegmentData(p).Length;
            foreach (var s in elf.Sections) _ = elf.SectionData(s).Length;
            _ = elf.SymbolAt(elf.EntryAddress);
            _ = elf.FindSymbol("main");
            _ = elf.MappingKindAt(elf.EntryAddress);
        }
        catch (ElfFormatException e)
        {
            message = e.Message;
            Assert.True(message.Length > 0 && message.All(c => c >= ' ' && c < 0x7F), $"{what}: message is not one printable line: {message}");
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} escaped: {e.Message}");
        }
        Assert.True(clock.Elapsed < SlowCase, $"{what}: took {clock.Elapsed.TotalMilliseconds:F0} ms");
        return message;
    }

    // -------------------------------------------------------------- truncation

    [Theory]
    [InlineData("static")]
    [InlineData("dynamic-pie")]
    [InlineData("bare-metal")]
    public void EveryTruncationIsRejectedAsTruncated(string kind)
    {
        byte[] file = Bytes(kind);
        var elf = ElfFile.Parse(file);
        // The section header table is the last thing in these files, so every prefix is incomplete.
        Assert.Equal(file.Length, (int)(ReadU32(file, 32) + elf.Sections.Count * 40));

        // Every length through the headers, every 64 bytes through the non-loaded tail
        // (symbol and string tables, section headers), and a sampling of the rest.
        uint tail = elf.Sections.Where(s => s.Index != 0 && s.Address == 0 && s.HasFileData).Min(s => s.Offset);
        var lengths = Enumerable.Range(0, Math.Min(file.Length, 0x400))
            .Concat(Enumerable.Range(0, file.Length / 64).Select(i => i * 64).Where(n => n >= tail || n < 0x2000))
            .Concat(Enumerable.Range(0, file.Length / 4093).Select(i => i * 4093))
            .Concat([file.Length - 1])
            .Distinct();
        int cases = 0;
        foreach (int n in lengths)
        {
            string? message = ParseOrReject(file.AsMemory(0, n), $"{kind} truncated to {n} bytes");
            Assert.True(message is not null, $"{kind} truncated to {n} bytes was accepted");
            Assert.True(message.Contains("truncated") || message.Contains("past end of file") || message.Contains("(empty file)"),
                $"{kind} truncated to {n} bytes: {message}");
            cases++;
        }
        Assert.True(cases > 300, $"only {cases} truncations");
    }

    [Fact]
    public void TruncatedHeaderSaysSoAndWhere()
    {
        byte[] file = Bytes("static");
        Assert.Equal("truncated: file is 20 bytes, shorter than the 52-byte ELF header", Reject(file.AsMemory(0, 20)));
        Assert.Equal("truncated: file is 51 bytes, shorter than the 52-byte ELF header", Reject(file.AsMemory(0, 51)));
        Assert.Equal("truncated: file is 3 bytes, shorter than the 52-byte ELF header", Reject(file.AsMemory(0, 3)));
        uint shoff = ReadU32(file, 32);
        int n = (int)shoff + 100;
        Assert.Equal($"section header table extends past end of file (offset 0x{shoff:x} + {ReadU16(file, 48)} x 40 bytes = 0x{shoff + ReadU16(file, 48) * 40:x} > file size 0x{n:x})",
            Reject(file.AsMemory(0, n)));
    }

    // -------------------------------------------------------------- random damage

    [Theory]
    [InlineData("dynamic-pie", 4000)]
    [InlineData("static-pie", 1500)]
    [InlineData("static", 400)]
    public void RandomByteFlipsInTheHeaders(string kind, int cases)
    {
        byte[] file = Bytes(kind);
        byte[] original = (byte[])file.Clone();
        var elf = ElfFile.Parse(file);
        uint phoff = ReadU32(file, 28), shoff = ReadU32(file, 32);
        // Where flips hurt most: ELF header, program headers, section headers, and the symbol tables.
        var regions = new List<(int Start, int Length)>
        {
            (0, 52),
            ((int)phoff, elf.ProgramHeaders.Count * 32),
            ((int)shoff, elf.Sections.Count * 40),
        };
        foreach (var s in elf.Sections.Where(s => s.Type is SectionType.SymTab or SectionType.DynSym))
            regions.Add(((int)s.Offset, (int)Math.Min(s.Size, 64 * 16)));

        var random = new Random(20240611);
        int rejected = 0;
        for (int c = 0; c < cases; c++)
        {
            int flips = 1 + random.Next(4);
            var changed = new List<int>();
            for (int f = 0; f < flips; f++)
            {
                var (start, length) = regions[random.Next(regions.Count)];
                int at = start + random.Next(length);
                file[at] ^= (byte)(1 << random.Next(8));
                if (random.Next(4) == 0) file[at] = (byte)random.Next(256);
                changed.Add(at);
            }
            if (ParseOrReject(file, $"{kind} case {c} (bytes {string.Join(",", changed.Select(a => $"0x{a:x}"))})") is not null) rejected++;
            foreach (int at in changed) file[at] = original[at];
        }
        Assert.Equal(original, file);
        // Sanity: the flips do damage (a parser accepting everything would pass the loop).
        Assert.True(rejected > cases / 4, $"only {rejected} of {cases} damaged files rejected");
    }

    [Theory]
    [InlineData("dynamic-pie")]
    [InlineData("bare-metal")]
    public void EveryHeaderFieldSetToAwkwardValues(string kind)
    {
        byte[] file = Bytes(kind);
        byte[] original = (byte[])file.Clone();
        var elf = ElfFile.Parse(file);
        uint phoff = ReadU32(file, 28), shoff = ReadU32(file, 32);
        uint len = (uint)file.Length;

        // (offset, size) of every field of the ELF header, each program header, each
        // section header, and the first symbols of each table.
        var fields = new List<(int Offset, int Size)>();
        fields.AddRange(new[] { (16, 2), (18, 2), (20, 4), (24, 4), (28, 4), (32, 4), (36, 4), (40, 2), (42, 2), (44, 2), (46, 2), (48, 2), (50, 2) });
        for (int i = 0; i < 16; i++) fields.Add((i, 1));
        for (int i = 0; i < elf.ProgramHeaders.Count; i++)
            for (int f = 0; f < 8; f++) fields.Add(((int)phoff + i * 32 + f * 4, 4));
        for (int i = 0; i < elf.Sections.Count; i++)
            for (int f = 0; f < 10; f++) fields.Add(((int)shoff + i * 40 + f * 4, 4));
        foreach (var s in elf.Sections.Where(s => s.Type is SectionType.SymTab or SectionType.DynSym))
            for (int i = 0; i < Math.Min(8, s.Size / 16); i++)
                fields.AddRange(new[] { ((int)s.Offset + i * 16, 4), ((int)s.Offset + i * 16 + 4, 4), ((int)s.Offset + i * 16 + 8, 4),
                    ((int)s.Offset + i * 16 + 12, 1), ((int)s.Offset + i * 16 + 14, 2) });

        int cases = 0;
        foreach (var (offset, size) in fields)
        {
            uint old = size switch { 1 => file[offset], 2 => ReadU16(file, offset), _ => ReadU32(file, offset) };
            uint[] values = size switch
            {
                1 => [0, 1, 2, 0x7F, 0x80, 0xFF, old + 1, old - 1],
                2 => [0, 1, 2, 0x7FFF, 0x8000, 0xFF00, 0xFFF1, 0xFFFE, 0xFFFF, old + 1, old - 1, old * 2],
                _ => [0, 1, 2, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF,
                      len - 1, len, len + 1, old + 1, old - 1, old + 0x1000, old ^ 0x80000000, old * 16],
            };
            foreach (uint v in values)
            {
                switch (size)
                {
                    case 1: file[offset] = (byte)v; break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(offset), (ushort)v); break;
                    default: BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset), v); break;
                }
                ParseOrReject(file, $"{kind}: field at 0x{offset:x} (size {size}) = 0x{v:x}");
                cases++;
            }
            original.AsSpan(offset, size).CopyTo(file.AsSpan(offset));
        }
        Assert.Equal(original, file);
        Assert.True(cases > 1000, $"only {cases} cases");
    }

    // -------------------------------------------------------------- exact messages

    /// <summary>Offsets of the pieces of the dynamic PIE that the cases below damage.</summary>
    public sealed class Layout
    {
        public readonly byte[] File = Bytes("dynamic-pie");
        internal readonly ElfFile Elf;
        public readonly uint PhOff, ShOff;

        public Layout()
        {
            Elf = ElfFile.Parse((byte[])File.Clone());
            PhOff = ReadU32(File, 28);
            ShOff = ReadU32(File, 32);
        }

        public uint Len => (uint)File.Length;
        internal ElfSection Section(string name) => Elf.FindSection(name)!;
        public int Ph(int index) => (int)PhOff + index * 32;
        public int Sh(string name) => (int)ShOff + Section(name).Index * 40;
        public int Sym(string table, int index) => (int)Section(table).Offset + index * 16;
        internal ProgramHeader Load(int n) => Elf.LoadSegments[n];
        public void U32(int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(File.AsSpan(offset), v);
        public void U16(int offset, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(File.AsSpan(offset), v);
    }

    public static IEnumerable<object[]> Damages()
    {
        // Each row: a name, the damage, and the expected message.
        (string, Action<Layout>, Func<Layout, string>)[] rows =
        [
            ("bad magic", l => l.File[1] = (byte)'X',
                _ => "not an ELF file (bad magic 7f584c46, expected 7f454c46)"),
            ("x86-64", l => l.U16(18, 62),
                _ => "not an ARM executable (e_machine 62 = x86-64)"),
            ("unknown machine", l => l.U16(18, 0x1234),
                _ => "not an ARM executable (e_machine 4660)"),
            ("64-bit", l => l.File[4] = 2,
                _ => "not a 32-bit ELF file (EI_CLASS 2 = ELFCLASS64)"),
            ("big-endian", l => { l.File[5] = 2; l.File[18] = 0; l.File[19] = 40; },
                _ => "big-endian ARM ELF files (EI_DATA 2 = ELFDATA2MSB) are not supported"),
            ("bad EI_DATA", l => l.File[5] = 0,
                _ => "invalid EI_DATA 0 (expected 1 = ELFDATA2LSB)"),
            ("core", l => l.U16(16, 4),
                _ => "not an executable: e_type 4 = ET_CORE (core dump)"),
            ("e_version", l => l.U32(20, 2),
                _ => "invalid e_version 2 (expected 1 = EV_CURRENT)"),
            ("e_ehsize", l => l.U16(40, 64),
                _ => "e_ehsize is 64, expected 52"),
            ("e_phentsize", l => l.U16(42, 56),
                _ => "e_phentsize is 56, expected 32"),
            ("e_shentsize", l => l.U16(46, 64),
                _ => "e_shentsize is 64, expected 40"),
            ("e_phnum PN_XNUM", l => l.U16(44, 0xFFFF),
                _ => "e_phnum is PN_XNUM (0xffff), but section 0 sh_info 0x0 is not an extended count (>= 0xffff)"),
            ("e_phnum huge", l => l.U16(44, 0xFFFE),
                l => $"program header table extends past end of file (offset 0x{l.PhOff:x} + 65534 x 32 bytes = 0x{l.PhOff + 65534 * 32:x} > file size 0x{l.Len:x})"),
            ("e_phoff near 4 GiB", l => l.U32(28, 0xFFFFFFF0),
                l => $"program header table extends past end of file (offset 0xfffffff0 + {l.Elf.ProgramHeaders.Count} x 32 bytes = 0x{0xFFFFFFF0UL + (ulong)l.Elf.ProgramHeaders.Count * 32:x} > file size 0x{l.Len:x})"),
            ("e_shnum huge", l => l.U16(48, 0xFFFF),
                l => $"section header table extends past end of file (offset 0x{l.ShOff:x} + 65535 x 40 bytes = 0x{l.ShOff + 65535 * 40:x} > file size 0x{l.Len:x})"),
            ("e_shnum 0", l => l.U16(48, 0),
                l => $"e_shnum is 0 with e_shoff 0x{l.ShOff:x}, but section 0 sh_size 0x0 is not an extended count (>= 0xff00)"),
            ("e_shoff past end", l => l.U32(32, 0xFFFFFFFF),
                l => $"section header table extends past end of file (offset 0xffffffff + {l.Elf.Sections.Count} x 40 bytes = 0x{0xFFFFFFFFUL + (ulong)l.Elf.Sections.Count * 40:x} > file size 0x{l.Len:x})"),
            ("e_shoff 0", l => l.U32(32, 0),
                l => $"e_shnum is {l.Elf.Sections.Count} but e_shoff is 0"),
            ("e_shstrndx out of range", l => l.U16(50, 200),
                l => $"e_shstrndx 200 is out of range ({l.Elf.Sections.Count} sections)"),
            ("e_shstrndx reserved", l => l.U16(50, 0xFFF1),
                _ => "e_shstrndx 0xfff1 is a reserved section index"),
            ("e_shstrndx not a string table", l => l.U16(50, (ushort)l.Section(".text").Index),
                l => $"section {l.Section(".text").Index} (e_shstrndx): sh_type 0x1 is not SHT_STRTAB"),
            ("section names not NUL-terminated", l => l.File[l.Section(".shstrtab").Offset + l.Section(".shstrtab").Size - 1] = (byte)'x',
                l => $"section {l.Section(".shstrtab").Index} (e_shstrndx): string table does not end with a NUL byte"),
            ("entry outside code", l => l.U32(24, 0x12345678),
                _ => "entry point 0x12345678 is not inside an executable PT_LOAD segment"),
            ("entry misaligned", l => l.U32(24, l.Elf.Entry + 2),
                l => $"entry point 0x{l.Elf.Entry + 2:x} is neither a word-aligned ARM address nor a Thumb address (bit 0 set)"),
            ("entry in data", l => l.U32(24, l.Load(1).VirtualAddress),
                l => $"entry point 0x{l.Load(1).VirtualAddress:x} is not inside an executable PT_LOAD segment"),
            ("segment past end", l => l.U32(l.Ph(l.Load(1).Index) + 4, 0xFFFFFFFF),
                l => $"program header {l.Load(1).Index}: segment extends past end of file (offset 0xffffffff + size 0x{l.Load(1).FileSize:x} > file size 0x{l.Len:x})"),
            ("p_filesz > p_memsz", l => l.U32(l.Ph(l.Load(1).Index) + 16, l.Load(1).MemorySize + 1),
                l => $"program header {l.Load(1).Index}: p_filesz 0x{l.Load(1).MemorySize + 1:x} > p_memsz 0x{l.Load(1).MemorySize:x}"),
            ("segment wraps", l => l.U32(l.Ph(l.Load(1).Index) + 20, 0xFFFFFFFF),
                l => $"program header {l.Load(1).Index}: segment wraps past the top of the address space (p_vaddr 0x{l.Load(1).VirtualAddress:x} + p_memsz 0xffffffff)"),
            ("p_align not a power of two", l => l.U32(l.Ph(l.Load(1).Index) + 28, 0x1001),
                l => $"program header {l.Load(1).Index}: p_align 0x1001 is not a power of two"),
            ("p_vaddr incongruent", l => l.U32(l.Ph(l.Load(1).Index) + 8, l.Load(1).VirtualAddress + 4),
                l => $"program header {l.Load(1).Index}: p_vaddr 0x{l.Load(1).VirtualAddress + 4:x} and p_offset 0x{l.Load(1).Offset:x} differ modulo p_align 0x{l.Load(1).Align:x}"),
            ("PT_LOAD unsorted", l =>
                {
                    // Swap the two PT_LOAD entries.
                    var a = l.File.AsSpan(l.Ph(l.Load(0).Index), 32).ToArray();
                    l.File.AsSpan(l.Ph(l.Load(1).Index), 32).CopyTo(l.File.AsSpan(l.Ph(l.Load(0).Index)));
                    a.CopyTo(l.File.AsSpan(l.Ph(l.Load(1).Index)));
                },
                l => $"program header {l.Load(1).Index}: PT_LOAD segments are not sorted by p_vaddr (0x{l.Load(0).VirtualAddress:x} follows 0x{l.Load(1).VirtualAddress:x} of program header {l.Load(0).Index})"),
            ("PT_LOAD overlap", l => l.U32(l.Ph(l.Load(0).Index) + 20, l.Load(1).VirtualAddress + 1),
                l => $"program header {l.Load(1).Index}: PT_LOAD segment at 0x{l.Load(1).VirtualAddress:x} overlaps program header {l.Load(0).Index} (0x{l.Load(0).VirtualAddress:x}-0x{l.Load(1).VirtualAddress:x})"),
            ("no PT_LOAD", l => { l.U32(l.Ph(l.Load(0).Index), 4); l.U32(l.Ph(l.Load(1).Index), 4); },
                _ => "no PT_LOAD segment: nothing to load"),
            ("interpreter not NUL-terminated", l => l.File[l.Elf.InterpreterHeader!.Offset + l.Elf.InterpreterHeader.FileSize - 1] = (byte)'x',
                l => $"program header {l.Elf.InterpreterHeader!.Index}: PT_INTERP path is not NUL-terminated"),
            ("interpreter empty", l => l.File[l.Elf.InterpreterHeader!.Offset] = 0,
                l => $"program header {l.Elf.InterpreterHeader!.Index}: PT_INTERP path is empty"),
            ("interpreter huge", l => l.U32(l.Ph(l.Elf.InterpreterHeader!.Index) + 16, 0x1001),
                l => $"program header {l.Elf.InterpreterHeader!.Index}: PT_INTERP size 0x1001 is not between 2 and 0x1000"),
            ("second PT_INTERP", l => l.U32(l.Ph(l.Elf.GnuStackHeader!.Index), 3),
                l => $"program header {l.Elf.GnuStackHeader!.Index}: second PT_INTERP (the first is program header {l.Elf.InterpreterHeader!.Index})"),
            ("PT_PHDR after PT_LOAD", l =>
                {
                    l.U32(l.Ph(l.Elf.PhdrHeader!.Index), 0x6474E551);   // the old PT_PHDR becomes a harmless PT_GNU_STACK...
                    l.U32(l.Ph(l.Elf.GnuStackHeader!.Index), 6);         // ...and the old PT_GNU_STACK (after the loads) a PT_PHDR
                },
                l => $"program header {l.Elf.GnuStackHeader!.Index}: PT_PHDR follows a PT_LOAD (the gABI requires it to precede them)"),
            ("second PT_DYNAMIC", l => l.U32(l.Ph(l.Elf.GnuStackHeader!.Index), 2),
                l => $"program header {l.Elf.GnuStackHeader!.Index}: second PT_DYNAMIC (the first is program header {l.Elf.DynamicHeader!.Index})"),
            ("section data past end", l => l.U32(l.Sh(".symtab") + 20, 0xFFFFFFFF),
                l => $"section {l.Section(".symtab").Index} (.symtab): data extends past end of file (offset 0x{l.Section(".symtab").Offset:x} + size 0xffffffff > file size 0x{l.Len:x})"),
            ("section offset past end", l => l.U32(l.Sh(".text") + 16, 0xFFFFFFF0),
                l => $"section {l.Section(".text").Index} (.text): data extends past end of file (offset 0xfffffff0 + size 0x{l.Section(".text").Size:x} > file size 0x{l.Len:x})"),
            ("section name out of range", l => l.U32(l.Sh(".text"), 0x10000),
                l => $"section {l.Section(".text").Index}: sh_name 0x10000 is out of range (string table section {l.Section(".shstrtab").Index} has size 0x{l.Section(".shstrtab").Size:x})"),
            ("section 0 not null", l => l.U32((int)l.ShOff + 4, 1),
                _ => "section 0: sh_type 0x1, expected SHT_NULL"),
            ("sh_link out of range", l => l.U32(l.Sh(".dynsym") + 24, 99),
                l => $"section {l.Section(".dynsym").Index} (.dynsym): sh_link 99 is out of range ({l.Elf.Sections.Count} sections)"),
            ("sh_addralign", l => l.U32(l.Sh(".text") + 32, 6),
                l => $"section {l.Section(".text").Index} (.text): sh_addralign 0x6 is not a power of two"),
            ("symtab entsize", l => l.U32(l.Sh(".symtab") + 36, 24),
                l => $"section {l.Section(".symtab").Index} (.symtab): sh_entsize 24, expected 16 for a symbol table"),
            ("symtab size", l => l.U32(l.Sh(".symtab") + 20, l.Section(".symtab").Size - 8),
                l => $"section {l.Section(".symtab").Index} (.symtab): sh_size 0x{l.Section(".symtab").Size - 8:x} is not a multiple of 16"),
            ("symtab sh_info", l => l.U32(l.Sh(".symtab") + 28, 100000),
                l => $"section {l.Section(".symtab").Index} (.symtab): sh_info 100000 (first non-local symbol) is past the {l.Section(".symtab").Size / 16} symbols"),
            ("symtab linked to non-string table", l => l.U32(l.Sh(".symtab") + 24, (uint)l.Section(".text").Index),
                l => $"section {l.Section(".text").Index} (.text, string table of .symtab): sh_type 0x1 is not SHT_STRTAB"),
            ("symtab without string table", l => l.U32(l.Sh(".symtab") + 24, 0),
                l => $"section {l.Section(".symtab").Index} (.symtab): sh_link is 0, no string table for the symbol names"),
            ("second symtab", l => l.U32(l.Sh(".dynsym") + 4, 2),
                l => $"section {l.Section(".symtab").Index} (.symtab): second SHT_SYMTAB (the first is section {l.Section(".dynsym").Index})"),
            ("symbol name out of range", l => l.U32(l.Sym(".symtab", 5), 0x7FFFFFFF),
                l => $"section {l.Section(".symtab").Index} (.symtab) symbol 5: st_name 0x7fffffff is out of range (string table section {l.Section(".strtab").Index} has size 0x{l.Section(".strtab").Size:x})"),
            ("symbol name just past the table", l => l.U32(l.Sym(".dynsym", 3), l.Section(".dynstr").Size),
                l => $"section {l.Section(".dynsym").Index} (.dynsym) symbol 3: st_name 0x{l.Section(".dynstr").Size:x} is out of range (string table section {l.Section(".dynstr").Index} has size 0x{l.Section(".dynstr").Size:x})"),
            ("symbol names not NUL-terminated", l => l.File[l.Section(".strtab").Offset + l.Section(".strtab").Size - 1] = (byte)'x',
                l => $"section {l.Section(".strtab").Index} (.strtab, string table of .symtab): string table does not end with a NUL byte"),
            ("symbol section out of range", l => l.U16(l.Sym(".symtab", 5) + 14, 100),
                l => $"section {l.Section(".symtab").Index} (.symtab) symbol 5: st_shndx 100 is out of range ({l.Elf.Sections.Count} sections)"),
            ("symbol SHN_XINDEX without table", l => l.U16(l.Sym(".symtab", 5) + 14, 0xFFFF),
                l => $"section {l.Section(".symtab").Index} (.symtab) symbol 5: st_shndx is SHN_XINDEX but no SHT_SYMTAB_SHNDX section belongs to this table"),
        ];
        return rows.Select(r => new object[] { r.Item1, r.Item2, r.Item3 });
    }

    [Theory]
    [MemberData(nameof(Damages), DisableDiscoveryEnumeration = true)]
#pragma warning disable xUnit1026 // name is only for the test's display name
    public void DamageIsNamedExactly(string name, Action<Layout> damage, Func<Layout, string> expected)
#pragma warning restore xUnit1026
    {
        var layout = new Layout();
        damage(layout);
        Assert.Equal(expected(layout), ParseOrReject(layout.File, name));
    }

    [Fact]
    public void ExtendedNumberingIsHonoured()
    {
        // gABI: e_phnum PN_XNUM takes the count from section 0's sh_info. Setting the real
        // count there (below 0xffff) is still wrong, but with a message about that field.
        var l = new Layout();
        l.U16(44, 0xFFFF);
        l.U32((int)l.ShOff + 28, 0x10000);
        Assert.Equal($"program header table extends past end of file (offset 0x{l.PhOff:x} + 65536 x 32 bytes = 0x{l.PhOff + 0x10000 * 32:x} > file size 0x{l.Len:x})",
            ParseOrReject(l.File, "PN_XNUM"));

        // e_shstrndx SHN_XINDEX: the index is in section 0's sh_link.
        l = new Layout();
        l.U16(50, 0xFFFF);
        l.U32((int)l.ShOff + 24, (uint)l.Section(".shstrtab").Index);
        Assert.Equal("e_shstrndx is SHN_XINDEX (0xffff), but section 0 sh_link 0x" + l.Section(".shstrtab").Index.ToString("x") + " is not an extended index (>= 0xff00)",
            ParseOrReject(l.File, "SHN_XINDEX"));
    }

    [Fact]
    public void StrippedFileWithoutSectionsStillLoads()
    {
        var l = new Layout();
        l.U32(32, 0);   // e_shoff
        l.U16(48, 0);   // e_shnum
        l.U16(50, 0);   // e_shstrndx
        var elf = ElfFile.Parse(l.File);
        Assert.Empty(elf.Sections);
        Assert.Empty(elf.Symbols);
        Assert.Null(elf.SymbolAt(elf.EntryAddress));
        Assert.Equal("/lib/ld-linux.so.3", elf.Interpreter);
    }

    private static string Reject(ReadOnlyMemory<byte> data) =>
        ParseOrReject(data, "case") ?? throw new Xunit.Sdk.XunitException("accepted");

    private static uint ReadU32(byte[] b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset));

    private static ushort ReadU16(byte[] b, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(offset));
}
