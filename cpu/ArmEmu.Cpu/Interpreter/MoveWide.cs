namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The 16-bit immediate moves of ARMv6T2 (DDI 0406C A8.8.102 MOV (immediate) encoding A2, "MOVW",
/// and A8.8.106 MOVT). The cores take the assembled immediate, so T32 encodings reuse them.
/// </summary>
public static class MoveWide
{
    // MOVW<c> <Rd>, #<imm16>: Rd = ZeroExtend(imm16); no flags.
    public static void Movw(Cpu cpu, int d, uint imm16) => cpu.WriteRegister(d, imm16);

    // MOVT<c> <Rd>, #<imm16>: Rd[31:16] = imm16, Rd[15:0] unchanged.
    public static void Movt(Cpu cpu, int d, uint imm16) => cpu.WriteRegister(d, (imm16 << 16) | (cpu.R[d] & 0xFFFF));

    // MOVW A2: cccc 0011 0000 imm4 Rd imm12
    public static void MovwA2(Cpu cpu, uint op) => Movw(cpu, (int)(op >> 12) & 15, Imm16(op));

    // MOVT A1: cccc 0011 0100 imm4 Rd imm12
    public static void MovtA1(Cpu cpu, uint op) => Movt(cpu, (int)(op >> 12) & 15, Imm16(op));

    private static uint Imm16(uint op) => ((op >> 4) & 0xF000) | (op & 0xFFF);
}
