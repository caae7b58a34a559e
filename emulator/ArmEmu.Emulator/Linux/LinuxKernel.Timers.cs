using System.Buffers.Binary;
using ArmEmu.Emulator.Machine;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Timers on the guest's clocks: setitimer/getitimer (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF;
/// glibc's alarm is setitimer on ARM EABI, which has no alarm call) and the POSIX timers
/// (timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete;
/// kernel/time/itimer.c and posix-timers.c). A timer on CLOCK_REALTIME or CLOCK_MONOTONIC is
/// an event on the machine's <see cref="VirtualClock"/>, so it fires at the same instruction on
/// every run (and when every thread waits, the clock jumps to it). A timer on the process's CPU
/// time (ITIMER_VIRTUAL, ITIMER_PROF, CLOCK_PROCESS_CPUTIME_ID) counts the instructions its
/// threads run: the scheduler ends a slice where the earliest such timer expires. One CPU and
/// no kernel time: user time and user+system time are the same, so VIRTUAL and PROF run alike.
/// </summary>
internal sealed partial class LinuxKernel
{
    private const int ItimerReal = 0, ItimerVirtual = 1, ItimerProf = 2;
    private const int SigevSignal = 0, SigevNone = 1, SigevThreadId = 4;
    private const int SiTimer = -2;

    /// <summary>One timer of a process: an itimer (Id &lt; 0) or a POSIX timer.</summary>
    internal sealed class GuestTimer(GuestProcess process, int id, int clock)
    {
        public GuestProcess Process { get; } = process;

        /// <summary>The POSIX timer id (0 up), or -1 - which for an itimer.</summary>
        public int Id { get; } = id;

        public int Clock { get; } = clock;

        public int Signal { get; init; }

        public int Notify { get; init; }

        /// <summary>SIGEV_THREAD_ID's thread, else null (the process).</summary>
        public GuestThread? Thread { get; init; }

        public uint Value { get; init; }

        /// <summary>The period in nanoseconds (0: fires once).</summary>
        public long Interval { get; set; }

        /// <summary>When it fires next: machine cycles for a real clock, the process's instructions for a CPU clock; ulong.MaxValue: disarmed.</summary>
        public ulong Expires { get; set; } = ulong.MaxValue;

        /// <summary>The event on the machine clock that fires a real-clock timer.</summary>
        public ScheduledEvent? Event { get; set; }

        /// <summary>Expiries not delivered because the last signal was still pending (si_overrun), and what timer_getoverrun reports.</summary>
        public int Overrun { get; set; }

        public int LastOverrun { get; set; }

        /// <summary>The queued signal of the last expiry while it waits to be delivered.</summary>
        public PendingSignal? Queued { get; set; }

        /// <summary>On CPU time (a thread's CPU clock counts as its process's: the timer fires when the process has run that long).</summary>
        public bool OnCpuTime => Clock is ClockProcessCpu or ClockThreadCpu || Clock < 0;

        public bool IsArmed => Expires != ulong.MaxValue;
    }

    private readonly List<GuestTimer> _timers = [];

    private GuestTimer? FindTimer(GuestProcess process, int id) => _timers.Find(t => ReferenceEquals(t.Process, process) && t.Id == id);

    /// <summary>How far a timer is from firing, in nanoseconds (0 once due).</summary>
    private long TimeLeft(GuestTimer timer)
    {
        if (!timer.IsArmed) return 0;
        ulong now = timer.OnCpuTime ? InstructionsRunBy(timer.Process) : Machine.Clock.Now;
        return CyclesToNanoseconds(timer.Expires > now ? timer.Expires - now : 0);
    }

    /// <summary>Arms <paramref name="timer"/> to fire <paramref name="after"/> nanoseconds from now (0: disarms it).</summary>
    private void Arm(GuestTimer timer, long after, long interval)
    {
        timer.Event?.Cancel();
        timer.Event = null;
        timer.Interval = interval;
        if (after <= 0)
        {
            timer.Expires = ulong.MaxValue;
            return;
        }
        ulong ticks = NanosecondsToCycles(Math.Max(after, 1));
        if (timer.OnCpuTime)
        {
            timer.Expires = InstructionsRunBy(timer.Process) + ticks;
            Cpu.RequestStop(); // the slice is cut where the timer expires
            return;
        }
        timer.Expires = Machine.Clock.Now + ticks;
        timer.Event = Machine.Clock.Schedule(timer.Expires, () => Fire(timer));
    }

    /// <summary>
    /// The timer expires: its signal is queued (unless SIGEV_NONE), or, while the last one is
    /// still pending, counted as an overrun; a periodic timer is armed again a period after the
    /// expiry it was due at (periods missed meanwhile are overruns too, as hrtimer_forward counts).
    /// </summary>
    private void Fire(GuestTimer timer)
    {
        timer.Event = null;
        if (timer.Process.HasExited || !timer.IsArmed) return;
        ulong due = timer.Expires;
        if (timer.Notify != SigevNone) QueueTimerSignal(timer);
        if (timer.Interval <= 0)
        {
            timer.Expires = ulong.MaxValue;
            return;
        }
        ulong period = Math.Max(1, NanosecondsToCycles(timer.Interval));
        ulong now = timer.OnCpuTime ? InstructionsRunBy(timer.Process) : Machine.Clock.Now;
        ulong next = due + period;
        if (next <= now)
        {
            ulong missed = (now - next) / period + 1;
            timer.Overrun = (int)Math.Min(int.MaxValue, timer.Overrun + (long)missed);
            next += missed * period;
        }
        timer.Expires = next;
        if (!timer.OnCpuTime) timer.Event = Machine.Clock.Schedule(next, () => Fire(timer));
    }

    private void QueueTimerSignal(GuestTimer timer)
    {
        var target = timer.Thread is { HasExited: false } t ? t : null;
        if (timer.Queued is { } queued && timer.Process.Threads.Exists(x => x.PendingSignals.Contains(queued)))
        {
            // Still pending: one more overrun, which the queued siginfo reports (si_overrun).
            timer.Overrun++;
            BinaryPrimitives.WriteInt32LittleEndian(queued.Info.AsSpan(16), timer.Overrun);
            return;
        }
        timer.Overrun = 0;
        byte[] info;
        if (timer.Id < 0)
        {
            info = SigInfo(timer.Signal, SignalCode.SI_KERNEL); // it_real_fn, check_cpu_itimer: SEND_SIG_PRIV
        }
        else
        {
            info = SigInfo(timer.Signal, SiTimer);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(12), timer.Id);   // si_timerid
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(16), 0);          // si_overrun
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(20), timer.Value); // si_value
        }
        var pending = new PendingSignal(timer.Signal, info);
        bool queuedNow = target is not null ? QueueSignal(target, pending) : QueueProcessSignal(timer.Process, pending);
        timer.Queued = queuedNow ? pending : null;
    }

    /// <summary>
    /// A signal leaves the queue (delivered, or taken by sigtimedwait): if a timer queued it, its
    /// overruns so far become what timer_getoverrun reports, and counting starts again
    /// (posixtimer_rearm's it_overrun_last).
    /// </summary>
    private void SignalTaken(PendingSignal pending)
    {
        if (_timers.Count == 0) return;
        foreach (var t in _timers)
            if (ReferenceEquals(t.Queued, pending))
            {
                t.LastOverrun = t.Overrun;
                t.Overrun = 0;
                t.Queued = null;
                return;
            }
    }

    /// <summary>
    /// The instructions the running process may still run before a CPU-time timer of its expires
    /// (long.MaxValue: none armed); the scheduler ends the slice there.
    /// </summary>
    private long CpuTimerBudget()
    {
        long budget = long.MaxValue;
        ulong now = ulong.MaxValue;
        foreach (var t in _timers)
        {
            if (!t.OnCpuTime || !t.IsArmed || !ReferenceEquals(t.Process, CurrentProcess)) continue;
            if (now == ulong.MaxValue) now = InstructionsRunBy(CurrentProcess);
            budget = Math.Min(budget, t.Expires > now ? (long)Math.Min(t.Expires - now, long.MaxValue) : 0);
        }
        return budget;
    }

    /// <summary>After a slice: fires the running process's CPU-time timers that are due.</summary>
    private void FireCpuTimers()
    {
        ulong now = ulong.MaxValue;
        for (int i = 0; i < _timers.Count; i++)
        {
            var t = _timers[i];
            if (!t.OnCpuTime || !t.IsArmed || !ReferenceEquals(t.Process, CurrentProcess)) continue;
            if (now == ulong.MaxValue) now = InstructionsRunBy(CurrentProcess);
            if (t.Expires <= now) Fire(t);
        }
    }

    /// <summary>A process's timers go when it exits; its POSIX timers also when it execs (itimers survive execve).</summary>
    private void DeleteTimers(GuestProcess process, bool posixOnly)
    {
        // A loop, not LINQ's Where and ToList: their generic code was type loads at every exit.
        for (int i = 0; i < _timers.Count;)
        {
            var t = _timers[i];
            if (!ReferenceEquals(t.Process, process) || (posixOnly && t.Id < 0))
            {
                i++;
                continue;
            }
            t.Event?.Cancel();
            _timers.RemoveAt(i);
        }
    }

    // ---- setitimer, getitimer ------------------------------------------------------------------

    private GuestTimer Itimer(int which)
    {
        var timer = FindTimer(CurrentProcess, -1 - which);
        if (timer is not null) return timer;
        timer = new GuestTimer(CurrentProcess, -1 - which, which == ItimerReal ? ClockMonotonic : ClockProcessCpu)
        {
            Signal = which switch { ItimerReal => (int)Linux.Signal.SIGALRM, ItimerVirtual => (int)Linux.Signal.SIGVTALRM, _ => (int)Linux.Signal.SIGPROF },
            Notify = SigevSignal,
        };
        _timers.Add(timer);
        return timer;
    }

    /// <summary>struct itimerval: { timeval it_interval; timeval it_value } (32-bit fields), as nanoseconds; -EFAULT or -EINVAL (a negative or unnormalised timeval).</summary>
    private long ReadItimerval(uint address, out long interval, out long value)
    {
        interval = value = 0;
        Span<byte> b = stackalloc byte[16];
        if (!ReadUser(address, b)) return -Errno.EFAULT;
        for (int i = 0; i < 16; i += 8)
        {
            int sec = BinaryPrimitives.ReadInt32LittleEndian(b[i..]), usec = BinaryPrimitives.ReadInt32LittleEndian(b[(i + 4)..]);
            if (sec < 0 || usec is < 0 or >= 1_000_000) return -Errno.EINVAL;
            long ns = sec * NanosecondsPerSecond + usec * 1000L;
            if (i == 0) interval = ns;
            else value = ns;
        }
        return 0;
    }

    private bool WriteItimerval(uint address, long interval, long value)
    {
        if (address == 0) return true;
        Span<byte> b = stackalloc byte[16];
        // A timer about to fire reports at least 1 us left, as Linux's itimer_get_remtime does.
        if (value is > 0 and < 1000) value = 1000;
        BinaryPrimitives.WriteInt32LittleEndian(b, (int)(interval / NanosecondsPerSecond));
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], (int)(interval % NanosecondsPerSecond / 1000));
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], (int)(value / NanosecondsPerSecond));
        BinaryPrimitives.WriteInt32LittleEndian(b[12..], (int)(value % NanosecondsPerSecond / 1000));
        return WriteUser(address, b);
    }

    private long SysGetItimer(int which, uint address)
    {
        if (which is < ItimerReal or > ItimerProf) return -Errno.EINVAL;
        var timer = Itimer(which);
        return WriteItimerval(address, timer.Interval, TimeLeft(timer)) ? 0 : -Errno.EFAULT;
    }

    /// <summary>setitimer: a null new value disarms the timer (as Linux still accepts); the old value is written back.</summary>
    private long SysSetItimer(int which, uint newAddress, uint oldAddress)
    {
        if (which is < ItimerReal or > ItimerProf) return -Errno.EINVAL;
        long interval = 0, value = 0;
        if (newAddress != 0 && ReadItimerval(newAddress, out interval, out value) is < 0 and var error) return error;
        var timer = Itimer(which);
        long oldInterval = timer.Interval, oldValue = TimeLeft(timer);
        Arm(timer, value, value == 0 ? 0 : interval);
        return WriteItimerval(oldAddress, oldInterval, oldValue) ? 0 : -Errno.EFAULT;
    }

    // ---- POSIX timers --------------------------------------------------------------------------

    /// <summary>timer_create(clockid, sevp, timerid): struct sigevent is { sigval; int signo; int notify; int tid; ... }.</summary>
    private long SysTimerCreate(int clock, uint eventAddress, uint idAddress)
    {
        if (ClockNanoseconds(clock) is null) return -Errno.EINVAL;
        int id = 0;
        while (FindTimer(CurrentProcess, id) is not null) id++;
        int signal = (int)Linux.Signal.SIGALRM, notify = SigevSignal;
        uint value = (uint)id;
        GuestThread? thread = null;
        if (eventAddress != 0)
        {
            Span<byte> e = stackalloc byte[16];
            if (!ReadUser(eventAddress, e)) return -Errno.EFAULT;
            value = BinaryPrimitives.ReadUInt32LittleEndian(e);
            signal = BinaryPrimitives.ReadInt32LittleEndian(e[4..]);
            notify = BinaryPrimitives.ReadInt32LittleEndian(e[8..]);
            int tid = BinaryPrimitives.ReadInt32LittleEndian(e[12..]);
            // good_sigevent: SIGEV_SIGNAL, SIGEV_THREAD_ID (a thread of the caller's process) or SIGEV_NONE.
            if (notify is not (SigevSignal or SigevNone or SigevThreadId)) return -Errno.EINVAL;
            if (notify != SigevNone && signal is < 1 or > 64) return -Errno.EINVAL;
            if (notify == SigevThreadId)
            {
                thread = CurrentProcess.Threads.Find(t => t.Tid == tid && !t.HasExited);
                if (thread is null) return -Errno.EINVAL;
            }
        }
        if (!WriteUser32(idAddress, (uint)id)) return -Errno.EFAULT;
        _timers.Add(new GuestTimer(CurrentProcess, id, clock) { Signal = signal, Notify = notify, Thread = thread, Value = value });
        return 0;
    }

    /// <summary>timer_settime(id, flags, new, old): struct itimerspec { timespec it_interval; timespec it_value }.</summary>
    private long SysTimerSetTime(int id, int flags, uint newAddress, uint oldAddress, bool wide)
    {
        if (FindTimer(CurrentProcess, id) is not { } timer) return -Errno.EINVAL;
        int size = wide ? 16 : 8;
        long interval = ReadTimespecNanoseconds(newAddress, wide);
        long value = interval < 0 ? interval : ReadTimespecNanoseconds(newAddress + (uint)size, wide);
        if (interval < 0 || value < 0) return Math.Min(interval, value);
        long oldInterval = timer.Interval, oldValue = TimeLeft(timer);
        if (value != 0 && (flags & TimerAbsolute) != 0) value = Math.Max(1, value - ClockNanoseconds(timer.Clock)!.Value);
        Arm(timer, value, value == 0 ? 0 : interval);
        if (oldAddress != 0 && (WriteTimespec(oldAddress, oldInterval, wide) < 0 || WriteTimespec(oldAddress + (uint)size, oldValue, wide) < 0))
            return -Errno.EFAULT;
        return 0;
    }

    private long SysTimerGetTime(int id, uint address, bool wide)
    {
        if (FindTimer(CurrentProcess, id) is not { } timer) return -Errno.EINVAL;
        int size = wide ? 16 : 8;
        return WriteTimespec(address, timer.Interval, wide) < 0 || WriteTimespec(address + (uint)size, TimeLeft(timer), wide) < 0 ? -Errno.EFAULT : 0;
    }

    private long SysTimerGetOverrun(int id) => FindTimer(CurrentProcess, id) is { } timer ? timer.LastOverrun : -Errno.EINVAL;

    private long SysTimerDelete(int id)
    {
        if (FindTimer(CurrentProcess, id) is not { } timer) return -Errno.EINVAL;
        timer.Event?.Cancel();
        _timers.Remove(timer);
        // A signal the timer queued and not yet delivered goes with it (posix_timer's sigqueue is freed).
        if (timer.Queued is { } queued)
            foreach (var t in CurrentProcess.Threads) t.PendingSignals.Remove(queued);
        return 0;
    }

    // ---- rt_sigtimedwait -----------------------------------------------------------------------

    /// <summary>
    /// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of
    /// <paramref name="setAddress"/> off the thread's queue without running its handler (its
    /// number is the result, its siginfo written to <paramref name="infoAddress"/>), waiting for
    /// one until the timeout (EAGAIN) or another signal's handler (EINTR); sigwaitinfo, sigwait
    /// and glibc's SIGEV_THREAD timers use it.
    /// </summary>
    private long SysRtSigtimedwait(uint setAddress, uint infoAddress, uint timeoutAddress, uint setSize, bool wide)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        if (!ReadUser(setAddress, b)) return -Errno.EFAULT;
        ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b) & ~Unblockable;
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            timeout = ReadTimespecNanoseconds(timeoutAddress, wide);
            if (timeout < 0) return timeout;
        }
        var thread = CurrentThread;
        long Take()
        {
            int best = -1;
            for (int i = 0; i < thread.PendingSignals.Count; i++)
            {
                int s = thread.PendingSignals[i].Signal;
                if ((set & Bit(s)) != 0 && (best < 0 || s < thread.PendingSignals[best].Signal)) best = i;
            }
            if (best < 0) return 0;
            var pending = thread.PendingSignals[best];
            thread.PendingSignals.RemoveAt(best);
            SignalTaken(pending);
            if (infoAddress != 0 && !WriteUser(infoAddress, pending.Info)) return -Errno.EFAULT;
            return pending.Signal;
        }
        long taken = Take();
        if (taken != 0) return taken;
        if (timeout == 0) return -Errno.EAGAIN;
        return BlockCurrent(new ThreadBlock(() => thread.PendingSignals.Exists(p => (set & Bit(p.Signal)) != 0), deadline: DeadlineAfter(timeout))
        {
            WaitsForSignal = true,
            Completion = reason => Cpu.R[0] = unchecked((uint)(reason switch
            {
                WakeReason.Ready => Take(),
                WakeReason.TimedOut => -Errno.EAGAIN,
                _ => -Errno.EINTR,
            })),
        }, restart: false);
    }
}
