using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Saturating add and subtract (ARM ARM A3.5.3 and A4.1.46/50/51/52, v5TE).
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
}
