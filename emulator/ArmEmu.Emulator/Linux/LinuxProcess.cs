using ArmEmu.Cpu;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>How to start a Linux user-mode process (the options of <c>armemu run</c>).</summary>
public sealed class LinuxProcessOptions
{
    /// <summary>The processor the program runs on (default the ARM926EJ-S; <see cref="CpuModel.CortexA9"/> for ARMv7 programs).</summary>
    public CpuModel Cpu { get; init; } = CpuModel.Arm926;

    /// <summary>argv, including argv[0].</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The environment as "NAME=value" strings, in order.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Where the ELF interpreter of a dynamic executable is looked up (-L), as qemu-arm does.</summary>
    public string? SysRoot { get; init; }

    /// <summary>Physical RAM of the machine the process lives in.</summary>
    public uint RamSize { get; init; } = 1u << 30;

    /// <summary>Where each system call is logged as qemu-arm's -strace does, or null for none.</summary>
    public TextWriter? Strace { get; init; }

    /// <summary>The cache model (on by default, with the ARM926's caches).</summary>
    public Memory.Caches.CacheModelOptions Caches { get; init; } = Memory.Caches.CacheModelOptions.Arm926;

    /// <summary>
    /// Whether the kernel makes several MAP_SHARED mappings of one file page in the process
    /// uncacheable, as Linux's make_coherent does on VIVT caches (on by default; off shows the
    /// aliases diverge: <c>armemu run --no-make-coherent</c>).
    /// </summary>
    public bool MakeCoherent { get; init; } = true;

    /// <summary>
    /// The seed of AT_RANDOM, getrandom and /dev/urandom reads (qemu-arm's <c>-seed</c>); null
    /// takes them from the host. Seeded by default, so that runs are reproducible.
    /// </summary>
    public ulong? RandomSeed { get; init; } = GuestRandom.DefaultSeed;

    /// <summary>Size of the main thread's stack (qemu-arm's <c>-s</c>; 8 MiB by default).</summary>
    public uint StackSize { get; init; } = ExecImage.DefaultStackSize;

    /// <summary>The release uname reports (qemu-arm's <c>-r</c>); null: the host's.</summary>
    public string? UnameRelease { get; init; }

    /// <summary>
    /// Where the kernel names what it does not implement (a system call answered with ENOSYS,
    /// once per call); null: silent.
    /// </summary>
    public TextWriter? Diagnostics { get; init; }

    /// <summary>
    /// Whether <see cref="Diagnostics"/> also names the newer calls C libraries probe for and
    /// replace when they are missing (rseq, clone3...); off by default, as they change nothing.
    /// </summary>
    public bool ReportProbedCalls { get; init; }
}

/// <summary>Thrown for a program that cannot be started (bad ELF, missing interpreter); the message is one line.</summary>
internal sealed class ProcessLoadException(string message) : Exception(message);

/// <summary>
/// A Linux user-mode run, as qemu-arm does one: a <see cref="LinuxMachine"/>, the emulated
/// <see cref="LinuxKernel"/> on it, and the first process, started from an ARM ELF program.
/// The properties describe the machine and that first process (the one whose exit ends the
/// run); processes and threads it creates are the kernel's.
/// </summary>
public sealed class LinuxProcess : IMachine, IDisposable
{
    private readonly LinuxProcessOptions _options;

    /// <summary>Loads the static or dynamic ARM ELF executable at <paramref name="executablePath"/> into a new process built as <paramref name="options"/> say; call <see cref="Run"/> to run it.</summary>
    public LinuxProcess(string executablePath, LinuxProcessOptions options)
    {
        _options = options;
        ExecutablePath = executablePath;
        Machine = new LinuxMachine(options.Cpu, options.RamSize, options.Caches);
        Kernel = new LinuxKernel(Machine, SysRoot, options.MakeCoherent)
        {
            Strace = options.Strace,
            Diagnostics = options.Diagnostics,
            ReportProbedCalls = options.ReportProbedCalls,
            Random = new GuestRandom(options.RandomSeed),
            StackSize = options.StackSize,
            UnameRelease = options.UnameRelease,
        };
        try
        {
            Kernel.Start(executablePath, options.Arguments, options.Environment);
        }
        catch
        {
            Machine.Dispose();
            throw;
        }
    }

    internal LinuxMachine Machine { get; }

    internal LinuxKernel Kernel { get; }

    /// <summary>The processor the process runs on (shared by its threads).</summary>
    public Cpu.Cpu Cpu => Machine.Cpu;

    /// <summary>Machine time, for the DMA controller's timed transfers.</summary>
    internal VirtualClock Clock => Machine.Clock;

    /// <summary>The board's PL110, reachable through /dev/mem (--screenshot shows it).</summary>
    internal Pl110Clcd Lcd => Machine.Lcd;

    /// <summary>The board's PL080, reachable through /dev/mem.</summary>
    internal Pl080Dma Dma => Machine.Dma;

    /// <summary>The physical bus (RAM, the DMA memory and the devices).</summary>
    public PhysicalBus Bus => Machine.Bus;

    /// <summary>Whether make_coherent is on (see <see cref="LinuxProcessOptions.MakeCoherent"/>).</summary>
    public bool MakeCoherent => _options.MakeCoherent;

    /// <summary>The caches and write buffer; null with the cache model off.</summary>
    public Memory.Caches.CacheSystem? Caches => Machine.Caches;

    internal MemoryPort Memory => Machine.Memory;

    /// <summary>The first process's address space.</summary>
    internal ProcessAddressSpace AddressSpace => Kernel.InitialProcess.AddressSpace;

    /// <summary>The host path of the program that was loaded.</summary>
    public string ExecutablePath { get; }

    /// <summary>Bytes of physical RAM behind the process's address space.</summary>
    public uint RamSize => Machine.RamSize;

    /// <summary>The -L prefix for absolute guest paths, without a trailing slash; null if none.</summary>
    public string? SysRoot => _options.SysRoot is { Length: > 0 } root ? Path.GetFullPath(root).TrimEnd('/') : null;

    /// <summary>The first process's program (its symbols serve the profiler).</summary>
    internal ElfFile Executable => Kernel.InitialProcess.Image.Executable;

    /// <summary>What was added to the executable's link addresses when it was loaded: 0 for a fixed-address executable, the base for a PIE.</summary>
    public uint LoadBias => Kernel.InitialProcess.Image.LoadBias;

    /// <summary>The interpreter's ELF and bias, for a dynamic executable.</summary>
    internal (ElfFile Elf, uint Bias)? Interpreter => Kernel.InitialProcess.Image.Interpreter;

    /// <summary>Runs until the first process exits or <paramref name="maxInstructions"/> have run; returns its exit status, or null if the budget ran out.</summary>
    public int? Run(long maxInstructions = long.MaxValue) => Kernel.Run(maxInstructions);

    /// <summary>A write to a copy-on-write page is the kernel's to resolve, not a fault the API's hooks see.</summary>
    bool IMachine.ResolvesFaultItself(MemoryFault fault) =>
        fault.Kind == FaultKind.Permission && (fault.Access & AccessKind.Write) != 0
        && Kernel.CurrentProcess.AddressSpace.IsCopyOnWrite(fault.Address);

    // ---- the memory map: the running process's virtual addresses, as its own mmap/munmap/mprotect ----

    /// <summary>Maps zeroed private memory into the running process (as mmap MAP_FIXED over free pages below TASK_SIZE).</summary>
    public void MapMemory(uint address, uint size, Permission rights = Permission.All) => Kernel.MapForEmbedder(address, size, rights);

    /// <summary>Maps the caller's buffer into the running process (see <see cref="IMachine.MapMemory(uint, byte[], Permission)"/>); pinned until this machine is disposed.</summary>
    public void MapMemory(uint address, byte[] buffer, Permission rights = Permission.All) => Kernel.MapBufferForEmbedder(address, buffer, rights);

    /// <summary>Unmaps pages of the running process, as munmap (dirty cached lines are written back first).</summary>
    public void UnmapMemory(uint address, uint size) => Kernel.UnmapForEmbedder(address, size);

    /// <summary>Changes the rights of pages of the running process, as mprotect.</summary>
    public void ProtectMemory(uint address, uint size, Permission rights) => Kernel.ProtectForEmbedder(address, size, rights);

    /// <summary>The running process's mappings in runs of equal rights.</summary>
    public IReadOnlyList<MemoryRegion> Regions => Kernel.RegionsForEmbedder();

    /// <summary>Frees the machine's memory and unpins buffers an embedder mapped into the process.</summary>
    public void Dispose()
    {
        Machine.Dispose();
        Kernel.ReleaseEmbedderBuffers();
    }
}
