using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// The stream ELFSharp reads a file through: the bytes already in memory (no second read of the
/// file, no copy of it), with two views changed.
/// <list type="bullet">
/// <item>PT_NOTE entries read as PT_NULL. ELFSharp parses the notes of every PT_NOTE segment as
///   it loads a file and throws on a damaged one; nothing here uses them, and binfmt_elf runs a
///   program whatever its notes hold. (<see cref="ElfFile"/> gives those entries their type back.)</item>
/// <item>For a program to run, the ELF header without section headers (e_shoff, e_shnum,
///   e_shstrndx 0) and with e_version 1: binfmt_elf reads neither and runs a program whose
///   section headers are damaged, but ELFSharp reads every section whenever it loads a file and
///   refuses an e_version other than 1.</item>
/// </list>
/// Everything else is the file's own bytes.
/// </summary>
internal sealed class ElfSharpStream : MemoryStream
{
    // (file offset, bytes shown there instead of the file's); the program header table first, the ELF header last.
    private readonly (long At, byte[] Bytes)[] _patches;

    private ElfSharpStream(ArraySegment<byte> file, (long, byte[])[] patches)
        : base(file.Array!, file.Offset, file.Count, writable: false) => _patches = patches;

    /// <summary>
    /// A stream over <paramref name="data"/> as the summary says, and in <paramref name="hiddenNotes"/>
    /// the indices of the PT_NOTE entries it shows as PT_NULL.
    /// </summary>
    public static ElfSharpStream Open(ReadOnlyMemory<byte> data, ElfGuard.Layout program, bool hideSectionHeaders, out IReadOnlySet<int> hiddenNotes)
    {
        // An array behind the memory is read in place; other memory (never the loader's) is copied once.
        var file = MemoryMarshal.TryGetArray(data, out var array) ? array : new ArraySegment<byte>(data.ToArray());
        var hidden = new HashSet<int>();
        hiddenNotes = hidden;

        // ElfGuard has checked that the ELF header and the program header table lie in the file.
        var d = data.Span;
        var table = d.Slice((int)program.PhOff, (int)program.PhNum * ElfGuard.PhEntSize).ToArray();
        for (int i = 0; i < program.PhNum; i++)
        {
            var type = table.AsSpan(i * ElfGuard.PhEntSize, 4);
            if (BinaryPrimitives.ReadUInt32LittleEndian(type) != (uint)SegmentType.Note) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(type, (uint)SegmentType.Null);
            hidden.Add(i);
        }
        if (!hideSectionHeaders) return new ElfSharpStream(file, [(program.PhOff, table)]);
        var header = d[..ElfGuard.HeaderSize].ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);   // e_version
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(32), 0);   // e_shoff
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(48), 0);   // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(50), 0);   // e_shstrndx
        return new ElfSharpStream(file, [(program.PhOff, table), (0, header)]);
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
