using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Saturating add and subtract (ARM ARM A3.5.3 and A4.1.46/50/51/52, v5TE), and the ARMv6
/// saturate instructions SSAT, USAT, SSAT16, USAT16 (their cores take already-extracted operands).
/// The first operand is Rm (bits 3:0) and the second Rn (bits 19:16):
/// QADD Rd, Rm, Rn is Rd = SignedSat(Rm + Rn). Q is set whenever a result
/// saturates and is never cleared here (only MSR clears it).
/// </summary>
public static class Saturating
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

    // SSAT A1: cccc 0110 101 sat_imm Rd imm5 sh01 Rn (saturate to sat_imm + 1 bits)
    public static void SsatA1(Cpu cpu, uint op) =>
        Ssat(cpu, (int)(op >> 12) & 15, (int)op & 15, ((int)(op >> 16) & 31) + 1, (op & 0x40) != 0, (int)(op >> 7) & 31);

    // USAT A1: cccc 0110 111 sat_imm Rd imm5 sh01 Rn (saturate to sat_imm bits)
    public static void UsatA1(Cpu cpu, uint op) =>
        Usat(cpu, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 16) & 31, (op & 0x40) != 0, (int)(op >> 7) & 31);

    // SSAT16 A1: cccc 0110 1010 sat_imm Rd 1111 0011 Rn (saturate to sat_imm + 1 bits)
    public static void Ssat16A1(Cpu cpu, uint op) => Ssat16(cpu, (int)(op >> 12) & 15, (int)op & 15, ((int)(op >> 16) & 15) + 1);

    // USAT16 A1: cccc 0110 1110 sat_imm Rd 1111 0011 Rn (saturate to sat_imm bits)
    public static void Usat16A1(Cpu cpu, uint op) => Usat16(cpu, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 16) & 15);

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

    private static int ShiftAmountT(uint op) => (int)(((op >> 10) & 0x1C) | ((op >> 6) & 3));

    // SSAT T1: 11110 0 11 00 sh 0 Rn | 0 imm3 Rd imm2 0 sat_imm (saturate to sat_imm + 1 bits)
    public static void SsatT1(Cpu cpu, uint op) =>
        Ssat(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, ((int)op & 31) + 1, (op & (1u << 21)) != 0, ShiftAmountT(op));

    // USAT T1: 11110 0 11 10 sh 0 Rn | 0 imm3 Rd imm2 0 sat_imm
    public static void UsatT1(Cpu cpu, uint op) =>
        Usat(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 31, (op & (1u << 21)) != 0, ShiftAmountT(op));

    // SSAT16 T1: 11110 0 11 001 0 Rn | 0000 Rd 00 00 sat_imm
    public static void Ssat16T1(Cpu cpu, uint op) => Ssat16(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, ((int)op & 15) + 1);

    // USAT16 T1: 11110 0 11 101 0 Rn | 0000 Rd 00 00 sat_imm
    public static void Usat16T1(Cpu cpu, uint op) => Usat16(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15);

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
