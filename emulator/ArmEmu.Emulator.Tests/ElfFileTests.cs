using System.Buffers.Binary;
using ArmEmu.Emulator.Loaders;
using static ArmEmu.Emulator.Tests.ElfTestBinaries;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// <see cref="ElfFile"/> on real executables from the GNU toolchain, checked field by
/// field against what binutils' readelf reports for the same file.
/// </summary>
public class ElfFileTests
{
    [Theory]
    [MemberData(nameof(ExecutableKinds), MemberType = typeof(ElfTestBinaries))]
    public void HeaderMatchesReadElf(string kind)
    {
        var elf = ElfFile.Load(PathOf(kind));
        var re = RunReadElf(PathOf(kind));

        Assert.Equal(re.Type, elf.Type switch { ElfType.Executable => "EXEC", ElfType.SharedObject => "DYN", _ => "?" });
        Assert.Equal(re.Entry, elf.Entry);
        Assert.Equal(re.Flags, elf.Flags);
        Assert.Equal(5, elf.EabiVersion);
        Assert.Equal(re.Interpreter, elf.Interpreter);
    }

    [Theory]
    [MemberData(nameof(ExecutableKinds), MemberType = typeof(ElfTestBinaries))]
    public void ProgramHeadersMatchReadElf(string kind)
    {
        var elf = ElfFile.Load(PathOf(kind));
        var re = RunReadElf(PathOf(kind));

        Assert.NotEmpty(re.Segments);
        Assert.Equal(re.Segments.Count, elf.ProgramHeaders.Count);
        for (int i = 0; i < re.Segments.Count; i++)
        {
            var r = re.Segments[i];
            var p = elf.ProgramHeaders[i];
            Assert.Equal(i, p.Index);
            Assert.Equal(r.Type, SegmentTypeName(p.Type));
            Assert.Equal((r.Offset, r.VirtAddr, r.PhysAddr, r.FileSize, r.MemSize, r.Align),
                (p.Offset, p.VirtualAddress, p.PhysicalAddress, p.FileSize, p.MemorySize, p.Align));
            Assert.Equal(r.Flags, FlagsText(p.Flags));
        }
        Assert.Equal(elf.ProgramHeaders.Where(p => p.Type == SegmentType.Load), elf.LoadSegments);
    }

    [Theory]
    [MemberData(nameof(ExecutableKinds), MemberType = typeof(ElfTestBinaries))]
    public void SectionsMatchReadElf(string kind)
    {
        var elf = ElfFile.Load(PathOf(kind));
        var re = RunReadElf(PathOf(kind));

        Assert.NotEmpty(re.Sections);
        Assert.Equal(re.Sections.Count, elf.Sections.Count);
        foreach (var r in re.Sections)
        {
            var s = elf.Sections[r.Index];
            Assert.Equal(r.Name.Trim(), s.Name);
            Assert.Equal(r.Type, SectionTypeName(s.Type));
            Assert.Equal((r.Address, r.Offset, r.Size, r.EntSize, r.Link, r.Info, r.Align),
                (s.Address, s.Offset, s.Size, s.EntrySize, s.Link, s.Info, s.AddressAlign));
        }
    }

    [Theory]
    [MemberData(nameof(ExecutableKinds), MemberType = typeof(ElfTestBinaries))]
    public void SymbolsMatchReadElf(string kind)
    {
        var elf = ElfFile.Load(PathOf(kind));
        var re = RunReadElf(PathOf(kind));

        // readelf lists each table's null entry 0; ElfFile leaves it out.
        var expected = re.Symbols.Where(s => s.Index != 0).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, elf.Symbols.Count);
        var ours = elf.Symbols.ToDictionary(s => (s.Table == SymbolTable.Static ? ".symtab" : ".dynsym", s.Index));
        foreach (var r in expected)
        {
            var s = ours[(r.Table, r.Index)];
            // readelf shows a section symbol (st_name 0) under its section's name.
            Assert.Equal(r.Name, s.Type == SymbolType.Section && s.Name == "" ? elf.Sections[(int)s.SectionIndex].Name : s.Name);
            Assert.Equal((r.Value, r.Size), (s.Value, s.Size));
            Assert.Equal(r.Type, SymbolTypeName(s.Type));
            Assert.Equal(r.Bind, s.Binding.ToString().ToUpperInvariant());
            Assert.Equal(r.Vis, s.Visibility.ToString().ToUpperInvariant());
            Assert.Equal(r.Ndx, s.SectionIndex switch { 0 => "UND", 0xFFF1 => "ABS", 0xFFF2 => "COM", var n => n.ToString() });
        }
    }

    [Theory]
    [MemberData(nameof(ExecutableKinds), MemberType = typeof(ElfTestBinaries))]
    public void MappingSymbolsAreExactlyTheDollarATDSymbols(string kind)
    {
        var elf = ElfFile.Load(PathOf(kind));
        var re = RunReadElf(PathOf(kind));

        var expected = re.Symbols
            .Where(s => s.Table == ".symtab" && s.Type is not ("FUNC" or "IFUNC") && s.Bind == "LOCAL" && s.Ndx != "UND"
                && (s.Name is "$a" or "$t" or "$d" || s.Name.StartsWith("$a.") || s.Name.StartsWith("$t.") || s.Name.StartsWith("$d.")))
            .Select(s => (s.Value, s.Name[1]))
            .Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, elf.MappingSymbols.Select(m => (m.Address, "atd"[(int)m.Kind])).Order().ToList());
        Assert.Equal(elf.MappingSymbols.OrderBy(m => m.Address).Select(m => m.Address), elf.MappingSymbols.Select(m => m.Address));
        // Not functions, and not found by name.
        Assert.Null(elf.FindSymbol("$a"));
        Assert.Null(elf.FindSymbol("$d"));
        Assert.All(elf.Symbols.Where(s => s.Name.StartsWith('$')), s => Assert.False(s.IsCode));
    }

    [Theory]
    [InlineData("static", false)]
    [InlineData("static-thumb", true)]
    [InlineData("dynamic-pie", false)]
    [InlineData("dynamic-nopie", false)]
    public void ArmAndThumbFunctions(string kind, bool mainIsThumb)
    {
        var elf = ElfFile.Load(PathOf(kind));
        var re = RunReadElf(PathOf(kind));
        uint ReadElfValue(string name) => re.Symbols.Single(s => s.Table == ".symtab" && s.Name == name).Value;

        var arm = elf.FindSymbol("add_arm")!;
        Assert.Equal(SymbolType.Func, arm.Type);
        Assert.False(arm.IsThumb);
        Assert.Equal(ReadElfValue("add_arm"), arm.Value);
        Assert.Equal(0u, arm.Value & 3);
        Assert.Equal(arm.Value, arm.Address);

        // AAELF32: bit 0 of a Thumb function's st_value is set, and is not part of the address.
        var thumb = elf.FindSymbol("add_thumb")!;
        Assert.True(thumb.IsThumb);
        Assert.Equal(ReadElfValue("add_thumb"), thumb.Value);
        Assert.Equal(1u, thumb.Value & 1);
        Assert.Equal(thumb.Value - 1, thumb.Address);

        var main = elf.FindSymbol("main")!;
        Assert.Equal(mainIsThumb, main.IsThumb);
        Assert.Equal(SymbolBinding.Global, main.Binding);

        Assert.Same(arm, elf.SymbolAt(arm.Address));
        Assert.Same(arm, elf.SymbolAt(arm.Address + arm.Size - 1));
        Assert.Same(thumb, elf.SymbolAt(thumb.Address + 2));
        Assert.Same(main, elf.SymbolAt(main.Address + main.Size / 2));
        Assert.NotSame(thumb, elf.SymbolAt(thumb.Address + thumb.Size));

        Assert.Equal(MappingKind.Arm, elf.MappingKindAt(arm.Address));
        Assert.Equal(MappingKind.Thumb, elf.MappingKindAt(thumb.Address));
        Assert.Equal(mainIsThumb ? MappingKind.Thumb : MappingKind.Arm, elf.MappingKindAt(main.Address));

        var data = elf.FindSymbol("global_data")!;
        Assert.Equal(SymbolType.Object, data.Type);
        Assert.Equal(data.Value, data.Address);   // only code symbols carry a Thumb bit
        Assert.Null(elf.SymbolAt(data.Address));
        Assert.Null(elf.FindSymbol("no_such_symbol"));
    }

    [Fact]
    public void StaticExecutable()
    {
        var elf = ElfFile.Load(PathOf("static"));
        Assert.Equal(ElfType.Executable, elf.Type);
        Assert.Null(elf.Interpreter);
        Assert.Null(elf.DynamicHeader);
        Assert.True(elf.IsSoftFloatAbi);
        Assert.False(elf.IsHardFloatAbi);
        Assert.False(elf.EntryIsThumb);
        Assert.Same(elf.FindSymbol("_start"), elf.SymbolAt(elf.EntryAddress));

        // __thread data: .tdata in the file, .tbss only in memory.
        var tls = elf.TlsHeader!;
        Assert.True(tls.MemorySize > tls.FileSize);
        Assert.Contains(elf.LoadSegments, p => p.Contains(tls.VirtualAddress));
        Assert.Equal(SegmentFlags.Read | SegmentFlags.Write, elf.GnuStackHeader!.Flags);
        Assert.NotNull(elf.ArmExidxHeader);
        Assert.Equal(2, elf.LoadSegments.Count);
        Assert.Equal(SegmentFlags.Read | SegmentFlags.Execute, elf.LoadSegments[0].Flags);

        // Segment bytes are the file's bytes at p_offset.
        byte[] file = File.ReadAllBytes(PathOf("static"));
        var data = elf.LoadSegments[1];
        Assert.Equal(file.AsSpan((int)data.Offset, (int)data.FileSize).ToArray(), elf.SegmentData(data).ToArray());
        // The instructions of _start as the section table locates them.
        var text = elf.FindSection(".text")!;
        var start = elf.FindSymbol("_start")!;
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)(text.Offset + start.Address - text.Address))),
            BinaryPrimitives.ReadUInt32LittleEndian(elf.SectionData(text)[(int)(start.Address - text.Address)..]));
        Assert.True(elf.SectionData(elf.FindSection(".bss")!).IsEmpty);
    }

    [Fact]
    public void DynamicPie()
    {
        var elf = ElfFile.Load(PathOf("dynamic-pie"));
        Assert.Equal(ElfType.SharedObject, elf.Type);
        Assert.Equal("/lib/ld-linux.so.3", elf.Interpreter);
        Assert.Equal("/lib/ld-linux.so.3\0"u8.ToArray(), elf.SegmentData(elf.InterpreterHeader!).ToArray());
        Assert.NotNull(elf.PhdrHeader);
        Assert.NotNull(elf.DynamicHeader);
        // The undefined libc function is in .dynsym (and .symtab), never a "function at" anything.
        var printf = elf.Symbols.First(s => s.Table == SymbolTable.Dynamic && s.Name == "printf");
        Assert.False(printf.IsDefined);
        Assert.Equal(SymbolType.Func, printf.Type);
        Assert.Contains(elf.Symbols, s => s.Table == SymbolTable.Static && s.Name == "main");
    }

    [Fact]
    public void DynamicNonPie()
    {
        var elf = ElfFile.Load(PathOf("dynamic-nopie"));
        Assert.Equal(ElfType.Executable, elf.Type);
        Assert.Equal("/lib/ld-linux.so.3", elf.Interpreter);
        Assert.NotEqual(0u, elf.Entry);
    }

    [Fact]
    public void StaticPie()
    {
        var elf = ElfFile.Load(PathOf("static-pie"));
        Assert.Equal(ElfType.SharedObject, elf.Type);
        Assert.Null(elf.Interpreter);
        Assert.NotNull(elf.DynamicHeader);
        Assert.Equal(elf.FindSymbol("_start")!.Value, elf.Entry);
        Assert.True(elf.FindSymbol("add_thumb")!.IsThumb);
    }

    [Fact]
    public void BareMetalImageWithThumbEntry()
    {
        var elf = ElfFile.Load(PathOf("bare-metal"));
        Assert.Equal(ElfType.Executable, elf.Type);
        Assert.True(elf.EntryIsThumb);
        Assert.Equal(0x8001u, elf.Entry);
        Assert.Equal(0x8000u, elf.EntryAddress);
        var start = elf.FindSymbol("_start")!;
        Assert.True(start.IsThumb);
        Assert.Equal(elf.EntryAddress, start.Address);
        Assert.Equal(MappingKind.Thumb, elf.MappingKindAt(0x8000));
        var armFunc = elf.FindSymbol("arm_func")!;
        Assert.Equal(MappingKind.Arm, elf.MappingKindAt(armFunc.Address));
        Assert.Same(armFunc, elf.SymbolAt(armFunc.Address));
        // _start has no .size: it reaches up to the next function.
        Assert.Same(start, elf.SymbolAt(0x8004));
        Assert.Null(elf.SymbolAt(0x7FFC));
    }

    [Fact]
    public void ParseFromByteArrayEqualsLoad()
    {
        byte[] bytes = Bytes("static-thumb");
        var a = ElfFile.Parse(bytes);
        var b = ElfFile.Load(PathOf("static-thumb"));
        Assert.Equal(a.ProgramHeaders, b.ProgramHeaders);
        Assert.Equal(a.Sections, b.Sections);
        Assert.Equal(a.Symbols, b.Symbols);
        Assert.Equal(a.MappingSymbols, b.MappingSymbols);
    }

    [Fact]
    public void DataAccessorsRefuseHeadersOfAnotherFile()
    {
        var a = ElfFile.Load(PathOf("static"));
        var b = ElfFile.Load(PathOf("dynamic-pie"));
        Assert.Throws<ArgumentException>(() => { _ = a.SegmentData(b.ProgramHeaders[1]); });
        Assert.Throws<ArgumentException>(() => { _ = a.SectionData(b.Sections[3]); });
        Assert.Throws<ArgumentException>(() => { _ = a.SectionData(a.Sections[3] with { Index = -1 }); });
    }

    [Fact]
    public void MissingFileIsAnIOErrorOnOneLine()
    {
        string path = Path.Combine(Path.GetTempPath(), "armemu-no-such-file-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<IOException>(() => ElfFile.Load(path));
        Assert.StartsWith($"cannot read {path}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void RelocatableObjectIsNotAnExecutable()
    {
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(Bytes("object")));
        Assert.Equal("not an executable: e_type 1 = ET_REL (relocatable object file)", e.Message);
    }

    [Fact]
    public void HostExecutableIsNotArm()
    {
        // The test host itself is an ELF for some other machine.
        string host = "/proc/self/exe";
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Load(host));
        Assert.StartsWith("not an ARM executable (e_machine ", e.Message);
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
            Assert.Equal("not an ARM executable (e_machine 62 = x86-64)", e.Message);
    }

    [Fact]
    public void TextFileIsNotElf()
    {
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse("#!/bin/sh\necho hi\n"u8.ToArray()));
        Assert.Equal("not an ELF file (bad magic 23212f62, expected 7f454c46)", e.Message);
        Assert.Equal("not an ELF file (empty file)", Assert.Throws<ElfFormatException>(() => ElfFile.Parse([])).Message);
    }

    private static string SegmentTypeName(SegmentType t) => t switch
    {
        SegmentType.Load => "LOAD",
        SegmentType.Dynamic => "DYNAMIC",
        SegmentType.Interp => "INTERP",
        SegmentType.Note => "NOTE",
        SegmentType.Phdr => "PHDR",
        SegmentType.Tls => "TLS",
        SegmentType.GnuEhFrame => "GNU_EH_FRAME",
        SegmentType.GnuStack => "GNU_STACK",
        SegmentType.GnuRelro => "GNU_RELRO",
        SegmentType.GnuProperty => "GNU_PROPERTY",
        SegmentType.ArmExidx => "EXIDX",
        _ => $"0x{(uint)t:x}",
    };

    private static string FlagsText(SegmentFlags f) =>
        $"{((f & SegmentFlags.Read) != 0 ? "R" : " ")}{((f & SegmentFlags.Write) != 0 ? "W" : " ")}{((f & SegmentFlags.Execute) != 0 ? "E" : " ")}".Trim();

    private static string SectionTypeName(SectionType t) => t switch
    {
        SectionType.Null => "NULL",
        SectionType.ProgBits => "PROGBITS",
        SectionType.SymTab => "SYMTAB",
        SectionType.StrTab => "STRTAB",
        SectionType.Rela => "RELA",
        SectionType.Hash => "HASH",
        SectionType.Dynamic => "DYNAMIC",
        SectionType.Note => "NOTE",
        SectionType.NoBits => "NOBITS",
        SectionType.Rel => "REL",
        SectionType.DynSym => "DYNSYM",
        SectionType.InitArray => "INIT_ARRAY",
        SectionType.FiniArray => "FINI_ARRAY",
        SectionType.PreInitArray => "PREINIT_ARRAY",
        SectionType.GnuHash => "GNU_HASH",
        SectionType.GnuVerSym => "VERSYM",
        SectionType.GnuVerNeed => "VERNEED",
        SectionType.GnuVerDef => "VERDEF",
        SectionType.ArmExidx => "ARM_EXIDX",
        SectionType.ArmAttributes => "ARM_ATTRIBUTES",
        _ => $"0x{(uint)t:x}",
    };

    private static string SymbolTypeName(SymbolType t) => t switch
    {
        SymbolType.NoType => "NOTYPE",
        SymbolType.GnuIFunc => "IFUNC",
        _ => t.ToString().ToUpperInvariant(),
    };
}
