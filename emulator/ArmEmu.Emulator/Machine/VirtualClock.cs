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
    private readonly EventQueue _queue = new();

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
            while (_queue.TryPeek(out var e, out ulong time))
            {
                if (!e.Cancelled) return time;
                _queue.Dequeue();
            }
            return null;
        }
    }

    /// <summary>Runs <paramref name="action"/> once the clock reaches <paramref name="time"/> (at once if it has).</summary>
    public ScheduledEvent Schedule(ulong time, Action action)
    {
        var e = new ScheduledEvent(time, action);
        _queue.Enqueue(e, time, _sequence++);
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
        _queue.Enqueue(e, time, _sequence++);
        ulong now = Now;
        _cpu.LimitRun(time > now ? (long)Math.Min(time - now, long.MaxValue) : 0);
    }

    /// <summary>Runs every event that is due, in time order (ties in the order they were scheduled).</summary>
    public void RunDue()
    {
        while (_queue.TryPeek(out var e, out ulong time) && time <= Now)
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

    /// <summary>
    /// The pending events as a binary min-heap on (time, sequence): earliest first, ties in the
    /// order of scheduling. A heap of its own rather than PriorityQueue: with a tuple priority,
    /// PriorityQueue asks for Comparer&lt;(ulong, ulong)&gt;.Default, which the runtime builds by
    /// reflection, JIT-compiling its constructor at every start.
    /// </summary>
    private sealed class EventQueue
    {
        private (ScheduledEvent Event, ulong Time, ulong Sequence)[] _heap = new (ScheduledEvent, ulong, ulong)[16];
        private int _count;

        public bool TryPeek(out ScheduledEvent e, out ulong time)
        {
            if (_count == 0)
            {
                (e, time) = (null!, 0);
                return false;
            }
            (e, time) = (_heap[0].Event, _heap[0].Time);
            return true;
        }

        public void Enqueue(ScheduledEvent e, ulong time, ulong sequence)
        {
            if (_count == _heap.Length) Array.Resize(ref _heap, _count * 2);
            int i = _count++;
            var item = (e, time, sequence);
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Before(item, _heap[parent])) break;
                _heap[i] = _heap[parent];
                i = parent;
            }
            _heap[i] = item;
        }

        public void Dequeue()
        {
            var last = _heap[--_count];
            _heap[_count] = default;
            if (_count == 0) return;
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= _count) break;
                if (child + 1 < _count && Before(_heap[child + 1], _heap[child])) child++;
                if (!Before(_heap[child], last)) break;
                _heap[i] = _heap[child];
                i = child;
            }
            _heap[i] = last;
        }

        private static bool Before((ScheduledEvent, ulong Time, ulong Sequence) a, (ScheduledEvent, ulong Time, ulong Sequence) b) =>
            a.Time != b.Time ? a.Time < b.Time : a.Sequence < b.Sequence;
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
