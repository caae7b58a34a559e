using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Decoding;

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

    // ---- the ARMv6 and ARMv6T2 additions (DDI 0406C A8.8.105 MLS, A8.8.255 UMAAL) ----------------

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

    // ---- the handlers: one per instruction, for its A1 and T1/T2 encodings alike. Each reads its
    // fields through the encoding's view (generated from the row's pattern; Decoding/FieldView.Multiply.cs
    // maps the letters: A32 names Rn and Rm 'm' and 's' as ARMv5's manual did, T32 'n' and 'm').

    /// <summary>MUL A1 (with S), MUL T2 (never sets flags).</summary>
    public static void Mul<TFields>(Cpu cpu, uint op) where TFields : struct, IMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        Multiply32(cpu, f.Rd, f.Rn, f.Rm, -1, f.SetFlags);
    }

    /// <summary>MLA A1 (with S), MLA T1 (never sets flags).</summary>
    public static void Mla<TFields>(Cpu cpu, uint op) where TFields : struct, IMultiplyAccumulateFields<TFields>
    {
        var f = TFields.Of(op);
        Multiply32(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.SetFlags);
    }

    /// <summary>MLS A1, T1.</summary>
    public static void Mls<TFields>(Cpu cpu, uint op) where TFields : struct, IMultiplyAccumulateFields<TFields>
    {
        var f = TFields.Of(op);
        Mls(cpu, f.Rd, f.Rn, f.Rm, f.Ra);
    }

    /// <summary>UMULL A1 (with S), T1.</summary>
    public static void Umull<TFields>(Cpu cpu, uint op) where TFields : struct, ILongMultiplyFields<TFields> => Long<TFields>(cpu, op, signed: false, accumulate: false);

    /// <summary>UMLAL A1 (with S), T1.</summary>
    public static void Umlal<TFields>(Cpu cpu, uint op) where TFields : struct, ILongMultiplyFields<TFields> => Long<TFields>(cpu, op, signed: false, accumulate: true);

    /// <summary>SMULL A1 (with S), T1.</summary>
    public static void Smull<TFields>(Cpu cpu, uint op) where TFields : struct, ILongMultiplyFields<TFields> => Long<TFields>(cpu, op, signed: true, accumulate: false);

    /// <summary>SMLAL A1 (with S), T1.</summary>
    public static void Smlal<TFields>(Cpu cpu, uint op) where TFields : struct, ILongMultiplyFields<TFields> => Long<TFields>(cpu, op, signed: true, accumulate: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Long<TFields>(Cpu cpu, uint op, bool signed, bool accumulate) where TFields : struct, ILongMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        MultiplyLong(cpu, f.RdLo, f.RdHi, f.Rn, f.Rm, signed, accumulate, f.SetFlags);
    }

    /// <summary>UMAAL A1, T1 (no flags: the views' SetFlags is false).</summary>
    public static void Umaal<TFields>(Cpu cpu, uint op) where TFields : struct, ILongMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        Umaal(cpu, f.RdLo, f.RdHi, f.Rn, f.Rm);
    }

    /// <summary>SMLA&lt;x&gt;&lt;y&gt; and SMUL&lt;x&gt;&lt;y&gt; (Ra = -1), A1 and T1.</summary>
    public static void Smlaxy<TFields>(Cpu cpu, uint op) where TFields : struct, IHalfwordMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        HalfwordMultiply(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.NHigh, f.MHigh);
    }

    /// <summary>SMLAW&lt;y&gt; and SMULW&lt;y&gt; (Ra = -1), A1 and T1.</summary>
    public static void Smlawy<TFields>(Cpu cpu, uint op) where TFields : struct, IHalfwordMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        WordByHalfwordMultiply(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.MHigh);
    }

    /// <summary>SMLAL&lt;x&gt;&lt;y&gt; A1, T1.</summary>
    public static void Smlalxy<TFields>(Cpu cpu, uint op) where TFields : struct, IHalfwordMultiplyLongFields<TFields>
    {
        var f = TFields.Of(op);
        HalfwordMultiplyLong(cpu, f.RdLo, f.RdHi, f.Rn, f.Rm, f.NHigh, f.MHigh);
    }

    // ---- 16-bit Thumb: MUL T1, Rdm = Rn * Rdm; flags outside an IT block only ----------
    public static void MulT1(Cpu cpu, uint op)
    {
        var f = new Thumb16Fields.MulT1(op);
        Multiply32(cpu, f.d, f.m, f.d, -1, !cpu.InITBlock);
    }

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

/// <summary>The fields of MUL as the pseudocode names them (d, n, m, setflags).</summary>
internal interface IMultiplyFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IMultiplyFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    int Rm { get; }

    bool SetFlags { get; }
}

/// <summary>MLA and MLS: MUL's fields and the accumulator, a.</summary>
internal interface IMultiplyAccumulateFields<TSelf> : IMultiplyFields<TSelf> where TSelf : struct, IMultiplyAccumulateFields<TSelf>
{
    int Ra { get; }
}

/// <summary>The 64-bit multiplies (UMULL, UMLAL, SMULL, SMLAL, UMAAL): dLo, dHi, n, m, setflags.</summary>
internal interface ILongMultiplyFields<TSelf> : IFieldView<TSelf> where TSelf : struct, ILongMultiplyFields<TSelf>
{
    int RdLo { get; }

    int RdHi { get; }

    int Rn { get; }

    int Rm { get; }

    bool SetFlags { get; }
}

/// <summary>
/// The halfword multiplies SMLA&lt;x&gt;&lt;y&gt;, SMLAW&lt;y&gt; and their SMUL forms: d, n, m, a (-1 in
/// the SMUL encodings, which have none), n_high and m_high (SMLAW/SMULW read only m_high).
/// </summary>
internal interface IHalfwordMultiplyFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IHalfwordMultiplyFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    int Rm { get; }

    int Ra { get; }

    bool NHigh { get; }

    bool MHigh { get; }
}

/// <summary>SMLAL&lt;x&gt;&lt;y&gt;: dLo, dHi, n, m, n_high, m_high.</summary>
internal interface IHalfwordMultiplyLongFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IHalfwordMultiplyLongFields<TSelf>
{
    int RdLo { get; }

    int RdHi { get; }

    int Rn { get; }

    int Rm { get; }

    bool NHigh { get; }

    bool MHigh { get; }
}
