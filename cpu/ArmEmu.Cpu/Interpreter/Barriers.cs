namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv7 barrier instructions (DDI 0406C A8.8.43 DMB, A8.8.44 DSB, A8.8.53 ISB; A3.8.3).
/// The emulator executes one instruction at a time in program order, so a barrier orders
/// nothing that is not already ordered; what it can do is empty the write buffer of the
/// cache model, which DSB and DMB do through <see cref="Cpu.DataBarrier"/> (as the CP15
/// c7,c10,4/5 forms do on ARMv6). ISB needs nothing: decoded instructions already follow
/// the I-cache and memory. The option field (SY, ISH, ST...) does not change that.
/// </summary>
internal static class Barriers
{
    public static void Dmb(Cpu cpu, uint op) => cpu.DataBarrier?.Invoke();

    public static void Dsb(Cpu cpu, uint op) => cpu.DataBarrier?.Invoke();

    public static void Isb(Cpu cpu, uint op)
    {
    }
}
