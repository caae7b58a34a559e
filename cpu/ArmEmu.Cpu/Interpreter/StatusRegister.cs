namespace ArmEmu.Cpu.Interpreter;

/// <summary>MRS and MSR (ARM ARM A3.10, A4.1.38-40).</summary>
public static class StatusRegister
{
    public static void Mrs(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void MsrRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void MsrImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
