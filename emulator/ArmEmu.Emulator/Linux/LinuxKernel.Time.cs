using System.Buffers.Binary;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Time as the guest sees it: the machine's clock (<see cref="Machine.VirtualClock"/>), which
/// advances one cycle per instruction at <see cref="LinuxMachine.CpuHz"/> and, when every
/// thread waits, jumps to the earliest deadline (the scheduler's <see cref="Idle"/>). Every
/// clock, sleep, timeout and timer of the guest is counted on it, so a program with the same
/// inputs sleeps, times out and is interrupted by its timers at the same instructions on every
/// run, and a program that sleeps for an hour does not keep the host waiting for one.
/// CLOCK_MONOTONIC and CLOCK_BOOTTIME count from the start of the run (the machine boots with
/// the program), so a program that only reads them runs the same instructions every time;
/// CLOCK_REALTIME starts from the host's reading when the run began (dates are right, and
/// differ between runs as the host's do); the CPU-time clocks count the instructions the
/// process or thread has run. Only a wait on the host (a terminal, a host process) lets host time into the
/// guest's: the clock then advances by the host time the wait took.
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    private const int ClockRealtime = 0, ClockMonotonic = 1, ClockProcessCpu = 2, ClockThreadCpu = 3, ClockMonotonicRaw = 4,
        ClockRealtimeCoarse = 5, ClockMonotonicCoarse = 6, ClockBoottime = 7, ClockRealtimeAlarm = 8, ClockBoottimeAlarm = 9, ClockTai = 11;
    private const long NanosecondsPerSecond = 1_000_000_000;
    private const int TimerAbsolute = 1; // TIMER_ABSTIME

    // The host's real-time clock when the kernel started: the guest's runs on from it with the machine's time.
    private readonly long _realtimeBase = HostClockNanoseconds(ClockRealtime);

    private static long HostClockNanoseconds(int clock)
    {
        long* ts = stackalloc long[2];
        HostLibc.ClockGetTime(clock, ts);
        return ts[0] * NanosecondsPerSecond + ts[1];
    }

    /// <summary>Machine time since the run began, in nanoseconds.</summary>
    private long MachineNanoseconds => CyclesToNanoseconds(Machine.Clock.Now);

    private long CyclesToNanoseconds(ulong cycles) => (long)((UInt128)cycles * NanosecondsPerSecond / Machine.Clock.CpuHz);

    /// <summary>The cycles a span of <paramref name="nanoseconds"/> takes, rounded up (a timeout never ends early).</summary>
    private ulong NanosecondsToCycles(long nanoseconds) =>
        nanoseconds <= 0 ? 0 : (ulong)(((UInt128)(ulong)nanoseconds * Machine.Clock.CpuHz + NanosecondsPerSecond - 1) / NanosecondsPerSecond);

    /// <summary>The machine time (cycles) <paramref name="nanoseconds"/> from now; <see cref="ulong.MaxValue"/> for a negative span (none).</summary>
    private ulong DeadlineAfter(long nanoseconds) =>
        nanoseconds < 0 ? ulong.MaxValue : Machine.Clock.Now + NanosecondsToCycles(nanoseconds);

    /// <summary>Instructions the threads of <paramref name="process"/> have run (its CPU time).</summary>
    private ulong InstructionsRunBy(GuestProcess process)
    {
        ulong total = process.InstructionsOfEndedThreads;
        foreach (var t in process.Threads) total += InstructionsRunBy(t);
        return total;
    }

    /// <summary>
    /// The reading of guest clock <paramref name="clock"/> in nanoseconds, or null for a clock the
    /// guest cannot read (EINVAL). Negative ids are the CPU-time clocks of a process or thread
    /// (clock_getcpuclockid, pthread_getcpuclockid: pid or tid in the upper bits, bit 2 for a
    /// thread; kernel/time/posix-cpu-timers.c).
    /// </summary>
    private long? ClockNanoseconds(int clock)
    {
        switch (clock)
        {
            case ClockRealtime or ClockRealtimeCoarse or ClockRealtimeAlarm or ClockTai:
                return _realtimeBase + MachineNanoseconds;
            case ClockMonotonic or ClockMonotonicRaw or ClockMonotonicCoarse or ClockBoottime or ClockBoottimeAlarm:
                return MachineNanoseconds;
            case ClockProcessCpu:
                return CyclesToNanoseconds(InstructionsRunBy(CurrentProcess));
            case ClockThreadCpu:
                return CyclesToNanoseconds(InstructionsRunBy(CurrentThread));
            case < 0 when (clock & 3) != 3:
                int id = ~(clock >> 3);
                if ((clock & 4) != 0)
                {
                    var thread = id == 0 ? CurrentThread : _threads.Find(t => t.Tid == id && ReferenceEquals(t.Process, CurrentProcess));
                    return thread is null ? null : CyclesToNanoseconds(InstructionsRunBy(thread));
                }
                var process = id == 0 ? CurrentProcess : _processes.GetValueOrDefault(id);
                return process is null || process.HasExited ? null : CyclesToNanoseconds(InstructionsRunBy(process));
            default:
                return null;
        }
    }

    // ---- timespec and timeval, 32-bit or 64-bit ---------------------------------------------

    private long WriteTimespec(uint address, long seconds, long nanoseconds, bool wide) => wide
        ? (WriteUser64(address, (ulong)seconds) && WriteUser64(address + 8, (ulong)nanoseconds) ? 0 : -Errno.EFAULT)
        : (WriteUser32(address, (uint)seconds) && WriteUser32(address + 4, (uint)nanoseconds) ? 0 : -Errno.EFAULT);

    private long WriteTimespec(uint address, long nanoseconds, bool wide) =>
        WriteTimespec(address, nanoseconds / NanosecondsPerSecond, nanoseconds % NanosecondsPerSecond, wide);

    private bool ReadTimespec(uint address, bool wide, out long seconds, out long nanoseconds)
    {
        Span<byte> b = stackalloc byte[16];
        seconds = nanoseconds = 0;
        if (!ReadUser(address, b[..(wide ? 16 : 8)])) return false;
        seconds = wide ? BinaryPrimitives.ReadInt64LittleEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b);
        // A 64-bit timespec from a 32-bit program keeps tv_nsec in its low word (the high one is
        // glibc's padding, whatever it holds): get_timespec64 reads only those 32 bits.
        nanoseconds = wide ? BinaryPrimitives.ReadUInt32LittleEndian(b[8..]) : BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        return true;
    }

    /// <summary>A timespec as nanoseconds: -EFAULT, or -EINVAL for a negative or unnormalised one (timespec64_valid).</summary>
    private long ReadTimespecNanoseconds(uint address, bool wide)
    {
        if (!ReadTimespec(address, wide, out long s, out long ns)) return -Errno.EFAULT;
        if (s < 0 || ns is < 0 or >= NanosecondsPerSecond) return -Errno.EINVAL;
        return s >= long.MaxValue / NanosecondsPerSecond ? long.MaxValue : s * NanosecondsPerSecond + ns;
    }

    // ---- the calls -------------------------------------------------------------------------

    private long SysClockGetTime(int clock, uint address, bool wide) =>
        ClockNanoseconds(clock) is long now ? WriteTimespec(address, now, wide) : -Errno.EINVAL;

    /// <summary>clock_getres: 1 ns for the high-resolution clocks, as Linux reports with high-resolution timers.</summary>
    private long SysClockGetRes(int clock, uint address, bool wide)
    {
        if (ClockNanoseconds(clock) is null) return -Errno.EINVAL;
        return address == 0 ? 0 : WriteTimespec(address, 0, 1, wide);
    }

    private long SysGetTimeOfDay(uint address)
    {
        if (address == 0) return 0;
        long now = ClockNanoseconds(ClockRealtime)!.Value;
        return WriteUser32(address, (uint)(now / NanosecondsPerSecond)) && WriteUser32(address + 4, (uint)(now % NanosecondsPerSecond / 1000)) ? 0 : -Errno.EFAULT;
    }

    /// <summary>nanosleep, and clock_nanosleep without TIMER_ABSTIME: a sleep of the span at <paramref name="request"/>.</summary>
    private long SysNanosleep(int clock, uint request, uint remain, bool wide)
    {
        if (clock is ClockThreadCpu || ClockNanoseconds(clock) is null) return -Errno.EINVAL;
        long span = ReadTimespecNanoseconds(request, wide);
        if (span < 0) return span;
        return SleepUntil(DeadlineAfter(span), remain, wide);
    }

    /// <summary>clock_nanosleep with TIMER_ABSTIME: until <paramref name="clock"/> reads the time at <paramref name="request"/> (no remaining time is written).</summary>
    private long SysClockNanosleep(int clock, int flags, uint request, uint remain, bool wide)
    {
        if ((flags & TimerAbsolute) == 0) return SysNanosleep(clock, request, remain, wide);
        if (clock is ClockThreadCpu || ClockNanoseconds(clock) is not long now) return -Errno.EINVAL;
        long until = ReadTimespecNanoseconds(request, wide);
        if (until < 0) return until;
        return SleepUntil(DeadlineAfter(Math.Max(0, until - now)), 0, wide);
    }

    /// <summary>
    /// Blocks the thread until machine time <paramref name="deadline"/>; 0 then. A signal
    /// interrupts it with EINTR and the time left in <paramref name="remain"/> (a sleep is not
    /// restarted after a handler: ERESTART_RESTARTBLOCK).
    /// </summary>
    private long SleepUntil(ulong deadline, uint remain, bool wide)
    {
        if (deadline <= Machine.Clock.Now) return 0;
        Cpu.R[0] = 0;
        return BlockCurrent(new ThreadBlock(() => false, deadline: deadline)
        {
            Completion = reason =>
            {
                if (reason != WakeReason.Interrupted) return;
                Cpu.R[0] = unchecked((uint)-Errno.EINTR);
                if (remain != 0)
                {
                    ulong now = Machine.Clock.Now;
                    WriteTimespec(remain, CyclesToNanoseconds(deadline > now ? deadline - now : 0), wide);
                }
            },
        }, restart: false);
    }
}
