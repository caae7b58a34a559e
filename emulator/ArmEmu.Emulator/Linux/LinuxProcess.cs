using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>How to start a Linux user-mode process (the options of <c>armemu run</c>).</summary>
public sealed class LinuxProcessOptions
{
    public CpuModel Cpu { get; init; } = CpuModel.Arm926;

    /// <summary>argv, including argv[0].</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The environment as "NAME=value" strings, in order.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Where the ELF interpreter of a dynamic executable is looked up (-L), as qemu-arm does.</summary>
    public string? SysRoot { get; init; }

    /// <summary>Physical RAM of the machine the process lives in.</summary>
    public uint RamSize { get; init; } = 1u << 30;

    public TextWriter? Strace { get; init; }

    /// <summary>The cache model (on by default, with the ARM926's caches).</summary>
    public Memory.Caches.CacheModelOptions Caches { get; init; } = Memory.Caches.CacheModelOptions.Arm926;

    /// <summary>
    /// Whether the kernel makes several MAP_SHARED mappings of one file page in the process
    /// uncacheable, as Linux's make_coherent does on VIVT caches (on by default; off shows the
    /// aliases diverge: <c>armemu run --no-make-coherent</c>).
    /// </summary>
    public bool MakeCoherent { get; init; } = true;
}

/// <summary>Thrown for a program that cannot be started (bad ELF, missing interpreter); the message is one line.</summary>
public sealed class ProcessLoadException(string message) : Exception(message);

/// <summary>
/// A Linux ARM EABI process, as qemu-arm runs one: the ELF image (and its
/// interpreter) loaded into a page-granular address space whose pages are
/// frames of the machine's RAM, the initial stack with argv, envp and the
/// auxiliary vector, the kuser helper page, and the emulated kernel.
/// </summary>
/// <remarks>
/// The physical map of the machine the process runs on (what <c>/dev/mem</c> exposes) is
/// the Versatile PB's where it matters to a user-space driver:
/// <list type="bullet">
/// <item>0x0FF0_0000-0x0FFF_FFFF: <see cref="DmaMemoryBase"/>, 1 MiB of RAM at the top of the
/// board's 256 MiB SDRAM window, reserved for DMA buffers (as a reserved-memory region or
/// <c>mem=255M</c> would keep it from the kernel's page allocator): the process's own
/// frames never come from it, /dev/mem maps it cacheable (uncached-bufferable with O_SYNC).</item>
/// <item>0x1012_0000: the PL110 LCD controller (<see cref="Lcd"/>), scanning out of RAM.</item>
/// <item>0x1013_0000: the PL080 DMA controller (<see cref="Dma"/>), a bus master on the
/// physical bus only, as on the board; /dev/mem maps its registers uncached.</item>
/// <item><see cref="ProcessRamBase"/> upwards: the RAM the process's pages come from
/// (<see cref="LinuxProcessOptions.RamSize"/>), outside the board's window so that it can be
/// larger than the board's 256 MiB and never overlaps a device.</item>
/// </list>
/// </remarks>
public sealed class LinuxProcess : IDisposable
{
    public const uint DmaMemoryBase = 0x0FF0_0000;
    public const uint DmaMemorySize = 1u << 20;
    public const uint DmaControllerBase = 0x1013_0000; // the Versatile PB's PL080
    public const uint LcdControllerBase = 0x1012_0000; // and its PL110
    public const uint ProcessRamBase = 0x2000_0000;
    /// <summary>The clock the DMA controller's timing is counted in (one instruction per cycle, as the board model).</summary>
    public const ulong CpuHz = 200_000_000;
    /// <summary>Where mmap looks for free space (upwards), and where ET_DYN interpreters are placed.</summary>
    public const uint MmapStart = 0x4000_0000;
    public const uint StackTop = LinuxKernel.TaskSize;
    public const uint StackSize = 8u << 20;
    private const uint ExecutableBias = 0x0001_0000; // load bias of a position-independent executable

    private readonly PhysicalBus _bus = new();
    private readonly LinuxProcessOptions _options;

    public LinuxProcess(string executablePath, LinuxProcessOptions options)
    {
        _options = options;
        ExecutablePath = executablePath;
        RamSize = options.RamSize;
        if ((ulong)ProcessRamBase + options.RamSize > 1UL << 32) throw new ProcessLoadException($"RAM size: at most 0x{(1UL << 32) - ProcessRamBase:x} bytes");
        var ram = _bus.AddRam(ProcessRamBase, options.RamSize, "ram");
        _bus.AddRam(DmaMemoryBase, DmaMemorySize, "dma-memory");
        AddressSpace = new ProcessAddressSpace(new FrameAllocator(ram));
        Memory = new MemoryPort(_bus, AddressSpace);
        Cpu = new Cpu.Cpu(options.Cpu, Memory);
        Clock = new VirtualClock(Cpu, CpuHz);
        // DMACINTR goes nowhere: a user-space driver polls the controller's status registers.
        Dma = new Pl080Dma(_bus, Clock, InterruptLine.Unconnected());
        _bus.AddDevice(DmaControllerBase, Dma);
        Lcd = new Pl110Clcd(_bus, Clock, InterruptLine.Unconnected());
        _bus.AddDevice(LcdControllerBase, Lcd);
        Caches = options.Caches.Build(_bus, () => Cpu.InstructionsExecuted);
        Memory.Caches = Caches;
        Kernel = new LinuxKernel(this) { Strace = options.Strace };
        Cpu.ExceptionHandler = Kernel.OnException;
        Load(executablePath);
    }

    public Cpu.Cpu Cpu { get; }

    /// <summary>Machine time, for the DMA controller's timed transfers.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The board's PL110 at <see cref="LcdControllerBase"/>, reachable through /dev/mem (--screenshot shows it).</summary>
    public Pl110Clcd Lcd { get; }

    /// <summary>The board's PL080 at <see cref="DmaControllerBase"/>, reachable through /dev/mem.</summary>
    public Pl080Dma Dma { get; }

    /// <summary>The physical bus (RAM, the DMA memory and the devices).</summary>
    public PhysicalBus Bus => _bus;

    /// <summary>Whether make_coherent is on (see <see cref="LinuxProcessOptions.MakeCoherent"/>).</summary>
    public bool MakeCoherent => _options.MakeCoherent;

    /// <summary>The caches and write buffer; null with the cache model off.</summary>
    public Memory.Caches.CacheSystem? Caches { get; }

    public MemoryPort Memory { get; }

    public ProcessAddressSpace AddressSpace { get; }

    public LinuxKernel Kernel { get; }

    public string ExecutablePath { get; }

    public uint RamSize { get; }

    /// <summary>The -L prefix for absolute guest paths, without a trailing slash; null if none.</summary>
    public string? SysRoot => _options.SysRoot is { Length: > 0 } root ? Path.GetFullPath(root).TrimEnd('/') : null;

    /// <summary>The main executable (its symbols serve the profiler).</summary>
    public ElfFile Executable { get; private set; } = null!;

    public uint LoadBias { get; private set; }

    /// <summary>The interpreter's ELF and bias, for a dynamic executable.</summary>
    public (ElfFile Elf, uint Bias)? Interpreter { get; private set; }

    public uint BrkStart { get; private set; }

    public uint Brk { get; internal set; }

    public uint MmapBase => MmapStart;

    /// <summary>uname's machine field: "armv5tel" for ARMv5, "armv7l" for ARMv7 (what Linux and qemu-arm report).</summary>
    public string UnameMachine => Cpu.Model.Arch >= ArchVersion.V7 ? "armv7l" : Cpu.Model.Arch >= ArchVersion.V6 ? "armv6l" : "armv5tel";

    /// <summary>AT_PLATFORM, as the kernel's elf_platform: "v5l", "v7l".</summary>
    public string Platform => Cpu.Model.Arch >= ArchVersion.V7 ? "v7l" : Cpu.Model.Arch >= ArchVersion.V6 ? "v6l" : "v5l";

    /// <summary>
    /// AT_HWCAP: SWP, HALF, THUMB, FAST_MULT, and EDSP for the DSP extension. No VFP:
    /// ArmEmu's ARM926 has none (QEMU's arm926 adds VFP and reports 0xd7).
    /// </summary>
    public uint HwCap => 0x1 | 0x2 | 0x4 | 0x10 | (Cpu.Model.HasDsp ? 0x80u : 0);

    /// <summary>The thread pointer set by set_tls, kept in the kuser page for __kuser_get_tls.</summary>
    public uint Tls
    {
        get => _tls;
        set
        {
            _tls = value;
            Memory.DebugWrite(KuserHelpers.TlsSlot, BitConverter.GetBytes(value));
        }
    }

    private uint _tls;

    /// <summary>Makes code written to [start, end) visible to instruction fetch (cacheflush, and the kernel after loading code).</summary>
    public void CoherentUserRange(uint start, uint end)
    {
        // arm926_coherent_user_range: per line, clean D (c7,c10,1) and invalidate I (c7,c5,1);
        // then drain the write buffer (c7,c10,4). Without a cache model memory is always
        // coherent: the decoded-instruction cache checks every fetched word.
        if (Caches is not { } caches) return;
        uint line = (uint)(caches.DataCache?.LineBytes ?? 32);
        for (ulong a = start & ~(line - 1); a < end; a += line)
        {
            caches.CleanDataLine((uint)a);
            caches.InvalidateInstructionLine((uint)a);
        }
        caches.DrainWriteBuffer();
    }

    /// <summary>
    /// flush_cache_range for a VIVT cache, as munmap, mprotect and mremap do before the
    /// mapping changes: clean and invalidate D and invalidate I over the range.
    /// </summary>
    public void FlushUserRange(uint start, uint end)
    {
        if (Caches is not { } caches) return;
        uint line = (uint)(caches.DataCache?.LineBytes ?? 32);
        for (ulong a = start & ~(line - 1); a < end; a += line)
        {
            caches.CleanAndInvalidateDataLine((uint)a);
            caches.InvalidateInstructionLine((uint)a);
        }
        caches.DrainWriteBuffer();
    }

    /// <summary>flush_cache_page: clean and invalidate D and invalidate I over the page at <paramref name="va"/> (VIVT lines are per virtual address).</summary>
    public void FlushUserPage(uint va) => FlushUserRange(va & ~PhysicalBus.PageMask, (va & ~PhysicalBus.PageMask) + PhysicalBus.PageSize);

    /// <summary>The auxiliary vector as the process got it (type/value word pairs up to AT_NULL): gdb's qXfer:auxv:read.</summary>
    public byte[] AuxiliaryVector { get; private set; } = [];

    /// <summary>Runs until the process exits or <paramref name="maxInstructions"/> have run; returns the exit status, or null if the budget ran out.</summary>
    public int? Run(long maxInstructions = long.MaxValue)
    {
        long left = maxInstructions;
        while (Kernel.ExitStatus is null && left > 0)
        {
            // Run up to the next device event (a DMA step), then let the devices act, as
            // VersatilePb.Run does; an event scheduled during the slice shortens it.
            long slice = left;
            if (Clock.NextEventTime is ulong next) slice = Math.Max(1, Math.Min(slice, (long)Math.Min(next - Math.Min(next, Clock.Now), long.MaxValue)));
            ulong before = Cpu.InstructionsExecuted;
            Cpu.Run(slice);
            left -= (long)(Cpu.InstructionsExecuted - before);
            Clock.RunDue();
        }
        if (Kernel.ExitStatus is not null) Kernel.WriteBackSharedFiles();
        return Kernel.ExitStatus;
    }

    // ---- loading -------------------------------------------------------------------------

    private void Load(string path)
    {
        Executable = ReadElf(path, "program");
        if (Executable.Type == ElfType.Executable && Executable.LoadSegments.Count > 0 && Executable.LoadSegments[0].VirtualAddress < 0x1000)
            throw new ProcessLoadException($"{path}: a segment at 0x{Executable.LoadSegments[0].VirtualAddress:x} would map page 0");
        LoadBias = Executable.Type == ElfType.SharedObject && Executable.LoadSegments[0].VirtualAddress == 0 ? ExecutableBias : 0;
        uint end = MapSegments(Executable, LoadBias);
        BrkStart = Brk = (uint)((end + PhysicalBus.PageMask) & ~PhysicalBus.PageMask);

        uint entry = Executable.Entry + LoadBias;
        uint interpreterBias = 0;
        if (Executable.Interpreter is { } interpreterPath)
        {
            string hostPath = _options.SysRoot is null ? interpreterPath : Path.Combine(_options.SysRoot, interpreterPath.TrimStart('/'));
            var interpreter = ReadElf(hostPath, "interpreter");
            uint span = (uint)(interpreter.LoadSegments.Max(s => s.VirtualEnd) - interpreter.LoadSegments.Min(s => s.VirtualAddress));
            interpreterBias = AddressSpace.FindFree(span + PhysicalBus.PageSize, MmapStart, StackTop - StackSize)
                              ?? throw new ProcessLoadException("no room for the interpreter");
            MapSegments(interpreter, interpreterBias);
            Interpreter = (interpreter, interpreterBias);
            entry = interpreter.Entry + interpreterBias;
        }

        var vectors = KuserHelpers.BuildPage();
        AddressSpace.Map(KuserHelpers.PageAddress, PhysicalBus.PageSize, Permission.Read | Permission.Execute);
        Memory.DebugWrite(KuserHelpers.PageAddress, vectors);

        uint sp = BuildStack(entry: Executable.Entry + LoadBias, interpreterBias);
        Cpu.SwitchMode(ProcessorMode.User);
        Cpu.I = Cpu.F = false;
        Cpu.R[13] = sp;
        Cpu.T = (entry & 1) != 0;
        Cpu.PC = entry;
    }

    private static ElfFile ReadElf(string path, string what)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The reasons execve(2) gives (ENOENT, EACCES, ...), named as strerror does.
            string reason = Directory.Exists(path) ? "is a directory"
                : e switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
                    UnauthorizedAccessException => "permission denied",
                    _ => e.Message.ReplaceLineEndings(" "),
                };
            throw new ProcessLoadException($"{path}: cannot read the {what}: {reason}");
        }
        try
        {
            var elf = ElfFile.Parse(data);
            if (elf.LoadSegments.Count == 0) throw new ProcessLoadException($"{path}: the {what} has no loadable segments");
            return elf;
        }
        catch (ElfFormatException e)
        {
            throw new ProcessLoadException($"{path}: {e.Message}");
        }
    }

    /// <summary>Maps the PT_LOAD segments at <paramref name="bias"/>; returns the end of the highest one.</summary>
    private uint MapSegments(ElfFile elf, uint bias)
    {
        ulong end = 0;
        foreach (var segment in elf.LoadSegments)
        {
            uint start = segment.VirtualAddress + bias;
            ulong segmentEnd = (ulong)start + segment.MemorySize;
            if (segmentEnd > StackTop - StackSize)
                throw new ProcessLoadException($"segment {segment.Index} at 0x{start:x8} does not fit below the stack");
            var rights = ((segment.Flags & SegmentFlags.Read) != 0 ? Permission.Read : 0)
                         | ((segment.Flags & SegmentFlags.Write) != 0 ? Permission.Write : 0)
                         | ((segment.Flags & SegmentFlags.Execute) != 0 ? Permission.Execute : 0);
            for (ulong page = start & ~(ulong)PhysicalBus.PageMask; page < segmentEnd; page += PhysicalBus.PageSize)
            {
                // Segments may share a page (text end, data start): keep its frame and widen its rights.
                if (AddressSpace.IsMapped((uint)page)) AddressSpace.Protect((uint)page, PhysicalBus.PageSize, AddressSpace.RightsOf((uint)page) | rights);
                else AddressSpace.Map((uint)page, PhysicalBus.PageSize, rights);
            }
            Memory.DebugWrite(start, elf.SegmentData(segment)[..(int)segment.FileSize]);
            end = Math.Max(end, segmentEnd);
        }
        return (uint)end;
    }

    /// <summary>
    /// The initial stack as the kernel's create_elf_tables lays it out: strings at the top
    /// (argv, envp, AT_PLATFORM, AT_EXECFN, 16 random bytes), then, 8-byte aligned,
    /// argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
    /// </summary>
    private uint BuildStack(uint entry, uint interpreterBias)
    {
        uint bottom = StackTop - StackSize;
        AddressSpace.Map(bottom, StackSize, Permission.Read | Permission.Write);
        uint sp = StackTop;

        uint PushBytes(ReadOnlySpan<byte> bytes)
        {
            sp -= (uint)bytes.Length;
            Memory.DebugWrite(sp, bytes);
            return sp;
        }

        uint PushString(string s) => PushBytes(Encoding.UTF8.GetBytes(s + "\0"));

        uint execFn = PushString(ExecutablePath);
        var envAddresses = _options.Environment.Reverse().Select(PushString).Reverse().ToArray();
        var argAddresses = _options.Arguments.Reverse().Select(PushString).Reverse().ToArray();
        uint platform = PushString(Platform);
        sp &= ~15u;
        uint random = PushBytes(RandomNumberGenerator.GetBytes(16));

        uint phdr = ProgramHeaderAddress(Executable) + LoadBias;
        var auxv = new List<(uint Type, uint Value)>
        {
            (3, phdr),                                           // AT_PHDR
            (4, 32),                                             // AT_PHENT
            (5, (uint)Executable.ProgramHeaders.Count),          // AT_PHNUM
            (6, PhysicalBus.PageSize),                           // AT_PAGESZ
            (7, interpreterBias),                                // AT_BASE
            (8, 0),                                              // AT_FLAGS
            (9, entry),                                          // AT_ENTRY
            (11, (uint)HostLibc.GetUid()),                       // AT_UID
            (12, (uint)HostLibc.GetEUid()),                      // AT_EUID
            (13, (uint)HostLibc.GetGid()),                       // AT_GID
            (14, (uint)HostLibc.GetEGid()),                      // AT_EGID
            (15, platform),                                      // AT_PLATFORM
            (16, HwCap),                                         // AT_HWCAP
            (17, 100),                                           // AT_CLKTCK
            (23, 0),                                             // AT_SECURE
            (25, random),                                        // AT_RANDOM
            (26, 0),                                             // AT_HWCAP2
            (31, execFn),                                        // AT_EXECFN
            (0, 0),                                              // AT_NULL
        };

        int words = 1 + argAddresses.Length + 1 + envAddresses.Length + 1 + 2 * auxv.Count;
        sp = (sp - (uint)(4 * words)) & ~7u; // EABI: 8-byte aligned stack at entry
        var table = new byte[4 * words];
        int at = 0;
        void Word(uint v)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(at), v);
            at += 4;
        }
        Word((uint)argAddresses.Length);
        foreach (uint a in argAddresses) Word(a);
        Word(0);
        foreach (uint e in envAddresses) Word(e);
        Word(0);
        foreach (var (type, value) in auxv)
        {
            Word(type);
            Word(value);
        }
        Memory.DebugWrite(sp, table);
        AuxiliaryVector = table.AsSpan(at - 8 * auxv.Count).ToArray();
        return sp;
    }

    /// <summary>The virtual address of the program headers: PT_PHDR, or where e_phoff falls in a PT_LOAD.</summary>
    private static uint ProgramHeaderAddress(ElfFile elf)
    {
        if (elf.PhdrHeader is { } phdr) return phdr.VirtualAddress;
        uint phoff = BinaryPrimitives.ReadUInt32LittleEndian(elf.Data.Span[0x1C..]);
        foreach (var s in elf.LoadSegments)
            if (phoff >= s.Offset && phoff - s.Offset < s.FileSize) return s.VirtualAddress + (phoff - s.Offset);
        return 0;
    }

    public void Dispose()
    {
        Memory.Dispose();
        _bus.Dispose();
    }
}
