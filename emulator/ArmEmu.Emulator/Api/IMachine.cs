using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator;

/// <summary>
/// What every machine offers an embedding program, whichever it is: the bare
/// <see cref="Emulator"/> (Unicorn's shape), Linux user mode (<see cref="Linux.LinuxProcess"/>)
/// and the boards (<see cref="Boards.IBareMetalBoard"/>). Hooks, registers by name, contexts,
/// cache inspection and stopping are written once against this interface
/// (<see cref="MachineHooks"/>, <see cref="MachineExtensions"/>), so they reach every machine
/// equally.
/// </summary>
public interface IMachine
{
    /// <summary>The processor (its registers, its run control).</summary>
    Cpu.Cpu Cpu { get; }

    /// <summary>The physical bus: RAM regions and devices.</summary>
    PhysicalBus Bus { get; }

    /// <summary>The caches and write buffer; null with the cache model off.</summary>
    CacheSystem? Caches { get; }

    /// <summary>
    /// True when the machine resolves this fault itself without the guest noticing (Linux user
    /// mode breaking copy-on-write): fault hooks are not told of it.
    /// </summary>
    internal bool ResolvesFaultItself(MemoryFault fault) => false;
}
