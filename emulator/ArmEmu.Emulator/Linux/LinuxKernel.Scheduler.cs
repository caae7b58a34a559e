using System.Buffers.Binary;
using ArmEmu.Emulator.Machine;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The scheduler: every thread of every process shares the machine's one CPU. The running
/// thread keeps it for <see cref="Quantum"/> instructions, or until it blocks or exits; then
/// the next runnable thread in creation order gets it (round robin). Switches happen only at
/// those points, counted in instructions, so a program with the same inputs is switched at
/// the same instructions on every run and prints the same, with the same instruction counts
/// and cache statistics (what the host does -- terminals, files, host processes -- aside).
/// <para>
/// Never inside the kuser helpers (0xffff0f60-0xffff0fff): their compare-and-exchange is a
/// plain load, compare and store, which the kernel makes atomic by restarting a helper that
/// was interrupted (kuser_cmpxchg_fixup); here a quantum that ends inside one is extended
/// until the helper has returned, which gives the same guarantee.
/// </para>
/// </summary>
internal sealed partial class LinuxKernel
{
    /// <summary>Instructions a thread runs before the next runnable one gets the CPU (1 ms at <see cref="LinuxMachine.CpuHz"/>).</summary>
    public const long Quantum = 200_000;

    private const uint KuserHelpersStart = 0xFFFF_0F60;

    // Live threads in creation order: the round-robin order.
    private readonly List<GuestThread> _threads = [];
    private readonly Dictionary<int, GuestProcess> _processes = new();
    private int _lastId;
    private bool _yieldRequested;

    /// <summary>Processes started (the first one included).</summary>
    public int ProcessesStarted => _processesStarted;

    /// <summary>Threads started (every process's first thread included).</summary>
    public int ThreadsStarted => _threadsStarted;

    private int _processesStarted = 1, _threadsStarted = 1;

    /// <summary>Raised before the CPU goes to another thread (its registers are still the old thread's): --trace names the thread.</summary>
    public event Action<GuestThread>? ThreadSwitching;

    /// <summary>Switches of the CPU from one thread to another.</summary>
    public ulong ThreadSwitches { get; private set; }

    /// <summary>Switches between address spaces (each one cleans and invalidates a VIVT cache).</summary>
    public ulong AddressSpaceSwitches => Machine.AddressSpaceSwitches;

    /// <summary>Set when the run ends because no thread can ever run again.</summary>
    public string? DeadlockMessage { get; private set; }

    /// <summary>A fresh pid/tid: after the host pid the first process took, upwards.</summary>
    private int NewId()
    {
        do _lastId++;
        while (_processes.ContainsKey(_lastId) || _threads.Exists(t => t.Tid == _lastId));
        return _lastId;
    }

    /// <summary>Runs until the first process exits or <paramref name="maxInstructions"/> have run; returns its exit status, or null if the budget ran out.</summary>
    internal int? Run(long maxInstructions)
    {
        long left = maxInstructions;
        long quantumLeft = Quantum;
        Cpu.HaltRequested = false;
        while (ExitStatus is null && left > 0 && !Cpu.HaltRequested) // HaltRequested: the embedding API's Stop
        {
            bool inKuserHelper = Cpu.PC >= KuserHelpersStart && !CurrentThread.HasExited;
            if (CurrentThread.HasExited || CurrentThread.Block is not null || CurrentThread.Process.Stopped
                || ((quantumLeft <= 0 || _yieldRequested) && !inKuserHelper))
            {
                _yieldRequested = false;
                if (!ScheduleNext()) break;
                quantumLeft = Quantum;
            }
            long budget = Math.Min(left, quantumLeft > 0 ? quantumLeft : 8);
            if (_timers.Count > 0)
            {
                FireCpuTimers();
                budget = Math.Max(1, Math.Min(budget, CpuTimerBudget()));
            }
            SliceLoop.RunSlice(Cpu, Machine.Clock, budget, out long executed);
            left -= executed;
            quantumLeft -= executed;
            if (HasHostSignals) TakeHostSignals();
            if (_timers.Count > 0) FireCpuTimers();
            // A signal that arrived during the slice (a timer, the host, another thread's kill) is delivered
            // as the thread returns to user mode -- here, between two instructions (not inside a kuser helper).
            var current = CurrentThread;
            if (current.PendingSignals.Count > 0 && !current.HasExited && current.Block is null && !current.Process.Stopped && Cpu.PC < KuserHelpersStart
                && ExitStatus is null && HasDeliverableSignal(current))
            {
                current.TrapAddress = Cpu.PC;
                DeliverPendingSignals();
            }
        }
        if (ExitStatus is not null) WriteBackSharedFiles();
        return ExitStatus;
    }

    /// <summary>
    /// Gives the CPU to the next thread that can run, after the current one in round-robin
    /// order (the current one last). With none, time passes (<see cref="Idle"/>) until one can;
    /// false if nothing can ever run again.
    /// </summary>
    private bool ScheduleNext()
    {
        while (true)
        {
            ReapHostChildren();
            if (HasHostSignals) TakeHostSignals();
            if (ExitStatus is not null) return false;
            AnnounceInitialStop();
            if (HasHostSignals) TakeHostSignals(); // the embedder may have stopped and been continued meanwhile
            int start = _threads.IndexOf(CurrentThread);
            ulong now = Machine.Clock.Now;
            for (int i = 1; i <= _threads.Count; i++)
            {
                var t = _threads[(start + i + _threads.Count) % _threads.Count];
                if (t.Block is { } block)
                {
                    if (block.CanRun()) Wake(t, WakeReason.Ready);
                    else if (block.Deadline <= now) Wake(t, WakeReason.TimedOut);
                    else if (HasDeliverableSignal(t))
                    {
                        // A signal interrupts the wait: a restarting call is made again after the handler;
                        // one that completes returns EINTR (futex, sleeps, poll).
                        if (!block.Restarts) t.SetSavedRegister(0, unchecked((uint)-Errno.EINTR));
                        Wake(t, WakeReason.Interrupted);
                    }
                }
                if (t.Block is null && !t.HasExited && !t.Process.Stopped)
                {
                    SwitchTo(t);
                    if (t.PendingCompletion is { } pending)
                    {
                        t.PendingCompletion = null;
                        pending.Block.Completion!(pending.Reason);
                    }
                    // Signals sent to the thread while it waited or was switched out are delivered as it returns to user mode.
                    t.TrapAddress = Cpu.PC;
                    DeliverPendingSignals();
                    return true;
                }
            }
            if (!Idle()) return false;
        }
    }

    private void Wake(GuestThread thread, WakeReason reason)
    {
        var block = thread.Block!;
        thread.Block = null;
        LeaveFutexQueue(thread);
        if (block.Completion is not null) thread.PendingCompletion = (block, reason);
    }

    /// <summary>
    /// Every thread waits. The guest's clock decides what happens next (the rule that keeps runs
    /// reproducible): if no wait depends on the host, the clock jumps to the earliest deadline
    /// (a sleep, a timeout, a timer) as an idle CPU would skip to its next interrupt; if one
    /// does (a host descriptor, a host child), the kernel waits on the host until the earliest
    /// deadline at most and the clock advances by the host time that passed. False if no thread
    /// can ever run again (deadlock).
    /// </summary>
    private bool Idle()
    {
        ulong now = Machine.Clock.Now;
        ulong earliest = Machine.Clock.NextEventTime ?? ulong.MaxValue;
        bool onHost = _processes.Values.Any(p => p.HostPid != 0 && !p.HasExited);
        bool onlyDescriptors = !onHost;
        var pollFds = new List<byte>();
        foreach (var t in _threads)
        {
            if (t.Block is not { } block) continue;
            earliest = Math.Min(earliest, block.Deadline);
            if (!block.DependsOnHost) continue;
            onHost = true;
            if (block.HostPollFds is { } fds) pollFds.AddRange(fds);
            else onlyDescriptors = false;
        }
        if (!onHost)
        {
            // With nothing due, a thread waiting for a signal waits for the host's when they are
            // forwarded (Ctrl-C, kill): the kernel sleeps in 50 ms steps, the clock following.
            if (earliest == ulong.MaxValue && ForwardsHostSignals && _threads.Exists(t => t.Block is { WaitsForSignal: true } || t.Process.Stopped))
            {
                long began = System.Diagnostics.Stopwatch.GetTimestamp();
                System.Threading.Thread.Sleep(50);
                Machine.Clock.IdleUntil(now + (ulong)((UInt128)(ulong)System.Diagnostics.Stopwatch.GetElapsedTime(began).Ticks * Machine.Clock.CpuHz / TimeSpan.TicksPerSecond));
                return true;
            }
            if (earliest == ulong.MaxValue)
            {
                DeadlockMessage = _threads.Exists(t => t.Process.Stopped)
                    ? "armemu: the guest is stopped and nothing can continue it (SIGCONT)"
                    : "armemu: every guest thread is blocked for good (deadlock)";
                InitialProcess.ExitStatus ??= 1;
                return false;
            }
            Machine.Clock.IdleUntil(earliest);
            return true;
        }
        // Wait on the host: for the descriptors themselves when that is all the waits are for,
        // else in short steps (a host child's end is noticed by polling waitpid).
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        ulong cyclesLeft = earliest - now;
        int timeout = earliest == ulong.MaxValue ? 50
            : (int)(ulong)UInt128.Min((UInt128)cyclesLeft * 1000 / Machine.Clock.CpuHz + 1, 50);
        if (!onlyDescriptors) timeout = Math.Min(timeout, 1);
        var array = pollFds.ToArray();
        unsafe
        {
            fixed (byte* p = array) HostLibc.Poll(p, (nuint)(array.Length / 8), timeout);
        }
        ulong elapsed = (ulong)((UInt128)(ulong)System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks * Machine.Clock.CpuHz / TimeSpan.TicksPerSecond);
        Machine.Clock.IdleUntil(now + Math.Min(elapsed, cyclesLeft));
        return true;
    }

    /// <summary>Gives the CPU to <paramref name="next"/>: registers, the address space (if another process's), the working directory and TLS.</summary>
    private void SwitchTo(GuestThread next)
    {
        var previous = CurrentThread;
        if (ReferenceEquals(next, previous)) return;
        ThreadSwitching?.Invoke(next);
        if (!previous.HasExited) previous.SaveContext(Cpu);
        if (!ReferenceEquals(next.Process.AddressSpace, Memory.Translator)) Machine.SwitchAddressSpace(next.Process.AddressSpace);
        if (!ReferenceEquals(next.Process, previous.Process) && next.Process.WorkingDirectory >= 0) HostLibc.FChDir(next.Process.WorkingDirectory);
        next.RestoreContext(Cpu);
        CurrentThread = next;
        WriteTlsSlot(next.Tls);
        if (Machine.UserCp15 is { } cp15)
        {
            // __switch_to's switch_tls on ARMv6K+: TPIDRURO from the thread's TLS, TPIDRURW saved and restored.
            previous.Tpidrurw = cp15.Tpidrurw;
            cp15.Tpidruro = next.Tls;
            cp15.Tpidrurw = next.Tpidrurw;
        }
        ClearExclusiveMonitorOnSwitch();
        ThreadSwitches++;
        previous.InstructionsBefore += Cpu.InstructionsExecuted - _switchedInAt;
        _switchedInAt = Cpu.InstructionsExecuted;
        if (next.SetChildTidOnStart != 0)
        {
            WriteUser32(next.SetChildTidOnStart, (uint)next.Tid);
            next.SetChildTidOnStart = 0;
        }
    }

    // The instruction count when the running thread got the CPU (its CPU time is counted from there).
    private ulong _switchedInAt;

    /// <summary>The instructions <paramref name="thread"/> has run: its CPU time, one instruction a cycle.</summary>
    internal ulong InstructionsRunBy(GuestThread thread) =>
        thread.InstructionsBefore + (ReferenceEquals(thread, CurrentThread) ? Cpu.InstructionsExecuted - _switchedInAt : 0);

    /// <summary>
    /// A switch clears the local exclusive monitor (ARM ARM A3.4.5: a context switch must
    /// do CLREX), so a LDREX in one thread never pairs with a STREX in another (ARMv5 has
    /// no exclusives: nothing to clear there).
    /// </summary>
    private void ClearExclusiveMonitorOnSwitch() => Cpu.ClearExclusiveMonitor();

    /// <summary>Blocks the current thread: the call returns nothing now, the CPU stops after it, and the scheduler runs another thread.</summary>
    private long BlockCurrent(ThreadBlock block, bool restart)
    {
        if (restart) Cpu.PC = CurrentThread.TrapAddress; // the SVC again when the thread runs
        block.Restarts = restart;
        if (HasDeliverableSignal(CurrentThread))
        {
            // A signal is already waiting: the handler runs first (a restarting call is made again after it).
            if (restart) return Blocked;
            if (block.Completion is not { } completion) return -Errno.EINTR;
            Cpu.R[0] = unchecked((uint)-Errno.EINTR);
            completion(WakeReason.Interrupted);
            return NoResult;
        }
        CurrentThread.Block = block;
        Cpu.RequestStop();
        return Blocked;
    }

    /// <summary>Results of calls that blocked: nothing is written to r0, nothing traced yet.</summary>
    private const long Blocked = long.MinValue + 1;

    /// <summary>True if another thread could use the CPU while the current one waits.</summary>
    private bool OthersMayRun()
    {
        if (_threads.Count > 1) return true;
        // A loop, not LINQ's Any: through IEnumerable the JIT compiled the dictionary's value
        // collection's enumerator at every start-up (every program writes to a descriptor).
        foreach (var p in _processes.Values)
            if (p.HostPid != 0 && !p.HasExited) return true;
        return false;
    }

    /// <summary>
    /// For a call on a host descriptor that would block (a read of an empty pipe, a write to a
    /// full one): when other threads could run, the thread blocks until the descriptor is ready
    /// and the call restarts then; alone, it blocks in the host call as it always did.
    /// </summary>
    private bool WouldBlockOnHost(int hostFd, short events)
    {
        // Alone, a thread waits in the host call -- unless host signals are forwarded: then it waits in
        // the scheduler, which notices them (a host call would only be restarted after the .NET handler).
        if ((!OthersMayRun() && !ForwardsHostSignals) || hostFd < 0) return false;
        int flags = HostLibc.FCntl(hostFd, 3 /* F_GETFL */, 0);
        if (flags < 0 || (flags & 0x800 /* O_NONBLOCK */) != 0) return false;
        // A descriptor not open for the direction never becomes ready for it (a pipe's read end
        // polled for writing): the host call answers at once with EBADF, as Linux does.
        int access = flags & 3;
        if (((events & PollOut) != 0 && access == 0 /* O_RDONLY */) || ((events & PollIn) != 0 && access == 1 /* O_WRONLY */)) return false;
        return !HostFdReady(hostFd, events);
    }

    private static unsafe bool HostFdReady(int hostFd, short events)
    {
        byte* pollfd = stackalloc byte[8];
        *(int*)pollfd = hostFd;
        *(short*)(pollfd + 4) = events;
        *(short*)(pollfd + 6) = 0;
        return HostLibc.Poll(pollfd, 1, 0) != 0;
    }

    /// <summary>Blocks the current thread until <paramref name="hostFd"/> is ready; the call restarts then.</summary>
    private long BlockOnHost(int hostFd, short events) =>
        BlockCurrent(new ThreadBlock(() => HostFdReady(hostFd, events), dependsOnHost: true) { HostPollFds = PollFd(hostFd, events) }, restart: true);

    /// <summary>One struct pollfd (int fd; short events, revents), as the host's poll takes it.</summary>
    private static byte[] PollFd(int hostFd, short events)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(b, hostFd);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(4), events);
        return b;
    }
}
