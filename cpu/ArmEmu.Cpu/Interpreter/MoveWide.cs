using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The 16-bit immediate moves of ARMv6T2 (DDI 0406C A8.8.102 MOV (immediate) encoding A2, "MOVW",
/// and A8.8.106 MOVT). The cores take the assembled immediate, so T32 encodings reuse them.
/// </summary>
internal static class MoveWide
{
    // MOVW<c> <Rd>, #<imm16>: Rd = ZeroExtend(imm16); no flags.
    public static void Movw(Cpu cpu, int d, uint imm16) => cpu.WriteRegister(d, imm16);

    // MOVT<c> <Rd>, #<imm16>: Rd[31:16] = imm16, Rd[15:0] unchanged.
    public static void Movt(Cpu cpu, int d, uint imm16) => cpu.WriteRegister(d, (imm16 << 16) | (cpu.R[d] & 0xFFFF));

    // The fields come from the views generated from the rows' patterns (ArmFields, Thumb32Fields).

    public static void MovwA2(Cpu cpu, uint op)
    {
        var f = new ArmFields.MovImmediateA2(op); // i = imm4:imm12
        Movw(cpu, f.d, (uint)f.i);
    }

    public static void MovtA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.MovtA1(op);
        Movt(cpu, f.d, (uint)f.i);
    }

    // T32: imm16 = imm4:i:imm3:imm8, so the rows name imm4 'i' and i:imm3:imm8 'j'.

    public static void MovwT3(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.MovImmediateT3(op);
        Movw(cpu, f.d, (uint)(f.i << 12 | f.j));
    }

    public static void MovtT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.MovtT1(op);
        Movt(cpu, f.d, (uint)(f.i << 12 | f.j));
    }
}
