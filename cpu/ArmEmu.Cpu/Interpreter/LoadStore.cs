namespace ArmEmu.Cpu.Interpreter;

/// <summary>Load and store word or unsigned byte (ARM ARM A3.11, A5.2).</summary>
public static class LoadStore
{
    public static void StrImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrtImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrtRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrbImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrbImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrbtImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrbRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrbRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrbtRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrtImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrtRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrbImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrbImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrbtImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrbRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrbRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrbtRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
