namespace ArmEmu.Cpu.Interpreter;

/// <summary>SVC, BKPT and the catch-all for UNDEFINED encodings (ARM ARM A3.15, A4.1.7, A4.1.107).</summary>
public static class ExceptionGenerating
{
    // SVC<c> #<imm24>
    public static void Svc(Cpu cpu, uint op) => cpu.RaiseSupervisorCall(op);

    // BKPT #<imm16>: a Prefetch Abort in ARMv5.
    public static void Bkpt(Cpu cpu, uint op) => cpu.RaiseBreakpoint(op);

    /// <summary>Any word no encoding row matches (and rows the ARM ARM calls UNDEFINED).</summary>
    public static void Undefined(Cpu cpu, uint op) => cpu.RaiseUndefined(op);
}
