namespace ArmEmu.Cpu.Interpreter;

/// <summary>Multiply and the v5TE DSP multiplies (ARM ARM A3.5).</summary>
public static class Multiply
{
    public static void Mul(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Mla(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Umull(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Umlal(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smull(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smlal(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smlaxy(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smlawy(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smulwy(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smlalxy(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Smulxy(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
