using ArmEmu.Cpu;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The machine Linux user mode runs on: one CPU, the physical bus with the RAM the processes'
/// frames come from, the caches and write buffer every process shares, the virtual clock,
/// and the two Versatile PB devices a user-space driver reaches through /dev/mem. It knows
/// nothing of processes; the kernel (<see cref="LinuxKernel"/>) points the memory port at
/// one process's address space at a time (<see cref="SwitchAddressSpace"/>).
/// </summary>
/// <remarks>
/// The physical map (what <c>/dev/mem</c> exposes) is the Versatile PB's where it matters to
/// a user-space driver:
/// <list type="bullet">
/// <item>0x0FF0_0000-0x0FFF_FFFF: <see cref="DmaMemoryBase"/>, 1 MiB of RAM at the top of the
/// board's 256 MiB SDRAM window, reserved for DMA buffers (as a reserved-memory region or
/// <c>mem=255M</c> would keep it from the kernel's page allocator): processes' own frames
/// never come from it, /dev/mem maps it cacheable (uncached-bufferable with O_SYNC).</item>
/// <item>0x1012_0000: the PL110 LCD controller (<see cref="Lcd"/>), scanning out of RAM.</item>
/// <item>0x1013_0000: the PL080 DMA controller (<see cref="Dma"/>), a bus master on the
/// physical bus only, as on the board; /dev/mem maps its registers uncached.</item>
/// <item><see cref="ProcessRamBase"/> upwards: the RAM processes' pages come from
/// (<see cref="LinuxProcessOptions.RamSize"/>), outside the board's window so that it can be
/// larger than the board's 256 MiB and never overlaps a device.</item>
/// </list>
/// </remarks>
internal sealed class LinuxMachine : IDisposable
{
    public const uint DmaMemoryBase = 0x0FF0_0000;
    public const uint DmaMemorySize = 1u << 20;
    public const uint DmaControllerBase = 0x1013_0000; // the Versatile PB's PL080
    public const uint LcdControllerBase = 0x1012_0000; // and its PL110
    public const uint ProcessRamBase = 0x2000_0000;
    /// <summary>The clock the DMA controller's timing is counted in (one instruction per cycle, as the board model).</summary>
    public const ulong CpuHz = 200_000_000;

    public LinuxMachine(CpuModel model, uint ramSize, CacheModelOptions caches)
    {
        if ((ulong)ProcessRamBase + ramSize > 1UL << 32) throw new ProcessLoadException($"RAM size: at most 0x{(1UL << 32) - ProcessRamBase:x} bytes");
        RamSize = ramSize;
        var ram = Bus.AddRam(ProcessRamBase, ramSize, "ram");
        Bus.AddRam(DmaMemoryBase, DmaMemorySize, "dma-memory");
        Frames = new FrameAllocator(ram);
        var code = new Cpu.Decoding.CodeCache(model);
        ExecutableMappings = new ExecutableMappings(code);
        InitialAddressSpace = new ProcessAddressSpace(Frames, ExecutableMappings);
        Memory = new MemoryPort(Bus, InitialAddressSpace);
        Cpu = new Cpu.Cpu(model, Memory, code);
        Clock = new VirtualClock(Cpu, CpuHz);
        // DMACINTR goes nowhere: a user-space driver polls the controller's status registers.
        Dma = new Pl080Dma(Bus, Clock, InterruptLine.Unconnected());
        Bus.AddDevice(DmaControllerBase, Dma);
        Lcd = new Pl110Clcd(Bus, Clock, InterruptLine.Unconnected());
        Bus.AddDevice(LcdControllerBase, Lcd);
        Caches = caches.Build(Bus, () => Cpu.InstructionsExecuted);
        Memory.Caches = Caches;
        // An outer cache (--l2cache) is in the path: the kernel enabled it at boot (l2c310's init), long before a program runs.
        if (Caches?.OuterCache is { } outer) outer.Enabled = true;
        if (LinuxUserCp15.ExistsOn(model))
        {
            UserCp15 = new LinuxUserCp15();
            Cpu.Coprocessors[15] = UserCp15;
        }
        // DSB and DMB (and the ARMv6 CP15 forms) drain the write buffer of the cache model.
        if (Caches is { } cacheSystem) Cpu.DataBarrier = cacheSystem.DrainWriteBuffer;
    }

    /// <summary>The thread ID registers and barriers User mode reaches on ARMv6K/v7 (null on older models).</summary>
    public LinuxUserCp15? UserCp15 { get; }

    /// <summary>The one CPU every thread runs on, its registers switched by the kernel's scheduler.</summary>
    public Cpu.Cpu Cpu { get; }

    /// <summary>Machine time, for the DMA controller's timed transfers.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The board's PL110 at <see cref="LcdControllerBase"/>, reachable through /dev/mem (--screenshot shows it).</summary>
    public Pl110Clcd Lcd { get; }

    /// <summary>The board's PL080 at <see cref="DmaControllerBase"/>, reachable through /dev/mem.</summary>
    public Pl080Dma Dma { get; }

    /// <summary>The physical bus (RAM, the DMA memory and the devices).</summary>
    public PhysicalBus Bus { get; } = new();

    /// <summary>The frames of the processes' RAM.</summary>
    public FrameAllocator Frames { get; }

    /// <summary>
    /// Which virtual pages some process maps executable: every address space of the machine
    /// counts its own in it, and the CPU's decoded-instruction store forgets a page when the last goes.
    /// </summary>
    public ExecutableMappings ExecutableMappings { get; }

    /// <summary>A new, empty address space of this machine (execve's).</summary>
    public ProcessAddressSpace NewAddressSpace() => new(Frames, ExecutableMappings);

    /// <summary>The caches and write buffer; null with the cache model off.</summary>
    public CacheSystem? Caches { get; }

    /// <summary>The CPU's memory port, translating through the address space of the running process.</summary>
    public MemoryPort Memory { get; }

    /// <summary>The empty address space the port starts with (the first process's).</summary>
    public ProcessAddressSpace InitialAddressSpace { get; }

    public uint RamSize { get; }

    /// <summary>Switches between address spaces (not counting the first process's start).</summary>
    public ulong AddressSpaceSwitches { get; private set; }

    /// <summary>
    /// Points the memory port at another process's address space, doing first what Linux's
    /// cpu_arm926_switch_mm (arch/arm/mm/proc-arm926.S) does on a VIVT cache, whose lines are
    /// tagged by virtual address only: clean and invalidate the whole D-cache (the test, clean
    /// and invalidate loop), invalidate the I-cache, drain the write buffer, load the new page
    /// table and invalidate the TLBs (here: the port's fast path, flushed when its translator
    /// changes). Threads of one process share an address space and switch for free.
    /// </summary>
    public void SwitchAddressSpace(ProcessAddressSpace space)
    {
        if (ReferenceEquals(Memory.Translator, space)) return;
        FlushWholeCache();
        Memory.Translator = space; // flushes the port's fast path: the TLB flush
        AddressSpaceSwitches++;
    }

    /// <summary>Makes code written to [start, end) visible to instruction fetch (cacheflush, and the kernel after loading code).</summary>
    public void CoherentUserRange(uint start, uint end)
    {
        // arm926_coherent_user_range: per line, clean D (c7,c10,1) and invalidate I (c7,c5,1);
        // then drain the write buffer (c7,c10,4). Without a cache model memory is always
        // coherent: the decoded-instruction cache checks every fetched word.
        if (Caches is not { } caches) return;
        if (Cpu.Model.Arch >= ArchVersion.V7 && (object)caches is ICacheMaintenanceV7 v7)
        {
            // v7_coherent_user_range (arch/arm/mm/cache-v7.S): DCCMVAU per D line (CTR.DminLine),
            // DSB, ICIMVAU per I line (CTR.IminLine), DSB. The caches reached through the ARMv7
            // operations when the cache model offers them; otherwise the same clean and
            // invalidate through the ARMv5 ones below, which is what they amount to on one level.
            uint dLine = (uint)(v7.Geometry(0, instruction: false)?.LineBytes ?? 32);
            uint iLine = (uint)(v7.Geometry(0, instruction: true)?.LineBytes ?? 32);
            for (ulong a = start & ~(dLine - 1); a < end; a += dLine) v7.CleanDataByMva((uint)a, toUnification: true);
            v7.DataSynchronizationBarrier();
            for (ulong a = start & ~(iLine - 1); a < end; a += iLine) v7.InvalidateInstructionByMva((uint)a);
            v7.DataSynchronizationBarrier();
            return;
        }
        uint line = (uint)(caches.DataCache?.LineBytes ?? 32);
        for (ulong a = start & ~(line - 1); a < end; a += line)
        {
            caches.CleanDataLine((uint)a);
            caches.InvalidateInstructionLine((uint)a);
        }
        caches.DrainWriteBuffer();
    }

    /// <summary>CACHE_DLIMIT of proc-arm926.S: a range longer than this is flushed by flushing the whole cache.</summary>
    public const uint FlushRangeLimit = 16384;

    /// <summary>
    /// flush_cache_range for a VIVT cache, as munmap, mprotect and mremap do before the
    /// mapping changes: clean and invalidate D and invalidate I over the range; over more
    /// than <see cref="FlushRangeLimit"/> bytes, the whole cache instead, as
    /// arm926_flush_user_cache_range does (a thread's 8 MiB stack is not walked line by line).
    /// </summary>
    public void FlushUserRange(uint start, uint end)
    {
        if (Caches is not { } caches) return;
        if (end - start > FlushRangeLimit)
        {
            FlushWholeCache();
            return;
        }
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

    /// <summary>
    /// flush_cache_mm for a VIVT cache (what fork's dup_mmap does to the parent before it
    /// copies the page tables, and exit before the address space goes): clean and invalidate
    /// the whole D-cache, invalidate the I-cache, drain the write buffer.
    /// </summary>
    public void FlushWholeCache()
    {
        if (Caches is not { } caches) return;
        while (!caches.TestCleanAndInvalidateDataCache()) { }
        caches.InvalidateInstructionCache();
        caches.DrainWriteBuffer();
    }

    public void Dispose()
    {
        Memory.Dispose();
        Bus.Dispose();
    }
}
