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

    // ---- the memory map (uc_mem_map, uc_mem_map_ptr, uc_mem_unmap, uc_mem_protect, uc_mem_regions) ----
    // What an address means differs by machine, and each says so: the bare emulator's addresses
    // are virtual and physical at once; Linux user mode's are the running process's virtual
    // addresses (its address space, so /proc/self/maps and the guest's own mmap see them); a
    // board's are physical (its RAM and devices, under whatever MMU map the guest sets up).
    // Every range is whole 4 KiB pages; a bad range is an ArgumentException with one line.

    /// <summary>Maps zeroed memory over whole pages none of which is mapped (uc_mem_map).</summary>
    void MapMemory(uint address, uint size, Permission rights = Permission.All);

    /// <summary>
    /// Maps the caller's <paramref name="buffer"/> (a multiple of 4 KiB) at <paramref name="address"/>
    /// (uc_mem_map_ptr): what the guest stores is in the array (behind the caches when the cache
    /// model is on: a dirty line reaches it when written back), and what the caller writes the
    /// guest reads. The array stays pinned while the machine may use it.
    /// </summary>
    void MapMemory(uint address, byte[] buffer, Permission rights = Permission.All);

    /// <summary>
    /// Unmaps whole mapped pages, any part of a mapping or several (uc_mem_unmap). Their cached
    /// lines go (Linux user mode writes dirty ones back first, as munmap's flush_cache_range
    /// does; the emulator and the boards drop them with the memory) and decoded instructions of
    /// them are forgotten.
    /// </summary>
    void UnmapMemory(uint address, uint size);

    /// <summary>Changes the rights of whole mapped pages (uc_mem_protect); a forbidden access is a protection fault the fault hooks see.</summary>
    void ProtectMemory(uint address, uint size, Permission rights);

    /// <summary>The mapped memory as runs of pages with the same rights, in address order (uc_mem_regions).</summary>
    IReadOnlyList<MemoryRegion> Regions { get; }

    /// <summary>
    /// True when the machine resolves this fault itself without the guest noticing (Linux user
    /// mode breaking copy-on-write): fault hooks are not told of it.
    /// </summary>
    internal bool ResolvesFaultItself(MemoryFault fault) => false;
}
