using ArmEmu.Cpu;
using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Emulator.Semihosting;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Emulator.Boards;

/// <summary>How to build a Versatile PB (the options of <c>armemu system</c>): an ARM926 with its caches, RAM at 0.</summary>
public sealed class VersatilePbOptions() : BareMetalBoardOptions(CpuModel.Arm926, CacheModelOptions.Arm926);

/// <summary>How a bare-metal run ended.</summary>
public enum MachineStop
{
    /// <summary>The guest exited through semihosting.</summary>
    Exited,
    /// <summary>The instruction budget ran out.</summary>
    InstructionLimit,
    /// <summary>WFI with no event that could ever raise an interrupt.</summary>
    WaitingForever,
    /// <summary>A branch to itself with IRQ and FIQ masked: the guest can make no more progress.</summary>
    Spinning,
    /// <summary>An embedder stopped the run (<see cref="MachineExtensions.Stop"/>: a hook, another thread, a timeout).</summary>
    Stopped,
}

/// <summary>
/// The ARM Versatile PB with an ARM926EJ-S, laid out as QEMU's <c>-M versatilepb</c>
/// (hw/arm/versatilepb.c) so one image runs on both: RAM at 0, system registers,
/// the PL190 VIC and the board's secondary controller, SP804 timers, PL011 UARTs,
/// the PL080 DMA controller and the PL110 CLCD. Devices other than the CPU reach
/// memory through the physical bus only.
/// </summary>
public sealed class VersatilePb : IBareMetalBoard
{
    internal const uint SystemRegistersBase = 0x1000_0000;
    internal const uint SicBase = 0x1000_3000;
    internal const uint ClcdBase = 0x1012_0000;
    internal const uint DmaBase = 0x1013_0000;
    internal const uint VicBase = 0x1014_0000;
    internal const uint Timer01Base = 0x101E_2000;
    internal const uint Timer23Base = 0x101E_3000;
    internal const uint Uart0Base = 0x101F_1000;
    internal const uint Uart1Base = 0x101F_2000;
    internal const uint Uart2Base = 0x101F_3000;

    private readonly Pl011Uart[] _uarts;
    private readonly BareMetalLoop _loop;

    /// <summary>Builds the board (RAM, the ARM926, its devices, the cache model) from <paramref name="options"/>; load a program with <see cref="LoadRaw"/> and run it with <see cref="Run"/>.</summary>
    public VersatilePb(VersatilePbOptions options)
    {
        var trace = options.MmioTrace is null ? Devices.MmioTrace.Off : new MmioTrace(options.MmioTrace);
        Bus = new PhysicalBus();
        Ram = Bus.AddRam(0, options.MemorySize, "ram");
        Mmu = new ArmV5Mmu(Bus);
        Memory = new MemoryPort(Bus, Mmu);
        Code = new CodeCache(options.Cpu);
        Cpu = new Cpu.Cpu(options.Cpu, Memory, Code);
        Caches = options.Caches.Build(Bus, () => Clock!.Now);
        Cp15 = new Arm926Cp15(Mmu, Caches, new CacheGeometry(options.Caches.InstructionCache.SizeBytes,
            options.Caches.DataCache.SizeBytes, options.Caches.DataCache.Ways, options.Caches.DataCache.LineBytes));
        Cp15.Attach(Cpu);
        Clock = new VirtualClock(Cpu, options.CpuHz);
        if (Caches is { } caches)
        {
            // The ARM926 caches are indexed by the FCSE-modified address, and follow SCTLR.C and SCTLR.I.
            caches.ToModifiedVirtual = Mmu.ModifiedVirtualAddress;
            caches.FromModifiedVirtual = mva => Mmu.FcsePid != 0 && (mva & 0xFE00_0000) == Mmu.FcsePid ? mva & 0x01FF_FFFF : null;
            caches.TranslateForMaintenance = mva => Mmu.TryLookup(mva, out uint pa, out _, out _) ? pa : null;
            Cp15.ControlApplied += ApplyCacheEnables;
            ApplyCacheEnables(Cp15.Control);
            Cp15.CacheLockdownChanged += ApplyCacheLockdown;
            Memory.Caches = caches;
        }

        Vic = new Pl190Vic(level => Cpu.IrqLine = level, level => Cpu.FiqLine = level, trace);
        Sic = new VersatileSic(Vic, trace);
        SystemRegisters = new VersatileSystemRegisters(Clock, trace: trace);
        Timers = [new Sp804Timer(Clock, new InterruptLine(Vic, 4), trace: trace), new Sp804Timer(Clock, new InterruptLine(Vic, 5), trace: trace)];
        _uarts =
        [
            new Pl011Uart(new InterruptLine(Vic, 12), options.Uart(0).Output, options.Uart(0).Input, trace, "uart0"),
            new Pl011Uart(new InterruptLine(Vic, 13), options.Uart(1).Output, options.Uart(1).Input, trace, "uart1"),
            new Pl011Uart(new InterruptLine(Vic, 14), options.Uart(2).Output, options.Uart(2).Input, trace, "uart2"),
        ];
        Dma = new Pl080Dma(Bus, Clock, new InterruptLine(Vic, 17), trace);
        Clcd = new Pl110Clcd(Bus, Clock, new InterruptLine(Vic, 16), trace);
        SystemRegisters.ClcdMuxChanged += bits => Clcd.SysClcdMode = (int)(bits & 3);

        Bus.AddDevice(SystemRegistersBase, SystemRegisters);
        Bus.AddDevice(SicBase, Sic);
        Bus.AddDevice(ClcdBase, Clcd);
        Bus.AddDevice(DmaBase, Dma);
        Bus.AddDevice(VicBase, Vic);
        Bus.AddDevice(Timer01Base, Timers[0]);
        Bus.AddDevice(Timer23Base, Timers[1]);
        Bus.AddDevice(Uart0Base, _uarts[0]);
        Bus.AddDevice(Uart1Base, _uarts[1]);
        Bus.AddDevice(Uart2Base, _uarts[2]);

        Semihosting = new ArmSemihosting(Cpu, Memory, new SemihostingOptions
        {
            Console = options.Console,
            ConsoleIsTerminal = options.ConsoleIsTerminal,
            ConsoleInput = Stream.Null,
            Root = options.SemihostingRoot,
            CommandLine = options.CommandLine,
            HeapInfo = (0, 0, 0, 0),
            Centiseconds = () => Clock.Now * 100 / Clock.CpuHz,
        });
        _loop = new BareMetalLoop(Cpu, Memory, Clock, Semihosting, _uarts, options.AnyUartInput(3), () => Caches,
            e => { if (e.Fault is { } f) Cp15.RecordAbort(f, e.Kind == ExceptionKind.PrefetchAbort); }, options.SemihostingEnabled);
    }

    /// <summary>The board's physical bus: its RAM and devices.</summary>
    public PhysicalBus Bus { get; }

    internal RamRegion Ram { get; }

    /// <summary>MACH_TYPE_VERSATILE_PB (387), as QEMU's versatilepb passes in r1.</summary>
    public uint LinuxMachineId => 0x183;

    internal ArmV5Mmu Mmu { get; }

    internal MemoryPort Memory { get; }

    /// <summary>The board's ARM926EJ-S.</summary>
    public Cpu.Cpu Cpu { get; }

    /// <summary>The decoded code of the machine's CPU (virtual pages under the current MMU map).</summary>
    internal CodeCache Code { get; }

    internal Arm926Cp15 Cp15 { get; }

    /// <summary>The caches and write buffer; null with the cache model off.</summary>
    public CacheSystem? Caches { get; }

    internal VirtualClock Clock { get; }

    internal Pl190Vic Vic { get; }

    internal VersatileSic Sic { get; }

    internal VersatileSystemRegisters SystemRegisters { get; }

    internal Sp804Timer[] Timers { get; }

    internal Pl080Dma Dma { get; }

    internal Pl110Clcd Clcd { get; }


    internal ArmSemihosting Semihosting { get; }

    /// <summary>The guest's exit status once it has exited (semihosting SYS_EXIT), else null.</summary>
    public int? ExitStatus => _loop.ExitStatus;

    /// <summary>
    /// Loads an ELF image at its physical addresses (p_paddr, as QEMU's ELF loader
    /// does), zero-fills each segment's bss, and sets the entry point. The CPU starts
    /// in Supervisor mode, IRQ and FIQ masked, MMU and caches off.
    /// </summary>
    internal void LoadElf(ElfFile elf) => Start(BareMetalLoop.LoadElf(Bus, Ram, elf));

    // IBareMetalBoard's internal members (the armemu program's): an internal interface member is
    // implemented explicitly, since an implicit implementation would have to be public.
    RamRegion IBareMetalBoard.Ram => Ram;
    VirtualClock IBareMetalBoard.Clock => Clock;
    ArmSemihosting IBareMetalBoard.Semihosting => Semihosting;
    Pl110Clcd? IBareMetalBoard.Clcd => Clcd;
    void IBareMetalBoard.LoadElf(ElfFile elf) => LoadElf(elf);

    /// <summary>Loads a raw binary at <paramref name="address"/> and starts at <paramref name="entry"/>.</summary>
    public void LoadRaw(ReadOnlySpan<byte> image, uint address, uint entry)
    {
        BareMetalLoop.LoadRaw(Bus, Ram, image, address);
        Start(entry);
    }

    private void Start(uint entry)
    {
        Cpu.Reset();
        Cp15.Reset();
        Cpu.T = (entry & 1) != 0;
        Cpu.PC = entry;
    }

    /// <summary>Runs until the guest exits, stops making progress, or <paramref name="maxInstructions"/> have run.</summary>
    public MachineStop Run(long maxInstructions) => _loop.Run(maxInstructions);

    private void ApplyCacheEnables(uint control)
    {
        var caches = Caches!;
        bool data = (control & Arm926Cp15.ControlC) != 0, code = (control & Arm926Cp15.ControlI) != 0;
        // SCTLR.RR picks round-robin replacement for both caches (ARM926EJ-S TRM, c1 bit 14).
        bool roundRobin = (control & Arm926Cp15.ControlRR) != 0;
        if (caches.DataCache is { } d) d.RoundRobinSelected = roundRobin;
        if (caches.InstructionCache is { } i) i.RoundRobinSelected = roundRobin;
        if (caches.DataCacheEnabled == data && caches.InstructionCacheEnabled == code) return;
        caches.DataCacheEnabled = data;
        caches.InstructionCacheEnabled = code;
        Memory.FlushFastPath(); // fetches switch between the fast path and the I-cache
    }

    /// <summary>
    /// c9 lockdown, format C (ARM926EJ-S TRM 2.3.10): bit i of the register locks way i, which
    /// keeps its lines and is never chosen for a fill.
    /// </summary>
    private void ApplyCacheLockdown()
    {
        if (Caches!.DataCache is { } data) data.LockdownMask = Cp15.DataCacheLockdown & (uint)((1UL << data.Ways) - 1);
        if (Caches.InstructionCache is { } code) code.LockdownMask = Cp15.InstructionCacheLockdown & (uint)((1UL << code.Ways) - 1);
    }

    /// <summary>Frees the board's RAM.</summary>
    public void Dispose()
    {
        Memory.Dispose();
        Bus.Dispose();
    }
}
