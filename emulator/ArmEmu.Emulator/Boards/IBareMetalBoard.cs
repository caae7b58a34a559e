using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Emulator.Semihosting;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Boards;

/// <summary>What <c>armemu system</c> and embedding programs need of any bare-metal board (and <see cref="IMachine"/>: hooks, registers, contexts, caches).</summary>
public interface IBareMetalBoard : IMachine, IDisposable
{
    /// <summary>The board's main RAM (where a kernel image, its boot stub and its parameters go).</summary>
    internal RamRegion Ram { get; }

    /// <summary>The board's Linux machine number (r1 at kernel entry; arch/arm/tools/mach-types).</summary>
    uint LinuxMachineId { get; }

    internal VirtualClock Clock { get; }

    internal ArmSemihosting Semihosting { get; }

    /// <summary>The guest's exit status once it has exited (semihosting, or a board power-off), else null.</summary>
    int? ExitStatus { get; }

    /// <summary>
    /// The reason a Linux kernel gave when it panicked, read from its console (<see cref="Devices.KernelPanicWatch"/>);
    /// the run then ends with status 1. Null when it did not (or the board does not watch).
    /// </summary>
    string? KernelPanic => null;

    /// <summary>The LCD controller --screenshot reads, or null where the board has none modelled.</summary>
    internal Pl110Clcd? Clcd { get; }

    /// <summary>Loads an ELF image at its physical addresses and starts at its entry.</summary>
    internal void LoadElf(ElfFile elf);

    /// <summary>Loads a raw binary at <paramref name="address"/> and starts at <paramref name="entry"/>.</summary>
    void LoadRaw(ReadOnlySpan<byte> image, uint address, uint entry);

    /// <summary>Runs until the guest exits, stops making progress, or <paramref name="maxInstructions"/> have run.</summary>
    MachineStop Run(long maxInstructions);

    // The memory map through IMachine: a board's addresses are physical (PhysicalMemoryMap says how).
    void IMachine.MapMemory(uint address, uint size, Permission rights) => PhysicalMemoryMap.Of(this).Map(address, size, rights);

    void IMachine.MapMemory(uint address, byte[] buffer, Permission rights) => PhysicalMemoryMap.Of(this).Map(address, buffer, rights);

    void IMachine.UnmapMemory(uint address, uint size) => PhysicalMemoryMap.Of(this).Unmap(address, size);

    void IMachine.ProtectMemory(uint address, uint size, Permission rights) => PhysicalMemoryMap.Of(this).Protect(address, size, rights);

    IReadOnlyList<MemoryRegion> IMachine.Regions => PhysicalMemoryMap.Of(this).Regions;
}
