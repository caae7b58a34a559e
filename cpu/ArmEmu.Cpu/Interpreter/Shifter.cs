using System.Numerics;
using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The barrel shifter (ARM ARM A5.1, "Addressing Mode 1"). Shift types:
/// 0 LSL, 1 LSR, 2 ASR, 3 ROR. Shared by ARM data processing, ARM load/store
/// scaled register offsets and the Thumb shift instructions.
/// </summary>
internal static class Shifter
{
    /// <summary>
    /// A shift by an immediate field (A5.1.4-A5.1.13): LSR #0 and ASR #0 mean
    /// #32, and ROR #0 means RRX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ShiftImmediate(uint value, uint type, int amount, bool carryIn, out bool carry)
    {
        switch (type)
        {
            case 0: // LSL
                if (amount == 0)
                {
                    carry = carryIn;
                    return value;
                }
                carry = ((value >> (32 - amount)) & 1) != 0;
                return value << amount;
            case 1: // LSR
                if (amount == 0)
                {
                    carry = (int)value < 0;
                    return 0;
                }
                carry = ((value >> (amount - 1)) & 1) != 0;
                return value >> amount;
            case 2: // ASR
                if (amount == 0)
                {
                    carry = (int)value < 0;
                    return (uint)((int)value >> 31);
                }
                carry = ((value >> (amount - 1)) & 1) != 0;
                return (uint)((int)value >> amount);
            default: // ROR, or RRX for #0
                if (amount == 0)
                {
                    carry = (value & 1) != 0;
                    return (carryIn ? 0x8000_0000u : 0) | (value >> 1);
                }
                carry = ((value >> (amount - 1)) & 1) != 0;
                return BitOperations.RotateRight(value, amount);
        }
    }

    /// <summary>The same shift without the carry-out, for operands whose carry is not used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ShiftImmediate(uint value, uint type, int amount, bool carryIn) => type switch
    {
        0 => value << amount,
        1 => amount == 0 ? 0 : value >> amount,
        2 => (uint)((int)value >> (amount == 0 ? 31 : amount)),
        _ => amount == 0 ? (carryIn ? 0x8000_0000u : 0) | (value >> 1) : BitOperations.RotateRight(value, amount),
    };

    /// <summary>
    /// A shift by the bottom byte of a register (A5.1.6/8/10/12): amount 0 leaves
    /// value and carry alone; 32 and above shift everything out.
    /// </summary>
    public static uint ShiftRegister(uint value, uint type, uint amount, bool carryIn, out bool carry)
    {
        amount &= 0xFF;
        if (amount == 0)
        {
            carry = carryIn;
            return value;
        }
        switch (type)
        {
            case 0: // LSL
                if (amount < 32)
                {
                    carry = ((value >> (32 - (int)amount)) & 1) != 0;
                    return value << (int)amount;
                }
                carry = amount == 32 && (value & 1) != 0;
                return 0;
            case 1: // LSR
                if (amount < 32)
                {
                    carry = ((value >> ((int)amount - 1)) & 1) != 0;
                    return value >> (int)amount;
                }
                carry = amount == 32 && (int)value < 0;
                return 0;
            case 2: // ASR
                if (amount < 32)
                {
                    carry = ((value >> ((int)amount - 1)) & 1) != 0;
                    return (uint)((int)value >> (int)amount);
                }
                carry = (int)value < 0;
                return (uint)((int)value >> 31);
            default: // ROR: by amount mod 32, but a multiple of 32 still sets carry from bit 31
                int rot = (int)(amount & 31);
                if (rot == 0)
                {
                    carry = (int)value < 0;
                    return value;
                }
                carry = ((value >> (rot - 1)) & 1) != 0;
                return BitOperations.RotateRight(value, rot);
        }
    }
}
