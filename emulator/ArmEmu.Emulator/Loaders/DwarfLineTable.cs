using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Loaders;

/// <summary>One row of a line-number matrix (DWARF 5 section 6.2.2): an address and where it came from.</summary>
/// <param name="Address">The first address of the row.</param>
/// <param name="File">The file, as a path (directory joined when the table names one).</param>
/// <param name="Line">The source line, 1-based; 0 when the compiler gave none.</param>
/// <param name="IsStatement">The is_stmt flag: a recommended breakpoint location.</param>
/// <param name="EndSequence">The row ends a sequence: its address is one past the last instruction.</param>
internal readonly record struct DwarfLineRow(uint Address, string File, int Line, bool IsStatement, bool EndSequence);

/// <summary>
/// The line-number programs of an ELF file's <c>.debug_line</c>, DWARF versions 2 to 5 as gcc 12
/// and binutils 2.40 write them (DWARF 5 standard section 6.2; DWARF 2-4 differ in the header:
/// no address size, include directories and file names as string lists, files counted from 1).
/// Only 32-bit DWARF (the only kind a 32-bit ARM ELF carries) is read; anything malformed stops
/// the reading with <see cref="InvalidDataException"/>, one line naming the offset.
/// </summary>
internal sealed class DwarfLineTable
{
    private readonly (uint Start, uint End, string File, int Line)[] _ranges;

    private DwarfLineTable(List<DwarfLineRow> rows)
    {
        Rows = rows;
        // Each row covers up to the next row of its sequence.
        var ranges = new List<(uint, uint, string, int)>();
        for (int i = 0; i + 1 < rows.Count; i++)
            if (!rows[i].EndSequence && rows[i + 1].Address > rows[i].Address)
                ranges.Add((rows[i].Address, rows[i + 1].Address, rows[i].File, rows[i].Line));
        _ranges = [.. ranges.OrderBy(r => r.Item1)];
    }

    /// <summary>Every row of every program, in the order the programs produce them.</summary>
    public IReadOnlyList<DwarfLineRow> Rows { get; }

    /// <summary>The file and line of the instruction at <paramref name="address"/>, or null where no row covers it.</summary>
    public (string File, int Line)? Lookup(uint address)
    {
        int lo = 0, hi = _ranges.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ranges[mid].Start <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0 || address >= _ranges[found].End) return null;
        return (_ranges[found].File, _ranges[found].Line);
    }

    /// <summary>The table of <paramref name="elf"/>, or null when it has no <c>.debug_line</c>.</summary>
    public static DwarfLineTable? Of(ElfFile elf)
    {
        if (elf.FindSection(".debug_line") is not { } line) return null;
        ReadOnlySpan<byte> lineStr = elf.FindSection(".debug_line_str") is { } ls ? elf.SectionData(ls) : default;
        ReadOnlySpan<byte> str = elf.FindSection(".debug_str") is { } s ? elf.SectionData(s) : default;
        return Parse(elf.SectionData(line), lineStr, str);
    }

    /// <summary>Reads every line-number program in <paramref name="debugLine"/>.</summary>
    public static DwarfLineTable Parse(ReadOnlySpan<byte> debugLine, ReadOnlySpan<byte> debugLineStr, ReadOnlySpan<byte> debugStr)
    {
        var rows = new List<DwarfLineRow>();
        int offset = 0;
        while (offset < debugLine.Length)
            offset = ReadProgram(debugLine, offset, debugLineStr, debugStr, rows);
        return new DwarfLineTable(rows);
    }

    // DW_LNS_*, DW_LNE_*, DW_LNCT_*, DW_FORM_* (DWARF 5 sections 6.2.5 and 7.22, 7.5.6).
    private const byte LnsCopy = 1, LnsAdvancePc = 2, LnsAdvanceLine = 3, LnsSetFile = 4, LnsSetColumn = 5, LnsNegateStmt = 6,
        LnsSetBasicBlock = 7, LnsConstAddPc = 8, LnsFixedAdvancePc = 9, LnsSetPrologueEnd = 10, LnsSetEpilogueBegin = 11, LnsSetIsa = 12;
    private const byte LneEndSequence = 1, LneSetAddress = 2, LneDefineFile = 3, LneSetDiscriminator = 4;
    private const ulong LnctPath = 1, LnctDirectoryIndex = 2;
    private const ulong FormBlock = 0x09, FormData1 = 0x0b, FormData2 = 0x05, FormData4 = 0x06, FormData8 = 0x07, FormData16 = 0x1e,
        FormString = 0x08, FormStrp = 0x0e, FormLineStrp = 0x1f, FormUdata = 0x0f, FormSdata = 0x0d, FormStrx = 0x1a,
        FormStrx1 = 0x25, FormStrx2 = 0x26, FormStrx3 = 0x27, FormStrx4 = 0x28;

    /// <summary>Reads the program at <paramref name="start"/>, appends its rows, returns where the next one starts.</summary>
    private static int ReadProgram(ReadOnlySpan<byte> section, int start, ReadOnlySpan<byte> lineStr, ReadOnlySpan<byte> str, List<DwarfLineRow> rows)
    {
        var r = new Reader(section, start);
        uint unitLength = r.U32();
        if (unitLength >= 0xFFFF_FFF0) throw r.Bad($"64-bit DWARF or reserved unit length 0x{unitLength:x}");
        long end = (long)r.Position + unitLength;
        if (end > section.Length) throw r.Bad($"unit length 0x{unitLength:x} runs past the section");
        r.Limit = (int)end;
        int version = r.U16();
        if (version is < 2 or > 5) throw r.Bad($"line table version {version}");
        if (version >= 5)
        {
            int addressSize = r.U8();
            r.U8(); // segment selector size
            if (addressSize != 4) throw r.Bad($"address size {addressSize}");
        }
        uint headerLength = r.U32();
        if (r.Position + (long)headerLength > end) throw r.Bad("header runs past the unit");
        int programStart = r.Position + (int)headerLength;
        int minInstructionLength = r.U8();
        if (version >= 4) r.U8(); // maximum operations per instruction: 1 on ARM (no VLIW)
        bool defaultIsStmt = r.U8() != 0;
        int lineBase = (sbyte)r.U8();
        int lineRange = r.U8();
        int opcodeBase = r.U8();
        if (lineRange == 0) throw r.Bad("line_range 0");
        var standardLengths = new int[Math.Max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++) standardLengths[i] = r.U8();

        var directories = new List<string>();
        var files = new List<(string Name, int Directory)>();
        if (version >= 5)
        {
            foreach (var entry in ReadEntries(ref r, lineStr, str)) directories.Add(entry.Path);
            foreach (var entry in ReadEntries(ref r, lineStr, str)) files.Add((entry.Path, entry.Directory));
        }
        else
        {
            directories.Add(""); // index 0: the compilation directory, which the line table does not name
            for (string d; (d = r.CString()).Length != 0;) directories.Add(d);
            for (string f; (f = r.CString()).Length != 0;)
            {
                int dir = (int)r.Uleb();
                r.Uleb(); // modification time
                r.Uleb(); // length
                files.Add((f, dir));
            }
        }

        string FileName(ulong index)
        {
            // DWARF 2-4 number files from 1; DWARF 5 from 0.
            long i = version >= 5 ? (long)index : (long)index - 1;
            if (i < 0 || i >= files.Count) return "???";
            var (name, dir) = files[(int)i];
            // DWARF 5's directory 0 is the compilation directory; DWARF 2-4 leave it to .debug_info,
            // so their names under directory 0 stay relative to it.
            if (name.StartsWith('/') || dir < 0 || dir >= directories.Count || directories[dir].Length == 0) return name;
            return directories[dir] + "/" + name;
        }

        r.Position = programStart;
        uint address = 0;
        ulong file = 1;
        long line = 1;
        bool isStmt = defaultIsStmt;
        void Emit(List<DwarfLineRow> into, bool endSequence) =>
            into.Add(new DwarfLineRow(address, FileName(file), (int)Math.Clamp(line, 0, int.MaxValue), isStmt, endSequence));
        void Reset()
        {
            address = 0;
            file = 1;
            line = 1;
            isStmt = defaultIsStmt;
        }

        while (r.Position < end)
        {
            byte opcode = r.U8();
            if (opcode >= opcodeBase)
            {
                int adjusted = opcode - opcodeBase;
                address += (uint)(adjusted / lineRange * minInstructionLength);
                line += lineBase + adjusted % lineRange;
                Emit(rows, false);
                continue;
            }
            switch (opcode)
            {
                case 0:
                    ulong length = r.Uleb();
                    if (length == 0 || length > (ulong)(end - r.Position)) throw r.Bad($"extended opcode length {length}");
                    int next = r.Position + (int)length;
                    byte sub = r.U8();
                    switch (sub)
                    {
                        case LneEndSequence:
                            Emit(rows, true);
                            Reset();
                            break;
                        case LneSetAddress:
                            address = length == 5 ? r.U32() : throw r.Bad($"DW_LNE_set_address of {length - 1} bytes");
                            break;
                        case LneDefineFile:
                            string name = r.CString();
                            int dir = (int)r.Uleb();
                            files.Add((name, dir));
                            break;
                        case LneSetDiscriminator:
                            break;
                    }
                    r.Position = next; // also skips unknown extended opcodes
                    break;
                case LnsCopy: Emit(rows, false); break;
                case LnsAdvancePc: address += (uint)(r.Uleb() * (ulong)minInstructionLength); break;
                case LnsAdvanceLine: line += r.Sleb(); break;
                case LnsSetFile: file = r.Uleb(); break;
                case LnsSetColumn: r.Uleb(); break;
                case LnsNegateStmt: isStmt = !isStmt; break;
                case LnsSetBasicBlock: case LnsSetPrologueEnd: case LnsSetEpilogueBegin: break;
                case LnsConstAddPc: address += (uint)((255 - opcodeBase) / lineRange * minInstructionLength); break;
                case LnsFixedAdvancePc: address += r.U16(); break;
                case LnsSetIsa: r.Uleb(); break;
                default:
                    // A standard opcode this reader does not know: skip its ULEB operands, as the header says.
                    for (int i = 0; i < standardLengths[opcode]; i++) r.Uleb();
                    break;
            }
        }
        return (int)end;
    }

    /// <summary>A DWARF 5 directory or file-name table: its entry format, then the entries.</summary>
    private static List<(string Path, int Directory)> ReadEntries(ref Reader r, ReadOnlySpan<byte> lineStr, ReadOnlySpan<byte> str)
    {
        int formatCount = r.U8();
        var format = new (ulong Content, ulong Form)[formatCount];
        for (int i = 0; i < formatCount; i++) format[i] = (r.Uleb(), r.Uleb());
        ulong count = r.Uleb();
        if (count > (ulong)(r.Limit - r.Position)) throw r.Bad($"{count} entries cannot fit");
        var entries = new List<(string, int)>((int)count);
        for (ulong e = 0; e < count; e++)
        {
            string path = "";
            int directory = 0;
            foreach (var (content, form) in format)
            {
                string? text = null;
                ulong value = 0;
                switch (form)
                {
                    case FormString: text = r.CString(); break;
                    case FormLineStrp: text = StringAt(lineStr, r.U32(), ref r); break;
                    case FormStrp: text = StringAt(str, r.U32(), ref r); break;
                    case FormUdata: value = r.Uleb(); break;
                    case FormSdata: value = (ulong)r.Sleb(); break;
                    case FormData1: case FormStrx1: value = r.U8(); break;
                    case FormData2: case FormStrx2: value = r.U16(); break;
                    case FormStrx3: value = r.U16() | (ulong)r.U8() << 16; break;
                    case FormData4: case FormStrx4: value = r.U32(); break;
                    case FormData8: r.Skip(8); break;
                    case FormData16: r.Skip(16); break;
                    case FormBlock: r.Skip(r.Uleb() is var n && n <= int.MaxValue ? (int)n : throw r.Bad($"block of {n} bytes")); break;
                    case FormStrx: r.Uleb(); break;
                    default: throw r.Bad($"form 0x{form:x} in an entry format");
                }
                if (content == LnctPath && text is not null) path = text;
                else if (content == LnctDirectoryIndex) directory = (int)Math.Min(value, int.MaxValue);
            }
            entries.Add((path, directory));
        }
        return entries;
    }

    private static string StringAt(ReadOnlySpan<byte> section, uint offset, ref Reader r)
    {
        if (offset >= section.Length) throw r.Bad($"string offset 0x{offset:x} outside its section");
        var rest = section[(int)offset..];
        int nul = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? rest : rest[..nul]);
    }

    /// <summary>A bounds-checked little-endian cursor.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data, int position)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position = position;
        public int Limit = data.Length;

        public readonly InvalidDataException Bad(string what) =>
            new($".debug_line: {what} at offset 0x{Position:x}");

        private readonly ReadOnlySpan<byte> Take(int n) =>
            n <= Limit - Position ? _data.Slice(Position, n) : throw Bad("truncated");

        public byte U8() { byte b = Take(1)[0]; Position++; return b; }

        public ushort U16() { ushort v = BinaryPrimitives.ReadUInt16LittleEndian(Take(2)); Position += 2; return v; }

        public uint U32() { uint v = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)); Position += 4; return v; }

        public void Skip(int n) { Take(n); Position += n; }

        public ulong Uleb()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = U8();
                if (shift < 64) value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
        }

        public long Sleb()
        {
            long value = 0;
            int shift = 0;
            byte b;
            do
            {
                b = U8();
                if (shift < 64) value |= (long)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) value |= -1L << shift;
            return value;
        }

        public string CString()
        {
            var rest = _data[Position..Limit];
            int nul = rest.IndexOf((byte)0);
            if (nul < 0) throw Bad("unterminated string");
            Position += nul + 1;
            return Encoding.UTF8.GetString(rest[..nul]);
        }
    }
}
