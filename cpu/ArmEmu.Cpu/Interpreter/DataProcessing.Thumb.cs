using System.Numerics;
using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

// The Thumb field views of the data-processing instructions: each tells the one semantic core,
// DataProcessing.Execute<TOp, TOperand>, where a T32 or 16-bit Thumb encoding keeps Rd, Rn,
// the S bit and the second operand. A T32 word is hw1:hw2 (hw1 in bits 31:16), so the T32
// data-processing encodings keep S (20) and Rn (19:16) where A32 does, and Rd in 11:8.

/// <summary>
/// T32 modified immediate (DDI 0406C A6.3.2, ThumbExpandImm_C): i:imm3:imm8 is an 8-bit value
/// placed as 0x000000XY, 0x00XY00XY, 0xXY00XY00, 0xXYXYXYXY, or 1:imm8[6:0] rotated right by
/// i:imm3:imm8[7]. The rotated forms give the carry bit 31; the others leave C.
/// </summary>
internal struct T32ModifiedImmediateOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)(op >> 8) & 15;

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => A32DataProcessingFields.S(op);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => ValueAndCarry(cpu, op, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        uint imm12 = ((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF);
        if ((imm12 & 0xC00) == 0)
        {
            carry = cpu.C;
            uint imm8 = imm12 & 0xFF;
            return ((imm12 >> 8) & 3) switch
            {
                0 => imm8,
                1 => imm8 * 0x0001_0001u,
                2 => imm8 * 0x0100_0100u,
                _ => imm8 * 0x0101_0101u,
            };
        }
        uint value = BitOperations.RotateRight(0x80 | (imm12 & 0x7F), (int)(imm12 >> 7));
        carry = (int)value < 0;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];
}

/// <summary>
/// T32 plain 12-bit immediate (ADDW, SUBW: DDI 0406C A6.3.3): i:imm3:imm8 zero-extended, flags
/// never set. Rn = PC is ADR: the base is Align(PC, 4).
/// </summary>
internal struct T32PlainImmediateOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)(op >> 8) & 15;

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => ((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF);

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return Value(cpu, op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op)
    {
        int n = (int)(op >> 16) & 15;
        return n == 15 ? cpu.R[15] & ~3u : cpu.R[n];
    }
}

/// <summary>
/// T32 shifted register (DDI 0406C A6.3.11): Rm (3:0) shifted by DecodeImmShift(type (5:4),
/// imm3:imm2 (14:12, 7:6)) -- the A32 immediate-shift rules, LSR/ASR #32 and RRX included.
/// </summary>
internal struct T32ShiftedRegisterOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)(op >> 8) & 15;

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => A32DataProcessingFields.S(op);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Amount(uint op) => (int)(((op >> 10) & 0x1C) | ((op >> 6) & 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op)
    {
        uint rm = cpu.R[(int)op & 15];
        uint type = (op >> 4) & 3;
        // LSL first, as the A32 form does: the plain register (LSL #0) and the scaled forms are
        // most of them, and a branch on one type predicts better than the switch's jump table
        // when one handler runs with different shift types in turn (EOR ..., LSL #13 / LSR #17).
        if (type == 0) return rm << Amount(op);
        return Shifter.ShiftImmediate(rm, type, Amount(op), cpu.C);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry) =>
        Shifter.ShiftImmediate(cpu.R[(int)op & 15], (op >> 4) & 3, Amount(op), cpu.C, out carry);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];
}

/// <summary>
/// T32 register-controlled shifts, LSL/LSR/ASR/ROR (register) T2 (DDI 0406C A6.3.12): the
/// manual's Rn (19:16) shifted by the bottom byte of Rm (3:0), type in 22:21; MOV semantics.
/// </summary>
internal struct T32RegisterShiftOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)(op >> 8) & 15;

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => A32DataProcessingFields.S(op);

    public static uint Value(Cpu cpu, uint op) => ValueAndCarry(cpu, op, out _);

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry) =>
        Shifter.ShiftRegister(cpu.R[(int)(op >> 16) & 15], (op >> 21) & 3, cpu.R[(int)op & 15], cpu.C, out carry);

    public static uint ReadRn(Cpu cpu, uint op) => 0;
}

/// <summary>
/// SUBS PC, LR, #imm8 T1 (DDI 0406C B9.3.19): an exception return, Rd = PC and Rn = LR fixed, the
/// flags "set" (which in <see cref="DataProcessing.Execute{TOp, TOperand}"/> makes it ALUExceptionReturn).
/// </summary>
internal struct T32ExceptionReturnOperand : IShifterOperand
{
    public static int Rd(uint op) => 15;

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => true;

    public static uint Value(Cpu cpu, uint op) => op & 0xFF;

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return op & 0xFF;
    }

    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[14];
}

// ---- 16-bit Thumb: the flag-setting forms set the flags outside an IT block only ----------------

/// <summary>
/// LSL/LSR/ASR (immediate) T1: MOVS Rd (2:0), Rm (5:3) shifted by imm5 (10:6). The type (12:11)
/// is fixed by each row, so it is <typeparamref name="TShift"/> here and the shifter's switch
/// folds away.
/// </summary>
internal struct T16ShiftImmediateOperand<TShift> : IShifterOperand where TShift : struct, IShiftType
{
    public static int Rd(uint op) => (int)op & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => Shifter.ShiftImmediate(cpu.R[(int)(op >> 3) & 7], TShift.Type, (int)(op >> 6) & 31, cpu.C);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry) =>
        Shifter.ShiftImmediate(cpu.R[(int)(op >> 3) & 7], TShift.Type, (int)(op >> 6) & 31, cpu.C, out carry);

    public static uint ReadRn(Cpu cpu, uint op) => 0;
}

/// <summary>ADD/SUB (register) T1: Rd (2:0), Rn (5:3), Rm (8:6).</summary>
internal struct T16ThreeRegisterOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)op & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => cpu.R[(int)(op >> 6) & 7];

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return Value(cpu, op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 7];
}

/// <summary>ADD/SUB (immediate) T1: Rd (2:0), Rn (5:3), imm3 (8:6).</summary>
internal struct T16Immediate3Operand : IShifterOperand
{
    public static int Rd(uint op) => (int)op & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    public static uint Value(Cpu cpu, uint op) => (op >> 6) & 7;

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return (op >> 6) & 7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 7];
}

/// <summary>MOV/CMP/ADD/SUB (immediate) with Rdn in 10:8 and imm8 (7:0).</summary>
internal struct T16Immediate8Operand : IShifterOperand
{
    public static int Rd(uint op) => (int)(op >> 8) & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    public static uint Value(Cpu cpu, uint op) => op & 0xFF;

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return op & 0xFF;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 8) & 7];
}

/// <summary>The two-register ALU forms (A6.2.2): Rdn (2:0) op= Rm (5:3).</summary>
internal struct T16TwoRegisterOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)op & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 7];

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return Value(cpu, op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)op & 7];
}

/// <summary>RSB (immediate) T1, NEG: Rd (2:0) = 0 - Rn (5:3).</summary>
internal struct T16NegateOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)op & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    public static uint Value(Cpu cpu, uint op) => 0;

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return 0;
    }

    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 7];
}

/// <summary>LSL/LSR/ASR/ROR (register) T1: MOVS Rdn (2:0), Rdn shifted by Rm (5:3), the type from the row.</summary>
internal struct T16RegisterShiftOperand<TShift> : IShifterOperand where TShift : struct, IShiftType
{
    public static int Rd(uint op) => (int)op & 7;

    public static bool RdMayBePc => false;

    public static bool SetFlags(Cpu cpu, uint op) => !cpu.InITBlock;

    public static uint Value(Cpu cpu, uint op) => ValueAndCarry(cpu, op, out _);

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry) =>
        Shifter.ShiftRegister(cpu.R[(int)op & 7], TShift.Type, cpu.R[(int)(op >> 3) & 7], cpu.C, out carry);

    public static uint ReadRn(Cpu cpu, uint op) => 0;
}

/// <summary>
/// ADD/CMP/MOV (register) with high registers (A6.2.3): Rdn = D:Rdn (7, 2:0), Rm (6:3). ADD and
/// MOV never set flags; CMP always does.
/// </summary>
internal struct T16HighRegisterOperand : IShifterOperand
{
    public static int Rd(uint op) => (int)((op & 7) | ((op >> 4) & 8));

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => cpu.R[(int)(op >> 3) & 15];

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        carry = cpu.C;
        return Value(cpu, op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[Rd(op)];
}

/// <summary>A shift type fixed by the encoding (0 LSL, 1 LSR, 2 ASR, 3 ROR).</summary>
internal interface IShiftType
{
    static abstract uint Type { get; }
}

internal struct ShiftLsl : IShiftType
{
    public static uint Type => 0;
}

internal struct ShiftLsr : IShiftType
{
    public static uint Type => 1;
}

internal struct ShiftAsr : IShiftType
{
    public static uint Type => 2;
}

internal struct ShiftRor : IShiftType
{
    public static uint Type => 3;
}
