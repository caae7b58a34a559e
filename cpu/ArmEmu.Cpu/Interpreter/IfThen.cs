namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// IT (If-Then, DDI 0406C A8.8.55; ARMv6T2): makes up to four following instructions conditional
/// by writing ITSTATE = firstcond:mask. The engine executes each instruction of the block only if
/// ITSTATE[7:4] passes and then advances ITSTATE (ITAdvance, A2.5.2). IT inside an IT block, and
/// firstcond 1111 (or 1110 with more than one instruction), are UNPREDICTABLE; like QEMU we just
/// start a new block.
/// </summary>
internal static class IfThen
{
    // IT T1: 1011 1111 firstcond mask (mask != 0000)
    public static void ItT1(Cpu cpu, uint op) => cpu.ITState = (byte)op;
}
