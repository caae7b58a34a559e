using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// One emulated Linux thread (a task): the user-mode CPU state it resumes with, its signal
/// mask, pending signals and alternate stack, its TLS value, and the trap state the kernel
/// copies into a signal frame. The machine has one CPU; the thread that runs holds it, and
/// the others keep their registers here (<see cref="SaveContext"/>, <see cref="RestoreContext"/>).
/// </summary>
public sealed class GuestThread
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

    /// <summary>The address of the instruction whose trap is being handled (an SVC or a faulting instruction).</summary>
    internal uint TrapAddress;

    // The thread state the kernel copies into every sigcontext (trap_no, fault_address), kept from the last fault.
    internal uint TrapNumber, FaultAddress;

    /// <summary>The thread pointer set by set_tls (ARMv5 keeps it in the kuser page, switched with the thread).</summary>
    internal uint Tls;

    // ---- the CPU state while the thread does not run -----------------------------------------

    private readonly uint[] _registers = new uint[16];
    private uint _cpsr;

    /// <summary>Keeps the CPU's user-mode registers and CPSR (the thread is being switched out).</summary>
    internal void SaveContext(Cpu.Cpu cpu)
    {
        for (int r = 0; r < 15; r++) _registers[r] = cpu.R[r];
        _registers[15] = cpu.PC;
        _cpsr = cpu.Cpsr;
    }

    /// <summary>Gives the CPU the registers and CPSR kept by <see cref="SaveContext"/> (or set for a new thread).</summary>
    internal void RestoreContext(Cpu.Cpu cpu)
    {
        cpu.WriteCpsr(_cpsr, 0xFFFF_FFFF);
        for (int r = 0; r < 15; r++) cpu.R[r] = _registers[r];
        cpu.PC = _registers[15];
    }
}

/// <summary>A generated signal not yet delivered, with its siginfo as the guest will see it.</summary>
/// <param name="PassedByDebugger">gdb has seen it and said to deliver it (it is not reported again).</param>
internal sealed record PendingSignal(int Signal, byte[] Info, bool PassedByDebugger = false);
