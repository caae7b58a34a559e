using System.Buffers.Binary;
using System.Diagnostics;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Loaders;
using static ArmEmu.Emulator.Tests.ElfTestBinaries;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// What ELFSharp would trip on, now that it reads the files under <see cref="ElfFile"/>, and
/// <see cref="ElfGuard"/> refuses first with one line naming the fault: section headers cut
/// short or counted past the file, string tables and name indices out of place, a symbol table
/// whose names ELFSharp would take from another table, damaged notes, and names whose reading
/// would cost the square of a string table. And what it must let through: a damaged PT_NOTE
/// (binfmt_elf ignores notes) and, for a program to run, damaged section headers.
/// </summary>
public sealed class ElfGuardTests
{
    private static readonly TimeSpan SlowCase = TimeSpan.FromSeconds(1);

    /// <summary>The dynamic PIE's bytes and where its parts are.</summary>
    private sealed class Layout
    {
        public readonly byte[] File = Bytes("dynamic-pie");
        public readonly ElfFile Elf;
        public readonly uint ShOff;

        public Layout()
        {
            Elf = ElfFile.Parse((byte[])File.Clone());
            ShOff = BinaryPrimitives.ReadUInt32LittleEndian(File.AsSpan(32));
        }

        public uint Len => (uint)File.Length;
        public ElfSection Section(string name) => Elf.FindSection(name)!;
        public int Sh(string name) => (int)ShOff + Section(name).Index * 40;
        public int Sym(string table, int index) => (int)Section(table).Offset + index * 16;
        public void U32(int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(File.AsSpan(offset), v);
        public void U16(int offset, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(File.AsSpan(offset), v);
    }

    /// <summary>The one-line message of the refusal (a failure if the file is accepted or anything else is thrown).</summary>
    private static string Reject(byte[] file, Func<ReadOnlyMemory<byte>, ElfFile>? parse = null)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            (parse ?? ElfFile.Parse)(file);
        }
        catch (ElfFormatException e)
        {
            Assert.True(clock.Elapsed < SlowCase, $"took {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(e.Message.All(c => c >= ' ' && c < 0x7F), $"not one printable line: {e.Message}");
            return e.Message;
        }
        throw new Xunit.Sdk.XunitException("accepted");
    }

    [Fact]
    public void SectionHeadersCutShortAreRefusedBeforeELFSharpReadsThem()
    {
        var l = new Layout();
        int count = l.Elf.Sections.Count;
        // The table is the file's last part: cut in the middle of its last entry, and of its first.
        foreach (int cut in new[] { (int)l.Len - 20, (int)l.ShOff + 20 })
            Assert.Equal($"section header table extends past end of file (offset 0x{l.ShOff:x} + {count} x 40 bytes = 0x{l.ShOff + count * 40:x} > file size 0x{cut:x})",
                Reject(l.File[..cut]));
    }

    [Fact]
    public void AnExtendedSectionCountPastTheFileIsRefused()
    {
        // gABI: e_shnum 0 takes the count from section 0's sh_size (ELFSharp reads that many headers).
        var l = new Layout();
        l.U16(48, 0);
        l.U32((int)l.ShOff + 20, 0x100000);
        Assert.Equal($"section header table extends past end of file (offset 0x{l.ShOff:x} + 1048576 x 40 bytes = 0x{l.ShOff + 0x100000UL * 40:x} > file size 0x{l.Len:x})",
            Reject(l.File));
    }

    [Fact]
    public void AnExtendedNameTableIndexNeedsTheExtendedCountToo()
    {
        // ELFSharp follows SHN_XINDEX to section 0's sh_link only when e_shnum is 0.
        var l = new Layout();
        l.U16(50, 0xFFFF);
        l.U32((int)l.ShOff + 24, 0xFF05);
        Assert.Equal($"e_shstrndx is SHN_XINDEX (0xffff) but e_shnum {l.Elf.Sections.Count} is not the extended escape 0", Reject(l.File));
    }

    [Fact]
    public void StringTablesOutsideTheFileAreRefused()
    {
        var l = new Layout();
        var strtab = l.Section(".strtab");
        l.U32(l.Sh(".strtab") + 16, l.Len - 4);
        Assert.Equal($"section {strtab.Index} (.strtab): data extends past end of file (offset 0x{l.Len - 4:x} + size 0x{strtab.Size:x} > file size 0x{l.Len:x})",
            Reject(l.File));

        l = new Layout();
        var names = l.Section(".shstrtab");
        l.U32(l.Sh(".shstrtab") + 16, 0xFFFFFF00);
        Assert.Equal($"section {names.Index} (e_shstrndx): string table extends past end of file (offset 0xffffff00 + size 0x{names.Size:x} > file size 0x{l.Len:x})",
            Reject(l.File));
    }

    [Fact]
    public void NameIndicesOutsideTheirTableAreRefused()
    {
        // Section 0's sh_name too: ELFSharp looks it up like any other.
        var l = new Layout();
        var names = l.Section(".shstrtab");
        l.U32((int)l.ShOff, 0x40000000);
        Assert.Equal($"section 0: sh_name 0x40000000 is out of range (string table section {names.Index} has size 0x{names.Size:x})", Reject(l.File));

        // Symbol 0 (the reserved entry) too.
        l = new Layout();
        var dynstr = l.Section(".dynstr");
        l.U32(l.Sym(".dynsym", 0), 0xFFFFFFFF);
        Assert.Equal($"section {l.Section(".dynsym").Index} (.dynsym) symbol 0: st_name 0xffffffff is out of range (string table section {dynstr.Index} has size 0x{dynstr.Size:x})",
            Reject(l.File));
    }

    [Fact]
    public void SymbolNamesFromAnotherTableThanSectionLinkAreRefused()
    {
        // .symtab linked to .dynstr: ELFSharp would still read its names from .strtab.
        var l = new Layout();
        var symtab = l.Section(".symtab");
        l.U32(l.Sh(".symtab") + 24, (uint)l.Section(".dynstr").Index);
        Assert.Equal($"section {symtab.Index} (.symtab): sh_link {l.Section(".dynstr").Index} is not the one section called .strtab, where ELFSharp reads the symbol names",
            Reject(l.File));

        // .shstrtab called .strtab as well: with two, ELFSharp would have no names for .symtab at all.
        l = new Layout();
        l.U32(l.Sh(".shstrtab"), BinaryPrimitives.ReadUInt32LittleEndian(l.File.AsSpan(l.Sh(".strtab"))));
        Assert.Equal($"section {symtab.Index} (.symtab): sh_link {l.Section(".strtab").Index} is not the one section called .strtab, where ELFSharp reads the symbol names",
            Reject(l.File));
    }

    [Fact]
    public void ASectionCalledStrtabMustBeAStringTable()
    {
        // ELFSharp casts the section called .strtab to a string table.
        var l = new Layout();
        var strtab = l.Section(".strtab");
        l.U32(l.Sh(".strtab") + 4, 1);   // SHT_PROGBITS
        Assert.Equal($"section {strtab.Index} (.strtab): sh_type 0x1 is not SHT_STRTAB", Reject(l.File));
    }

    [Fact]
    public void ADamagedNoteSectionIsRefused()
    {
        var l = new Layout();
        var note = l.Elf.Sections.First(s => s.Type == SectionType.Note);
        l.U32((int)note.Offset + 4, 0x7FFFFFFF);   // descsz
        Assert.Equal($"section {note.Index} ({note.Name}): note (namesz 0x4, descsz 0x7fffffff) runs past the end of the section (sh_size 0x{note.Size:x})",
            Reject(l.File));
    }

    [Fact]
    public void ADamagedNoteSegmentIsAcceptedAsBinfmtElfDoes()
    {
        var l = new Layout();
        var note = l.Elf.ProgramHeaders.First(p => p.Type == SegmentType.Note);
        l.U32((int)note.Offset, 0xFFFFFFF0);        // namesz
        var notes = l.Elf.Sections.Where(s => s.Type == SectionType.Note && s.Offset == note.Offset).ToList();
        foreach (var s in notes) l.U32(l.Sh(s.Name) + 4, (uint)SectionType.ProgBits);   // the section over it no longer a note
        var elf = ElfFile.Parse(l.File);
        Assert.Equal(SegmentType.Note, elf.ProgramHeaders[note.Index].Type);
        Assert.Equal(note.FileSize, elf.ProgramHeaders[note.Index].FileSize);
    }

    [Fact]
    public void NamesThatWouldCostTheSquareOfAStringTableAreRefusedAtOnce()
    {
        // The static program's .strtab made one run of non-NUL bytes, and every symbol named from a
        // different place in it: ELFSharp would scan from each index to the table's end.
        byte[] file = Bytes("static");
        var elf = ElfFile.Parse((byte[])file.Clone());
        var strtab = elf.FindSection(".strtab")!;
        var symtab = elf.FindSection(".symtab")!;
        file.AsSpan((int)strtab.Offset + 1, (int)strtab.Size - 2).Fill((byte)'A');
        for (uint i = 1; i < symtab.Size / 16; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)(symtab.Offset + i * 16)), 1 + i % (strtab.Size - 2));
        string message = Reject(file);
        Assert.StartsWith($"section {symtab.Index} (.symtab) symbol ", message);
        Assert.EndsWith($"the names of this file would take more than 0x{Math.Max(1L << 20, 4L * file.Length):x} bytes of string table to read; its string tables or name indices are damaged",
            message);
    }

    [Fact]
    public void AProgramWithDamagedSectionHeadersIsReadForExecution()
    {
        // binfmt_elf reads neither the section headers nor e_version; ELFSharp is not shown them.
        var l = new Layout();
        l.U32(20, 7);                              // e_version
        l.U32(l.Sh(".symtab") + 20, 0xFFFFFFFF);   // .symtab's size
        Assert.Equal("invalid e_version 7 (expected 1 = EV_CURRENT)", Reject(l.File));
        var elf = ElfFile.ParseForExecution(l.File);
        Assert.Empty(elf.Sections);
        Assert.Empty(elf.Symbols);
        Assert.Equal(l.Elf.ProgramHeaders.Select(p => (p.Type, p.Offset, p.VirtualAddress, p.FileSize, p.MemorySize, p.Flags)),
                     elf.ProgramHeaders.Select(p => (p.Type, p.Offset, p.VirtualAddress, p.FileSize, p.MemorySize, p.Flags)));
        Assert.Equal("/lib/ld-linux.so.3", elf.Interpreter);
        Assert.Equal(l.Elf.Entry, elf.Entry);
    }

    [Fact]
    public void TheLoadersParseReadsTheSectionHeadersOnlyWhenAsked()
    {
        // A sound file: the same as the strict parse, sections and symbols included, read on first use.
        var sound = new Layout();
        var strict = ElfFile.Parse(sound.File);
        var loading = ElfFile.ParseForLoading(sound.File);
        Assert.Equal(strict.ProgramHeaders, loading.ProgramHeaders);
        Assert.Equal((strict.Entry, strict.Flags, strict.Interpreter), (loading.Entry, loading.Flags, loading.Interpreter));
        Assert.Equal(strict.Symbols, loading.Symbols);        // the symbols ask for the sections first
        Assert.Equal(strict.Sections, loading.Sections);
        Assert.NotEmpty(loading.Sections);

        // Damaged section headers: the program still loads, as with ParseForExecution, and has none.
        var damaged = new Layout();
        damaged.U32(damaged.Sh(".symtab") + 20, 0xFFFFFFFF);
        Assert.StartsWith("section ", Reject(damaged.File));
        var elf = ElfFile.ParseForLoading(damaged.File);
        Assert.Empty(elf.Sections);
        Assert.Empty(elf.Symbols);
        Assert.Equal(strict.ProgramHeaders.Count, elf.ProgramHeaders.Count);
        // The CPU model's attributes are found by their section header alone, the rest unread.
        Assert.NotNull(ArmAttributes.CpuArch(strict));
        Assert.Equal(ArmAttributes.CpuArch(strict), ArmAttributes.CpuArch(elf));

        // A file neither parse accepts is refused with the strict parse's words.
        var broken = new Layout();
        broken.U32(20, 7);                                           // e_version: only the strict parse looks
        broken.U32(28, (uint)broken.File.Length);                    // e_phoff past the end
        var refusal = Assert.Throws<ElfFormatException>(() => ElfFile.ParseForLoading(broken.File));
        Assert.Equal(Reject(broken.File), refusal.Message);
    }

    [Fact]
    public void TheProgramReadToChooseTheCpuIsTheOneTheKernelLoads()
    {
        string directory = Directory.CreateTempSubdirectory("armemu-elf-").FullName;
        string path = Path.Combine(directory, "program");
        try
        {
            byte[] original = Bytes("static");
            var when = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.WriteAllBytes(path, original);
            File.SetLastWriteTimeUtc(path, when);
            Assert.Equal("arm926", ArmAttributes.ModelFor(path).Name);

            // A byte changed behind its back, the file's size and time kept: the kernel's read takes
            // what ModelFor parsed (the file is read once)...
            byte[] changed = (byte[])original.Clone();
            changed[^1] ^= 0xFF;
            File.WriteAllBytes(path, changed);
            File.SetLastWriteTimeUtc(path, when);
            Assert.Equal(original, ExecImage.ReadElf(path, "program").Data.ToArray());
            // ...once: the next read is the file's again.
            Assert.Equal(changed, ExecImage.ReadElf(path, "program").Data.ToArray());

            // Changed with a new time (as any write leaves it): read again.
            ArmAttributes.ModelFor(path);
            File.WriteAllBytes(path, original);
            File.SetLastWriteTimeUtc(path, when.AddSeconds(1));
            Assert.Equal(original, ExecImage.ReadElf(path, "program").Data.ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
