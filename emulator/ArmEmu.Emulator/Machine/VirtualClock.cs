namespace ArmEmu.Emulator.Machine;

/// <summary>
/// The machine's time, derived from executed instructions so every run is
/// reproducible: one instruction is one CPU cycle at <see cref="CpuHz"/>, plus
/// the cycles WFI skipped while waiting. Devices schedule events at absolute
/// cycle times; the machine runs the CPU in slices that end at the next event,
/// so the interpreter's loop pays nothing for time keeping.
/// </summary>
internal sealed class VirtualClock
{
    private readonly Cpu.Cpu _cpu;
    // Earliest time first, then the order of scheduling. The comparer is given rather than
    // Comparer<(ulong, ulong)>.Default: that one the runtime creates by reflection, and the JIT
    // compiled its activation code at every start (the instantiation is not in the ReadyToRun image).
    private readonly PriorityQueue<ScheduledEvent, (ulong Time, ulong Sequence)> _queue = new(16, EventOrder.Instance);

    private sealed class EventOrder : IComparer<(ulong Time, ulong Sequence)>
    {
        public static readonly EventOrder Instance = new();

        public int Compare((ulong Time, ulong Sequence) x, (ulong Time, ulong Sequence) y) =>
            x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Sequence.CompareTo(y.Sequence);
    }

    private ulong _idleCycles;
    private ulong _sequence;

    public VirtualClock(Cpu.Cpu cpu, ulong cpuHz)
    {
        if (cpuHz == 0) throw new ArgumentOutOfRangeException(nameof(cpuHz), "the CPU clock must be above 0 Hz");
        _cpu = cpu;
        CpuHz = cpuHz;
    }

    public ulong CpuHz { get; }

    /// <summary>Cycles since reset.</summary>
    public ulong Now => _cpu.InstructionsExecuted + _idleCycles;

    /// <summary>Cycles WFI spent waiting.</summary>
    public ulong IdleCycles => _idleCycles;

    /// <summary>Converts a device's clock ticks to CPU cycles (rounding up, so an event is never early).</summary>
    public ulong CyclesFor(ulong ticks, ulong tickHz) => (ulong)(((UInt128)ticks * CpuHz + tickHz - 1) / tickHz);

    /// <summary>The time of the earliest pending event, or null.</summary>
    public ulong? NextEventTime
    {
        get
        {
            while (_queue.TryPeek(out var e, out var key))
            {
                if (!e.Cancelled) return key.Time;
                _queue.Dequeue();
            }
            return null;
        }
    }

    /// <summary>Runs <paramref name="action"/> once the clock reaches <paramref name="time"/> (at once if it has).</summary>
    public ScheduledEvent Schedule(ulong time, Action action)
    {
        var e = new ScheduledEvent(time, action);
        _queue.Enqueue(e, (time, _sequence++));
        ulong now = Now;
        _cpu.LimitRun(time > now ? (long)Math.Min(time - now, long.MaxValue) : 0);
        return e;
    }

    /// <summary>
    /// Schedules <paramref name="e"/> again at <paramref name="time"/>, reusing it (no allocation):
    /// it must have run already (an event still queued, even cancelled, must not be rescheduled).
    /// </summary>
    public void Reschedule(ScheduledEvent e, ulong time)
    {
        e.Time = time;
        e.Cancelled = false;
        _queue.Enqueue(e, (time, _sequence++));
        ulong now = Now;
        _cpu.LimitRun(time > now ? (long)Math.Min(time - now, long.MaxValue) : 0);
    }

    /// <summary>Runs every event that is due, in time order (ties in the order they were scheduled).</summary>
    public void RunDue()
    {
        while (_queue.TryPeek(out var e, out var key) && key.Time <= Now)
        {
            _queue.Dequeue();
            if (!e.Cancelled)
            {
                e.Cancelled = true;
                e.Action();
            }
        }
    }

    /// <summary>
    /// The CPU idles (every thread of a Linux machine waits) until <paramref name="time"/>: the
    /// clock moves there without instructions and the events due by then run.
    /// </summary>
    public void IdleUntil(ulong time)
    {
        if (time > Now) _idleCycles += time - Now;
        RunDue();
    }

    /// <summary>Idles up to the next event and runs it; false if nothing is scheduled.</summary>
    public bool SkipToNextEvent()
    {
        if (NextEventTime is not ulong next) return false;
        if (next > Now) _idleCycles += next - Now;
        RunDue();
        return true;
    }
}

/// <summary>A pending event; <see cref="Cancel"/> stops it from running.</summary>
internal sealed class ScheduledEvent(ulong time, Action action)
{
    public ulong Time { get; internal set; } = time;

    internal Action Action { get; } = action;

    internal bool Cancelled { get; set; }

    /// <summary>True once it has run (or was cancelled): it may then be rescheduled.</summary>
    public bool Done => Cancelled;

    public void Cancel() => Cancelled = true;
}
