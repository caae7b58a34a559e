using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>The destination write of the ARMv6/v7 media, multiply and bitfield instructions.</summary>
internal static class Destination
{
    /// <summary>
    /// Writes Rd. Rd = R15 is UNPREDICTABLE for every instruction that uses this; QEMU's
    /// store_reg writes the PC as a plain branch (bits [1:0] cleared, no change of state), and so do we.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Cpu cpu, int d, uint value)
    {
        if (d == 15) cpu.BranchWritePC(value);
        else cpu.R[d] = value;
    }
}
