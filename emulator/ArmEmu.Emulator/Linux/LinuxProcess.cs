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
/// A Linux user-mode run, as qemu-arm does one: a <see cref="LinuxMachine"/>, the emulated
/// <see cref="LinuxKernel"/> on it, and the first process, started from an ARM ELF program.
/// The properties describe the machine and that first process (the one whose exit ends the
/// run); processes and threads it creates are the kernel's.
/// </summary>
public sealed class LinuxProcess : IDisposable
{
    private readonly LinuxProcessOptions _options;

    public LinuxProcess(string executablePath, LinuxProcessOptions options)
    {
        _options = options;
        ExecutablePath = executablePath;
        Machine = new LinuxMachine(options.Cpu, options.RamSize, options.Caches);
        Kernel = new LinuxKernel(Machine, SysRoot, options.MakeCoherent) { Strace = options.Strace };
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

    public LinuxMachine Machine { get; }

    public LinuxKernel Kernel { get; }

    public Cpu.Cpu Cpu => Machine.Cpu;

    /// <summary>Machine time, for the DMA controller's timed transfers.</summary>
    public VirtualClock Clock => Machine.Clock;

    /// <summary>The board's PL110, reachable through /dev/mem (--screenshot shows it).</summary>
    public Pl110Clcd Lcd => Machine.Lcd;

    /// <summary>The board's PL080, reachable through /dev/mem.</summary>
    public Pl080Dma Dma => Machine.Dma;

    /// <summary>The physical bus (RAM, the DMA memory and the devices).</summary>
    public PhysicalBus Bus => Machine.Bus;

    /// <summary>Whether make_coherent is on (see <see cref="LinuxProcessOptions.MakeCoherent"/>).</summary>
    public bool MakeCoherent => _options.MakeCoherent;

    /// <summary>The caches and write buffer; null with the cache model off.</summary>
    public Memory.Caches.CacheSystem? Caches => Machine.Caches;

    public MemoryPort Memory => Machine.Memory;

    /// <summary>The first process's address space.</summary>
    public ProcessAddressSpace AddressSpace => Kernel.InitialProcess.AddressSpace;

    public string ExecutablePath { get; }

    public uint RamSize => Machine.RamSize;

    /// <summary>The -L prefix for absolute guest paths, without a trailing slash; null if none.</summary>
    public string? SysRoot => _options.SysRoot is { Length: > 0 } root ? Path.GetFullPath(root).TrimEnd('/') : null;

    /// <summary>The first process's program (its symbols serve the profiler).</summary>
    public ElfFile Executable => Kernel.InitialProcess.Image.Executable;

    public uint LoadBias => Kernel.InitialProcess.Image.LoadBias;

    /// <summary>The interpreter's ELF and bias, for a dynamic executable.</summary>
    public (ElfFile Elf, uint Bias)? Interpreter => Kernel.InitialProcess.Image.Interpreter;

    /// <summary>Runs until the first process exits or <paramref name="maxInstructions"/> have run; returns its exit status, or null if the budget ran out.</summary>
    public int? Run(long maxInstructions = long.MaxValue) => Kernel.Run(maxInstructions);

    public void Dispose() => Machine.Dispose();
}
