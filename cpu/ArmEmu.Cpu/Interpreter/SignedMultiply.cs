using ArmEmu.Cpu.Decoding;

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

    // ---- the handlers: one per instruction, for its A1 and T1 encodings alike, reading the fields
    // through the encoding's view (Decoding/FieldView.Multiply.cs maps the letters).

    /// <summary>SMLAD and SMUAD (Ra = 15), A1 and T1.</summary>
    public static void Smlad<TFields>(Cpu cpu, uint op) where TFields : struct, IDualMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        DualMultiplyAccumulate(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.Exchange, subtract: false);
    }

    /// <summary>SMLSD and SMUSD (Ra = 15), A1 and T1.</summary>
    public static void Smlsd<TFields>(Cpu cpu, uint op) where TFields : struct, IDualMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        DualMultiplyAccumulate(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.Exchange, subtract: true);
    }

    /// <summary>SMLALD A1, T1.</summary>
    public static void Smlald<TFields>(Cpu cpu, uint op) where TFields : struct, IDualMultiplyLongFields<TFields>
    {
        var f = TFields.Of(op);
        DualMultiplyAccumulateLong(cpu, f.RdLo, f.RdHi, f.Rn, f.Rm, f.Exchange, subtract: false);
    }

    /// <summary>SMLSLD A1, T1.</summary>
    public static void Smlsld<TFields>(Cpu cpu, uint op) where TFields : struct, IDualMultiplyLongFields<TFields>
    {
        var f = TFields.Of(op);
        DualMultiplyAccumulateLong(cpu, f.RdLo, f.RdHi, f.Rn, f.Rm, f.Exchange, subtract: true);
    }

    /// <summary>SMMLA and SMMUL (Ra = 15), A1 and T1.</summary>
    public static void Smmla<TFields>(Cpu cpu, uint op) where TFields : struct, IMostSignificantWordMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        MostSignificantWordMultiply(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.Round, subtract: false);
    }

    /// <summary>
    /// SMMLS A1, T1. Ra = 1111 is UNPREDICTABLE in SMMLS A1; the core treats it as no accumulator,
    /// as for SMMUL (the differential test does not generate it).
    /// </summary>
    public static void Smmls<TFields>(Cpu cpu, uint op) where TFields : struct, IMostSignificantWordMultiplyFields<TFields>
    {
        var f = TFields.Of(op);
        MostSignificantWordMultiply(cpu, f.Rd, f.Rn, f.Rm, f.Ra, f.Round, subtract: true);
    }
}

/// <summary>SMLAD, SMLSD and their SMUAD/SMUSD forms: d, n, m, a (15 in the forms without one), m_swap.</summary>
internal interface IDualMultiplyFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IDualMultiplyFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    int Rm { get; }

    int Ra { get; }

    bool Exchange { get; }
}

/// <summary>SMLALD, SMLSLD: dLo, dHi, n, m, m_swap.</summary>
internal interface IDualMultiplyLongFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IDualMultiplyLongFields<TSelf>
{
    int RdLo { get; }

    int RdHi { get; }

    int Rn { get; }

    int Rm { get; }

    bool Exchange { get; }
}

/// <summary>SMMLA, SMMLS and SMMUL: d, n, m, a (15 for SMMUL), round.</summary>
internal interface IMostSignificantWordMultiplyFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IMostSignificantWordMultiplyFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    int Rm { get; }

    int Ra { get; }

    bool Round { get; }
}
