namespace ArmEmu.Cpu.Interpreter;

/// <summary>Swap (ARM ARM A4.1.108/109).</summary>
public static class Synchronization
{
    public static void Swp(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void Swpb(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
