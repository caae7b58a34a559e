using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Cpu.Engines;
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
internal enum ExceptionDisposition : byte
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
internal readonly record struct CpuException(ExceptionKind Kind, uint InstructionAddress, uint Opcode, MemoryFault? Fault);

internal delegate ExceptionDisposition ExceptionHandler(Cpu cpu, in CpuException exception);

/// <summary>Called before each instruction while installed: the address and whether it is Thumb.</summary>
internal delegate void InstructionHook(Cpu cpu, uint address, bool thumb);

public sealed unsafe partial class Cpu
{
    private const uint NoStopAddress = 0xFFFF_FFFF; // never an instruction address: ARM and Thumb PCs are even

    // Run control, shared by every engine (Engines/). The address of the executing instruction,
    // and of the one after it: a handler that writes the PC sets _nextPc; the engine moves on to it.
    internal uint _pc, _nextPc;

    internal long _budget;
    internal uint _stopAddress = NoStopAddress;
    private StopReason _stopReason;
    internal volatile bool _attention;
    private bool _stopRequested;
    private bool _irqLine, _fiqLine;

    private ExecutionProfile? _profile;
    private IExecutionEngine _engine;

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

    /// <summary>The decoded-code store this CPU fetches through; it belongs to the address space.</summary>
    internal CodeCache Code { get; }

    /// <summary>What runs the instructions (<see cref="InterpreterEngine"/> unless replaced).</summary>
    internal IExecutionEngine Engine
    {
        get => _engine;
        set
        {
            _engine.Invalidate();
            _engine = value;
        }
    }

    /// <summary>
    /// Which engine runs this CPU's instructions (<see cref="ExecutionEngines.Default"/> when it was
    /// created: <c>--engine</c>, ARMEMU_ENGINE). Setting another kind replaces the engine between
    /// runs: a new translator starts with nothing translated (at <see cref="ExecutionEngines.TranslatorThreshold"/>).
    /// </summary>
    public EngineKind EngineKind
    {
        get => _engine is Engines.Translator.TranslatorEngine ? EngineKind.Translator : EngineKind.Interpreter;
        set
        {
            if (value != EngineKind) Engine = ExecutionEngines.Create(value);
        }
    }

    /// <summary>Consulted before any exception is taken; null means always <see cref="ExceptionDisposition.Enter"/>.</summary>
    internal ExceptionHandler? ExceptionHandler { get; set; }

    /// <summary>Called before every instruction while set. Runs with a hook take the slower loop.</summary>
    internal InstructionHook? InstructionHook { get; set; }

    /// <summary>
    /// Counts every instruction per address and follows calls and returns while set
    /// (<c>--profile</c>). Runs with a profile take their own loop specialisation.
    /// </summary>
    internal ExecutionProfile? Profile
    {
        get => _profile;
        set
        {
            _profile = value;
            _engine.Invalidate(); // the next fetch picks up the page's counters
        }
    }

    /// <summary>Called by WFI; returns false if no interrupt can ever come (the run then stops). Null: WFI stops the run.</summary>
    internal Func<Cpu, bool>? WaitForInterruptHandler { get; set; }

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
    internal void LimitRun(long instructions)
    {
        long cut = _budget - Math.Max(0, instructions);
        if (cut <= 0) return;
        _budget -= cut;
        _runBudget -= cut; // the executed count is unchanged
    }

    /// <summary>
    /// Ends the current <see cref="Run"/> after the instruction in progress; asked from an
    /// <see cref="InstructionHook"/>, before the instruction the hook was called for. Safe to call
    /// from another thread (the request is a write followed by a volatile write the loop reads).
    /// </summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _attention = true;
    }

    /// <summary>
    /// An embedder asked the whole machine to stop (the API's Stop, from a hook or another
    /// thread): <see cref="RequestStop"/> ends the CPU's run, and machines whose loop runs many
    /// runs (slices, threads) return between them while this is set. They clear it when they start.
    /// </summary>
    internal bool HaltRequested
    {
        get => _haltRequested;
        set => _haltRequested = value;
    }

    private volatile bool _haltRequested;

    /// <summary>A stop was asked for and the run has not yet ended.</summary>
    internal bool StopRequested => _stopRequested;

    /// <summary>
    /// Runs until <paramref name="maxInstructions"/> have executed, the PC reaches
    /// <paramref name="stopAddress"/>, or something asks to stop, through <see cref="Engine"/>.
    /// </summary>
    internal StopReason Run(long maxInstructions, uint? stopAddress = null) => _engine.Run(this, maxInstructions, stopAddress);

    /// <summary>Executes exactly one instruction (or takes one pending interrupt).</summary>
    internal StopReason Step() => Run(1);

    /// <summary>Starts a run (called by the engine): the budget, the stop address, a first look at the interrupt lines.</summary>
    internal void BeginRun(long budget, uint? stopAddress)
    {
        _executedBefore = InstructionsExecuted;
        _budget = _runBudget = budget;
        _stopAddress = stopAddress ?? NoStopAddress;
        _stopRequested = false;
        _attention = true; // look at interrupt lines before the first instruction
    }

    /// <summary>
    /// The executing instruction faulted (called by the engine): it uses up its step of the budget
    /// (so Step() stops at the vector) but is not counted as executed; the abort is taken.
    /// True when the run must stop.
    /// </summary>
    internal bool AbortInstruction(MemoryFault fault)
    {
        _budget--;
        _runBudget--;
        RaiseAbort(fault);
        return _stopRequested;
    }

    /// <summary>Forgets every decoded instruction (an embedder replaced code wholesale).</summary>
    internal void FlushDecodedInstructions()
    {
        Code.Clear();
        _engine.Invalidate();
    }

    /// <summary>Handles stop requests and interrupts; true when the loop must return.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal bool TakeAttention(out StopReason reason)
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
    internal bool ConditionPassed(uint cond) => ((ConditionTable[(int)(cond & 15)] >> (int)Nzcv) & 1) != 0;
}
