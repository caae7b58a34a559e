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

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    private static uint Imm16T(uint op) => ((op >> 4) & 0xF000) | ((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF);

    // MOV (immediate) T3, MOVW: 11110 i 10 0100 imm4 | 0 imm3 Rd imm8
    public static void MovwT3(Cpu cpu, uint op) => Movw(cpu, (int)(op >> 8) & 15, Imm16T(op));

    // MOVT T1: 11110 i 10 1100 imm4 | 0 imm3 Rd imm8
    public static void MovtT1(Cpu cpu, uint op) => Movt(cpu, (int)(op >> 8) & 15, Imm16T(op));
}
