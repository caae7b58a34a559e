namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv6 signed multiplies (DDI 0406C A5.4.4): the dual 16-bit multiplies SMLAD/SMUAD,
/// SMLSD/SMUSD (A8.8.177/205, 183/209), their 64-bit forms SMLALD/SMLSLD (A8.8.179/184), and
/// the most-significant-word multiplies SMMLA/SMMUL/SMMLS (A8.8.185-187), each with its
/// exchange (X) or rounding (R) variant. The cores take register numbers and the option bits;
/// an accumulator register of 15 means "none" where the encoding says so (SMUAD, SMUSD, SMMUL).
/// </summary>
internal static class SignedMultiply
{
    /// <summary>
    /// SMLAD/SMLSD (and SMUAD/SMUSD with a = 15): Rd = Rn.lo*Rm'.lo +/- Rn.hi*Rm'.hi + Ra, Rm' being Rm
    /// with its halfwords swapped when <paramref name="exchange"/>. Q is set if the exact result does not fit.
    /// </summary>
    public static void DualMultiplyAccumulate(Cpu cpu, int d, int n, int m, int a, bool exchange, bool subtract)
    {
        (long p1, long p2) = Products(cpu.R[n], cpu.R[m], exchange);
        long result = (subtract ? p1 - p2 : p1 + p2) + (a == 15 ? 0 : (int)cpu.R[a]);
        if (result != (int)result) cpu.Q = true;
        cpu.WriteRegister(d, (uint)result);
    }

    /// <summary>SMLALD/SMLSLD: RdHi:RdLo += Rn.lo*Rm'.lo +/- Rn.hi*Rm'.hi (64-bit, wraps, no flags). RdLo is written first.</summary>
    public static void DualMultiplyAccumulateLong(Cpu cpu, int dLo, int dHi, int n, int m, bool exchange, bool subtract)
    {
        (long p1, long p2) = Products(cpu.R[n], cpu.R[m], exchange);
        ulong accumulator = ((ulong)cpu.R[dHi] << 32) | cpu.R[dLo];
        ulong result = accumulator + (ulong)(subtract ? p1 - p2 : p1 + p2);
        cpu.WriteRegister(dLo, (uint)result);
        cpu.WriteRegister(dHi, (uint)(result >> 32));
    }

    /// <summary>
    /// SMMLA/SMMUL (a = 15)/SMMLS: Rd = ((Ra &lt;&lt; 32) +/- Rn*Rm (+ 0x80000000 when rounding))[63:32].
    /// </summary>
    public static void MostSignificantWordMultiply(Cpu cpu, int d, int n, int m, int a, bool round, bool subtract)
    {
        long product = (long)(int)cpu.R[n] * (int)cpu.R[m];
        long accumulator = a == 15 ? 0 : (long)((ulong)cpu.R[a] << 32);
        long result = unchecked((subtract ? accumulator - product : accumulator + product) + (round ? 0x8000_0000L : 0));
        cpu.WriteRegister(d, (uint)(result >> 32));
    }

    private static (long, long) Products(uint rn, uint rm, bool exchange)
    {
        if (exchange) rm = (rm >> 16) | (rm << 16);
        return ((long)(short)rn * (short)rm, (long)(short)(rn >> 16) * (short)(rm >> 16));
    }

    // SMLAD A1 / SMUAD A1 (Ra = 1111): cccc 0111 0000 Rd Ra Rm 00M1 Rn
    public static void SmladA1(Cpu cpu, uint op) =>
        DualMultiplyAccumulate(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & 0x20) != 0, false);

    // SMLSD A1 / SMUSD A1 (Ra = 1111): cccc 0111 0000 Rd Ra Rm 01M1 Rn
    public static void SmlsdA1(Cpu cpu, uint op) =>
        DualMultiplyAccumulate(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & 0x20) != 0, true);

    // SMLALD A1: cccc 0111 0100 RdHi RdLo Rm 00M1 Rn
    public static void SmlaldA1(Cpu cpu, uint op) =>
        DualMultiplyAccumulateLong(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (op & 0x20) != 0, false);

    // SMLSLD A1: cccc 0111 0100 RdHi RdLo Rm 01M1 Rn
    public static void SmlsldA1(Cpu cpu, uint op) =>
        DualMultiplyAccumulateLong(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (op & 0x20) != 0, true);

    // SMMLA A1 / SMMUL A1 (Ra = 1111): cccc 0111 0101 Rd Ra Rm 00R1 Rn
    public static void SmmlaA1(Cpu cpu, uint op) =>
        MostSignificantWordMultiply(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & 0x20) != 0, false);

    // SMMLS A1: cccc 0111 0101 Rd Ra Rm 11R1 Rn. Ra = 1111 is UNPREDICTABLE here; the core treats it as
    // no accumulator, as for SMMUL (the differential test does not generate it).
    public static void SmmlsA1(Cpu cpu, uint op) =>
        MostSignificantWordMultiply(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (op & 0x20) != 0, true);

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // SMLAD/SMUAD T1: 11111 011 0010 Rn | Ra Rd 000M Rm (Ra = 1111: SMUAD)
    public static void SmladT1(Cpu cpu, uint op) =>
        DualMultiplyAccumulate(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15, (op & 0x10) != 0, false);

    // SMLSD/SMUSD T1: 11111 011 0100 Rn | Ra Rd 000M Rm
    public static void SmlsdT1(Cpu cpu, uint op) =>
        DualMultiplyAccumulate(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15, (op & 0x10) != 0, true);

    // SMLALD T1: 11111 011 1100 Rn | RdLo RdHi 110M Rm
    public static void SmlaldT1(Cpu cpu, uint op) =>
        DualMultiplyAccumulateLong(cpu, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (op & 0x10) != 0, false);

    // SMLSLD T1: 11111 011 1101 Rn | RdLo RdHi 110M Rm
    public static void SmlsldT1(Cpu cpu, uint op) =>
        DualMultiplyAccumulateLong(cpu, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (op & 0x10) != 0, true);

    // SMMLA/SMMUL T1: 11111 011 0101 Rn | Ra Rd 000R Rm (Ra = 1111: SMMUL)
    public static void SmmlaT1(Cpu cpu, uint op) =>
        MostSignificantWordMultiply(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15, (op & 0x10) != 0, false);

    // SMMLS T1: 11111 011 0110 Rn | Ra Rd 000R Rm
    public static void SmmlsT1(Cpu cpu, uint op) =>
        MostSignificantWordMultiply(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15, (op & 0x10) != 0, true);
}
