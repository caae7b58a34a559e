namespace ArmEmu.Cpu.Interpreter;

/// <summary>Load and store halfword, signed byte and doubleword (ARM ARM A3.13, A5.3).</summary>
public static class LoadStoreExtra
{
    public static void StrhImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrhImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrhRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrhRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrhImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrhImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrhRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrhRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrsbImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrsbImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrsbRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrsbRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrshImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrshImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrshRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrshRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrdImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrdImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrdRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void LdrdRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrdImmediate(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrdImmediatePost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrdRegister(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED

    public static void StrdRegisterPost(Cpu cpu, uint op) => cpu.RaiseUndefined(op); // NOT YET IMPLEMENTED
}
