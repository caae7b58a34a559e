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
internal static class Multiply
{
    // ---- the cores: register numbers (a = -1: no accumulator) and option bits ---------------------

    /// <summary>MUL/MLA: Rd = Rn * Rm (+ Ra), low 32 bits; with S, N and Z from the result (C, V unchanged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply32(Cpu cpu, int d, int n, int m, int a, bool setFlags)
    {
        uint result = cpu.R[n] * cpu.R[m];
        if (a >= 0) result += cpu.R[a];
        if (setFlags) cpu.SetNZ(result);
        cpu.WriteRegister(d, result);
    }

    /// <summary>UMULL/UMLAL/SMULL/SMLAL: RdHi:RdLo = Rn * Rm (+ RdHi:RdLo); with S, N = bit 63, Z = all 64 bits zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyLong(Cpu cpu, int dLo, int dHi, int n, int m, bool signed, bool accumulate, bool setFlags)
    {
        ulong result = signed ? (ulong)((long)(int)cpu.R[n] * (int)cpu.R[m]) : (ulong)cpu.R[n] * cpu.R[m];
        if (accumulate) result += ((ulong)cpu.R[dHi] << 32) | cpu.R[dLo];
        if (setFlags)
        {
            cpu.N = (long)result < 0;
            cpu.Z = result == 0;
        }
        cpu.WriteRegister(dLo, (uint)result);
        cpu.WriteRegister(dHi, (uint)(result >> 32));
    }

    /// <summary>
    /// SMLA&lt;x&gt;&lt;y&gt; / SMUL&lt;x&gt;&lt;y&gt; (a = -1): Rd = Rn.half * Rm.half (+ Ra). The product
    /// of two halfwords always fits in 32 bits (0x8000 * 0x8000 = 0x40000000); only the accumulation
    /// can overflow, and that sets Q (sticky) while the result wraps.
    /// </summary>
    public static void HalfwordMultiply(Cpu cpu, int d, int n, int m, int a, bool nTop, bool mTop)
    {
        uint product = (uint)(Half(cpu.R[n], nTop) * Half(cpu.R[m], mTop));
        cpu.WriteRegister(d, a >= 0 ? AddSettingQ(cpu, product, cpu.R[a]) : product);
    }

    /// <summary>SMLAW&lt;y&gt; / SMULW&lt;y&gt; (a = -1): Rd = (Rn * Rm.half)[47:16] (+ Ra, setting Q on overflow).</summary>
    public static void WordByHalfwordMultiply(Cpu cpu, int d, int n, int m, int a, bool mTop)
    {
        uint product = (uint)(((long)(int)cpu.R[n] * Half(cpu.R[m], mTop)) >> 16);
        cpu.WriteRegister(d, a >= 0 ? AddSettingQ(cpu, product, cpu.R[a]) : product);
    }

    /// <summary>SMLAL&lt;x&gt;&lt;y&gt;: RdHi:RdLo += Rn.half * Rm.half, sign-extended to 64 bits; no flags, Q untouched.</summary>
    public static void HalfwordMultiplyLong(Cpu cpu, int dLo, int dHi, int n, int m, bool nTop, bool mTop)
    {
        long product = Half(cpu.R[n], nTop) * Half(cpu.R[m], mTop);
        ulong result = (ulong)product + (((ulong)cpu.R[dHi] << 32) | cpu.R[dLo]);
        cpu.WriteRegister(dLo, (uint)result);
        cpu.WriteRegister(dHi, (uint)(result >> 32));
    }

    // ---- A32 (ARM ARM A3.5; each instruction's page in A4.1) ---------------------------------------

    // MUL{S}<c> <Rd>, <Rm>, <Rs>  (A4.1.40): cccc 0000 000S Rd 0000 Rs 1001 Rm
    public static void Mul(Cpu cpu, uint op) =>
        Multiply32(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, -1, (op & (1u << 20)) != 0);

    // MLA{S}<c> <Rd>, <Rm>, <Rs>, <Rn>  (A4.1.34): cccc 0000 001S Rd Rn Rs 1001 Rm
    public static void Mla(Cpu cpu, uint op) =>
        Multiply32(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & (1u << 20)) != 0);

    // UMULL/UMLAL/SMULL/SMLAL{S}<c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.129/128/87/76): cccc 0000 1UAS RdHi RdLo Rs 1001 Rm
    public static void Umull(Cpu cpu, uint op) => LongA1(cpu, op, signed: false, accumulate: false);

    public static void Umlal(Cpu cpu, uint op) => LongA1(cpu, op, signed: false, accumulate: true);

    public static void Smull(Cpu cpu, uint op) => LongA1(cpu, op, signed: true, accumulate: false);

    public static void Smlal(Cpu cpu, uint op) => LongA1(cpu, op, signed: true, accumulate: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LongA1(Cpu cpu, uint op, bool signed, bool accumulate) =>
        MultiplyLong(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, signed, accumulate, (op & (1u << 20)) != 0);

    // SMLA<x><y><c> <Rd>, <Rm>, <Rs>, <Rn>  (A4.1.74): cccc 0001 0000 Rd Rn Rs 1yx0 Rm
    public static void Smlaxy(Cpu cpu, uint op) =>
        HalfwordMultiply(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & 0x20) != 0, (op & 0x40) != 0);

    // SMLAW<y><c> <Rd>, <Rm>, <Rs>, <Rn>  (A4.1.79): cccc 0001 0010 Rd Rn Rs 1y00 Rm
    public static void Smlawy(Cpu cpu, uint op) =>
        WordByHalfwordMultiply(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & 0x40) != 0);

    // SMULW<y><c> <Rd>, <Rm>, <Rs>  (A4.1.88): cccc 0001 0010 Rd 0000 Rs 1y10 Rm
    public static void Smulwy(Cpu cpu, uint op) =>
        WordByHalfwordMultiply(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, -1, (op & 0x40) != 0);

    // SMLAL<x><y><c> <RdLo>, <RdHi>, <Rm>, <Rs>  (A4.1.77): cccc 0001 0100 RdHi RdLo Rs 1yx0 Rm
    public static void Smlalxy(Cpu cpu, uint op) =>
        HalfwordMultiplyLong(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (op & 0x20) != 0, (op & 0x40) != 0);

    // SMUL<x><y><c> <Rd>, <Rm>, <Rs>  (A4.1.86): cccc 0001 0110 Rd 0000 Rs 1yx0 Rm
    public static void Smulxy(Cpu cpu, uint op) =>
        HalfwordMultiply(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, -1, (op & 0x20) != 0, (op & 0x40) != 0);

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

    // ---- T32 (DDI 0406C A6.3.16, A6.3.17): 11111 0110 op1 Rn | Ra Rd op2 Rm; long forms RdLo RdHi ----

    // MUL T2 (Ra = 1111), MLA T1: 11111 0110 000 Rn | Ra Rd 0000 Rm -- never sets flags
    public static void MulT2(Cpu cpu, uint op) => Multiply32(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, -1, false);

    public static void MlaT1(Cpu cpu, uint op) =>
        Multiply32(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15, false);

    // MLS T1: 11111 0110 000 Rn | Ra Rd 0001 Rm
    public static void MlsT1(Cpu cpu, uint op) => Mls(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15);

    // SMULL/UMULL/SMLAL/UMLAL T1: 11111 0111 0U A Rn | RdLo RdHi 0000 Rm
    public static void SmullT1(Cpu cpu, uint op) => LongT1(cpu, op, signed: true, accumulate: false);

    public static void UmullT1(Cpu cpu, uint op) => LongT1(cpu, op, signed: false, accumulate: false);

    public static void SmlalT1(Cpu cpu, uint op) => LongT1(cpu, op, signed: true, accumulate: true);

    public static void UmlalT1(Cpu cpu, uint op) => LongT1(cpu, op, signed: false, accumulate: true);

    private static void LongT1(Cpu cpu, uint op, bool signed, bool accumulate) =>
        MultiplyLong(cpu, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, signed, accumulate, false);

    // UMAAL T1: 11111 0111 110 Rn | RdLo RdHi 0110 Rm
    public static void UmaalT1(Cpu cpu, uint op) => Umaal(cpu, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15);

    // SMLA<x><y> T1 / SMUL<x><y> T1 (Ra = 1111): 11111 0110 001 Rn | Ra Rd 00 N M Rm
    public static void SmlaxyT1(Cpu cpu, uint op)
    {
        int a = (int)(op >> 12) & 15;
        HalfwordMultiply(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, a == 15 ? -1 : a, (op & 0x20) != 0, (op & 0x10) != 0);
    }

    // SMLAW<y> T1 / SMULW<y> T1 (Ra = 1111): 11111 0110 011 Rn | Ra Rd 000 M Rm
    public static void SmlawyT1(Cpu cpu, uint op)
    {
        int a = (int)(op >> 12) & 15;
        WordByHalfwordMultiply(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, a == 15 ? -1 : a, (op & 0x10) != 0);
    }

    // SMLAL<x><y> T1: 11111 0111 100 Rn | RdLo RdHi 10 N M Rm
    public static void SmlalxyT1(Cpu cpu, uint op) =>
        HalfwordMultiplyLong(cpu, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (op & 0x20) != 0, (op & 0x10) != 0);

    // ---- 16-bit Thumb: MUL T1, Rdm (2:0) = Rn (5:3) * Rdm; flags outside an IT block only ----------
    public static void MulT1(Cpu cpu, uint op) => Multiply32(cpu, (int)op & 7, (int)(op >> 3) & 7, (int)op & 7, -1, !cpu.InITBlock);

    // ---- helpers --------------------------------------------------------------------------

    /// <summary>A halfword of a register, sign-extended: the top one if <paramref name="top"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Half(uint value, bool top) => (short)(top ? value >> 16 : value);

    /// <summary>a + b, setting Q when the signed addition overflows (OverflowFrom, A2.5.2); the sum wraps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AddSettingQ(Cpu cpu, uint a, uint b)
    {
        uint sum = a + b;
        if ((int)((a ^ sum) & (b ^ sum)) < 0) cpu.Q = true;
        return sum;
    }
}
