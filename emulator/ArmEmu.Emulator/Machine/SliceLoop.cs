using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Machine;

/// <summary>
/// The one run loop every machine shares, a slice at a time: the CPU runs up to the next
/// device event on the <see cref="VirtualClock"/> (or the budget, if that comes first), then
/// the devices whose events are due act. An event scheduled during the slice shortens it
/// (<see cref="VirtualClock.Schedule"/> limits the run), so time keeping costs the
/// interpreter's loop nothing. Boards call <see cref="RunSlice"/> in their own loop and decide
/// between slices what stops them (semihosting exit, WFI forever, a process exit, a switch to
/// another thread).
/// </summary>
internal static class SliceLoop
{
    /// <summary>
    /// Runs one slice of at most <paramref name="budget"/> instructions (at least one, even when
    /// an event is already due), then the due events; returns why the CPU stopped and how many
    /// instructions it executed.
    /// </summary>
    public static StopReason RunSlice(Cpu.Cpu cpu, VirtualClock clock, long budget, out long executed)
    {
        long slice = budget;
        if (clock.NextEventTime is ulong next) slice = Math.Max(1, Math.Min(slice, (long)Math.Min(next - Math.Min(next, clock.Now), long.MaxValue)));
        ulong before = cpu.InstructionsExecuted;
        var reason = cpu.Run(slice);
        executed = (long)(cpu.InstructionsExecuted - before);
        clock.RunDue();
        return reason;
    }
}
