namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// SDIV and UDIV (DDI 0406C A8.8.165, A8.8.248), on models with the ARM-state divide
/// (<see cref="CpuFeature.ArmDivide"/>; the row requires it, so elsewhere they are UNDEFINED).
/// The quotient rounds towards zero. ARMv7-A has no divide-by-zero trap: x / 0 = 0. The one
/// overflow, 0x80000000 / -1, gives 0x80000000.
/// </summary>
public static class Divide
{
    public static void Sdiv(Cpu cpu, int d, int n, int m)
    {
        int dividend = (int)cpu.R[n], divisor = (int)cpu.R[m];
        int quotient = divisor == 0 ? 0 : divisor == -1 ? unchecked(-dividend) : dividend / divisor;
        cpu.WriteRegister(d, (uint)quotient);
    }

    public static void Udiv(Cpu cpu, int d, int n, int m)
    {
        uint divisor = cpu.R[m];
        cpu.WriteRegister(d, divisor == 0 ? 0 : cpu.R[n] / divisor);
    }

    // SDIV A1: cccc 0111 0001 Rd 1111 Rm 0001 Rn
    public static void SdivA1(Cpu cpu, uint op) => Sdiv(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15);

    // UDIV A1: cccc 0111 0011 Rd 1111 Rm 0001 Rn
    public static void UdivA1(Cpu cpu, uint op) => Udiv(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15);

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // SDIV T1: 11111 0111 001 Rn | 1111 Rd 1111 Rm
    public static void SdivT1(Cpu cpu, uint op) => Sdiv(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15);

    // UDIV T1: 11111 0111 011 Rn | 1111 Rd 1111 Rm
    public static void UdivT1(Cpu cpu, uint op) => Udiv(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15);
}
