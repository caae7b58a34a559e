namespace ArmEmu.Emulator.Linux;

/// <summary>What the GDB stub asks of the scheduler (Gdb/LinuxProcessTarget).</summary>
internal sealed partial class LinuxKernel
{
    /// <summary>
    /// Gives the CPU to <paramref name="thread"/> now, as a switch at the end of a quantum would
    /// (gdb steps a thread other than the one that stopped); false if it cannot run (it waits
    /// in a system call, or has exited).
    /// </summary>
    internal bool SwitchForDebugger(GuestThread thread)
    {
        if (thread.HasExited || thread.Block is not null) return false;
        SwitchTo(thread);
        return ReferenceEquals(CurrentThread, thread);
    }
}
