using ArmEmu.Cpu;
using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Emulator.Semihosting;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Emulator.Boards;

/// <summary>How to build a Versatile Express with a Cortex-A9 (the options of <c>armemu system --machine vexpress-a9</c>).</summary>
public sealed class VexpressA9Options
{
    /// <summary>The CPU: the A9 MPCore private peripherals work with a Cortex-A9 only (as QEMU insists).</summary>
    public CpuModel Cpu { get; init; } = CpuModel.CortexA9;

    /// <summary>RAM at 0x60000000 (QEMU's default for vexpress-a9: 128 MiB; at most 1 GiB).</summary>
    public uint MemorySize { get; init; } = 128u << 20;

    /// <summary>The CPU clock the virtual time is derived from: one instruction per cycle.</summary>
    public ulong CpuHz { get; init; } = 200_000_000;

    /// <summary>Where UART0 transmits (and the semihosting console writes).</summary>
    public Stream Console { get; init; } = Stream.Null;

    /// <summary>Whether <see cref="Console"/> is a terminal (semihosting's SYS_ISTTY reports it).</summary>
    public bool ConsoleIsTerminal { get; init; }

    /// <summary>What UART0 receives.</summary>
    public SerialInput? ConsoleInput { get; init; }

    /// <summary>Where accesses to unimplemented device registers and unmodelled devices are reported (--trace-mmio).</summary>
    public TextWriter? MmioTrace { get; init; }

    public string SemihostingRoot { get; init; } = Environment.CurrentDirectory;

    public string CommandLine { get; init; } = "";
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
///   0x10017000  PL031 RTC (not yet: reads zero)   0x1e001000  GIC distributor
///   0x1001f000  PL110 CLCD (motherboard)           0x1e00a000  PL310 L2 cache controller
///   0x10020000  PL111 CLCD (daughterboard)         0x40000000  NOR flash 0, 0x44000000 flash 1
///   0x100e4000  SP804 (daughterboard)              0x48000000  32 MiB SRAM, 0x4c000000 8 MiB video RAM
///   0x60000000  RAM (--memory)
/// </code>
/// Interrupts: the GIC's SPIs are the motherboard's lines 0..42 and the daughterboard's 48..63
/// at GIC IDs 32 + n (UART0 37, timers 34 and 35, the daughterboard SP804 80); the private
/// timer is PPI 29 and the watchdog PPI 30. The CPU starts as QEMU starts a non-Linux image:
/// Secure SVC mode, IRQ and FIQ masked, MMU and caches off, at the image's entry point.
///
/// The devices of that map that are not modelled (audio, MMC, keyboard/mouse, virtio, the
/// SP810, I2C, compact flash, Ethernet, USB, and for now the global timer, SCU, RTC, the
/// CLCDs and the PL310) read as zero and ignore writes, each reported once with --trace-mmio.
/// Addresses outside the map are bus errors (external aborts), as in QEMU.
///
/// Departures from QEMU: the NOR flash is plain memory (the CFI command interface is not
/// modelled, so writes change its contents), and the flash alias at 0 is a separate copy of
/// flash 0 (both start as zeros, which is what QEMU's flash holds without -pflash).
/// </summary>
public sealed class VexpressA9 : IBareMetalBoard
{
    public const uint RamBase = 0x6000_0000;
    public const uint PrivateBase = 0x1e00_0000;
    public const uint SystemRegistersBase = 0x1000_0000;
    public const uint Uart0Base = 0x1000_9000;
    public const uint Timer01Base = 0x1001_1000;
    public const uint Timer23Base = 0x1001_2000;
    public const uint DaughterboardTimerBase = 0x100e_4000;

    /// <summary>SYS_ID of the vexpress motherboard as QEMU's arm_sysctl is configured for it (hw/arm/vexpress.c).</summary>
    public const uint VexpressSystemId = 0x1190_f500;

    private readonly BareMetalLoop _loop;
    private readonly Pl011Uart[] _uarts;

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
        Cp15 = new V7Cp15(options.Cpu, Mmu, caches: null, cycles: () => Clock.Now) { ConfigurationBase = PrivateBase };
        Cp15.Attach(Cpu);

        Gic = new ArmGic(level => Cpu.IrqLine = level, trace);
        var gicInputs = Gic.Inputs;
        PrivateTimer = new A9PrivateTimer(Clock, new InterruptLine(gicInputs, 29), new InterruptLine(gicInputs, 30), trace);
        SystemRegisters = new VersatileSystemRegisters(Clock, VexpressSystemId, trace);
        Timers =
        [
            new Sp804Timer(Clock, new InterruptLine(gicInputs, 32 + 2), trace: trace),
            new Sp804Timer(Clock, new InterruptLine(gicInputs, 32 + 3), trace: trace),
            new Sp804Timer(Clock, new InterruptLine(gicInputs, 32 + 48), trace: trace),
        ];
        _uarts =
        [
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 5), options.Console, options.ConsoleInput, trace, "uart0"),
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 6), null, null, trace, "uart1"),
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 7), null, null, trace, "uart2"),
            new Pl011Uart(new InterruptLine(gicInputs, 32 + 8), null, null, trace, "uart3"),
        ];

        Bus.AddDevice(SystemRegistersBase, SystemRegisters);
        for (int i = 0; i < _uarts.Length; i++) Bus.AddDevice(Uart0Base + (uint)i * 0x1000, _uarts[i]);
        Bus.AddDevice(Timer01Base, Timers[0]);
        Bus.AddDevice(Timer23Base, Timers[1]);
        Bus.AddDevice(DaughterboardTimerBase, Timers[2]);
        Bus.AddDevice(PrivateBase + 0x100, Gic.CpuInterface);
        Bus.AddDevice(PrivateBase + 0x600, PrivateTimer);
        Bus.AddDevice(PrivateBase + 0x1000, Gic.Distributor);
        foreach ((uint pa, uint size, string name) in UnmodelledDevices)
            Bus.AddDevice(pa, new UnmodelledDevice(name, pa, size, trace));

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
        _loop = new BareMetalLoop(Cpu, Memory, Clock, Semihosting, _uarts, options.ConsoleInput, () => null,
            e => Cp15.RecordAbort(e.Fault, e.Kind == ExceptionKind.PrefetchAbort));
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
        (0x1001_7000, 0x1000, "pl031 rtc"),
        (0x1001_f000, 0x1000, "pl110 clcd (motherboard)"),
        (0x1002_0000, 0x1000, "pl111 clcd (daughterboard)"),
        (PrivateBase, 0x100, "a9 scu"),
        (PrivateBase + 0x200, 0x20, "a9 global timer"),
        (PrivateBase + 0xa000, 0x1000, "pl310 l2 cache controller"),
        (0x4e00_0000, 0x100, "lan9118 ethernet"),
    ];

    public PhysicalBus Bus { get; }

    /// <summary>The RAM at 0x60000000.</summary>
    public RamRegion Ram { get; }

    public ArmV7Mmu Mmu { get; }

    public MemoryPort Memory { get; }

    public Cpu.Cpu Cpu { get; }

    public V7Cp15 Cp15 { get; }

    public VirtualClock Clock { get; }

    public ArmGic Gic { get; }

    public A9PrivateTimer PrivateTimer { get; }

    public VersatileSystemRegisters SystemRegisters { get; }

    /// <summary>The SP804s at 0x10011000, 0x10012000 and 0x100e4000.</summary>
    public Sp804Timer[] Timers { get; }

    public ArmSemihosting Semihosting { get; }

    /// <summary>No cache model on this board yet: memory is always coherent, as in QEMU.</summary>
    public Memory.Caches.CacheSystem? Caches => null;

    /// <summary>The CLCDs are not modelled yet.</summary>
    public Pl110Clcd? Clcd => null;

    /// <summary>Loads an ELF image at its physical addresses (which must be in RAM) and starts at its entry.</summary>
    public void LoadElf(ElfFile elf) => Start(BareMetalLoop.LoadElf(Bus, Ram, elf));

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

    public void Dispose()
    {
        Memory.Dispose();
        Bus.Dispose();
    }
}
