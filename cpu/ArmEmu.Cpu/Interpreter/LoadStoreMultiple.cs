namespace ArmEmu.Cpu.Interpreter;

/// <summary>Load and store multiple (ARM ARM A3.12, A5.4).</summary>
public static class LoadStoreMultiple
{
    public static void Stm(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Ldm(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StmUser(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdmUser(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdmExceptionReturn(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
