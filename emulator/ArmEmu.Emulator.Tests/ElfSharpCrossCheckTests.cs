using ArmEmu.Emulator.Loaders;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using static ArmEmu.Emulator.Tests.ElfTestBinaries;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// ELFSharp's own view of a file against <see cref="ElfFile"/>'s, which is built from ELFSharp's
/// reading behind <see cref="ElfGuard"/>'s checks: on executables of every kind (static, Thumb,
/// PIE, dynamic, bare metal) and on the Debian armel libc, both have the same sections, segments
/// and symbols, field by field, so the guard and the records lose nothing ELFSharp read.
/// </summary>
public sealed class ElfSharpCrossCheckTests
{
    public static IEnumerable<object[]> Files()
    {
        foreach (object[] kind in ExecutableKinds()) yield return kind;
        if (File.Exists(ArmelLibc)) yield return ["libc"];
    }

    private const string ArmelLibc = "/usr/arm-linux-gnueabi/lib/libc.so.6";

    [Theory]
    [MemberData(nameof(Files))]
    public void ElfFile_reads_what_ELFSharp_reads(string kind)
    {
        byte[] data = kind == "libc" ? File.ReadAllBytes(ArmelLibc) : Bytes(kind);
        var ours = ElfFile.Parse(data);
        using var stream = new MemoryStream(data);
        using var theirs = ELFReader.Load<uint>(stream, shouldOwnStream: false);

        Assert.Equal(theirs.Sections.Count, ours.Sections.Count);
        for (int i = 0; i < ours.Sections.Count; i++)
        {
            var (o, t) = (ours.Sections[i], theirs.Sections[i]);
            Assert.Equal((t.Name, (uint)t.Type, (uint)t.Flags, t.LoadAddress, t.Offset, t.Size, t.Alignment, t.EntrySize),
                         (o.Name, (uint)o.Type, (uint)o.Flags, o.Address, o.Offset, o.Size, o.AddressAlign, o.EntrySize));
        }

        Assert.Equal(theirs.Segments.Count, ours.ProgramHeaders.Count);
        for (int i = 0; i < ours.ProgramHeaders.Count; i++)
        {
            var (o, t) = (ours.ProgramHeaders[i], theirs.Segments[i]);
            Assert.Equal(((uint)t.Type, t.Offset, t.Address, t.PhysicalAddress, t.FileSize, t.Size, (uint)t.Flags, t.Alignment),
                         ((uint)o.Type, o.Offset, o.VirtualAddress, o.PhysicalAddress, o.FileSize, o.MemorySize, (uint)o.Flags, o.Align));
        }

        int compared = 0;
        foreach (var table in theirs.Sections.OfType<SymbolTable<uint>>())
        {
            var which = table.Type == ELFSharp.ELF.Sections.SectionType.DynamicSymbolTable ? SymbolTable.Dynamic : SymbolTable.Static;
            var entries = table.Entries.ToList();
            var mine = ours.Symbols.Where(s => s.Table == which).ToList();
            Assert.Equal(entries.Count - 1, mine.Count); // ElfFile leaves out the null symbol at index 0
            foreach (var s in mine)
            {
                var t = entries[s.Index];
                Assert.Equal((t.Name, t.Value, t.Size, (int)t.Type, (int)t.Binding, (int)t.Visibility, (uint)t.PointedSectionIndex),
                             (s.Name, s.Value, s.Size, (int)s.Type, (int)s.Binding, (int)s.Visibility, s.SectionIndex));
                compared++;
            }
        }
        Assert.Equal(ours.Symbols.Count, compared);
    }
}
