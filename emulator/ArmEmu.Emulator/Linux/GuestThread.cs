using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// One emulated Linux thread (a task): the user-mode CPU state it resumes with, its signal
/// mask, pending signals and alternate stack, its TLS value, and the trap state the kernel
/// copies into a signal frame. The machine has one CPU; the thread that runs holds it, and
/// the others keep their registers (core and VFP) here (<see cref="SaveContext"/>, <see cref="RestoreContext"/>).
/// </summary>
internal sealed class GuestThread
{
    /// <summary>SS_DISABLE: no alternate signal stack.</summary>
    internal const uint AltStackDisabled = 2;

    internal GuestThread(int tid, GuestProcess process)
    {
        Tid = tid;
        Process = process;
    }

    public int Tid { get; }

    public GuestProcess Process { get; }

    // ---- signals (per task in Linux: task_struct.blocked, .pending, .sas_ss_*) ---------------

    /// <summary>The blocked signals, bit (signal - 1).</summary>
    internal ulong SignalMask;

    /// <summary>Signals generated for this thread and not yet delivered, oldest first.</summary>
    internal List<PendingSignal> PendingSignals { get; } = [];

    internal uint AltStack, AltStackSize, AltStackFlags = AltStackDisabled;

    /// <summary>In rt_sigsuspend: the mask to restore once a handler has run (null otherwise).</summary>
    internal ulong? MaskBeforeSuspend;

    /// <summary>The address of the instruction whose trap is being handled (an SVC or a faulting instruction).</summary>
    internal uint TrapAddress;

    // The thread state the kernel copies into every sigcontext (trap_no, fault_address), kept from the last fault.
    internal uint TrapNumber, FaultAddress;

    /// <summary>The thread pointer set by set_tls (ARMv5 keeps it in the kuser page, switched with the thread).</summary>
    internal uint Tls;

    /// <summary>TPIDRURW (ARMv6K+), which the kernel saves and restores with the thread.</summary>
    internal uint Tpidrurw;

    /// <summary>The task's name (comm) for prctl PR_GET_NAME/PR_SET_NAME; null until first asked (then the program's base name).</summary>
    internal byte[]? Comm;

    /// <summary>TASK_COMM_LEN: 15 bytes and a NUL.</summary>
    internal const int CommLength = 16;

    /// <summary>The name exec gives a task: the program's base name, cut to 15 bytes (fs/exec.c, __set_task_comm).</summary>
    internal static byte[] CommFrom(string path)
    {
        var comm = new byte[CommLength];
        var name = System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(path));
        name.AsSpan(0, Math.Min(name.Length, CommLength - 1)).CopyTo(comm);
        return comm;
    }

    // ---- scheduling ---------------------------------------------------------------------------

    /// <summary>Why the thread cannot run (null: it can); the scheduler asks it whether it may run again.</summary>
    internal ThreadBlock? Block { get; set; }

    /// <summary>True once the thread has exited.</summary>
    public bool HasExited { get; internal set; }

    /// <summary>How the thread's last wait ended, for its <see cref="ThreadBlock.Completion"/> (run as it next gets the CPU).</summary>
    internal (ThreadBlock Block, WakeReason Reason)? PendingCompletion;

    /// <summary>Instructions the thread ran before it was last switched in (its CPU time, one instruction a cycle).</summary>
    internal ulong InstructionsBefore;

    /// <summary>CLONE_CHILD_CLEARTID / set_tid_address: zeroed and futex-woken when the thread exits.</summary>
    internal uint ClearChildTid;

    /// <summary>CLONE_CHILD_SETTID: where the child writes its tid when it first runs (its own memory), 0 for none.</summary>
    internal uint SetChildTidOnStart;

    /// <summary>set_robust_list: the head of the list of robust futexes and its size.</summary>
    internal uint RobustListHead, RobustListLength;

    // ---- the CPU state while the thread does not run -----------------------------------------

    private readonly uint[] _registers = new uint[16];
    private uint _cpsr;

    // The VFP/Advanced SIMD state the kernel keeps per thread (vfp_hard_struct: D0-D31 and FPSCR;
    // FPEXC stays enabled for every user thread, as Linux runs them).
    private readonly ulong[] _extension = new ulong[32];
    private uint _fpscr;

    /// <summary>Keeps the CPU's user-mode registers, CPSR, VFP registers and FPSCR (the thread is being switched out).</summary>
    internal void SaveContext(Cpu.Cpu cpu)
    {
        for (int r = 0; r < 15; r++) _registers[r] = cpu.R[r];
        _registers[15] = cpu.PC;
        _cpsr = cpu.Cpsr;
        var fpu = cpu.Fpu;
        for (int d = 0; d < 32; d++) _extension[d] = fpu.D[d];
        _fpscr = fpu.Fpscr;
    }

    /// <summary>The PC the thread resumes at while it is switched out (a new thread: where it starts).</summary>
    internal uint SavedPc => _registers[15];

    /// <summary>A saved register (r0 carries a blocked call's result to the thread when it is woken).</summary>
    internal void SetSavedRegister(int r, uint value) => _registers[r] = value;

    /// <summary>A register kept by <see cref="SaveContext"/> (15: the address the thread resumes at); gdb reads a switched-out thread's.</summary>
    internal uint SavedRegister(int r) => _registers[r];

    /// <summary>The CPSR kept by <see cref="SaveContext"/>.</summary>
    internal uint SavedCpsr
    {
        get => _cpsr;
        set => _cpsr = value;
    }

    /// <summary>Gives the CPU the registers and CPSR kept by <see cref="SaveContext"/> (or set for a new thread).</summary>
    internal void RestoreContext(Cpu.Cpu cpu)
    {
        cpu.WriteCpsr(_cpsr, 0xFFFF_FFFF);
        for (int r = 0; r < 15; r++) cpu.R[r] = _registers[r];
        cpu.PC = _registers[15];
        var fpu = cpu.Fpu;
        for (int d = 0; d < 32; d++) fpu.D[d] = _extension[d];
        fpu.Fpscr = _fpscr;
    }
}

/// <summary>A generated signal not yet delivered, with its siginfo as the guest will see it.</summary>
/// <param name="PassedByDebugger">gdb has seen it and said to deliver it (it is not reported again).</param>
/// <param name="Signal">The signal number.</param>
/// <param name="Info">The siginfo_t bytes the handler receives.</param>
internal sealed record PendingSignal(int Signal, byte[] Info, bool PassedByDebugger = false);

/// <summary>How a blocked thread's wait ended.</summary>
internal enum WakeReason
{
    /// <summary>What it waited for happened (<see cref="ThreadBlock.CanRun"/>).</summary>
    Ready,

    /// <summary>Its deadline on the guest's clock passed.</summary>
    TimedOut,

    /// <summary>A signal it does not block arrived.</summary>
    Interrupted,
}

/// <summary>
/// Why a thread is blocked: <see cref="CanRun"/> tells the scheduler when it may run again.
/// A call that blocks either restarts (the thread's PC was put back on its SVC, so the call is
/// made again when it runs: read on an empty pipe, wait4 with no zombie child) or completes
/// (the waker writes the result into the thread's r0: a futex wait; or <see cref="Completion"/>
/// computes it once the thread holds the CPU again: poll, select, a sleep's remaining time).
/// </summary>
/// <param name="deadline">The guest time (<see cref="Machine.VirtualClock.Now"/>, in cycles) at which the wait ends anyway.</param>
/// <param name="canRun">True once the thread may run again.</param>
/// <param name="dependsOnHost">Only the host can end the wait (a host descriptor, a host child): the kernel then waits on the host.</param>
internal sealed class ThreadBlock(Func<bool> canRun, bool dependsOnHost = false, ulong deadline = ulong.MaxValue)
{
    /// <summary>True if the blocked call is made again when the thread runs (false: the waker completes it).</summary>
    public bool Restarts { get; set; }

    /// <summary>True when the thread may run again.</summary>
    public Func<bool> CanRun { get; } = canRun;

    /// <summary>True if only the host can end the wait (a host descriptor, a host child): the kernel then waits on the host.</summary>
    public bool DependsOnHost { get; } = dependsOnHost;

    /// <summary>True for a wait only a signal ends (pause, sigsuspend, sigwaitinfo): one from the host may come.</summary>
    public bool WaitsForSignal { get; init; }

    /// <summary>The guest time (cycles) at which the wait ends anyway; <see cref="ulong.MaxValue"/>: none.</summary>
    public ulong Deadline { get; } = deadline;

    /// <summary>
    /// The host descriptors the wait is for (struct pollfd array), which the kernel polls on
    /// the host when every thread waits; null if the wait is not for descriptors.
    /// </summary>
    public byte[]? HostPollFds { get; init; }

    /// <summary>
    /// Run once the woken thread holds the CPU again (its registers and address space in
    /// place, before any signal is delivered): writes the call's result and what it returns in
    /// user memory. Null: the result is already in the thread's r0.
    /// </summary>
    public Action<WakeReason>? Completion { get; init; }
}
