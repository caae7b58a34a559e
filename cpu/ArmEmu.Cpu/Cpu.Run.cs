using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Cpu;

/// <summary>Why <see cref="Cpu.Run"/> returned.</summary>
public enum StopReason : byte
{
    /// <summary>The instruction budget ran out.</summary>
    InstructionLimit,
    /// <summary>The PC reached the stop address (the instruction there has not executed).</summary>
    Address,
    /// <summary>Something called <see cref="Cpu.RequestStop"/> (a hook, a device, the exception handler).</summary>
    Requested,
    /// <summary>WFI executed and no handler was installed to advance time.</summary>
    WaitForInterrupt,
}

/// <summary>What to do with an exception the core is about to take.</summary>
public enum ExceptionDisposition : byte
{
    /// <summary>Take it architecturally: bank switch, SPSR, LR, vector.</summary>
    Enter,
    /// <summary>It was dealt with (a syscall, a signal): go on at <see cref="Cpu.PC"/>, which the handler may have changed.</summary>
    Resume,
    /// <summary>Stop the run; <see cref="Cpu.PC"/> stays at the instruction that raised it.</summary>
    Stop,
}

/// <summary>An exception as the core raises it, before it is taken.</summary>
/// <param name="Kind">Which exception.</param>
/// <param name="InstructionAddress">Address of the instruction that raised it (for IRQ/FIQ: of the next instruction).</param>
/// <param name="Opcode">The instruction word (SVC number, undefined encoding); 0 for aborts on fetch and interrupts.</param>
/// <param name="Fault">For aborts, the memory fault behind it.</param>
public readonly record struct CpuException(ExceptionKind Kind, uint InstructionAddress, uint Opcode, MemoryFault? Fault);

public delegate ExceptionDisposition ExceptionHandler(Cpu cpu, in CpuException exception);

/// <summary>Called before each instruction while installed: the address and whether it is Thumb.</summary>
public delegate void InstructionHook(Cpu cpu, uint address, bool thumb);

public sealed unsafe partial class Cpu
{
    private const uint NoStopAddress = 0xFFFF_FFFF; // never an instruction address: ARM and Thumb PCs are even

    // The address of the executing instruction, and of the one after it. A
    // handler that writes the PC sets _nextPc; the loop moves on to it.
    private uint _pc, _nextPc;

    private long _budget;
    private uint _stopAddress = NoStopAddress;
    private StopReason _stopReason;
    private volatile bool _attention;
    private bool _stopRequested;
    private bool _irqLine, _fiqLine;

    // The page instructions are being fetched from: its number, host pointer
    // (null: fetch through the port one at a time) and decoded instructions.
    private uint _fetchVpn = uint.MaxValue;
    private byte* _fetchHost;
    private DecodedInstruction[] _fetchArm = null!, _fetchThumb = null!;
    private bool[] _fetchArmValid = null!, _fetchThumbValid = null!;
    private bool _fetchThroughInstructionCache;
    private readonly DecodedPage?[] _decodedPages = new DecodedPage?[1 << 20];

    // Profiling (Loop<WithProfile>): the counters of the fetch page, switched with it.
    private ExecutionProfile? _profile;
    private ulong[]? _profileExecuted, _profileFailed;

    // Instructions executed before the current run; the run's own count is derived from _budget,
    // so the loop updates one counter, not two.
    private ulong _executedBefore;
    private long _runBudget;

    /// <summary>Instructions executed since reset, condition-failed ones included.</summary>
    public ulong InstructionsExecuted
    {
        get => _executedBefore + (ulong)(_runBudget - _budget);
        set
        {
            _executedBefore = value;
            _runBudget = _budget;
        }
    }

    /// <summary>Consulted before any exception is taken; null means always <see cref="ExceptionDisposition.Enter"/>.</summary>
    public ExceptionHandler? ExceptionHandler { get; set; }

    /// <summary>Called before every instruction while set. Runs with a hook take the slower loop.</summary>
    public InstructionHook? InstructionHook { get; set; }

    /// <summary>
    /// Counts every instruction per address and follows calls and returns while set
    /// (<c>--profile</c>). Runs with a profile take their own loop specialisation.
    /// </summary>
    public ExecutionProfile? Profile
    {
        get => _profile;
        set
        {
            _profile = value;
            _profileExecuted = _profileFailed = null;
            DropFetchPage(); // the next fetch picks up the page's counters
        }
    }

    /// <summary>Called by WFI; returns false if no interrupt can ever come (the run then stops). Null: WFI stops the run.</summary>
    public Func<Cpu, bool>? WaitForInterruptHandler { get; set; }

    /// <summary>Level of the IRQ input (from an interrupt controller).</summary>
    public bool IrqLine
    {
        get => _irqLine;
        set
        {
            _irqLine = value;
            if (value) _attention = true;
        }
    }

    /// <summary>Level of the FIQ input.</summary>
    public bool FiqLine
    {
        get => _fiqLine;
        set
        {
            _fiqLine = value;
            if (value) _attention = true;
        }
    }

    /// <summary>
    /// Shortens the current <see cref="Run"/> so it executes at most <paramref name="instructions"/>
    /// more (a device scheduled an event sooner than the run was going to end). Outside a run it
    /// has no effect.
    /// </summary>
    public void LimitRun(long instructions)
    {
        long cut = _budget - Math.Max(0, instructions);
        if (cut <= 0) return;
        _budget -= cut;
        _runBudget -= cut; // the executed count is unchanged
    }

    /// <summary>Ends the current <see cref="Run"/> after the instruction in progress.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _attention = true;
    }

    /// <summary>
    /// Runs until <paramref name="maxInstructions"/> have executed, the PC reaches
    /// <paramref name="stopAddress"/>, or something asks to stop.
    /// </summary>
    public StopReason Run(long maxInstructions, uint? stopAddress = null)
    {
        _executedBefore = InstructionsExecuted;
        _budget = _runBudget = maxInstructions;
        _stopAddress = stopAddress ?? NoStopAddress;
        _stopRequested = false;
        _attention = true; // look at interrupt lines before the first instruction
        while (true)
        {
            try
            {
                // Each combination is its own specialisation, so a plain run pays nothing for the others.
                return (InstructionHook is null, _profile is null) switch
                {
                    (true, true) => Loop<NoHooks>(),
                    (false, true) => Loop<WithHooks>(),
                    (true, false) => Loop<WithProfile>(),
                    _ => Loop<WithHooksAndProfile>(),
                };
            }
            catch (MemoryFault fault)
            {
                // An aborted instruction uses up its step of the budget (so Step() stops at the
                // vector) but is not counted as executed.
                _budget--;
                _runBudget--;
                RaiseAbort(fault);
                if (_stopRequested) return StopReason.Requested;
            }
        }
    }

    /// <summary>Executes exactly one instruction (or takes one pending interrupt).</summary>
    public StopReason Step() => Run(1);

    private interface ILoopMode
    {
        static abstract bool Hooked { get; }
        static abstract bool Profiled { get; }
    }

    private struct NoHooks : ILoopMode
    {
        public static bool Hooked => false;
        public static bool Profiled => false;
    }

    private struct WithHooks : ILoopMode
    {
        public static bool Hooked => true;
        public static bool Profiled => false;
    }

    private struct WithProfile : ILoopMode
    {
        public static bool Hooked => false;
        public static bool Profiled => true;
    }

    private struct WithHooksAndProfile : ILoopMode
    {
        public static bool Hooked => true;
        public static bool Profiled => true;
    }

    /// <summary>The interpreter loop: fetch, decode through the per-page cache, check the condition, execute.</summary>
    private StopReason Loop<TMode>() where TMode : struct, ILoopMode
    {
        while (true)
        {
            if (_attention && TakeAttention(out StopReason reason)) return reason;
            if (_budget <= 0) return StopReason.InstructionLimit;
            uint pc = _pc;
            if (pc == _stopAddress) return StopReason.Address;
            if ((pc >> PhysicalBus.PageBits) != _fetchVpn) EnterFetchPage(pc);
            if (TMode.Hooked) InstructionHook?.Invoke(this, pc, T);

            if (!T)
            {
                ref DecodedInstruction d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fetchArm), (pc >> 2) & 1023);
                uint op;
                if (_fetchHost != null)
                {
                    op = *(uint*)(_fetchHost + (pc & PhysicalBus.PageMask));
                    if (d.Opcode != op) d = Redecode(op, (pc >> 2) & 1023, thumb: false);
                }
                else
                {
                    op = FetchWithoutHostPage(pc, ref d, thumb: false);
                }
                _nextPc = pc + 4;
                R[15] = pc + 8;
                if (!TMode.Profiled)
                {
                    if (op >= 0xE000_0000 || ConditionPassed(op >> 28)) d.Handler(this, op);
                }
                else
                {
                    // Counted once the handler has returned: an aborted instruction is not executed.
                    if (op >= 0xE000_0000 || ConditionPassed(op >> 28)) d.Handler(this, op);
                    else _profileFailed![(pc >> 2) & 1023]++;
                    _profileExecuted![(pc >> 1) & 2047]++;
                    if (_nextPc != pc + 4) _profile!.OnBranch(this, pc, op, _nextPc, thumb: false);
                }
            }
            else
            {
                ref DecodedInstruction d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fetchThumb), (pc >> 1) & 2047);
                uint op;
                if (_fetchHost != null)
                {
                    op = *(ushort*)(_fetchHost + (pc & PhysicalBus.PageMask));
                    if (d.Opcode != op) d = Redecode(op, (pc >> 1) & 2047, thumb: true);
                }
                else
                {
                    op = FetchWithoutHostPage(pc, ref d, thumb: true);
                }
                _nextPc = pc + 2;
                R[15] = pc + 4;
                d.Handler(this, op);
                if (TMode.Profiled)
                {
                    _profileExecuted![(pc >> 1) & 2047]++;
                    if (_nextPc != pc + 2) _profile!.OnBranch(this, pc, op, _nextPc, thumb: true);
                }
            }

            _pc = _nextPc;
            _budget--;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterFetchPage(uint pc)
    {
        uint vpn = pc >> PhysicalBus.PageBits;
        _fetchHost = Memory.FetchPage(pc, out _fetchThroughInstructionCache); // throws MemoryFault -> Prefetch Abort
        var page = _decodedPages[vpn] ??= new DecodedPage(Decoder, ThumbDecoder);
        _fetchArm = page.Arm;
        _fetchThumb = page.Thumb;
        _fetchArmValid = page.ArmValid;
        _fetchThumbValid = page.ThumbValid;
        if (_profile is not null)
        {
            var counters = _profile.Page(vpn);
            _profileExecuted = counters.Executed;
            _profileFailed = counters.ConditionFailed;
        }
        _fetchVpn = vpn;
    }

    private void DropFetchPage() => _fetchVpn = uint.MaxValue;

    /// <summary>A slot whose word changed: decode it again. It no longer stands for an I-cache line.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecodedInstruction Redecode(uint op, uint slot, bool thumb)
    {
        (thumb ? _fetchThumbValid : _fetchArmValid)[slot] = false;
        return new DecodedInstruction(thumb ? ThumbDecoder.Decode(op) : Decoder.Decode(op), op);
    }

    /// <summary>
    /// A fetch from a page without a host pointer. Through the I-cache, a slot decoded from a
    /// line that is still resident is used as it is: the decoded instruction follows the
    /// I-cache line it came from (the line's removal clears the slot's valid bit), so code
    /// changed in memory but not invalidated in the I-cache keeps running, as on hardware.
    /// Otherwise (MMIO, an observer) the word is fetched through the port and checked.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchWithoutHostPage(uint pc, ref DecodedInstruction d, bool thumb)
    {
        uint slot = thumb ? (pc >> 1) & 2047 : (pc >> 2) & 1023;
        bool[] valid = thumb ? _fetchThumbValid : _fetchArmValid;
        if (_fetchThroughInstructionCache && valid[slot])
        {
            Memory.CountInstructionCacheHit();
            return d.Opcode;
        }
        uint op = thumb ? Memory.Fetch16(pc) : Memory.Fetch32(pc);
        if (d.Opcode != op) d = new DecodedInstruction(thumb ? ThumbDecoder.Decode(op) : Decoder.Decode(op), op);
        valid[slot] = _fetchThroughInstructionCache;
        return op;
    }

    /// <summary>An I-cache line was evicted or invalidated: the slots decoded from it no longer stand for it.</summary>
    private void OnInstructionLineRemoved(uint va, int length)
    {
        if (_decodedPages[va >> PhysicalBus.PageBits] is not { } page) return;
        uint offset = va & PhysicalBus.PageMask;
        for (uint a = offset; a < offset + (uint)length && a < PhysicalBus.PageSize; a += 2)
        {
            page.ThumbValid[a >> 1] = false;
            if ((a & 3) == 0) page.ArmValid[a >> 2] = false;
        }
    }

    /// <summary>Forgets every decoded instruction (an embedder replaced code wholesale).</summary>
    public void FlushDecodedInstructions()
    {
        Array.Clear(_decodedPages);
        DropFetchPage();
    }

    /// <summary>Handles stop requests and interrupts; true when the loop must return.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TakeAttention(out StopReason reason)
    {
        _attention = false;
        reason = StopReason.Requested;
        if (_stopRequested)
        {
            _stopRequested = false;
            reason = _stopReason == StopReason.WaitForInterrupt ? StopReason.WaitForInterrupt : StopReason.Requested;
            _stopReason = StopReason.Requested;
            return true;
        }
        // FIQ has priority over IRQ (ARM ARM A2.6.10).
        if (_fiqLine && !F)
            RaiseInterrupt(ExceptionKind.Fiq);
        else if (_irqLine && !I)
            RaiseInterrupt(ExceptionKind.Irq);
        if (_stopRequested) return TakeAttention(out reason);
        if (_irqLine || _fiqLine) _attention = true; // still asserted: look again once unmasked
        return false;
    }

    // Condition truth table indexed by condition, one bit per NZCV value (N is bit 3).
    private static ReadOnlySpan<ushort> ConditionTable =>
    [
        0xF0F0, // EQ  Z
        0x0F0F, // NE  !Z
        0xCCCC, // CS  C
        0x3333, // CC  !C
        0xFF00, // MI  N
        0x00FF, // PL  !N
        0xAAAA, // VS  V
        0x5555, // VC  !V
        0x0C0C, // HI  C && !Z
        0xF3F3, // LS  !C || Z
        0xAA55, // GE  N == V
        0x55AA, // LT  N != V
        0x0A05, // GT  !Z && N == V
        0xF5FA, // LE  Z || N != V
        0xFFFF, // AL
        0xFFFF, // (1111: the unconditional space, decided by the decoder)
    ];

    /// <summary>ConditionPassed() of ARM ARM A3.2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ConditionPassed(uint cond) => ((ConditionTable[(int)(cond & 15)] >> (int)Nzcv) & 1) != 0;
}
