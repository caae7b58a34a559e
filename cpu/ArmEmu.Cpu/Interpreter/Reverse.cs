using System.Buffers.Binary;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Byte and bit reversal (DDI 0406C A5.4.3: REV A8.8.145, REV16 A8.8.146, REVSH A8.8.147
/// from ARMv6; RBIT A8.8.144 from ARMv6T2). The cores take register numbers.
/// </summary>
internal static class Reverse
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

    // The encodings read Rd and Rm through the views generated from their rows' patterns.

    public static void RevA1(Cpu cpu, uint op) => Rev(cpu, new ArmFields.RevA1(op).d, new ArmFields.RevA1(op).m);

    public static void Rev16A1(Cpu cpu, uint op) => Rev16(cpu, new ArmFields.Rev16A1(op).d, new ArmFields.Rev16A1(op).m);

    public static void RevshA1(Cpu cpu, uint op) => Revsh(cpu, new ArmFields.RevshA1(op).d, new ArmFields.RevshA1(op).m);

    public static void RbitA1(Cpu cpu, uint op) => Rbit(cpu, new ArmFields.RbitA1(op).d, new ArmFields.RbitA1(op).m);

    // T32: the manual draws Rm twice; QEMU reads the second copy, and the rows mark the first '-'.

    public static void RevT2(Cpu cpu, uint op) => Rev(cpu, new Thumb32Fields.RevT2(op).d, new Thumb32Fields.RevT2(op).m);

    public static void Rev16T2(Cpu cpu, uint op) => Rev16(cpu, new Thumb32Fields.Rev16T2(op).d, new Thumb32Fields.Rev16T2(op).m);

    public static void RbitT1(Cpu cpu, uint op) => Rbit(cpu, new Thumb32Fields.RbitT1(op).d, new Thumb32Fields.RbitT1(op).m);

    public static void RevshT2(Cpu cpu, uint op) => Revsh(cpu, new Thumb32Fields.RevshT2(op).d, new Thumb32Fields.RevshT2(op).m);

    public static void RevT1(Cpu cpu, uint op) => Rev(cpu, new Thumb16Fields.RevT1(op).d, new Thumb16Fields.RevT1(op).m);

    public static void Rev16T1(Cpu cpu, uint op) => Rev16(cpu, new Thumb16Fields.Rev16T1(op).d, new Thumb16Fields.Rev16T1(op).m);

    public static void RevshT1(Cpu cpu, uint op) => Revsh(cpu, new Thumb16Fields.RevshT1(op).d, new Thumb16Fields.RevshT1(op).m);
}
