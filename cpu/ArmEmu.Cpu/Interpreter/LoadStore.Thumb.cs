using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

// The Thumb field views of the single loads and stores (DDI 0406C A6.3.7-A6.3.10 for T32): the
// same LoadStore.Load/Store bodies as A32, with the T32 offset forms. A T32 word is hw1:hw2, so
// Rn (19:16) and Rt (15:12) sit where A32 keeps them; P, U and W do not.

/// <summary>T32 [Rn, #imm12] (the "T2/T3" immediate forms): positive offset, no write-back.</summary>
internal struct T32Immediate12Offset : IAddressOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => op & 0xFFF;

    public static bool Adds(uint op) => true;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);
}

/// <summary>
/// T32 imm8 with P (10), U (9) and W (8): [Rn, #-imm8], [Rn, #+/-imm8]!, [Rn], #+/-imm8; and the
/// unprivileged T forms, which are [Rn, #imm8] (P=1 U=1 W=0 in the encoding).
/// </summary>
internal struct T32Immediate8Offset : IAddressOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => op & 0xFF;

    public static bool Adds(uint op) => (op & 0x200) != 0;

    public static bool PreIndexed(uint op) => (op & 0x400) != 0;

    public static bool WritesBack(uint op) => (op & 0x100) != 0;

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);
}

/// <summary>T32 [Rn, Rm, LSL #imm2] (imm2 in 5:4).</summary>
internal struct T32RegisterOffset : IAddressOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => cpu.R[(int)op & 15] << (int)((op >> 4) & 3);

    public static bool Adds(uint op) => true;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);
}

/// <summary>T32 literal: [Align(PC, 4), #+/-imm12], U in bit 23.</summary>
internal struct T32LiteralOffset : IAddressOffset
{
    public static uint Value(Cpu cpu, uint op) => op & 0xFFF;

    public static uint Base(Cpu cpu, uint op) => cpu.R[15] & ~3u;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static bool Adds(uint op) => A32AddressFields.U(op);
}

/// <summary>
/// T32 LDRD/STRD (immediate) (DDI 0406C A8.8.72/210): [Rn, #+/-imm8*4] with P (24), U (23), W (21)
/// where A32 has them; Rt (15:12) and Rt2 (11:8) named freely. Rn = PC is LDRD (literal): Align(PC, 4).
/// </summary>
internal struct T32DualOffset : IDualOffset
{
    public static uint Value(Cpu cpu, uint op) => (op & 0xFF) << 2;

    public static int Rt2(uint op) => (int)(op >> 8) & 15;

    public static bool EvenPair => false;

    public static uint Base(Cpu cpu, uint op)
    {
        int n = (int)(op >> 16) & 15;
        return n == 15 ? cpu.R[15] & ~3u : cpu.R[n];
    }

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static bool Adds(uint op) => A32AddressFields.U(op);

    public static bool PreIndexed(uint op) => A32AddressFields.P(op);

    public static bool WritesBack(uint op) => A32AddressFields.WritesBack(op);
}

// ---- 16-bit Thumb (A6.2.4): offset addressing only, Rt in 2:0 or 10:8 ----------------------------

/// <summary>[Rn (5:3), Rm (8:6)] with Rt in 2:0.</summary>
internal struct T16RegisterOffset : IAddressOffset
{
    public static int Rn(uint op) => (int)(op >> 3) & 7;

    public static int Rt(uint op) => (int)op & 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Base(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 7];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => cpu.R[(int)(op >> 6) & 7];

    public static bool Adds(uint op) => true;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;
}

/// <summary>[Rn (5:3), #imm5 * size] with Rt in 2:0; <typeparamref name="TScale"/> is the access size.</summary>
internal struct T16Immediate5Offset<TScale> : IAddressOffset where TScale : struct, IAccessSize
{
    public static int Rn(uint op) => (int)(op >> 3) & 7;

    public static int Rt(uint op) => (int)op & 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Base(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 7];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => ((op >> 6) & 31) * TScale.Size;

    public static bool Adds(uint op) => true;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;
}

/// <summary>[SP, #imm8 * 4] with Rt in 10:8.</summary>
internal struct T16SpRelativeOffset : IAddressOffset
{
    public static int Rn(uint op) => 13;

    public static int Rt(uint op) => (int)(op >> 8) & 7;

    public static uint Base(Cpu cpu, uint op) => cpu.R[13];

    public static uint Value(Cpu cpu, uint op) => (op & 0xFF) << 2;

    public static bool Adds(uint op) => true;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;
}

/// <summary>LDR (literal) T1: [Align(PC, 4), #imm8 * 4] with Rt in 10:8.</summary>
internal struct T16LiteralOffset : IAddressOffset
{
    public static int Rn(uint op) => 15;

    public static int Rt(uint op) => (int)(op >> 8) & 7;

    public static uint Base(Cpu cpu, uint op) => cpu.R[15] & ~3u;

    public static uint Value(Cpu cpu, uint op) => (op & 0xFF) << 2;

    public static bool Adds(uint op) => true;

    public static bool PreIndexed(uint op) => true;

    public static bool WritesBack(uint op) => false;
}

/// <summary>The size of a 16-bit Thumb access, which scales its imm5.</summary>
internal interface IAccessSize
{
    static abstract uint Size { get; }
}

internal struct ByteSize : IAccessSize
{
    public static uint Size => 1;
}

internal struct HalfwordSize : IAccessSize
{
    public static uint Size => 2;
}

internal struct WordSize : IAccessSize
{
    public static uint Size => 4;
}
