namespace ArmEmu.Cpu.Coprocessors;

/// <summary>The event numbers the performance monitors count (ARM ARM DDI 0406C C12.8.2, Cortex-A9 TRM DDI 0388 11.4).</summary>
internal static class PmuEvent
{
    /// <summary>PMSWINC writes (the counter's bit in the write).</summary>
    public const int SoftwareIncrement = 0x00;
    /// <summary>An instruction fetch that caused a level-1 instruction cache line fill.</summary>
    public const int L1InstructionRefill = 0x01;
    /// <summary>A data read or write that caused a level-1 data cache line fill.</summary>
    public const int L1DataRefill = 0x03;
    /// <summary>A data read or write that looked up the level-1 data cache.</summary>
    public const int L1DataAccess = 0x04;
    /// <summary>An instruction architecturally executed.</summary>
    public const int InstructionExecuted = 0x08;
    /// <summary>An exception taken.</summary>
    public const int ExceptionTaken = 0x09;
    /// <summary>A write to CONTEXTIDR.</summary>
    public const int ContextIdWrite = 0x0B;
    /// <summary>A software change of the PC: an instruction that passed its condition check and wrote the PC (exception returns included, exceptions not).</summary>
    public const int PcWrite = 0x0C;
    /// <summary>Processor cycles (the virtual clock).</summary>
    public const int Cycles = 0x11;
    /// <summary>A change of program flow the branch prediction resources could have predicted (here: the PC writes that are not exception returns, Cortex-A9 TRM 7.3.2).</summary>
    public const int BranchPredictable = 0x12;
    /// <summary>Cortex-A9: instructions out of the register-renaming stage (the A9-specific event Linux's perf counts instructions with, Cortex-A9 TRM 11.4).</summary>
    public const int A9InstructionsRenamed = 0x68;
}

/// <summary>
/// Where the cache events come from: the cache model's running totals (<c>CacheCounters</c>),
/// sampled when the guest reads or reprograms a counter, never per access. Null sources (no
/// cache model, or a cache the model lacks) leave their events' counters still.
/// </summary>
internal sealed class PmuEventSources
{
    /// <summary>Level-1 instruction cache line fills so far.</summary>
    public Func<ulong>? L1InstructionRefills { get; set; }

    /// <summary>Level-1 data cache line fills so far.</summary>
    public Func<ulong>? L1DataRefills { get; set; }

    /// <summary>Level-1 data cache lookups (reads and writes) so far.</summary>
    public Func<ulong>? L1DataAccesses { get; set; }
}

/// <summary>
/// The performance monitors of an ARMv7 core, PMUv1 as on the Cortex-A8 and A9 (ARM ARM DDI 0406C
/// C12; Cortex-A9 TRM DDI 0388 chapter 11): PMCR, the counter enables, overflow flags, interrupt
/// enables, PMSELR with PMXEVTYPER/PMXEVCNTR, PMSWINC, PMUSERENR, the cycle counter and
/// PMCR.N event counters. <see cref="V7Cp15"/> holds the register rows; this class the state.
///
/// Counting costs nothing per instruction: every counter is a running total it samples (the
/// clock, <see cref="Cpu.InstructionsExecuted"/>, <see cref="Cpu.ExceptionsTaken"/>, the cache
/// model's counters) and a value it held at the last sample, so reading a counter computes it.
/// Events counted: <see cref="PmuEvent"/> (the cache events only with a cache model; 0x08 and the
/// A9's 0x68 both count instructions executed, which is the same number in an in-order
/// interpreter). Software changes of the PC (0x0C) are the instructions that passed their
/// condition check and wrote the PC: branches, loads and data-processing results to the PC,
/// exception returns (<see cref="Cpu.SoftwarePcWrites"/>); exceptions taken are not. Branches
/// the predictor could have predicted (0x12) are those PC writes less the exception returns: the
/// Cortex-A9 predicts every branch, PC-destination data processing and ARM/Thumb switch included,
/// but not the S-suffixed and mode-changing ones that return from exceptions (TRM 7.3.2). The
/// hardware also predicts a conditional branch that fails its condition; an in-order model with
/// no speculation does not see one as a branch, so those are not counted -- a departure. Any other event
/// number is stored and counts nothing: memory-reading and -writing instructions and immediate
/// branches (0x06, 0x07, 0x0D) are not counted, the TLB refills and mispredictions (0x02, 0x05,
/// 0x10) have no meaning in the model.
///
/// An overflow (a counter passing 0xFFFFFFFF) sets its PMOVSR bit; the interrupt request is
/// PMINTENSET AND PMOVSR not zero (C12.8.6). Overflow flags are found when a counter is sampled:
/// at every register access, and at the cycle time <see cref="ScheduleCheck"/> is asked for while
/// a counting counter has its interrupt enabled (the exact cycle for the cycle counter; for the
/// other events a time no event can come before, approached until it is reached).
///
/// Departures from QEMU 7.2, whose cortex-a9 has no counting PMU (ARM_FEATURE_PMU is not set:
/// the cycle counter and every event counter stay where they were written, PMCEID0/1 are
/// UNDEFINED, no interrupt is wired): here the counters count, as on the hardware. QEMU also
/// keeps the ARMv8 bits it knows: PMCR.LC and LP (bits 6 and 7) writable and PMXEVTYPER's
/// filter bits and a 16-bit event number (a write of all ones reads 0xFE00FFFF); PMUv1 has
/// neither, so here PMCR bits [10:6] read as zero and PMXEVTYPER holds its 8-bit evtCount only.
/// </summary>
internal sealed class V7Pmu
{
    private const int CycleCounter = 31;
    private const uint PmcrE = 1, PmcrP = 2, PmcrC = 4, PmcrD = 8;
    /// <summary>E, D, X, DP (C12.8.2); P and C act and read as zero; [31:11] are read-only.</summary>
    private const uint PmcrWritable = 0x39;
    /// <summary>An upper bound on events per cycle for the cache events (an LDM or VLDM looks up the D-cache once a word).</summary>
    private const ulong MaxCacheEventsPerCycle = 64;

    private readonly uint _pmcrReset;
    private readonly Func<ulong> _cycles;
    private Cpu? _cpu;

    private uint _pmcr, _cntenset, _ovsr, _selr, _userenr, _intenset;
    private readonly uint[] _evtyper = new uint[32];
    // Counter i (31 = the cycle counter) = _value[i] + (source now - _start[i]) while _running[i].
    private readonly uint[] _value = new uint[32];
    private readonly ulong[] _start = new ulong[32];
    private readonly bool[] _running = new bool[32];
    private ulong _contextIdWrites;
    private bool _interrupt;

    /// <param name="pmcrReset">PMCR at reset (implementer, IDCODE, N).</param>
    /// <param name="cycles">The processor clock (the machine's virtual clock).</param>
    public V7Pmu(uint pmcrReset, Func<ulong> cycles)
    {
        _pmcrReset = pmcrReset;
        _cycles = cycles;
        Reset();
    }

    /// <summary>The cache events' running totals; set by the board that has a cache model.</summary>
    public PmuEventSources Sources { get; } = new();

    /// <summary>Raised when the overflow interrupt request changes (the board wires it to its interrupt controller).</summary>
    public Action<bool>? InterruptChanged { get; set; }

    /// <summary>Asks the machine to call <see cref="Check"/> at a cycle time; null: overflows are found at register accesses only.</summary>
    public Action<ulong>? ScheduleCheck { get; set; }

    /// <summary>The overflow interrupt request.</summary>
    public bool Interrupt => _interrupt;

    internal void Attach(Cpu cpu) => _cpu = cpu;

    /// <summary>PMCR.N: the number of event counters.</summary>
    public int EventCounters => (int)(_pmcrReset >> 11) & 0x1F;

    /// <summary>The implemented bits of the enable, overflow and interrupt registers: C (31) and one per event counter.</summary>
    private uint CounterMask => 1u << 31 | (uint)((1L << EventCounters) - 1);

    public void Reset()
    {
        _pmcr = _pmcrReset;
        _cntenset = _ovsr = _selr = _userenr = _intenset = 0;
        Array.Clear(_evtyper);
        Array.Clear(_value);
        Array.Clear(_running);
        SetInterrupt(false);
    }

    // ---- the registers (V7Cp15's rows call these) ----------------------------------------------

    public bool UserEnabled => (_userenr & 1) != 0;

    public uint Pmcr => _pmcr & ~(PmcrP | PmcrC);

    public void WritePmcr(uint value)
    {
        SampleAll();
        if ((value & PmcrP) != 0)
            for (int i = 0; i < EventCounters; i++) _value[i] = 0;
        if ((value & PmcrC) != 0) _value[CycleCounter] = 0;
        _pmcr = (_pmcr & ~PmcrWritable) | (value & PmcrWritable);
        Restart();
    }

    public uint CounterEnables => _cntenset;

    public void EnableCounters(uint bits)
    {
        SampleAll();
        _cntenset |= bits & CounterMask;
        Restart();
    }

    public void DisableCounters(uint bits)
    {
        SampleAll();
        _cntenset &= ~bits;
        Restart();
    }

    public uint OverflowFlags
    {
        get
        {
            SampleAll();
            Restart();
            return _ovsr;
        }
    }

    public void ClearOverflowFlags(uint bits)
    {
        SampleAll();
        _ovsr &= ~bits;
        Restart();
    }

    public uint InterruptEnables => _intenset;

    public void EnableInterrupts(uint bits)
    {
        SampleAll();
        _intenset |= bits & CounterMask;
        Restart();
    }

    public void DisableInterrupts(uint bits)
    {
        SampleAll();
        _intenset &= ~bits;
        Restart();
    }

    public uint Selection
    {
        get => _selr;
        set => _selr = value & 0x1F;
    }

    public uint UserEnable
    {
        get => _userenr;
        set => _userenr = value & 1;
    }

    /// <summary>PMSWINC: each enabled event counter counting event 0x00 whose bit is set counts one.</summary>
    public void SoftwareIncrement(uint bits)
    {
        SampleAll();
        for (int i = 0; i < EventCounters; i++)
            if ((bits & (1u << i)) != 0 && Counting(i) && _evtyper[i] == PmuEvent.SoftwareIncrement)
                Add(i, 1);
        Restart();
    }

    public uint CycleCount => Sample(CycleCounter);

    public void SetCycleCount(uint value) => SetCounter(CycleCounter, value);

    /// <summary>PMXEVTYPER of the counter PMSELR selects; an unimplemented counter reads 0 and ignores writes (as QEMU).</summary>
    public uint SelectedEventType => _selr < EventCounters ? _evtyper[_selr] : 0;

    public void SetSelectedEventType(uint value)
    {
        if (_selr >= EventCounters) return;
        SampleAll();
        _evtyper[_selr] = value & 0xFF;
        _running[_selr] = false; // it follows another source now: Restart starts it afresh
        Restart();
    }

    public uint SelectedCount => _selr < EventCounters ? Sample((int)_selr) : 0;

    public void SetSelectedCount(uint value)
    {
        if (_selr < EventCounters) SetCounter((int)_selr, value);
    }

    /// <summary>The CONTEXTIDR write event (0x0B): V7Cp15 calls this on each write.</summary>
    internal void ContextIdWritten() => _contextIdWrites++;

    /// <summary>Samples every counter, raises the interrupt for any overflow, and asks for the next check.</summary>
    public void Check()
    {
        SampleAll();
        Restart();
    }

    // ---- counting ------------------------------------------------------------------------------

    private bool Counting(int i) =>
        (_pmcr & PmcrE) != 0 && (_cntenset & (1u << i)) != 0 && (i == CycleCounter || i < EventCounters);

    /// <summary>The running total counter <paramref name="i"/> follows; null for an event not counted.</summary>
    private ulong? Source(int i)
    {
        if (i == CycleCounter) return _cycles();
        return _evtyper[i] switch
        {
            PmuEvent.L1InstructionRefill => Sources.L1InstructionRefills?.Invoke(),
            PmuEvent.L1DataRefill => Sources.L1DataRefills?.Invoke(),
            PmuEvent.L1DataAccess => Sources.L1DataAccesses?.Invoke(),
            PmuEvent.InstructionExecuted or PmuEvent.A9InstructionsRenamed => _cpu?.InstructionsExecuted,
            PmuEvent.ExceptionTaken => _cpu?.ExceptionsTaken,
            PmuEvent.ContextIdWrite => _contextIdWrites,
            PmuEvent.PcWrite => _cpu?.SoftwarePcWrites,
            PmuEvent.BranchPredictable => _cpu is { } cpu ? cpu.SoftwarePcWrites - cpu.ExceptionReturns : null,
            PmuEvent.Cycles => _cycles(),
            _ => null,
        };
    }

    /// <summary>Brings counter <paramref name="i"/> up to date (setting its overflow flag if it wrapped) and returns it.</summary>
    private uint Sample(int i)
    {
        if (!_running[i] || Source(i) is not ulong now) return _value[i];
        ulong elapsed = now >= _start[i] ? now - _start[i] : 0; // a source reset under us counts nothing
        if (i == CycleCounter && (_pmcr & PmcrD) != 0)
        {
            _start[i] = now - elapsed % 64; // the cycles short of the next 64 still count
            elapsed /= 64;
        }
        else _start[i] = now;
        Add(i, elapsed);
        return _value[i];
    }

    private void Add(int i, ulong events)
    {
        ulong total = _value[i] + events;
        if (total > uint.MaxValue) _ovsr |= 1u << i;
        _value[i] = (uint)total;
    }

    private void SampleAll()
    {
        for (int i = 0; i < 32; i++)
            if (_running[i]) Sample(i);
    }

    private void SetCounter(int i, uint value)
    {
        SampleAll();
        _value[i] = value;
        Restart();
    }

    /// <summary>After a change: every counter starts from its source's total now, the interrupt follows the flags, the next check is asked for.</summary>
    private void Restart()
    {
        ulong soonest = ulong.MaxValue;
        for (int i = 0; i < 32; i++)
        {
            // A counter that was running has just been sampled: its start already stands where its count does.
            bool was = _running[i];
            _running[i] = Counting(i) && Source(i) is not null;
            if (!_running[i]) continue;
            if (!was) _start[i] = Source(i)!.Value;
            if ((_intenset & (1u << i)) != 0) soonest = Math.Min(soonest, CyclesToOverflow(i));
        }
        SetInterrupt((_intenset & _ovsr) != 0);
        if (soonest != ulong.MaxValue) ScheduleCheck?.Invoke(_cycles() + soonest);
    }

    /// <summary>The fewest cycles before counter <paramref name="i"/> can overflow (at least 1).</summary>
    private ulong CyclesToOverflow(int i)
    {
        ulong remaining = (1UL << 32) - _value[i];
        if (i == CycleCounter)
            return (_pmcr & PmcrD) != 0 ? Math.Max(1, remaining * 64 - (_cycles() - _start[i])) : remaining;
        ulong perCycle = _evtyper[i] switch
        {
            PmuEvent.L1InstructionRefill or PmuEvent.L1DataRefill or PmuEvent.L1DataAccess => MaxCacheEventsPerCycle,
            _ => 1, // instructions, exceptions, PC writes, cycles, CONTEXTIDR writes: at most one a cycle
        };
        return Math.Max(1, remaining / perCycle);
    }

    private void SetInterrupt(bool level)
    {
        if (_interrupt == level) return;
        _interrupt = level;
        InterruptChanged?.Invoke(level);
    }
}
