using System.Buffers.Binary;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Machine;
using ArmEmu.Emulator.Semihosting;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Boards;

/// <summary>
/// What every bare-metal board shares: loading an image into RAM, the run loop in slices up
/// to the next clock event, semihosting calls, WFI handing time to the clock, and the two
/// ways a guest can make no more progress (WFI with nothing to wake it; a branch to itself
/// with interrupts masked). A board builds its devices and hands the CPU, clock and consoles
/// here; it keeps what differs (its CP15 and how aborts are recorded).
/// </summary>
internal sealed class BareMetalLoop
{
    // Longest stretch of instructions between looks at the machine's state (spin detection, UART input).
    private const long MaxSlice = 1 << 20;

    private readonly Cpu.Cpu _cpu;
    private readonly MemoryPort _memory;
    private readonly VirtualClock _clock;
    private readonly ArmSemihosting _semihosting;
    private readonly Pl011Uart[] _uarts;
    private readonly SerialInput? _consoleInput;
    private readonly Func<CacheSystem?> _caches;
    private readonly Action<CpuException> _recordAbort;
    private readonly bool _semihostingEnabled;

    /// <param name="recordAbort">Called for a Data or Prefetch Abort the CPU is about to take (the board's CP15 records FSR and FAR).</param>
    /// <param name="semihostingEnabled">False: semihosting SVCs are ordinary SVC exceptions (QEMU's <c>-semihosting-config enable=off</c>).</param>
    /// <param name="cpu">The board's processor.</param>
    /// <param name="memory">Its memory port (the MMU and the caches).</param>
    /// <param name="clock">The board's virtual clock, which the loop advances.</param>
    /// <param name="semihosting">Where semihosting calls go.</param>
    /// <param name="uarts">The board's UARTs, whose input the loop polls.</param>
    /// <param name="consoleInput">What UART0 receives, or null for nothing.</param>
    /// <param name="caches">The cache system, or null with the cache model off.</param>
    public BareMetalLoop(Cpu.Cpu cpu, MemoryPort memory, VirtualClock clock, ArmSemihosting semihosting, Pl011Uart[] uarts,
        SerialInput? consoleInput, Func<CacheSystem?> caches, Action<CpuException> recordAbort, bool semihostingEnabled = true)
    {
        _semihostingEnabled = semihostingEnabled;
        _cpu = cpu;
        _memory = memory;
        _clock = clock;
        _semihosting = semihosting;
        _uarts = uarts;
        _consoleInput = consoleInput;
        _caches = caches;
        _recordAbort = recordAbort;
        cpu.ExceptionHandler = OnException;
        cpu.WaitForInterruptHandler = OnWaitForInterrupt;
        if (consoleInput is not null)
        {
            consoleInput.Arrived += () => cpu.LimitRun(0);
            consoleInput.QuitRequested += () => PowerOff(0); // Ctrl-A x, as QEMU's: status 0
        }
    }

    /// <summary>
    /// Loads an ELF image at its physical addresses (p_paddr, as QEMU's ELF loader does) into
    /// <paramref name="ram"/>, zero-filling each segment's bss; returns the entry point.
    /// </summary>
    public static uint LoadElf(PhysicalBus bus, RamRegion ram, ElfFile elf)
    {
        foreach (var segment in elf.LoadSegments)
        {
            if (segment.PhysicalAddress < ram.Base || (ulong)segment.PhysicalAddress + segment.MemorySize > (ulong)ram.Base + ram.Size)
                throw new ArgumentException($"segment {segment.Index} at 0x{segment.PhysicalAddress:x8}+0x{segment.MemorySize:x} is outside RAM (0x{ram.Size:x} bytes at 0x{ram.Base:x8})");
            bus.WriteRam(segment.PhysicalAddress, elf.SegmentData(segment)[..(int)segment.FileSize]);
            ram.Bytes.Slice((int)(segment.PhysicalAddress - ram.Base + segment.FileSize), (int)(segment.MemorySize - segment.FileSize)).Clear();
        }
        return elf.Entry;
    }

    /// <summary>Loads a raw binary at <paramref name="address"/> in <paramref name="ram"/>.</summary>
    public static void LoadRaw(PhysicalBus bus, RamRegion ram, ReadOnlySpan<byte> image, uint address)
    {
        if (address < ram.Base || (ulong)address + (ulong)image.Length > (ulong)ram.Base + ram.Size)
            throw new ArgumentException($"the image (0x{image.Length:x} bytes at 0x{address:x8}) does not fit in RAM (0x{ram.Size:x} bytes at 0x{ram.Base:x8})");
        bus.WriteRam(address, image);
    }

    private int? _powerOffStatus;

    /// <summary>The status the guest exited with: through semihosting, or by asking the board to power off.</summary>
    public int? ExitStatus => _semihosting.ExitStatus ?? _powerOffStatus;

    /// <summary>The board powers off (a system controller's shutdown): the run ends with <paramref name="status"/>, as QEMU exits with 0.</summary>
    public void PowerOff(int status = 0)
    {
        _powerOffStatus ??= status;
        _cpu.RequestStop();
    }

    /// <summary>Runs until the guest exits, stops making progress, or <paramref name="maxInstructions"/> have run.</summary>
    public MachineStop Run(long maxInstructions)
    {
        ulong limit = (ulong)Math.Min(maxInstructions, long.MaxValue);
        _cpu.HaltRequested = false;
        while (true)
        {
            if (ExitStatus is not null) return MachineStop.Exited;
            if (_cpu.HaltRequested) return MachineStop.Stopped;
            ulong executed = _cpu.InstructionsExecuted;
            if (executed >= limit) return MachineStop.InstructionLimit;
            var reason = SliceLoop.RunSlice(_cpu, _clock, (long)Math.Min(limit - executed, MaxSlice), out _);
            foreach (var uart in _uarts) uart.PollInput();
            if (reason == StopReason.WaitForInterrupt) return MachineStop.WaitingForever;
            if (ExitStatus is not null) return MachineStop.Exited;
            if (IsSpinningWithInterruptsMasked()) return MachineStop.Spinning;
        }
    }

    /// <summary>The PC sits on a branch to itself and no interrupt can be taken.</summary>
    private bool IsSpinningWithInterruptsMasked()
    {
        if (!(_cpu.I && _cpu.F)) return false;
        Span<byte> word = stackalloc byte[4];
        if (!_memory.DebugRead(_cpu.PC, word[..(_cpu.T ? 2 : 4)])) return false;
        return _cpu.T
            ? BinaryPrimitives.ReadUInt16LittleEndian(word) == 0xE7FE                  // b .
            : (BinaryPrimitives.ReadUInt32LittleEndian(word) & 0x0FFF_FFFF) == 0x0AFF_FFFE; // b<c> .
    }

    private ExceptionDisposition OnException(Cpu.Cpu cpu, in CpuException e)
    {
        if (_semihostingEnabled && e.Kind == ExceptionKind.SupervisorCall && ArmSemihosting.IsSemihostingCall(e.Opcode, cpu.T))
        {
            _semihosting.Handle(); // a bad parameter block is an error returned to the guest, as in QEMU
            return ExceptionDisposition.Resume;
        }
        if (e.Kind is ExceptionKind.DataAbort or ExceptionKind.PrefetchAbort) _recordAbort(e);
        return ExceptionDisposition.Enter;
    }

    /// <summary>WFI: idle until an interrupt is asserted (masked or not: a pending interrupt wakes the core either way).</summary>
    private bool OnWaitForInterrupt(Cpu.Cpu cpu)
    {
        _caches()?.DrainWriteBuffer(); // WFI drains the write buffer (ARM926EJ-S TRM 2.3.8)
        while (!cpu.IrqLine && !cpu.FiqLine)
        {
            foreach (var uart in _uarts) uart.PollInput();
            if (cpu.IrqLine || cpu.FiqLine || ExitStatus is not null) break; // (Ctrl-A x arrives on another thread)
            if (!_clock.SkipToNextEvent())
            {
                if (_consoleInput is { Exhausted: false } input)
                {
                    // Only the console can still wake us: wait for a byte.
                    SpinWait.SpinUntil(() => input.HasData || input.Exhausted, 50);
                    continue;
                }
                return false;
            }
        }
        return true;
    }
}
