using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ArmEmu.Emulator.Loaders;

namespace ArmEmu.Emulator.Boards;

/// <summary>What a kernel boot passes besides the image: QEMU's <c>-append</c>, <c>-initrd</c> and <c>-dtb</c>.</summary>
internal sealed class KernelBootOptions
{
    /// <summary>The kernel command line (ATAG_CMDLINE, or /chosen/bootargs with a device tree); empty for none.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>The initial RAM disk's bytes, or null.</summary>
    public byte[]? InitialRamDisk { get; init; }

    /// <summary>A flattened device tree blob to edit and pass in r2 instead of ATAGs, or null.</summary>
    public byte[]? DeviceTree { get; init; }
}

/// <summary>Where a kernel boot put things, for the note on stderr and for tests.</summary>
/// <param name="Stub">The boot stub's address (the start of RAM): the CPU starts there.</param>
/// <param name="Kernel">Where the image was loaded (RAM + 0x10000).</param>
/// <param name="MachineId">r1: the board's Linux machine number.</param>
/// <param name="BootParameters">r2: the ATAG list (RAM + 0x100) or the device tree.</param>
/// <param name="DeviceTree">Whether r2 points at a device tree.</param>
/// <param name="InitrdStart">Where the initial RAM disk was loaded (meaningful when <paramref name="InitrdSize"/> is not 0).</param>
/// <param name="InitrdSize">The initial RAM disk's size, 0 without one.</param>
internal sealed record KernelBootLayout(uint Stub, uint Kernel, uint MachineId, uint BootParameters, bool DeviceTree, uint InitrdStart, uint InitrdSize);

/// <summary>
/// Boots a kernel image the way QEMU 7.2's ARM boot code does (hw/arm/boot.c,
/// arm_setup_direct_kernel_boot and arm_load_dtb), so one command line gives the guest the same
/// memory and registers under both:
/// <list type="bullet">
/// <item>A non-ELF image is taken for a Linux kernel (a zImage or Image): loaded at RAM + 0x10000
/// (KERNEL_LOAD_ADDR), entered through QEMU's boot stub at the start of RAM, which sets r0 = 0,
/// r1 = the board's machine number and r2 = the boot parameters, and jumps to the image (the
/// Linux boot protocol, Documentation/arm/booting.rst). The CPU starts there in its reset state
/// (SVC, IRQ and FIQ masked, MMU and caches off).</item>
/// <item>The initial RAM disk goes to RAM + min(RAM/2, 128 MiB), or past the kernel if the kernel
/// reaches further, page aligned.</item>
/// <item>Without a device tree r2 points at an ATAG list at RAM + 0x100: ATAG_CORE (flags 1,
/// page size 4096, root device 0), ATAG_MEM (the RAM), ATAG_INITRD2 with an initrd,
/// ATAG_CMDLINE with a command line, ATAG_NONE.</item>
/// <item>With a device tree, r2 points at it, placed after the initrd (4 KiB aligned); it is edited
/// as arm_load_dtb edits it: every node named memory or memory@... removed and one
/// /memory@BASE (reg, device_type) added for the RAM, /chosen added if missing, and
/// /chosen/bootargs, linux,initrd-start and linux,initrd-end set; #address-cells and
/// #size-cells of the root give the cell counts.</item>
/// <item>An ELF image is not taken for Linux: it starts at its entry with the registers of reset, and
/// a device tree goes at the start of RAM, below the image.</item>
/// </list>
/// Departures from QEMU: the board-specific additions QEMU makes to a device tree (vexpress-a9's
/// virtio-mmio nodes, which it adds when the tree has a Cortex-A9 GIC) are not made, as those
/// devices are not modelled; u-boot uImages are loaded as raw images; rng-seed and kaslr-seed are not re-randomised.
/// </summary>
internal static class LinuxKernelBoot
{
    /// <summary>KERNEL_LOAD_ADDR: where a raw image goes, from the start of RAM.</summary>
    public const uint KernelOffset = 0x1_0000;

    /// <summary>KERNEL_ARGS_ADDR: where the ATAG list goes, from the start of RAM.</summary>
    public const uint AtagsOffset = 0x100;

    private const uint AtagCore = 0x5441_0001, AtagMem = 0x5441_0002, AtagInitrd2 = 0x5442_0005, AtagCmdline = 0x5441_0009;

    /// <summary>
    /// Loads <paramref name="image"/> as QEMU loads a non-ELF <c>-kernel</c> and starts the board's
    /// CPU at the boot stub. Throws <see cref="ArgumentException"/> (one line) when something does not fit.
    /// </summary>
    public static KernelBootLayout LoadImage(IBareMetalBoard board, ReadOnlySpan<byte> image, KernelBootOptions options)
    {
        var ram = board.Ram;
        uint loaderStart = ram.Base, kernel = loaderStart + KernelOffset;
        ulong ramEnd = (ulong)ram.Base + ram.Size;
        if ((ulong)image.Length > ram.Size - KernelOffset)
            throw new ArgumentException($"the kernel image (0x{image.Length:x} bytes) does not fit in RAM after 0x{kernel:x8} (RAM is 0x{ram.Size:x} bytes at 0x{ram.Base:x8})");
        board.LoadRaw(image, kernel, loaderStart);

        // The initrd as QEMU places it: halfway into RAM (at most 128 MiB in), not over the kernel,
        // on a target page boundary (1 KiB pages before ARMv7, 4 KiB from it).
        uint page = board.Cpu.Model.Arch >= Cpu.ArchVersion.V7 ? 4096u : 1024u;
        ulong initrdStart = loaderStart + Math.Min(ram.Size / 2, 128u << 20);
        initrdStart = Math.Max(initrdStart, (ulong)kernel + (ulong)image.Length);
        initrdStart = (initrdStart + page - 1) & ~(ulong)(page - 1);
        uint initrdSize = 0;
        if (options.InitialRamDisk is { } initrd)
        {
            if (initrdStart >= ramEnd || (ulong)initrd.Length > ramEnd - initrdStart)
                throw new ArgumentException($"the initrd (0x{initrd.Length:x} bytes) does not fit in RAM at 0x{initrdStart:x8} after the kernel");
            board.Bus.WriteRam((uint)initrdStart, initrd);
            initrdSize = (uint)initrd.Length;
        }

        uint parameters;
        if (options.DeviceTree is { } blob)
        {
            ulong dtbStart = (initrdStart + initrdSize + 0xfff) & ~0xffful;
            var dtb = EditDeviceTree(blob, ram.Base, ram.Size, options.CommandLine, (uint)initrdStart, initrdSize);
            if (dtbStart >= ramEnd || (ulong)dtb.Length > ramEnd - dtbStart)
                throw new ArgumentException($"the device tree (0x{dtb.Length:x} bytes) does not fit in RAM at 0x{dtbStart:x8} after the kernel and initrd");
            board.Bus.WriteRam((uint)dtbStart, dtb);
            parameters = (uint)dtbStart;
        }
        else
        {
            parameters = loaderStart + AtagsOffset;
            board.Bus.WriteRam(parameters, Atags(ram.Base, ram.Size, (uint)initrdStart, initrdSize, options.CommandLine));
        }

        // QEMU's primary boot stub (hw/arm/boot.c "bootloader", without a board setup hook).
        uint[] stub =
        [
            0xe3a0_0000, // mov r0, #0
            0xe59f_1004, // ldr r1, [pc, #4]   -> the machine number
            0xe59f_2004, // ldr r2, [pc, #4]   -> the boot parameters
            0xe59f_f004, // ldr pc, [pc, #4]   -> the kernel
            board.LinuxMachineId,
            parameters,
            kernel,
        ];
        var bytes = new byte[stub.Length * 4];
        for (int i = 0; i < stub.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), stub[i]);
        board.Bus.WriteRam(loaderStart, bytes);
        return new KernelBootLayout(loaderStart, kernel, board.LinuxMachineId, parameters, options.DeviceTree is not null, (uint)initrdStart, initrdSize);
    }

    /// <summary>
    /// Loads an ELF image at its physical addresses and starts at its entry, as QEMU does for an ELF
    /// <c>-kernel</c>; with a device tree, places it (edited as for a raw image) at the start of RAM,
    /// which must lie below the image. Returns the device tree's address, or null without one.
    /// </summary>
    public static uint? LoadElf(IBareMetalBoard board, ElfFile elf, KernelBootOptions options)
    {
        board.LoadElf(elf);
        if (options.DeviceTree is not { } blob) return null;
        var ram = board.Ram;
        var dtb = EditDeviceTree(blob, ram.Base, ram.Size, options.CommandLine, 0, 0);
        ulong lowest = elf.LoadSegments.Count == 0 ? ulong.MaxValue : elf.LoadSegments.Min(s => (ulong)s.PhysicalAddress);
        if (lowest >= ram.Base && lowest < ram.Base + (ulong)dtb.Length)
            throw new ArgumentException($"no room for the device tree (0x{dtb.Length:x} bytes) at 0x{ram.Base:x8}, below the ELF image at 0x{lowest:x8}");
        board.Bus.WriteRam(ram.Base, dtb);
        return ram.Base;
    }

    /// <summary>The ATAG list of set_kernel_args.</summary>
    public static byte[] Atags(uint ramBase, uint ramSize, uint initrdStart, uint initrdSize, string commandLine)
    {
        var words = new List<uint> { 5, AtagCore, 1, 0x1000, 0, 4, AtagMem, ramSize, ramBase };
        if (initrdSize != 0) words.AddRange([4, AtagInitrd2, initrdStart, initrdSize]);
        byte[] cmdline = [];
        if (commandLine.Length > 0)
        {
            // The string with its NUL, in whole words: (length / 4 + 1) words after the two of the header.
            int length = Encoding.UTF8.GetByteCount(commandLine);
            int cmdWords = (length >> 2) + 1;
            words.AddRange([(uint)cmdWords + 2, AtagCmdline]);
            cmdline = new byte[cmdWords * 4];
            Encoding.UTF8.GetBytes(commandLine, cmdline);
        }
        var bytes = new byte[words.Count * 4 + cmdline.Length + 8];
        for (int i = 0; i < words.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), words[i]);
        cmdline.CopyTo(bytes, words.Count * 4);
        return bytes; // ends with ATAG_NONE: two zero words
    }

    /// <summary>The edits arm_load_dtb makes to a <c>-dtb</c> blob; throws <see cref="DeviceTreeFormatException"/> for a bad one.</summary>
    public static byte[] EditDeviceTree(byte[] blob, uint ramBase, uint ramSize, string commandLine, uint initrdStart, uint initrdSize)
    {
        var fdt = FlattenedDeviceTree.Parse(blob);
        uint addressCells = RootCells(fdt, "#address-cells"), sizeCells = RootCells(fdt, "#size-cells");
        if (addressCells is 0 or > 2 || sizeCells is 0 or > 2)
            throw new DeviceTreeFormatException($"the root's #address-cells ({addressCells}) and #size-cells ({sizeCells}) must be 1 or 2");

        foreach (var (_, node) in FlattenedDeviceTree.Descendants(fdt.Root).ToList())
            if (node.Name == "memory" || node.Name.StartsWith("memory@", StringComparison.Ordinal)) node.Remove();
        var memory = fdt.Root.AddChild("memory@" + ramBase.ToString("x", CultureInfo.InvariantCulture));
        memory.SetProperty("device_type", FlattenedDeviceTree.String("memory"));
        memory.SetProperty("reg", FlattenedDeviceTree.SizedCells((addressCells, ramBase), (sizeCells, ramSize)));

        var chosen = fdt.Root.Child("chosen") ?? fdt.Root.AddChild("chosen");
        if (commandLine.Length > 0) chosen.SetProperty("bootargs", FlattenedDeviceTree.String(commandLine));
        if (initrdSize != 0)
        {
            chosen.SetProperty("linux,initrd-start", FlattenedDeviceTree.SizedCells((addressCells, initrdStart)));
            chosen.SetProperty("linux,initrd-end", FlattenedDeviceTree.SizedCells((addressCells, (ulong)initrdStart + initrdSize)));
        }
        // load_device_tree opens the blob into a buffer of 2 * (file size + 10000) bytes, and the
        // whole buffer is what goes into memory.
        return fdt.ToBytes(2 * (fdt.OriginalSize + 10000));
    }

    private static uint RootCells(FlattenedDeviceTree fdt, string name)
    {
        var value = fdt.Root.Property(name) ?? throw new DeviceTreeFormatException($"the root node has no {name} property");
        if (value.Length != 4) throw new DeviceTreeFormatException($"the root's {name} is {value.Length} bytes long, not one cell");
        return BinaryPrimitives.ReadUInt32BigEndian(value);
    }
}
