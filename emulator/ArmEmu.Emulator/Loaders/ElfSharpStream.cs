using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// The stream ELFSharp reads a file through: the bytes already in memory (no second read of the
/// file, no copy of it), with some entries of the tables shown otherwise. ELFSharp reads the
/// whole file as it loads it, and can be told to leave out nothing; what it is not to read is
/// hidden from it instead:
/// <list type="bullet">
/// <item>Always, PT_NOTE entries read as PT_NULL. ELFSharp parses the notes of every PT_NOTE
///   segment and throws on a damaged one; nothing here uses them, and binfmt_elf runs a program
///   whatever its notes hold.</item>
/// <item><see cref="View.Sections"/>: SHT_SYMTAB and SHT_DYNSYM entries read as SHT_PROGBITS,
///   so the symbol tables are left for the first use of the symbols (<c>armemu run</c> needs the
///   program headers and .ARM.attributes, not the thousands of symbols of a static program).</item>
/// <item><see cref="View.Program"/>, for a program to run: the ELF header without section
///   headers (e_shoff, e_shnum, e_shstrndx 0) and with e_version 1. binfmt_elf reads neither and
///   runs a program whose section headers are damaged, but ELFSharp reads every section and
///   refuses an e_version other than 1.</item>
/// </list>
/// <see cref="ElfFile"/> gives the hidden entries their types back. Everything else is the
/// file's own bytes.
/// </summary>
internal sealed class ElfSharpStream : MemoryStream
{
    /// <summary>What ELFSharp is shown of a file.</summary>
    public enum View
    {
        /// <summary>The program headers only.</summary>
        Program,
        /// <summary>The program and section headers, without the symbol tables.</summary>
        Sections,
        /// <summary>The program and section headers and the symbol tables.</summary>
        Symbols,
    }

    // (file offset, bytes shown there instead of the file's): the tables first, the ELF header last.
    private readonly (long At, byte[] Bytes)[] _patches;

    private ElfSharpStream(ArraySegment<byte> file, (long, byte[])[] patches)
        : base(file.Array!, file.Offset, file.Count, writable: false) => _patches = patches;

    /// <summary>
    /// A stream over <paramref name="data"/> showing <paramref name="view"/>; in
    /// <paramref name="hiddenSegments"/> and <paramref name="hiddenSections"/> (by index; shorter
    /// than the table when none is) the indices of the
    /// entries shown with another type. ElfGuard has checked <paramref name="layout"/>'s tables.
    /// </summary>
    public static ElfSharpStream Open(ReadOnlyMemory<byte> data, ElfGuard.Layout layout, View view,
        out bool[] hiddenSegments, out bool[] hiddenSections)
    {
        // An array behind the memory is read in place; other memory (never the loader's) is copied once.
        var file = MemoryMarshal.TryGetArray(data, out var array) ? array : new ArraySegment<byte>(data.ToArray());
        var d = data.Span;
        var patches = new List<(long, byte[])>();

        // Flags by index rather than a HashSet<int>: its first Add had the runtime build
        // EqualityComparer<int>.Default by reflection, JIT-compiling its constructor at every start.
        var segments = new bool[layout.PhNum];
        patches.Add((layout.PhOff, Retyped(d, layout.PhOff, layout.PhNum, ElfGuard.PhEntSize, 0,
            static type => type == (uint)SegmentType.Note ? (uint)SegmentType.Null : null, segments)));
        hiddenSegments = segments;

        hiddenSections = [];
        if (view == View.Sections && layout.ShNum != 0)
            patches.Add((layout.ShOff, Retyped(d, layout.ShOff, layout.ShNum, ElfGuard.ShEntSize, 4,
                static type => type is (uint)SectionType.SymTab or (uint)SectionType.DynSym ? (uint)SectionType.ProgBits : null, hiddenSections = new bool[layout.ShNum])));
        if (view == View.Program)
        {
            var header = d[..ElfGuard.HeaderSize].ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);   // e_version
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(32), 0);   // e_shoff
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(48), 0);   // e_shnum
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(50), 0);   // e_shstrndx
            patches.Add((0, header));
        }
        return new ElfSharpStream(file, [.. patches]);
    }

    /// <summary>A copy of a table of <paramref name="count"/> entries with the type word at <paramref name="typeAt"/> of some changed; flagged in <paramref name="changed"/>.</summary>
    private static byte[] Retyped(ReadOnlySpan<byte> d, uint offset, uint count, int entrySize, int typeAt, Func<uint, uint?> retype, bool[] changed)
    {
        var table = d.Slice((int)offset, (int)count * entrySize).ToArray();
        for (int i = 0; i < count; i++)
        {
            var type = table.AsSpan(i * entrySize + typeAt, 4);
            if (retype(BinaryPrimitives.ReadUInt32LittleEndian(type)) is not { } shown) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(type, shown);
            changed[i] = true;
        }
        return table;
    }

    // ELFSharp reads through Read(byte[], int, int) and ReadByte; MemoryStream's Read(Span) of a
    // derived class comes to Read(byte[], int, int) too.
    public override int Read(byte[] buffer, int offset, int count)
    {
        long at = Position;
        int n = base.Read(buffer, offset, count);
        foreach (var (patchAt, bytes) in _patches)
        {
            long from = Math.Max(at, patchAt), to = Math.Min(at + n, patchAt + bytes.Length);
            if (from < to) bytes.AsSpan((int)(from - patchAt), (int)(to - from)).CopyTo(buffer.AsSpan(offset + (int)(from - at)));
        }
        return n;
    }

    public override int ReadByte()
    {
        long at = Position;
        int b = base.ReadByte();
        if (b < 0) return b;
        foreach (var (patchAt, bytes) in _patches)
            if (at >= patchAt && at < patchAt + bytes.Length) b = bytes[at - patchAt];
        return b;
    }
}
