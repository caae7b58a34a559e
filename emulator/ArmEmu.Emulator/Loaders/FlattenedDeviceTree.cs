using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// The bytes given to <see cref="FlattenedDeviceTree.Parse"/> are not a well-formed flattened
/// device tree. The message is one line naming what is wrong and where; it is the only
/// exception the parser lets escape for bad input.
/// </summary>
internal sealed class DeviceTreeFormatException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public DeviceTreeFormatException(string message) : base(message) { }
}

/// <summary>
/// A flattened device tree (the DTB format of the Devicetree Specification v0.4, chapter 5),
/// read into nodes and properties, edited, and written back -- what QEMU's boot code does to
/// a <c>-dtb</c> with libfdt before the kernel sees it. The reader is strict: every offset,
/// size, tag, name and nesting level is checked before use, and a bad blob gives one
/// <see cref="DeviceTreeFormatException"/>.
///
/// Edits follow libfdt's placement, so a guest walking the tree sees QEMU's order: a new
/// property goes before the node's existing ones (fdt_add_property_ splices it right after
/// the node's name), a new node before its parent's existing children (fdt_add_subnode places
/// it after the parent's properties); setting an existing property changes it in place.
/// </summary>
internal sealed class FlattenedDeviceTree
{
    private const uint Magic = 0xd00d_feed;
    private const uint BeginNode = 1, EndNode = 2, Prop = 3, Nop = 4, End = 9;
    private const int HeaderSize = 40;
    private const int MaxDepth = 64;

    /// <summary>One node: its name (with any unit address), properties and children, in order.</summary>
    public sealed class Node
    {
        private readonly FlattenedDeviceTree? _owner;

        internal Node(string name, FlattenedDeviceTree? owner)
        {
            Name = name;
            _owner = owner;
        }

        private FlattenedDeviceTree Owner => _owner ?? throw new InvalidOperationException("the node is not part of a tree yet");

        /// <summary>The node's name, e.g. <c>memory@60000000</c>; empty for the root.</summary>
        public string Name { get; }

        // With each property its name's offset in the strings block.
        internal readonly List<(string Name, byte[] Value, int NameOffset)> PropertyList = [];

        // Children, including removed ones (written as FDT_NOP words where they were, as libfdt's fdt_nop_node leaves them).
        internal readonly List<Node> ChildList = [];

        /// <summary>Whether the node has been removed (<see cref="Remove"/>).</summary>
        public bool Removed { get; private set; }

        /// <summary>The properties (name and value) in the order they appear in the blob.</summary>
        public IEnumerable<KeyValuePair<string, byte[]>> Properties => PropertyList.Select(p => new KeyValuePair<string, byte[]>(p.Name, p.Value));

        /// <summary>The child nodes in the order they appear in the blob.</summary>
        public IEnumerable<Node> Children => ChildList.Where(c => !c.Removed);

        /// <summary>The value of property <paramref name="name"/>, or null.</summary>
        public byte[]? Property(string name)
        {
            foreach (var p in PropertyList)
                if (p.Name == name) return p.Value;
            return null;
        }

        /// <summary>The child named <paramref name="name"/>, or null.</summary>
        public Node? Child(string name) => ChildList.Find(c => !c.Removed && c.Name == name);

        /// <summary>Sets a property as libfdt's fdt_setprop does: in place if it exists, else before the others.</summary>
        public void SetProperty(string name, byte[] value)
        {
            int i = PropertyList.FindIndex(p => p.Name == name);
            if (i >= 0) PropertyList[i] = (name, value, PropertyList[i].NameOffset);
            else PropertyList.Insert(0, (name, value, Owner.NameOffset(name)));
        }

        /// <summary>Adds a child as libfdt's fdt_add_subnode does: after the parent's properties, before its existing children.</summary>
        public Node AddChild(string name)
        {
            if (Child(name) is not null) throw new ArgumentException($"node '{name}' already exists");
            var child = new Node(name, Owner);
            ChildList.Insert(0, child);
            return child;
        }

        /// <summary>Removes the node and everything below it, as libfdt's fdt_nop_node: its bytes become FDT_NOP words.</summary>
        public void Remove() => Removed = true;
    }

    private readonly List<byte> _strings;

    private FlattenedDeviceTree(List<(ulong Address, ulong Size)> reservations, uint bootCpu, byte[] strings, int size)
    {
        Root = new Node("", this);
        Reservations = reservations;
        BootCpuId = bootCpu;
        _strings = [.. strings];
        OriginalSize = size;
    }

    /// <summary>
    /// The offset of <paramref name="name"/> in the strings block, appended if absent; found also
    /// as the tail of a longer string, as libfdt's fdt_find_string_ finds it.
    /// </summary>
    private int NameOffset(string name)
    {
        byte[] needle = Encoding.UTF8.GetBytes(name + "\0");
        int found = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_strings).IndexOf(needle);
        if (found >= 0) return found;
        _strings.AddRange(needle);
        return _strings.Count - needle.Length;
    }

    /// <summary>The size of the blob the tree was read from.</summary>
    public int OriginalSize { get; }

    /// <summary>The root node.</summary>
    public Node Root { get; }

    /// <summary>The memory reservation block's entries.</summary>
    public List<(ulong Address, ulong Size)> Reservations { get; }

    /// <summary>The header's boot_cpuid_phys.</summary>
    public uint BootCpuId { get; }

    /// <summary>The node at an absolute path such as <c>/chosen</c>, or null.</summary>
    public Node? Find(string path)
    {
        if (!path.StartsWith('/')) return null;
        Node node = Root;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.Child(part) is not { } child) return null;
            node = child;
        }
        return node;
    }

    /// <summary>Every node below <paramref name="from"/> (depth first, in blob order) with its parent.</summary>
    public static IEnumerable<(Node Parent, Node Node)> Descendants(Node from)
    {
        foreach (var child in from.Children.ToList())
        {
            yield return (from, child);
            foreach (var d in Descendants(child)) yield return d;
        }
    }

    /// <summary>Reads a DTB (version 16 or 17, as libfdt accepts).</summary>
    public static FlattenedDeviceTree Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderSize) throw new DeviceTreeFormatException($"{blob.Length} bytes is too short for a device tree header ({HeaderSize} bytes)");
        Span<uint> h = stackalloc uint[HeaderSize / 4];
        for (int i = 0; i < h.Length; i++) h[i] = BinaryPrimitives.ReadUInt32BigEndian(blob[(4 * i)..]);
        if (h[0] != Magic) throw new DeviceTreeFormatException($"not a device tree blob (magic 0x{h[0]:x8}, expected 0x{Magic:x8})");
        uint total = h[1], structOff = h[2], stringsOff = h[3], rsvOff = h[4], version = h[5], lastComp = h[6], bootCpu = h[7],
            stringsSize = h[8], structSize = h[9];
        if (total > blob.Length) throw new DeviceTreeFormatException($"header: total size 0x{total:x} is past the end of the file (0x{blob.Length:x} bytes)");
        if (version < 16 || lastComp > 17) throw new DeviceTreeFormatException($"header: version {version} (last compatible {lastComp}) is not supported (16 or 17)");
        static bool Within(uint offset, uint size, uint total) => offset <= total && size <= total - offset;
        if (!Within(structOff, structSize, total)) throw new DeviceTreeFormatException($"header: structure block 0x{structOff:x}+0x{structSize:x} is outside the blob (0x{total:x} bytes)");
        if (!Within(stringsOff, stringsSize, total)) throw new DeviceTreeFormatException($"header: strings block 0x{stringsOff:x}+0x{stringsSize:x} is outside the blob (0x{total:x} bytes)");
        if ((structOff & 3) != 0 || (rsvOff & 7) != 0 || rsvOff < HeaderSize || rsvOff >= total)
            throw new DeviceTreeFormatException($"header: misaligned or misplaced blocks (structure at 0x{structOff:x}, reservations at 0x{rsvOff:x})");

        var reservations = new List<(ulong, ulong)>();
        for (uint p = rsvOff; ; p += 16)
        {
            if (!Within(p, 16, total)) throw new DeviceTreeFormatException($"memory reservation block at 0x{rsvOff:x} has no terminating entry");
            ulong address = BinaryPrimitives.ReadUInt64BigEndian(blob[(int)p..]), size = BinaryPrimitives.ReadUInt64BigEndian(blob[((int)p + 8)..]);
            if (address == 0 && size == 0) break;
            reservations.Add((address, size));
        }

        var structure = blob.Slice((int)structOff, (int)structSize);
        var strings = blob.Slice((int)stringsOff, (int)stringsSize);
        var tree = new FlattenedDeviceTree(reservations, bootCpu, strings.ToArray(), blob.Length);
        var stack = new Stack<Node>();
        Node? root = null;
        int pos = 0;
        while (true)
        {
            if (pos + 4 > structure.Length) throw new DeviceTreeFormatException($"structure block: ends at 0x{pos:x} without FDT_END");
            uint tag = BinaryPrimitives.ReadUInt32BigEndian(structure[pos..]);
            int at = pos;
            pos += 4;
            switch (tag)
            {
                case BeginNode:
                {
                    string name = CString(structure, pos, $"structure block 0x{at:x}: node name");
                    pos = Align4(pos + Encoding.UTF8.GetByteCount(name) + 1);
                    if (root is not null && stack.Count == 0) throw new DeviceTreeFormatException($"structure block 0x{at:x}: a second root node");
                    if (stack.Count >= MaxDepth) throw new DeviceTreeFormatException($"structure block 0x{at:x}: nodes nested deeper than {MaxDepth}");
                    var node = stack.Count == 0 ? tree.Root : new Node(name, tree);
                    if (stack.Count == 0) root = node;
                    else stack.Peek().ChildList.Add(node);
                    stack.Push(node);
                    break;
                }
                case EndNode:
                    if (stack.Count == 0) throw new DeviceTreeFormatException($"structure block 0x{at:x}: FDT_END_NODE outside any node");
                    stack.Pop();
                    break;
                case Prop:
                {
                    if (stack.Count == 0) throw new DeviceTreeFormatException($"structure block 0x{at:x}: a property outside any node");
                    if (pos + 8 > structure.Length) throw new DeviceTreeFormatException($"structure block 0x{at:x}: property header past the end of the block");
                    uint length = BinaryPrimitives.ReadUInt32BigEndian(structure[pos..]), nameOff = BinaryPrimitives.ReadUInt32BigEndian(structure[(pos + 4)..]);
                    pos += 8;
                    if (length > (uint)(structure.Length - pos)) throw new DeviceTreeFormatException($"structure block 0x{at:x}: property value of 0x{length:x} bytes past the end of the block");
                    if (nameOff >= (uint)strings.Length) throw new DeviceTreeFormatException($"structure block 0x{at:x}: property name offset 0x{nameOff:x} outside the strings block (0x{strings.Length:x} bytes)");
                    string name = CString(strings, (int)nameOff, $"strings block 0x{nameOff:x}");
                    stack.Peek().PropertyList.Add((name, structure.Slice(pos, (int)length).ToArray(), (int)nameOff));
                    pos = Align4(pos + (int)length);
                    break;
                }
                case Nop:
                    break;
                case End:
                    if (root is null || stack.Count != 0) throw new DeviceTreeFormatException($"structure block 0x{at:x}: FDT_END inside a node or before the root");
                    return tree;
                default:
                    throw new DeviceTreeFormatException($"structure block 0x{at:x}: unknown tag 0x{tag:x8}");
            }
        }
    }

    private static int Align4(int n) => (n + 3) & ~3;

    private static string CString(ReadOnlySpan<byte> block, int offset, string what)
    {
        if (offset > block.Length) throw new DeviceTreeFormatException($"{what}: past the end of its block");
        int nul = block[offset..].IndexOf((byte)0);
        if (nul < 0) throw new DeviceTreeFormatException($"{what}: not terminated");
        return Encoding.UTF8.GetString(block.Slice(offset, nul));
    }

    /// <summary>
    /// Writes the tree as libfdt leaves a blob it opened and edited (fdt_open_into, fdt_pack's
    /// block order): version 17 (last compatible 16), the header, the memory reservations at
    /// offset 40, the structure, the strings; <paramref name="totalSize"/> bytes in all (the rest
    /// zero), or just what is needed. The strings block is the one read, with new names appended
    /// as they were set; removed nodes are FDT_NOP words.
    /// </summary>
    public byte[] ToBytes(int? totalSize = null)
    {
        var strings = _strings;
        var structure = new MemoryStream();
        void Word(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
            structure.Write(b);
        }
        void Pad()
        {
            while ((structure.Length & 3) != 0) structure.WriteByte(0);
        }
        void Write(Node node)
        {
            long start = structure.Length;
            Word(BeginNode);
            structure.Write(Encoding.UTF8.GetBytes(node.Name));
            structure.WriteByte(0);
            Pad();
            foreach (var (name, value, offset) in node.PropertyList)
            {
                Word(Prop);
                Word((uint)value.Length);
                Word((uint)offset);
                structure.Write(value);
                Pad();
            }
            foreach (var child in node.ChildList) Write(child);
            Word(EndNode);
            if (node.Removed)
            {
                long end = structure.Length;
                structure.Position = start;
                for (long p = start; p < end; p += 4) Word(Nop);
            }
        }
        Write(Root);
        Word(End);

        int rsvOff = HeaderSize, structOff = rsvOff + 16 * (Reservations.Count + 1), stringsOff = structOff + (int)structure.Length;
        int needed = stringsOff + strings.Count;
        int total = Math.Max(needed, totalSize ?? 0);
        var blob = new byte[total];
        void Header(int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(offset), value);
        Header(0, Magic);
        Header(4, (uint)total);
        Header(8, (uint)structOff);
        Header(12, (uint)stringsOff);
        Header(16, (uint)rsvOff);
        Header(20, 17);
        Header(24, 16);
        Header(28, BootCpuId);
        Header(32, (uint)strings.Count);
        Header(36, (uint)structure.Length);
        for (int i = 0; i < Reservations.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(rsvOff + 16 * i), Reservations[i].Address);
            BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(rsvOff + 16 * i + 8), Reservations[i].Size);
        }
        structure.ToArray().CopyTo(blob, structOff);
        strings.CopyTo(blob, stringsOff);
        return blob;
    }

    /// <summary>A property value of one cell (32-bit, big-endian).</summary>
    public static byte[] Cell(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    /// <summary>A string property value (NUL-terminated).</summary>
    public static byte[] String(string value) => Encoding.UTF8.GetBytes(value + "\0");

    /// <summary>
    /// Values written as cells of the given sizes, as QEMU's qemu_fdt_setprop_sized_cells (one
    /// or two cells each; a value too wide for its cells is refused).
    /// </summary>
    public static byte[] SizedCells(params (uint Cells, ulong Value)[] values)
    {
        var result = new List<byte>();
        foreach (var (cells, value) in values)
        {
            if (cells is 0 or > 2) throw new ArgumentException($"{cells} cells per value is not supported (1 or 2)");
            if (cells == 1 && value > uint.MaxValue) throw new ArgumentException($"0x{value:x} does not fit in one cell");
            var b = new byte[cells * 4];
            if (cells == 1) BinaryPrimitives.WriteUInt32BigEndian(b, (uint)value);
            else BinaryPrimitives.WriteUInt64BigEndian(b, value);
            result.AddRange(b);
        }
        return [.. result];
    }
}
