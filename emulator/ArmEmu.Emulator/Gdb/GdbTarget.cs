using ArmEmu.Cpu;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Gdb;

/// <summary>How a target's run ended for good (the stub then sends W or X and stops serving).</summary>
internal enum GdbRunEndKind : byte
{
    /// <summary>The guest exited with <see cref="GdbRunEnd.Code"/> as its status.</summary>
    Exited,
    /// <summary>The guest was killed by signal <see cref="GdbRunEnd.Code"/>.</summary>
    Signalled,
    /// <summary>--max-insns was reached.</summary>
    InstructionLimit,
    /// <summary>The machine can make no more progress (WFI for ever, a spin with interrupts masked).</summary>
    Halted,
    /// <summary>gdb killed it (k, vKill).</summary>
    Killed,
}

internal sealed record GdbRunEnd(GdbRunEndKind Kind, int Code);

/// <summary>
/// Threads as gdb sees them (qfThreadInfo, qC, H, T, vCont, qXfer:threads:read): a board's
/// one CPU, or the threads of a Linux process, each known by its guest tid as qemu-arm names
/// threads by theirs. The machine has one processor, so one thread runs at a time and a stop
/// stops every thread (gdb's all-stop mode).
/// </summary>
internal interface IGdbThreads
{
    /// <summary>The process id of multiprocess thread ids (pPID.TID).</summary>
    int ProcessId { get; }

    /// <summary>The live threads, first created first.</summary>
    IReadOnlyList<int> Ids { get; }

    /// <summary>The thread that holds the processor (the one a stop happened in).</summary>
    int Running { get; }

    string NameOf(int id);

    /// <summary>The registers of thread <paramref name="id"/>; null if there is no such thread.</summary>
    IGdbRegisterContext? RegistersOf(int id);

    /// <summary>
    /// Gives the processor to thread <paramref name="id"/>, so that the next instruction run is
    /// its (gdb steps a thread other than the one that stopped); false if it cannot run now
    /// (it waits in a system call, or has gone).
    /// </summary>
    bool MakeRunning(int id);
}

/// <summary>One thread, id 1 of process 1 (a bare-metal board, as qemu-system-arm numbers its CPU).</summary>
internal sealed class SingleThread(string name, Cpu.Cpu cpu) : IGdbThreads
{
    private readonly CpuRegisterContext _registers = new(cpu);

    public int ProcessId => 1;

    public IReadOnlyList<int> Ids { get; } = [1];

    public int Running => 1;

    public string NameOf(int id) => name;

    public IGdbRegisterContext? RegistersOf(int id) => id == 1 ? _registers : null;

    public bool MakeRunning(int id) => id == 1;
}

/// <summary>
/// What the GDB stub debugs: one of the machines (a Linux process, a board), reached through
/// the processor's and the memory port's public surface. Memory accesses are the debugger's
/// (<see cref="MemoryPort.DebugRead"/>/<see cref="MemoryPort.DebugWrite"/>): coherent with the
/// caches -- what a load would see, and a write every cached copy sees -- with no effect on
/// devices and no statistics counted.
/// </summary>
internal abstract class GdbTarget
{
    private long _limit = long.MaxValue;

    protected GdbTarget(Cpu.Cpu cpu, CacheSystem? caches)
    {
        Cpu = cpu;
        Caches = caches;
        Points = new DebugPoints(cpu);
        Description = new GdbTargetDescription(RegisterFeatures(cpu.Model, () => SelectedRegisters));
    }

    /// <summary>
    /// The features of <paramref name="model"/>: the core registers; with a VFP, its data
    /// registers and fpscr (and the NEON marker), then fpsid and fpexc.
    /// </summary>
    public static IReadOnlyList<IGdbRegisterFeature> RegisterFeatures(CpuModel model, Func<IGdbRegisterContext> context)
    {
        var features = new List<IGdbRegisterFeature> { new ArmCoreRegisters(context) };
        if (model.Has(CpuFeature.Vfp2))
        {
            var vfp = new VfpRegisters(model, ArmCoreRegisters.NextRegister, context);
            features.Add(vfp);
            features.Add(new VfpSystemRegisters(model, vfp.FpscrRegister + 1, context));
        }
        return features;
    }

    public Cpu.Cpu Cpu { get; }

    public MemoryPort Memory => Cpu.Memory;

    public CacheSystem? Caches { get; }

    public DebugPoints Points { get; }

    public GdbTargetDescription Description { get; }

    public abstract IGdbThreads Threads { get; }

    /// <summary>The thread whose registers g/G/p/P address (gdb's Hg); the stub sets it at every stop.</summary>
    public int SelectedThread { get; set; } = 1;

    /// <summary>The selected thread's registers (the running thread's if the selected one has gone).</summary>
    public IGdbRegisterContext SelectedRegisters =>
        Threads.RegistersOf(SelectedThread) ?? Threads.RegistersOf(Threads.Running) ?? new CpuRegisterContext(Cpu);

    /// <summary>The auxiliary vector (qXfer:auxv:read); null where there is none (bare metal).</summary>
    public virtual byte[]? AuxiliaryVector => null;

    /// <summary>Whether the target has signals with a siginfo (qXfer:siginfo:read).</summary>
    public virtual bool HasSignalInfo => false;

    /// <summary>The siginfo of the signal the target stopped for; null when it did not stop for one.</summary>
    public virtual byte[]? SignalInfo => null;

    /// <summary>The executable's path (qXfer:exec-file:read); null where there is none.</summary>
    public virtual string? ExecutablePath => null;

    /// <summary>
    /// qAttached: true if the stub attached to a machine that was already there (gdb detaches
    /// when it quits), false if it created the process (gdb kills it), as qemu-arm.
    /// </summary>
    public virtual bool AttachedToExisting => true;

    /// <summary>The lines of <c>monitor tlb</c>.</summary>
    public abstract IEnumerable<string> DescribeTlb();

    /// <summary>Stop at most this many instructions after reset (--max-insns).</summary>
    public long InstructionLimit
    {
        get => _limit;
        set => _limit = Math.Max(1, value);
    }

    /// <summary>
    /// Runs at most <paramref name="maxInstructions"/>: null and no stop when the budget ran out,
    /// a <paramref name="stop"/> when a breakpoint, watchpoint or signal stopped it, or how the
    /// run ended for good.
    /// </summary>
    public GdbRunEnd? Run(long maxInstructions, out GdbStop? stop)
    {
        stop = null;
        long left = _limit - (long)Math.Min(Cpu.InstructionsExecuted, (ulong)long.MaxValue);
        if (left <= 0) return new GdbRunEnd(GdbRunEndKind.InstructionLimit, 0);
        try
        {
            return RunMachine(Math.Min(maxInstructions, left));
        }
        catch (DebugStopException s)
        {
            stop = s.Stop;
            return null;
        }
    }

    /// <summary>Runs the machine's own loop (devices, system calls) for at most that many instructions.</summary>
    protected abstract GdbRunEnd? RunMachine(long maxInstructions);

    /// <summary>gdb resumes with a signal (C/S) or without (c/s: 0). Only a process has signals.</summary>
    public virtual void ResumeWithSignal(int signal)
    {
    }

    /// <summary>A debugger connected: from now on it sees signals before the guest does.</summary>
    public virtual void OnDebuggerAttached()
    {
    }

    /// <summary>The debugger left: the guest runs on alone (a signal it held is delivered).</summary>
    public virtual void OnDebuggerDetached()
    {
    }

    /// <summary>gdb's k: end the guest. The machine stops being run.</summary>
    public virtual void Kill()
    {
    }
}
