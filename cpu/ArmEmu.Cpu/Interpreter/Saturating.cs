namespace ArmEmu.Cpu.Interpreter;

/// <summary>Saturating add and subtract (ARM ARM A3.5.3, v5TE).</summary>
public static class Saturating
{
    public static void Qadd(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Qsub(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Qdadd(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Qdsub(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
