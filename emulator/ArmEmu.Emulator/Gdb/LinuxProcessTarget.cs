using ArmEmu.Emulator.Linux;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// A Linux user-mode process under gdb, as <c>qemu-arm -g</c>: signals stop it before they are
/// delivered (gdb decides with C or c whether the guest gets them), its exit becomes W or X,
/// and qXfer:auxv and qXfer:exec-file describe it. Its threads are gdb's threads, by tid; a
/// process it forks is not followed (its breakpoints do not stop the child, as qemu-arm's
/// child leaves the debugger behind).
/// </summary>
internal sealed class LinuxProcessTarget : GdbTarget
{
    private readonly LinuxProcess _process;

    public LinuxProcessTarget(LinuxProcess process) : base(process.Cpu, process.Caches)
    {
        _process = process;
        var threads = new ProcessThreads(process.Kernel, process.Cpu);
        Threads = threads;
        Points.WatchPrivilegedAccesses = false;
        Points.Applies = threads.DebuggedProcessRuns;
    }

    public override void OnDebuggerAttached() => _process.Kernel.SignalIntercept = signal =>
    {
        Points.StopBeforeNextInstruction(new GdbStop(signal, ""));
        return true;
    };

    public override void OnDebuggerDetached()
    {
        _process.Kernel.SignalIntercept = null;
        if (_process.Kernel.HeldSignal is int held and not 0) _process.Kernel.ReleaseHeldSignal(held);
    }

    public override IGdbThreads Threads { get; }

    public override bool AttachedToExisting => false;

    public override bool HasSignalInfo => true;

    public override byte[]? SignalInfo => _process.Kernel.HeldSignalInfo;

    public override byte[]? AuxiliaryVector => _process.Kernel.InitialProcess.Image.AuxiliaryVector;

    public override string? ExecutablePath => Path.GetFullPath(_process.ExecutablePath);

    public override IEnumerable<string> DescribeTlb() =>
        ["no TLB: Linux user mode translates through the process's page table, which has no TLB to go stale"];

    protected override GdbRunEnd? RunMachine(long maxInstructions)
    {
        if (_process.Kernel.ExitStatus is null) _process.Run(maxInstructions);
        return Ended();
    }

    private GdbRunEnd? Ended()
    {
        if (_process.Kernel.ExitStatus is not { } status) return null;
        if (_process.Kernel.FatalSignalMessage is not null && status > 128) return new GdbRunEnd(GdbRunEndKind.Signalled, status - 128);
        return new GdbRunEnd(GdbRunEndKind.Exited, status);
    }

    public override void ResumeWithSignal(int signal)
    {
        if (signal != 0 || _process.Kernel.HeldSignal != 0) _process.Kernel.ReleaseHeldSignal(signal);
    }

    /// <summary>The first process's threads, as the kernel schedules them.</summary>
    private sealed class ProcessThreads(LinuxKernel kernel, Cpu.Cpu cpu) : IGdbThreads
    {
        private GuestProcess Process => kernel.InitialProcess;

        public bool DebuggedProcessRuns() => ReferenceEquals(kernel.CurrentProcess, Process);

        public int ProcessId => Process.Pid;

        public IReadOnlyList<int> Ids => [.. Process.Threads.Where(t => !t.HasExited).Select(t => t.Tid)];

        public int Running
        {
            get
            {
                var current = kernel.CurrentThread;
                if (ReferenceEquals(current.Process, Process) && !current.HasExited) return current.Tid;
                return Process.Threads.FirstOrDefault(t => !t.HasExited)?.Tid ?? Process.Pid;
            }
        }

        private GuestThread? Find(int id) => Process.Threads.Find(t => t.Tid == id && !t.HasExited);

        /// <summary>The task's comm (PR_SET_NAME), as gdbserver names Linux threads; the program's name until set.</summary>
        public string NameOf(int id)
        {
            if (Find(id) is not { } thread) return "";
            byte[] comm = thread.Comm ?? GuestThread.CommFrom(Process.Image.ExecutablePath);
            int end = Array.IndexOf(comm, (byte)0);
            return System.Text.Encoding.UTF8.GetString(comm, 0, end < 0 ? comm.Length : end);
        }

        public IGdbRegisterContext? RegistersOf(int id)
        {
            if (Find(id) is not { } thread) return null;
            if (ReferenceEquals(thread, kernel.CurrentThread)) return new CpuRegisterContext(cpu);
            return new SavedThreadRegisters(thread, cpu);
        }

        public bool MakeRunning(int id) => Find(id) is { } thread && kernel.SwitchForDebugger(thread);
    }

    /// <summary>
    /// A switched-out thread's registers: the core ones it keeps until it runs again. The VFP
    /// registers are the processor's: the kernel does not switch them between threads yet, so
    /// every thread sees the one register file.
    /// </summary>
    private sealed class SavedThreadRegisters(GuestThread thread, Cpu.Cpu cpu) : IGdbRegisterContext
    {
        public uint ReadCore(int index) => index == CpuRegisterContext.Cpsr ? thread.SavedCpsr : thread.SavedRegister(index);

        public void WriteCore(int index, uint value)
        {
            if (index == CpuRegisterContext.Cpsr) thread.SavedCpsr = value;
            else thread.SetSavedRegister(index, value);
        }

        public Cpu.Vfp.FloatingPointUnit Fpu => cpu.Fpu;
    }
}
