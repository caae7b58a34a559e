using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Swap (ARM ARM A4.1.108/109): read memory, write Rt2 there, then put the old value in Rt.
/// Both accesses come before the register write, so an abort on either leaves Rt as it was.
/// Rt = PC is UNPREDICTABLE; QEMU (op_swp) writes it as a plain branch, and so do we.
/// </summary>
internal static class Synchronization
{
    // SWP<c> <Rt>, <Rt2>, [<Rn>]
    // An unaligned address reads and writes the aligned word; the value read is rotated as LDR rotates it (A4.1.108).
    public static void Swp(Cpu cpu, uint op)
    {
        uint address = cpu.R[(int)(op >> 16) & 15];
        uint value = cpu.R[(int)op & 15];
        uint word = cpu.AlignedWordAddress(address, AccessKind.Read); // SCTLR.A (or U, ARMv6+): an unaligned SWP faults
        uint old = cpu.DataWord(cpu.Memory.Read32(word));
        cpu.Memory.Write32(word, cpu.DataWord(value));
        cpu.WriteRegister((int)(op >> 12) & 15, LoadStore.RotateUnaligned(old, address));
    }

    // SWPB<c> <Rt>, <Rt2>, [<Rn>]
    public static void Swpb(Cpu cpu, uint op)
    {
        uint address = cpu.R[(int)(op >> 16) & 15];
        uint value = cpu.R[(int)op & 15];
        uint old = cpu.Memory.Read8(address);
        cpu.Memory.Write8(address, value);
        cpu.WriteRegister((int)(op >> 12) & 15, old);
    }

}
