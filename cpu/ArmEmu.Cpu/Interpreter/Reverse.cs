using System.Buffers.Binary;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Byte and bit reversal (DDI 0406C A5.4.3: REV A8.8.145, REV16 A8.8.146, REVSH A8.8.147
/// from ARMv6; RBIT A8.8.144 from ARMv6T2). The cores take register numbers.
/// </summary>
public static class Reverse
{
    public static void Rev(Cpu cpu, int d, int m) => cpu.WriteRegister(d, BinaryPrimitives.ReverseEndianness(cpu.R[m]));

    /// <summary>REV16: the bytes of each halfword swapped.</summary>
    public static void Rev16(Cpu cpu, int d, int m)
    {
        uint v = cpu.R[m];
        cpu.WriteRegister(d, ((v & 0x00FF_00FF) << 8) | ((v >> 8) & 0x00FF_00FF));
    }

    /// <summary>REVSH: the bytes of the low halfword swapped, sign-extended.</summary>
    public static void Revsh(Cpu cpu, int d, int m) =>
        cpu.WriteRegister(d, (uint)(short)BinaryPrimitives.ReverseEndianness((ushort)cpu.R[m]));

    /// <summary>RBIT: bit 31 to bit 0 and so on.</summary>
    public static void Rbit(Cpu cpu, int d, int m)
    {
        uint v = cpu.R[m];
        v = ((v >> 1) & 0x5555_5555) | ((v & 0x5555_5555) << 1);
        v = ((v >> 2) & 0x3333_3333) | ((v & 0x3333_3333) << 2);
        v = ((v >> 4) & 0x0F0F_0F0F) | ((v & 0x0F0F_0F0F) << 4);
        cpu.WriteRegister(d, BinaryPrimitives.ReverseEndianness(v));
    }

    // REV A1, REV16 A1, REVSH A1, RBIT A1: cccc 0110 1x11 1111 Rd 1111 x011 Rm
    public static void RevA1(Cpu cpu, uint op) => Rev(cpu, (int)(op >> 12) & 15, (int)op & 15);

    public static void Rev16A1(Cpu cpu, uint op) => Rev16(cpu, (int)(op >> 12) & 15, (int)op & 15);

    public static void RevshA1(Cpu cpu, uint op) => Revsh(cpu, (int)(op >> 12) & 15, (int)op & 15);

    public static void RbitA1(Cpu cpu, uint op) => Rbit(cpu, (int)(op >> 12) & 15, (int)op & 15);

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // REV T2, REV16 T2, RBIT T1, REVSH T2: 11111 010 1001 Rm | 1111 Rd 10xx Rm (QEMU ignores the first Rm)
    public static void RevT2(Cpu cpu, uint op) => Rev(cpu, (int)(op >> 8) & 15, (int)op & 15);

    public static void Rev16T2(Cpu cpu, uint op) => Rev16(cpu, (int)(op >> 8) & 15, (int)op & 15);

    public static void RbitT1(Cpu cpu, uint op) => Rbit(cpu, (int)(op >> 8) & 15, (int)op & 15);

    public static void RevshT2(Cpu cpu, uint op) => Revsh(cpu, (int)(op >> 8) & 15, (int)op & 15);

    // ---- 16-bit Thumb (ARMv6): REV, REV16, REVSH T1: 1011 1010 xx Rm Rd ----
    public static void RevT1(Cpu cpu, uint op) => Rev(cpu, (int)op & 7, (int)(op >> 3) & 7);

    public static void Rev16T1(Cpu cpu, uint op) => Rev16(cpu, (int)op & 7, (int)(op >> 3) & 7);

    public static void RevshT1(Cpu cpu, uint op) => Revsh(cpu, (int)op & 7, (int)(op >> 3) & 7);
}
