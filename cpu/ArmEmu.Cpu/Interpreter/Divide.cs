using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// SDIV and UDIV (DDI 0406C A8.8.165, A8.8.248), on models with the ARM-state divide
/// (<see cref="CpuFeature.ArmDivide"/>; the row requires it, so elsewhere they are UNDEFINED).
/// The quotient rounds towards zero. ARMv7-A has no divide-by-zero trap: x / 0 = 0. The one
/// overflow, 0x80000000 / -1, gives 0x80000000.
/// </summary>
internal static class Divide
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

    // The encodings read their registers through the views generated from their rows' patterns.

    public static void SdivA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.SdivA1(op);
        Sdiv(cpu, f.d, f.n, f.m);
    }

    public static void UdivA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.UdivA1(op);
        Udiv(cpu, f.d, f.n, f.m);
    }

    public static void SdivT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.SdivT1(op);
        Sdiv(cpu, f.d, f.n, f.m);
    }

    public static void UdivT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.UdivT1(op);
        Udiv(cpu, f.d, f.n, f.m);
    }
}
