using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Saturating add and subtract (ARM ARM A3.5.3 and A4.1.46/50/51/52, v5TE), and the ARMv6
/// saturate instructions SSAT, USAT, SSAT16, USAT16 (their cores take already-extracted operands).
/// The first operand is Rm (bits 3:0) and the second Rn (bits 19:16):
/// QADD Rd, Rm, Rn is Rd = SignedSat(Rm + Rn). Q is set whenever a result
/// saturates and is never cleared here (only MSR clears it).
/// </summary>
internal static class Saturating
{
    // QADD<c> <Rd>, <Rm>, <Rn>  (A4.1.46)
    public static void Qadd(Cpu cpu, uint op) =>
        WriteRegister(cpu, op, SaturatingAdd(cpu, Rm(cpu, op), Rn(cpu, op)));

    // QSUB<c> <Rd>, <Rm>, <Rn>  (A4.1.52)
    public static void Qsub(Cpu cpu, uint op) =>
        WriteRegister(cpu, op, SaturatingSubtract(cpu, Rm(cpu, op), Rn(cpu, op)));

    // QDADD<c> <Rd>, <Rm>, <Rn>  (A4.1.50): Rd = SignedSat(Rm + SignedSat(Rn * 2)); either saturation sets Q.
    public static void Qdadd(Cpu cpu, uint op)
    {
        uint doubled = SaturatingAdd(cpu, Rn(cpu, op), Rn(cpu, op));
        WriteRegister(cpu, op, SaturatingAdd(cpu, Rm(cpu, op), doubled));
    }

    // QDSUB<c> <Rd>, <Rm>, <Rn>  (A4.1.51): Rd = SignedSat(Rm - SignedSat(Rn * 2)); either saturation sets Q.
    public static void Qdsub(Cpu cpu, uint op)
    {
        uint doubled = SaturatingAdd(cpu, Rn(cpu, op), Rn(cpu, op));
        WriteRegister(cpu, op, SaturatingSubtract(cpu, Rm(cpu, op), doubled));
    }

    // ---- SSAT, USAT, SSAT16, USAT16 (ARMv6; DDI 0406C A8.8.161-163, A8.8.252-254) ---------------

    /// <summary>
    /// SSAT: Rd = SignedSat(Rn shifted, <paramref name="bits"/>), 1..32 bits; Q set if it saturates.
    /// The shift is LSL #amount, or ASR #amount when <paramref name="arithmeticShift"/> (ASR #0 encodes ASR #32).
    /// </summary>
    public static void Ssat(Cpu cpu, int d, int n, int bits, bool arithmeticShift, int amount)
    {
        long value = Shifted(cpu.R[n], arithmeticShift, amount);
        long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
        cpu.WriteRegister(d, (uint)Clamp(cpu, value, min, max));
    }

    /// <summary>USAT: Rd = UnsignedSat(Rn shifted, <paramref name="bits"/>), 0..31 bits; Q set if it saturates.</summary>
    public static void Usat(Cpu cpu, int d, int n, int bits, bool arithmeticShift, int amount)
    {
        long value = Shifted(cpu.R[n], arithmeticShift, amount);
        cpu.WriteRegister(d, (uint)Clamp(cpu, value, 0, (1L << bits) - 1));
    }

    /// <summary>SSAT16: each halfword of Rn saturated to <paramref name="bits"/> (1..16) signed bits.</summary>
    public static void Ssat16(Cpu cpu, int d, int n, int bits)
    {
        uint rn = cpu.R[n];
        long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
        uint lo = (uint)Clamp(cpu, (short)rn, min, max) & 0xFFFF, hi = (uint)Clamp(cpu, (short)(rn >> 16), min, max) & 0xFFFF;
        cpu.WriteRegister(d, lo | (hi << 16));
    }

    /// <summary>USAT16: each halfword of Rn saturated to <paramref name="bits"/> (0..15) unsigned bits.</summary>
    public static void Usat16(Cpu cpu, int d, int n, int bits)
    {
        uint rn = cpu.R[n];
        long max = (1L << bits) - 1;
        uint lo = (uint)Clamp(cpu, (short)rn, 0, max), hi = (uint)Clamp(cpu, (short)(rn >> 16), 0, max);
        cpu.WriteRegister(d, lo | (hi << 16));
    }

    // One handler per instruction for A1 and T1: each reads the fields through its encoding's view
    // (generated from the row's pattern; both encodings name them alike: s = sat_imm, h = sh,
    // i = the shift amount, imm5 or T32's imm3:imm2).

    public static void Ssat<TFields>(Cpu cpu, uint op) where TFields : struct, ISaturateFields<TFields>
    {
        var f = TFields.Of(op);
        Ssat(cpu, f.Rd, f.Rn, f.SaturateTo + 1, f.ArithmeticShift, f.ShiftAmount);
    }

    public static void Usat<TFields>(Cpu cpu, uint op) where TFields : struct, ISaturateFields<TFields>
    {
        var f = TFields.Of(op);
        Usat(cpu, f.Rd, f.Rn, f.SaturateTo, f.ArithmeticShift, f.ShiftAmount);
    }

    public static void Ssat16<TFields>(Cpu cpu, uint op) where TFields : struct, ISaturate16Fields<TFields>
    {
        var f = TFields.Of(op);
        Ssat16(cpu, f.Rd, f.Rn, f.SaturateTo + 1);
    }

    public static void Usat16<TFields>(Cpu cpu, uint op) where TFields : struct, ISaturate16Fields<TFields>
    {
        var f = TFields.Of(op);
        Usat16(cpu, f.Rd, f.Rn, f.SaturateTo);
    }

    private static long Shifted(uint value, bool arithmeticShift, int amount) =>
        arithmeticShift ? (int)value >> (amount == 0 ? 31 : amount) : (int)(value << amount);

    private static long Clamp(Cpu cpu, long value, long min, long max)
    {
        if (value > max)
        {
            cpu.Q = true;
            return max;
        }
        if (value < min)
        {
            cpu.Q = true;
            return min;
        }
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rm(Cpu cpu, uint op) => cpu.R[(int)op & 15];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rn(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];

    /// <summary>SignedSat(a + b, 32), setting Q if it saturates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint SaturatingAdd(Cpu cpu, uint a, uint b) => Saturate(cpu, (long)(int)a + (int)b);

    /// <summary>SignedSat(a - b, 32), setting Q if it saturates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint SaturatingSubtract(Cpu cpu, uint a, uint b) => Saturate(cpu, (long)(int)a - (int)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Saturate(Cpu cpu, long value)
    {
        if (value > int.MaxValue)
        {
            cpu.Q = true;
            return 0x7FFF_FFFF;
        }
        if (value < int.MinValue)
        {
            cpu.Q = true;
            return 0x8000_0000;
        }
        return (uint)value;
    }

    /// <summary>Rd (bits 15:12). Rd = R15 is UNPREDICTABLE; QEMU branches there, as here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRegister(Cpu cpu, uint op, uint value)
    {
        cpu.WriteRegister((int)(op >> 12) & 15, value);
    }

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // QADD/QSUB/QDADD/QDSUB T1: 11111 010 1000 Rn | 1111 Rd 10 op Rm -- the A32 bodies with Rd from 11:8
    public static void QaddT1(Cpu cpu, uint op) => cpu.WriteRegister((int)(op >> 8) & 15, SaturatingAdd(cpu, Rm(cpu, op), Rn(cpu, op)));

    public static void QsubT1(Cpu cpu, uint op) => cpu.WriteRegister((int)(op >> 8) & 15, SaturatingSubtract(cpu, Rm(cpu, op), Rn(cpu, op)));

    public static void QdaddT1(Cpu cpu, uint op)
    {
        uint doubled = SaturatingAdd(cpu, Rn(cpu, op), Rn(cpu, op));
        cpu.WriteRegister((int)(op >> 8) & 15, SaturatingAdd(cpu, Rm(cpu, op), doubled));
    }

    public static void QdsubT1(Cpu cpu, uint op)
    {
        uint doubled = SaturatingAdd(cpu, Rn(cpu, op), Rn(cpu, op));
        cpu.WriteRegister((int)(op >> 8) & 15, SaturatingSubtract(cpu, Rm(cpu, op), doubled));
    }
}

/// <summary>The fields of SSAT and USAT (DDI 0406C A8.8.161, A8.8.252): d, n, sat_imm, sh and the shift amount.</summary>
internal interface ISaturateFields<TSelf> : IFieldView<TSelf> where TSelf : struct, ISaturateFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    /// <summary>sat_imm: the saturation width (SSAT: minus one).</summary>
    int SaturateTo { get; }

    /// <summary>sh: ASR rather than LSL.</summary>
    bool ArithmeticShift { get; }

    int ShiftAmount { get; }
}

/// <summary>The fields of SSAT16 and USAT16 (DDI 0406C A8.8.162, A8.8.253): d, n and sat_imm.</summary>
internal interface ISaturate16Fields<TSelf> : IFieldView<TSelf> where TSelf : struct, ISaturate16Fields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    /// <summary>sat_imm: the saturation width (SSAT16: minus one).</summary>
    int SaturateTo { get; }
}
