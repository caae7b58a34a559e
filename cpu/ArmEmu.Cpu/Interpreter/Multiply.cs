using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Multiply and the v5TE DSP multiplies (ARM ARM A3.5; each instruction's page in A4.1).
/// With S, N and Z come from the result; C and V are left as they were (ARMv5 made
/// C "unaffected" where ARMv4 had it UNPREDICTABLE). The DSP multiplies never touch NZCV.
/// </summary>
/// <remarks>
/// UNPREDICTABLE cases are done as QEMU does them (target/arm/tcg/translate.c,
/// op_mla/op_mlal/op_smlaxxx): Rd == Rm (forbidden before ARMv6) needs no care because
/// every operand is read before anything is written; the PC as an operand reads as
/// the instruction's address + 8; the PC as a destination branches; and for the long
/// forms RdLo is written before RdHi, so RdHi == RdLo ends up holding the high word.
/// </remarks>
public static class Multiply
{
    // MUL{S}<c> <Rd>, <Rm>, <Rs>  (A4.1.40)
    public static void Mul(Cpu cpu, uint op)
    {
        uint result = cpu.R[(int)op & 15] * cpu.R[(int)(op >> 8) & 15];
        if ((op & (1u << 20)) != 0) cpu.SetNZ(result);
        cpu.WriteRegister((int)(op >> 16) & 15, result);
    }

    // MLA{S}<c> <Rd>, <Rm>, <Rs>, <Rn>  (A4.1.34)
    public static void Mla(Cpu cpu, uint op)
    {
        uint result = cpu.R[(int)op & 15] * cpu.R[(int)(op >> 8) & 15] + cpu.R[(int)(op >> 12) & 15];
        if ((op & (1u << 20)) != 0) cpu.SetNZ(result);
        cpu.WriteRegister((int)(op >> 16) & 15, result);
    }

    // UMULL{S}<c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.129)
    public static void Umull(Cpu cpu, uint op) =>
        WriteLong(cpu, op, (ulong)cpu.R[(int)op & 15] * cpu.R[(int)(op >> 8) & 15]);

    // UMLAL{S}<c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.128)
    public static void Umlal(Cpu cpu, uint op) =>
        WriteLong(cpu, op, (ulong)cpu.R[(int)op & 15] * cpu.R[(int)(op >> 8) & 15] + ReadLong(cpu, op));

    // SMULL{S}<c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.87)
    public static void Smull(Cpu cpu, uint op) =>
        WriteLong(cpu, op, (ulong)((long)(int)cpu.R[(int)op & 15] * (int)cpu.R[(int)(op >> 8) & 15]));

    // SMLAL{S}<c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.76)
    public static void Smlal(Cpu cpu, uint op) =>
        WriteLong(cpu, op, (ulong)((long)(int)cpu.R[(int)op & 15] * (int)cpu.R[(int)(op >> 8) & 15]) + ReadLong(cpu, op));

    // SMLA<x><y><c> <Rd>, <Rm>, <Rs>, <Rn>  (A4.1.74)
    // Rd = Rm.x * Rs.y + Rn. The product of two halfwords always fits in 32 bits
    // (0x8000 * 0x8000 = 0x40000000); only the accumulation can overflow, and that
    // sets Q (sticky, never cleared here) while the result wraps.
    public static void Smlaxy(Cpu cpu, uint op)
    {
        int product = HalfX(cpu, op) * HalfY(cpu, op);
        uint result = AddSettingQ(cpu, (uint)product, cpu.R[(int)(op >> 12) & 15]);
        cpu.WriteRegister((int)(op >> 16) & 15, result);
    }

    // SMLAW<y><c> <Rd>, <Rm>, <Rs>, <Rn>  (A4.1.79)
    // Rd = (Rm * Rs.y)[47:16] + Rn, setting Q if the accumulation overflows.
    public static void Smlawy(Cpu cpu, uint op)
    {
        uint product = WordTimesHalf(cpu, op);
        uint result = AddSettingQ(cpu, product, cpu.R[(int)(op >> 12) & 15]);
        cpu.WriteRegister((int)(op >> 16) & 15, result);
    }

    // SMULW<y><c> <Rd>, <Rm>, <Rs>  (A4.1.88)
    public static void Smulwy(Cpu cpu, uint op) =>
        cpu.WriteRegister((int)(op >> 16) & 15, WordTimesHalf(cpu, op));

    // SMLAL<x><y><c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.77)
    // RdHi:RdLo += Rm.x * Rs.y, the product sign-extended to 64 bits; no flags, Q untouched.
    public static void Smlalxy(Cpu cpu, uint op)
    {
        long product = HalfX(cpu, op) * HalfY(cpu, op);
        ulong result = (ulong)product + ReadLong(cpu, op);
        cpu.WriteRegister((int)(op >> 12) & 15, (uint)result);
        cpu.WriteRegister((int)(op >> 16) & 15, (uint)(result >> 32));
    }

    // SMUL<x><y><c> <Rd>, <Rm>, <Rs>  (A4.1.86)
    public static void Smulxy(Cpu cpu, uint op) =>
        cpu.WriteRegister((int)(op >> 16) & 15, (uint)(HalfX(cpu, op) * HalfY(cpu, op)));

    // ---- ARMv6 and ARMv6T2 additions (DDI 0406C A8.8.105 MLS, A8.8.255 UMAAL) ----------------

    /// <summary>MLS: Rd = Ra - Rn * Rm (low 32 bits); no flags.</summary>
    public static void Mls(Cpu cpu, int d, int n, int m, int a) =>
        cpu.WriteRegister(d, cpu.R[a] - cpu.R[n] * cpu.R[m]);

    /// <summary>UMAAL: RdHi:RdLo = Rn * Rm + RdHi + RdLo (unsigned, cannot overflow 64 bits); no flags. RdLo is written first.</summary>
    public static void Umaal(Cpu cpu, int dLo, int dHi, int n, int m)
    {
        ulong result = (ulong)cpu.R[n] * cpu.R[m] + cpu.R[dHi] + cpu.R[dLo];
        cpu.WriteRegister(dLo, (uint)result);
        cpu.WriteRegister(dHi, (uint)(result >> 32));
    }

    // MLS A1: cccc 0000 0110 Rd Ra Rm 1001 Rn
    public static void MlsA1(Cpu cpu, uint op) => Mls(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15);

    // UMAAL A1: cccc 0000 0100 RdHi RdLo Rm 1001 Rn
    public static void UmaalA1(Cpu cpu, uint op) => Umaal(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15);

    // ---- helpers --------------------------------------------------------------------------

    /// <summary>Rm's halfword chosen by x (bit 5: 0 bottom, 1 top), sign-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HalfX(Cpu cpu, uint op) => (short)(cpu.R[(int)op & 15] >> (int)((op >> 1) & 16));

    /// <summary>Rs's halfword chosen by y (bit 6), sign-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HalfY(Cpu cpu, uint op) => (short)(cpu.R[(int)(op >> 8) & 15] >> (int)((op >> 2) & 16));

    /// <summary>Bits 47:16 of the 48-bit product Rm * Rs.y (SMLAW, SMULW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint WordTimesHalf(Cpu cpu, uint op) => (uint)(((long)(int)cpu.R[(int)op & 15] * HalfY(cpu, op)) >> 16);

    /// <summary>a + b, setting Q when the signed addition overflows (OverflowFrom, A2.5.2); the sum wraps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AddSettingQ(Cpu cpu, uint a, uint b)
    {
        uint sum = a + b;
        if ((int)((a ^ sum) & (b ^ sum)) < 0) cpu.Q = true;
        return sum;
    }

    /// <summary>RdHi:RdLo (bits 19:16 and 15:12), the accumulator of the long multiplies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadLong(Cpu cpu, uint op) =>
        ((ulong)cpu.R[(int)(op >> 16) & 15] << 32) | cpu.R[(int)(op >> 12) & 15];

    /// <summary>Writes a long multiply's result, RdLo first (see the class remarks); with S, N = bit 63 and Z = all 64 bits zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLong(Cpu cpu, uint op, ulong result)
    {
        if ((op & (1u << 20)) != 0)
        {
            cpu.N = (long)result < 0;
            cpu.Z = result == 0;
        }
        cpu.WriteRegister((int)(op >> 12) & 15, (uint)result);
        cpu.WriteRegister((int)(op >> 16) & 15, (uint)(result >> 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetNZ(Cpu cpu, uint result) => cpu.SetNZ(result);

}
