using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Loaders;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Boards;

/// <summary>
/// QEMU's kernel boot (hw/arm/boot.c) as <see cref="LinuxKernelBoot"/> does it, checked without a
/// guest: the stub, the ATAG list, where things go, the device-tree edits and the strictness of
/// the device-tree reader. (guest-tests/…/KernelBootTests compares whole boots with qemu-system-arm.)
/// </summary>
public sealed class LinuxKernelBootTests
{
    /// <summary>A device tree like dtc writes: / { #address-cells; #size-cells; chosen {}; memory@0 { device_type; reg; }; }.</summary>
    private static byte[] SmallTree()
    {
        var strings = new MemoryStream();
        var names = new Dictionary<string, int>();
        var structure = new MemoryStream();
        void Word(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); structure.Write(b); }
        void Pad() { while (structure.Length % 4 != 0) structure.WriteByte(0); }
        void Begin(string name) { Word(1); structure.Write(Encoding.ASCII.GetBytes(name + "\0")); Pad(); }
        void Prop(string name, byte[] value)
        {
            if (!names.TryGetValue(name, out int off)) { off = (int)strings.Length; names[name] = off; strings.Write(Encoding.ASCII.GetBytes(name + "\0")); }
            Word(3); Word((uint)value.Length); Word((uint)off); structure.Write(value); Pad();
        }
        Begin("");
        Prop("#address-cells", FlattenedDeviceTree.Cell(1));
        Prop("#size-cells", FlattenedDeviceTree.Cell(1));
        Begin("chosen"); Word(2);
        Begin("memory@0"); Prop("device_type", FlattenedDeviceTree.String("memory")); Prop("reg", FlattenedDeviceTree.SizedCells((1, 0), (1, 0x100000))); Word(2);
        Word(2);
        Word(9);
        int structOff = 40 + 16, stringsOff = structOff + (int)structure.Length, total = stringsOff + (int)strings.Length;
        var blob = new byte[total];
        uint[] header = [0xd00dfeed, (uint)total, (uint)structOff, (uint)stringsOff, 40, 17, 16, 0, (uint)strings.Length, (uint)structure.Length];
        for (int i = 0; i < header.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(4 * i), header[i]);
        structure.ToArray().CopyTo(blob, structOff);
        strings.ToArray().CopyTo(blob, stringsOff);
        return blob;
    }

    [Fact]
    public void The_ATAG_list_is_set_kernel_args()
    {
        byte[] atags = LinuxKernelBoot.Atags(0x6000_0000, 128u << 20, 0x6400_0000, 0x1234, "console=ttyAMA0");
        uint W(int i) => BinaryPrimitives.ReadUInt32LittleEndian(atags.AsSpan(4 * i));
        Assert.Equal([5u, 0x54410001, 1, 0x1000, 0], Enumerable.Range(0, 5).Select(W));             // ATAG_CORE
        Assert.Equal([4u, 0x54410002, 128u << 20, 0x6000_0000], Enumerable.Range(5, 4).Select(W));  // ATAG_MEM
        Assert.Equal([4u, 0x54420005, 0x6400_0000, 0x1234], Enumerable.Range(9, 4).Select(W));     // ATAG_INITRD2
        Assert.Equal(15u / 4 + 1 + 2, W(13));                                                        // ATAG_CMDLINE: 15 chars + NUL in 4 words
        Assert.Equal(0x54410009u, W(14));
        Assert.Equal("console=ttyAMA0\0", Encoding.ASCII.GetString(atags, 15 * 4, 16));
        Assert.Equal([0u, 0u], new[] { W(19), W(20) });                                              // ATAG_NONE
        Assert.Equal(21 * 4, atags.Length);
        // Without initrd and command line: CORE, MEM, NONE.
        Assert.Equal((5 + 4 + 2) * 4, LinuxKernelBoot.Atags(0, 1u << 20, 0, 0, "").Length);
    }

    [Fact]
    public void A_raw_image_goes_to_RAM_plus_64K_behind_the_stub()
    {
        using var board = new VersatilePb(new VersatilePbOptions { Caches = ArmEmu.Memory.Caches.CacheModelOptions.Off });
        byte[] image = [0xFE, 0xFF, 0xFF, 0xEA]; // b .
        var layout = LinuxKernelBoot.LoadImage(board, image, new KernelBootOptions { CommandLine = "a", InitialRamDisk = [1, 2, 3] });
        Assert.Equal((0u, 0x10000u, 0x183u, 0x100u, false, 64u << 20, 3u),
            (layout.Stub, layout.Kernel, layout.MachineId, layout.BootParameters, layout.DeviceTree, layout.InitrdStart, layout.InitrdSize));
        Assert.Equal(0u, board.Cpu.PC);
        Span<byte> word = stackalloc byte[4];
        board.Bus.ReadRam(0x10000, word);
        Assert.Equal(0xEAFFFFFEu, BinaryPrimitives.ReadUInt32LittleEndian(word));
        board.Bus.ReadRam(64u << 20, word[..3]);
        Assert.Equal([1, 2, 3], word[..3].ToArray());
        // The stub runs: r0 = 0, r1 = machine id, r2 = ATAGs, then the kernel.
        board.Run(4);
        Assert.Equal((0u, 0x183u, 0x100u, 0x10000u), (board.Cpu.R[0], board.Cpu.R[1], board.Cpu.R[2], board.Cpu.PC));
        Assert.Equal(ProcessorMode.Supervisor, board.Cpu.Mode);
    }

    [Fact]
    public void An_image_or_initrd_too_big_for_RAM_is_one_line()
    {
        using var board = new VersatilePb(new VersatilePbOptions { MemorySize = 1u << 20, Caches = ArmEmu.Memory.Caches.CacheModelOptions.Off });
        var e = Assert.Throws<ArgumentException>(() => LinuxKernelBoot.LoadImage(board, new byte[1 << 20], new KernelBootOptions()));
        Assert.Contains("does not fit in RAM", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinuxKernelBoot.LoadImage(board, new byte[16], new KernelBootOptions { InitialRamDisk = new byte[1 << 20] }));
        Assert.Contains("initrd", e.Message);
    }

    [Fact]
    public void The_device_tree_gets_QEMUs_edits_in_libfdts_order()
    {
        byte[] edited = LinuxKernelBoot.EditDeviceTree(SmallTree(), 0x6000_0000, 256u << 20, "root=/dev/ram", 0x6800_0000, 0x100);
        var fdt = FlattenedDeviceTree.Parse(edited);
        Assert.Equal(2 * (SmallTree().Length + 10000), edited.Length);
        // The old memory node is gone; the new one comes first among the root's children, reg before device_type.
        Assert.Equal(["memory@60000000", "chosen"], fdt.Root.Children.Select(c => c.Name));
        Assert.Equal(["reg", "device_type"], fdt.Find("/memory@60000000")!.Properties.Select(p => p.Key));
        Assert.Equal(FlattenedDeviceTree.SizedCells((1, 0x6000_0000), (1, 256u << 20)), fdt.Find("/memory@60000000")!.Property("reg"));
        var chosen = fdt.Find("/chosen")!;
        Assert.Equal(["linux,initrd-end", "linux,initrd-start", "bootargs"], chosen.Properties.Select(p => p.Key));
        Assert.Equal("root=/dev/ram\0", Encoding.ASCII.GetString(chosen.Property("bootargs")!));
        Assert.Equal(FlattenedDeviceTree.Cell(0x6800_0100), chosen.Property("linux,initrd-end"));
    }

    [Fact]
    public void A_tree_without_cells_or_chosen_is_handled_as_QEMU_does()
    {
        var fdt = FlattenedDeviceTree.Parse(SmallTree());
        fdt.Find("/chosen")!.Remove();
        var edited = FlattenedDeviceTree.Parse(LinuxKernelBoot.EditDeviceTree(fdt.ToBytes(), 0, 1u << 20, "x", 0, 0));
        Assert.NotNull(edited.Find("/chosen")); // added when missing
        var root = FlattenedDeviceTree.Parse(SmallTree());
        root.Root.SetProperty("#size-cells", FlattenedDeviceTree.Cell(0));
        var e = Assert.Throws<DeviceTreeFormatException>(() => LinuxKernelBoot.EditDeviceTree(root.ToBytes(), 0, 1u << 20, "", 0, 0));
        Assert.Contains("#size-cells", e.Message);
    }

    [Fact]
    public void Corrupted_device_trees_give_one_line_errors_only()
    {
        byte[] good = SmallTree();
        var random = new Random(1234);
        int rejected = 0;
        for (int n = 0; n < 20_000; n++)
        {
            byte[] bad = (byte[])good.Clone();
            int changes = 1 + random.Next(4);
            for (int i = 0; i < changes; i++) bad[random.Next(bad.Length)] = (byte)random.Next(256);
            if (random.Next(8) == 0) bad = bad[..random.Next(bad.Length)];
            try
            {
                LinuxKernelBoot.EditDeviceTree(bad, 0, 1u << 20, "console", 0x80000, 16);
            }
            catch (DeviceTreeFormatException e)
            {
                rejected++;
                Assert.DoesNotContain('\n', e.Message);
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
        Assert.True(rejected > 5_000, $"only {rejected} of 20000 corrupted trees were rejected");
    }

    [Fact]
    public void Semihosting_off_makes_the_semihosting_SVC_an_SVC_exception()
    {
        foreach (bool enabled in new[] { true, false })
        {
            using var board = new VersatilePb(new VersatilePbOptions { SemihostingEnabled = enabled, Caches = ArmEmu.Memory.Caches.CacheModelOptions.Off });
            // 0x1000: mov r0, #0x18 ; mov r1, #0x20000 ; orr r1, r1, #0x26 ; svc 0x123456 (SYS_EXIT) ; b .
            uint[] code = [0xE3A00018, 0xE3A01802, 0xE3811026, 0xEF123456, 0xEAFFFFFE];
            var bytes = new byte[code.Length * 4];
            for (int i = 0; i < code.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), code[i]);
            board.LoadRaw(bytes, 0x1000, 0x1000);
            board.Run(4);
            if (enabled) Assert.Equal(0, board.ExitStatus);
            else
            {
                Assert.Null(board.ExitStatus);
                Assert.Equal(8u, board.Cpu.PC); // the SVC vector
                Assert.Equal(ProcessorMode.Supervisor, board.Cpu.Mode);
            }
        }
    }
}
