using ArmEmu.Emulator.Linux;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// A Linux user-mode process under gdb, as <c>qemu-arm -g</c>: signals stop it before they are
/// delivered (gdb decides with C or c whether the guest gets them), its exit becomes W or X,
/// and qXfer:auxv and qXfer:exec-file describe it.
/// </summary>
public sealed class LinuxProcessTarget : GdbTarget
{
    private readonly LinuxProcess _process;

    public LinuxProcessTarget(LinuxProcess process) : base(process.Cpu, process.Caches)
    {
        _process = process;
        Threads = new SingleThread(Path.GetFileName(process.ExecutablePath));
        Points.WatchPrivilegedAccesses = false;
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
}
