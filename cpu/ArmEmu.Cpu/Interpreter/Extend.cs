using System.Numerics;
using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv6 extends (DDI 0406C A5.4.3: SXTB/SXTH/SXTB16/UXTB/UXTH/UXTB16 and their
/// accumulating forms SXTAB... A8.8.220-A8.8.274): Rm rotated right by 0, 8, 16 or 24,
/// extended, and for the A forms added to Rn. One generic core, <see cref="Execute{TExtend}"/>,
/// takes the register numbers (n = 15 means no accumulate, as the encodings define it) and
/// the rotation in bits; the T32 encodings call it with their own fields.
/// </summary>
internal static class Extend
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Execute<TExtend>(Cpu cpu, int d, int n, int m, int rotation) where TExtend : struct, IExtend
    {
        uint extended = TExtend.Extend(BitOperations.RotateRight(cpu.R[m], rotation));
        cpu.WriteRegister(d, n == 15 ? extended : TExtend.Accumulate(cpu.R[n], extended));
    }

    // <op>A<c> <Rd>, <Rn>, <Rm>{, <rotation>}  A1: cccc 0110 1ooo Rn Rd rr00 0111 Rm (Rn = 1111: no accumulate)
    public static void A1<TExtend>(Cpu cpu, uint op) where TExtend : struct, IExtend =>
        Execute<TExtend>(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)((op >> 7) & 0x18));

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // <op>A T1 / <op> T2 (Rn = 1111): 11111 010 0ooo Rn | 1111 Rd 10 rot Rm
    public static void T32<TExtend>(Cpu cpu, uint op) where TExtend : struct, IExtend =>
        Execute<TExtend>(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)((op >> 1) & 0x18));

    // SXTH/SXTB/UXTH/UXTB T1 (16-bit, ARMv6): 1011 0010 oo Rm Rd, no rotation, no accumulate
    public static void T16<TExtend>(Cpu cpu, uint op) where TExtend : struct, IExtend =>
        Execute<TExtend>(cpu, (int)op & 7, 15, (int)(op >> 3) & 7, 0);
}

/// <summary>How one extend instruction widens the rotated operand and adds it.</summary>
internal interface IExtend
{
    static abstract uint Extend(uint rotated);

    static abstract uint Accumulate(uint rn, uint extended);
}

/// <summary>SXTB, SXTAB: bits [7:0] sign-extended.</summary>
internal struct SignedByte : IExtend
{
    public static uint Extend(uint rotated) => (uint)(sbyte)rotated;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>SXTH, SXTAH: bits [15:0] sign-extended.</summary>
internal struct SignedHalfword : IExtend
{
    public static uint Extend(uint rotated) => (uint)(short)rotated;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>UXTB, UXTAB: bits [7:0] zero-extended.</summary>
internal struct UnsignedByte : IExtend
{
    public static uint Extend(uint rotated) => rotated & 0xFF;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>UXTH, UXTAH: bits [15:0] zero-extended.</summary>
internal struct UnsignedHalfword : IExtend
{
    public static uint Extend(uint rotated) => rotated & 0xFFFF;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>SXTB16, SXTAB16: bytes 0 and 2 each sign-extended to a halfword; the add is per halfword.</summary>
internal struct SignedByte16 : IExtend
{
    public static uint Extend(uint rotated) => ((uint)(sbyte)rotated & 0xFFFF) | ((uint)(sbyte)(rotated >> 16) << 16);
    public static uint Accumulate(uint rn, uint extended) => AddHalfwords(rn, extended);

    internal static uint AddHalfwords(uint a, uint b) => ((a + b) & 0xFFFF) | (((a >> 16) + (b >> 16)) << 16);
}

/// <summary>UXTB16, UXTAB16: bytes 0 and 2 each zero-extended to a halfword; the add is per halfword.</summary>
internal struct UnsignedByte16 : IExtend
{
    public static uint Extend(uint rotated) => rotated & 0x00FF_00FF;
    public static uint Accumulate(uint rn, uint extended) => SignedByte16.AddHalfwords(rn, extended);
}
