using ArmEmu.Cpu;
using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Emulator.Semihosting;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Emulator.Boards;

/// <summary>
/// How to build a Versatile Express with a Cortex-A9 (the options of <c>armemu system --machine
/// vexpress-a9</c>): RAM at 0x60000000 (at most 1 GiB); the A9 MPCore private peripherals work with
/// a Cortex-A9 only (as QEMU insists); the cache model has the Cortex-A9's L1 I and D caches and the
/// PL310 behind them, off until its control register enables it.
/// </summary>
public sealed class VexpressA9Options() : BareMetalBoardOptions(CpuModel.CortexA9, CacheModelOptions.CortexA9)
{
    /// <summary>
    /// The PL310's lines at reset: arbitrary (valid, half of them dirty, for lines of RAM; from the
    /// cache seed) instead of empty, as the TRM leaves them (<see cref="OuterCache.FillUnknown"/>).
    /// Software that enables the L2 without invalidating it first then reads garbage.
    /// </summary>
    public bool L2UnknownAtReset { get; set; }

    /// <summary>Test-only fault injection: the PL310's clean and invalidate operations do nothing (<see cref="Pl310L2Cache.IgnoreMaintenance"/>).</summary>
    public bool IgnoreL2Maintenance { get; set; }
}

/// <summary>
/// The ARM Versatile Express motherboard with a CoreTile Express A9x4 daughterboard, one
/// Cortex-A9, laid out as QEMU 7.2's <c>-M vexpress-a9</c> (hw/arm/vexpress.c, the "legacy"
/// motherboard map; checked against <c>info mtree -f</c>):
/// <code>
///   0x00000000  64 MiB   NOR flash 0 (alias)       0x1e000000  SCU
///   0x10000000  system registers                  0x1e000100  GIC CPU interface
///   0x10009000  PL011 UART0..3 (4 KiB apart)      0x1e000200  global timer
///   0x10011000  SP804 timers 0-1, 0x10012000 2-3   0x1e000600  private timer and watchdog
///   0x10017000  PL031 RTC                          0x1e001000  GIC distributor
///   0x1001f000  PL111 CLCD (motherboard)           0x1e00a000  PL310 L2 cache controller
///   0x10020000  PL111 CLCD (daughterboard)         0x40000000  NOR flash 0, 0x44000000 flash 1
///   0x100e4000  SP804 (daughterboard)              0x48000000  32 MiB SRAM, 0x4c000000 8 MiB video RAM
///   0x60000000  RAM (--memory)
/// </code>
/// Interrupts: the GIC's SPIs are the motherboard's lines 0..42 and the daughterboard's 48..63
/// at GIC IDs 32 + n (UART0 37, timers 34 and 35, RTC 36, CLCDs 46 and 76, the daughterboard
/// SP804 80); the global timer is PPI 27, the private timer PPI 29 and the watchdog PPI 30. The CPU starts as QEMU starts a non-Linux image:
/// Secure SVC mode, IRQ and FIQ masked, MMU and caches off, at the image's entry point.
///
/// The devices of that map that are not modelled (audio, MMC, keyboard/mouse, virtio, the
/// SP810, I2C, compact flash, Ethernet, USB) read as zero and ignore
/// writes, each reported once with --trace-mmio. SYS_CFG_SHUTDOWN and SYS_CFG_REBOOT end the
/// run with status 0 (QEMU exits).
/// Addresses outside the map read as zero and ignore writes, as in QEMU, whose vexpress machines
/// set ignore_memory_transaction_failures (<see cref="UnassignedSpace"/>; the Linux kernel reads
/// the unmodelled SP810 at 0x10001000 while it registers its clocks).
///
/// The cache model (on unless --no-cache): the Cortex-A9's L1 caches with the geometry CCSIDR
/// reports, and the PL310 (<see cref="Pl310L2Cache"/>) behind them, maintained only through its
/// registers; DMA masters and the CLCDs read RAM behind both. QEMU models no caches.
///
/// Departures from QEMU: the NOR flash is plain memory (the CFI command interface is not
/// modelled, so writes change its contents), and the flash alias at 0 is a separate copy of
/// flash 0 (both start as zeros, which is what QEMU's flash holds without -pflash).
/// </summary>
public sealed class VexpressA9 : IBareMetalBoard
{
    /// <summary>Where the board's main RAM starts (QEMU's vexpress-a9 memory map).</summary>
    public const uint RamBase = 0x6000_0000;
    internal const uint PrivateBase = 0x1e00_0000;
    internal const uint SystemRegistersBase = 0x1000_0000;
    internal const uint Uart0Base = 0x1000_9000;
    internal const uint Timer01Base = 0x1001_1000;
    internal const uint Timer23Base = 0x1001_2000;
    internal const uint DaughterboardTimerBase = 0x100e_4000;

    private readonly BareMetalLoop _loop;
    private readonly Pl011Uart[] _uarts;

    /// <summary>Builds the board (RAM, the Cortex-A9, its private peripherals, the motherboard's devices, the PL310 and the cache model) from <paramref name="options"/>.</summary>
    public VexpressA9(VexpressA9Options options)
    {
        if (options.Cpu != CpuModel.CortexA9)
            throw new ArgumentException($"the vexpress-a9 board's Cortex-A9 MPCore peripherals work only with a cortex-a9, not {options.Cpu.Name}");
        if (options.MemorySize > 1u << 30)
            throw new ArgumentException("vexpress-a9 has room for at most 1 GiB of RAM");
        var trace = options.MmioTrace is null ? Devices.MmioTrace.Off : new MmioTrace(options.MmioTrace);
        Bus = new PhysicalBus();
        Ram = Bus.AddRam(RamBase, options.MemorySize, "vexpress.highmem");
        Bus.AddRam(0x0000_0000, 64u << 20, "vexpress.flashalias");
        Bus.AddRam(0x4000_0000, 64u << 20, "vexpress.flash0");
        Bus.AddRam(0x4400_0000, 64u << 20, "vexpress.flash1");
        Bus.AddRam(0x4800_0000, 32u << 20, "vexpress.sram");
        Bus.AddRam(0x4c00_0000, 8u << 20, "vexpress.vram");
        Mmu = new ArmV7Mmu(Bus);
        Memory = new MemoryPort(Bus, Mmu);
        Cpu = new Cpu.Cpu(options.Cpu, Memory);
        Clock = new VirtualClock(Cpu, options.CpuHz);
        Caches = options.Caches.Build(Bus, () => Clock.Now);
        Cp15 = new V7Cp15(options.Cpu, Mmu, Caches, cycles: () => Clock.Now) { ConfigurationBase = PrivateBase };
        Cp15.Attach(Cpu);
        if (options.Cpu.V7Ids is { Dbgdidr: not 0 } ids) new V7Cp14(ids.Dbgdidr, options.Cpu.Has(CpuFeature.ThumbEE)).Attach(Cpu);
        if (Caches is { } caches)
        {
            // L1 is PIPT (D) and VIPT (I) with no FCSE: virtual addresses index as they are. Maintenance
            // by MVA translates as a PL1 data read would, and faults where it would.
            caches.TranslateForMaintenanceV7 = mva => Mmu.Translate(mva, AccessKind.Read | AccessKind.Privileged);
            caches.TranslateForMaintenance = mva => Mmu.TryLookup(mva, out uint pa, out _) ? pa : null;
            Cp15.ControlApplied += ApplyCacheEnables;
            ApplyCacheEnables(Cp15.Control);
            Memory.Caches = caches;
            // A write to a device (Device memory is bufferable on v7) drains on time even while the
            // CPU runs in registers: Linux's delay-loop calibration waits in __loop_delay for the
            // timer tick its last register write starts.
            DrainWriteBufferOnTime(caches.WriteBuffer);
            // Table walks marked cacheable see the caches (ArmV7Mmu.ReadDescriptor). The A9's L1 D is PIPT.
            Mmu.CachedWalkRead = pa =>
            {
                Span<byte> word = stackalloc byte[4];
                return caches.Peek(pa, pa, word) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(word) : null;
            };
        }

        Gic = new ArmGic(level => Cpu.IrqLine = level, level => Cpu.FiqLine = level, trace);
        var gicInputs = Gic.Inputs;
        PrivateTimer = new A9PrivateTimer(Clock, new InterruptLine(gicInputs, 29), new InterruptLine(gicInputs, 30), trace);
        GlobalTimer = new A9GlobalTimer(Clock, new InterruptLine(gicInputs, 27), trace);
        Scu = new A9Scu(trace);
        WirePerformanceMonitors(new InterruptLine(gicInputs, 32 + 60));
        SystemRegisters = new VexpressSystemRegisters(Clock, trace);
        Rtc = new Pl031Rtc(Clock, new InterruptLine(gicInputs, 32 + 4), trace);
        MotherboardClcd = new Pl110Clcd(Bus, Clock, new InterruptLine(gicInputs, 32 + 14), trace) { IsPl111 = true };
        DaughterboardClcd = new Pl110Clcd(Bus, Clock, new InterruptLine(gicInputs, 32 + 44), trace) { IsPl111 = true };
        Timers =
        [
            new Sp804Timer(Clock, new InterruptLine(gicInputs, 32 + 2), trace: trace),
            new Sp804Timer(Clock, new InterruptLine(gicInputs, 32 + 3), trace: trace),
            new Sp804Timer(Clock, new InterruptLine(gicInputs, 32 + 48), trace: trace),
        ];
        _uarts =
        [
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 5), WatchForKernelPanic(options.Uart(0).Output), options.Uart(0).Input, trace, "uart0"),
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 6), options.Uart(1).Output, options.Uart(1).Input, trace, "uart1"),
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 7), options.Uart(2).Output, options.Uart(2).Input, trace, "uart2"),
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 8), options.Uart(3).Output, options.Uart(3).Input, trace, "uart3"),
        ];

        Bus.AddDevice(SystemRegistersBase, SystemRegisters);
        for (int i = 0; i < _uarts.Length; i++) Bus.AddDevice(Uart0Base + (uint)i * 0x1000, _uarts[i]);
        Bus.AddDevice(Timer01Base, Timers[0]);
        Bus.AddDevice(Timer23Base, Timers[1]);
        Bus.AddDevice(DaughterboardTimerBase, Timers[2]);
        Bus.AddDevice(0x1001_7000, Rtc);
        Bus.AddDevice(0x1001_f000, MotherboardClcd);
        Bus.AddDevice(0x1002_0000, DaughterboardClcd);
        Bus.AddDevice(PrivateBase, Scu);
        Bus.AddDevice(PrivateBase + 0x100, Gic.CpuInterface);
        Bus.AddDevice(PrivateBase + 0x200, GlobalTimer);
        Bus.AddDevice(PrivateBase + 0x600, PrivateTimer);
        Bus.AddDevice(PrivateBase + 0x1000, Gic.Distributor);
        L2CacheController = new Pl310L2Cache(Caches?.OuterCache, trace) { IgnoreMaintenance = options.IgnoreL2Maintenance };
        if (options.L2UnknownAtReset && Caches?.OuterCache is { } l2)
            l2.FillUnknown(l2.Cache.Config.Seed, RamBase, options.MemorySize);
        Bus.AddDevice(PrivateBase + 0xa000, L2CacheController);
        foreach ((uint pa, uint size, string name) in UnmodelledDevices)
            Bus.AddDevice(pa, new UnmodelledDevice(name, pa, size, trace));
        Bus.Unassigned = new UnassignedSpace(trace);

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
        _loop = new BareMetalLoop(Cpu, Memory, Clock, Semihosting, _uarts, options.AnyUartInput(4), () => Caches,
            e => Cp15.RecordAbort(e.Fault, e.Kind == ExceptionKind.PrefetchAbort), options.SemihostingEnabled);
        // SYS_CFG_SHUTDOWN and SYS_CFG_REBOOT end the run with status 0, as they end QEMU.
        SystemRegisters.ShutdownRequested += () => _loop.PowerOff(0);
        SystemRegisters.RebootRequested += () => _loop.PowerOff(KernelPanic is null ? 0 : 1); // panic=N reboots
    }

    /// <summary>UART0 is Linux's console here: a panic's reason ends the run with status 1.</summary>
    private Stream? WatchForKernelPanic(Stream? console) =>
        console is null ? null : new KernelPanicWatch(console, reason => KernelPanic = reason, () => _loop.PowerOff(1));

    /// <summary>The reason a Linux kernel gave when it panicked, read from its console; null when it did not.</summary>
    public string? KernelPanic { get; private set; }

    private ScheduledEvent? _writeBufferWake;

    private void DrainWriteBufferOnTime(WriteBuffer buffer)
    {
        void Wake()
        {
            buffer.Age();
            if (buffer.OldestDue is ulong next) Clock.Reschedule(_writeBufferWake!, next);
        }
        buffer.BecameNonEmpty = due =>
        {
            if (_writeBufferWake is null) _writeBufferWake = Clock.Schedule(due, Wake);
            else if (_writeBufferWake.Done) Clock.Reschedule(_writeBufferWake, due);
        };
    }

    private ScheduledEvent? _pmuCheck;

    /// <summary>
    /// The Cortex-A9's PMU (<see cref="V7Pmu"/>): its cache events count what the L1 caches of the
    /// cache model do, its overflow interrupt (CPU 0's nPMUIRQ) is SPI 60, GIC ID 92, as the
    /// CoreTile Express A9x4 routes it (Linux's vexpress-v2p-ca9.dts: "arm,cortex-a9-pmu",
    /// interrupts 60-63 for CPUs 0-3). QEMU 7.2's cortex-a9 counts nothing and wires no PMU interrupt.
    /// </summary>
    private void WirePerformanceMonitors(InterruptLine line)
    {
        var pmu = Cp15.Pmu;
        pmu.InterruptChanged = level => line.Level = level;
        pmu.ScheduleCheck = time =>
        {
            if (_pmuCheck is null) _pmuCheck = Clock.Schedule(time, pmu.Check);
            else if (_pmuCheck.Done) Clock.Reschedule(_pmuCheck, time);
            else if (time < _pmuCheck.Time)
            {
                _pmuCheck.Cancel(); // a queued event cannot be moved: the earlier time gets a new one
                _pmuCheck = Clock.Schedule(time, pmu.Check);
            }
        };
        if (Caches?.InstructionCache is { } i) pmu.Sources.L1InstructionRefills = () => i.Counters.LineFills;
        if (Caches?.DataCache is { } d)
        {
            pmu.Sources.L1DataRefills = () => d.Counters.LineFills;
            pmu.Sources.L1DataAccesses = () => d.Counters.Reads + d.Counters.Writes;
        }
    }

    /// <summary>The devices of QEMU's vexpress-a9 map that read as zero here (hw/arm/vexpress.c; sizes from info mtree).</summary>
    private static readonly (uint Base, uint Size, string Name)[] UnmodelledDevices =
    [
        (0x1000_4000, 0x1000, "pl041 audio"),
        (0x1000_5000, 0x1000, "pl181 mmc"),
        (0x1000_6000, 0x1000, "pl050 keyboard"),
        (0x1000_7000, 0x1000, "pl050 mouse"),
        (0x1001_3000, 0x800, "virtio-mmio"),
        (0x1001_6000, 0x1000, "i2c (dvi)"),
        (0x4e00_0000, 0x100, "lan9118 ethernet"),
    ];

    /// <summary>The board's physical bus: its RAM and devices.</summary>
    public PhysicalBus Bus { get; }

    /// <summary>The RAM at 0x60000000.</summary>
    internal RamRegion Ram { get; }

    /// <summary>MACH_TYPE_VEXPRESS (2272), as QEMU's vexpress boards pass in r1.</summary>
    public uint LinuxMachineId => 0x8e0;

    internal ArmV7Mmu Mmu { get; }

    internal MemoryPort Memory { get; }

    /// <summary>The board's Cortex-A9 (one core).</summary>
    public Cpu.Cpu Cpu { get; }

    internal V7Cp15 Cp15 { get; }

    internal VirtualClock Clock { get; }

    internal ArmGic Gic { get; }

    internal A9PrivateTimer PrivateTimer { get; }

    internal VexpressSystemRegisters SystemRegisters { get; }

    internal A9GlobalTimer GlobalTimer { get; }

    internal A9Scu Scu { get; }

    internal Pl031Rtc Rtc { get; }

    /// <summary>The motherboard's CLCD at 0x1001F000 (a PL111, as in QEMU).</summary>
    internal Pl110Clcd MotherboardClcd { get; }

    /// <summary>The daughterboard's PL111 at 0x10020000.</summary>
    internal Pl110Clcd DaughterboardClcd { get; }

    /// <summary>The SP804s at 0x10011000, 0x10012000 and 0x100e4000.</summary>
    internal Sp804Timer[] Timers { get; }

    internal ArmSemihosting Semihosting { get; }

    /// <summary>The L1 caches, the PL310 and the write buffer; null with the cache model off (--no-cache).</summary>
    public CacheSystem? Caches { get; }

    /// <summary>The PL310's registers at 0x1E00A000 (registers only, as in QEMU, with the cache model off).</summary>
    internal Pl310L2Cache L2CacheController { get; }

    /// <summary>What --screenshot shows: the daughterboard's PL111 unless only the motherboard's CLCD is on.</summary>
    internal Pl110Clcd? Clcd => !DaughterboardClcd.DisplayOn && MotherboardClcd.DisplayOn ? MotherboardClcd : DaughterboardClcd;

    /// <summary>The guest's exit status once it has exited (semihosting or a power-off through the system registers), else null.</summary>
    public int? ExitStatus => _loop.ExitStatus;

    /// <summary>Loads an ELF image at its physical addresses (which must be in RAM) and starts at its entry.</summary>
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

    /// <summary>
    /// SCTLR.C and SCTLR.I turn the L1 caches on and off; SCTLR.RR selects round-robin
    /// replacement instead of pseudo-random (Cortex-A9 TRM 4.3.9).
    /// </summary>
    private void ApplyCacheEnables(uint control)
    {
        var caches = Caches!;
        bool data = (control & V7Cp15.ControlC) != 0, code = (control & V7Cp15.ControlI) != 0;
        bool roundRobin = (control & V7Cp15.ControlRR) != 0;
        if (caches.DataCache is { } d) d.RoundRobinSelected = roundRobin;
        if (caches.InstructionCache is { } i) i.RoundRobinSelected = roundRobin;
        if (caches.DataCacheEnabled == data && caches.InstructionCacheEnabled == code) return;
        caches.DataCacheEnabled = data;
        caches.InstructionCacheEnabled = code;
        Memory.FlushFastPath(); // fetches switch between the fast path and the I-cache
    }

    /// <summary>Frees the board's RAM.</summary>
    public void Dispose()
    {
        Memory.Dispose();
        Bus.Dispose();
    }
}
