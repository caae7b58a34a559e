using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Neon;

// The element operations of the integer "three registers of the same length" instructions
// (DDI 0406C A8.8: VADD A8.8.282, VSUB A8.8.414, VHADD/VHSUB A8.8.316, VRHADD A8.8.381,
// VMAX/VMIN A8.8.334, VABD A8.8.274, VABA A8.8.272, VMLA/VMLS A8.8.336, VMUL A8.8.350,
// VCEQ/VCGE/VCGT/VTST A8.8.291-297, A8.8.420, VQADD/VQSUB A8.8.369/A8.8.382, VQDMULH
// A8.8.374, VQRDMULH A8.8.378, VSHL/VRSHL/VQSHL/VQRSHL (register) A8.8.397/389/380/376).
// n, m, d are raw elements (zero-extended); "unsigned" is the U bit where it means signedness.

internal struct VAddInt : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n + m;
}

internal struct VSubInt : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n - m;
}

/// <summary>VHADD: (n + m) >> 1 without losing the carry.</summary>
internal struct VHAdd : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)((Neon.Int<TE>(n, u) + Neon.Int<TE>(m, u)) >> 1);

    public static int Sizes => 0b0111;
}

/// <summary>VRHADD: (n + m + 1) >> 1.</summary>
internal struct VRHAdd : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)((Neon.Int<TE>(n, u) + Neon.Int<TE>(m, u) + 1) >> 1);

    public static int Sizes => 0b0111;
}

/// <summary>VHSUB: (n - m) >> 1.</summary>
internal struct VHSub : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)((Neon.Int<TE>(n, u) - Neon.Int<TE>(m, u)) >> 1);

    public static int Sizes => 0b0111;
}

internal struct VMaxInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Int<TE>(n, u) >= Neon.Int<TE>(m, u) ? n : m;

    public static int Sizes => 0b0111;
}

internal struct VMinInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Int<TE>(n, u) >= Neon.Int<TE>(m, u) ? m : n;

    public static int Sizes => 0b0111;
}

internal struct VAbd : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)Math.Abs(Neon.Int<TE>(n, u) - Neon.Int<TE>(m, u));

    public static int Sizes => 0b0111;
}

internal struct VAba : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        d + (ulong)Math.Abs(Neon.Int<TE>(n, u) - Neon.Int<TE>(m, u));

    public static int Sizes => 0b0111;
}

internal struct VMlaInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => d + n * m;

    public static int Sizes => 0b0111;
}

internal struct VMlsInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => d - n * m;

    public static int Sizes => 0b0111;
}

internal struct VMulInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n * m;

    public static int Sizes => 0b0111;
}

/// <summary>VMUL.P8: the carry-less (polynomial over {0,1}) product, low 8 bits.</summary>
internal struct VMulPoly : INeonBinaryOp
{
    public static int Sizes => 0b0001;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        PolyMul(n, m, TE.Bits);

    /// <summary>PolynomialMult: the carry-less product of two <paramref name="bits"/>-bit values.</summary>
    public static ulong PolyMul(ulong a, ulong b, int bits)
    {
        ulong result = 0;
        for (int i = 0; i < bits; i++)
            if (((b >> i) & 1) != 0) result ^= a << i;
        return result;
    }
}

internal struct VCgtInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Int<TE>(n, u) > Neon.Int<TE>(m, u) ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCgeInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Int<TE>(n, u) >= Neon.Int<TE>(m, u) ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCeqInt : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        n == m ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VTst : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (n & m) != 0 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VQAdd : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        TE.Bits < 64 ? Neon.SatNarrow<TE>(Neon.Int<TE>(n, u) + Neon.Int<TE>(m, u), u, ref f)
                     : Neon.Sat<TE>(Neon.Wide<TE>(n, u) + Neon.Wide<TE>(m, u), u, ref f);
}

internal struct VQSub : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        TE.Bits < 64 ? Neon.SatNarrow<TE>(Neon.Int<TE>(n, u) - Neon.Int<TE>(m, u), u, ref f)
                     : Neon.Sat<TE>(Neon.Wide<TE>(n, u) - Neon.Wide<TE>(m, u), u, ref f);
}

/// <summary>VQDMULH: the high half of 2 * n * m, saturated (only -2^(e-1) squared overflows).</summary>
internal struct VQDMulH : INeonBinaryOp
{
    public static int Sizes => 0b0110;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.SignedSat<TE>(((Int128)Neon.S<TE>(n) * Neon.S<TE>(m) * 2) >> TE.Bits, ref f);
}

/// <summary>VQRDMULH: (2 * n * m + 2^(e-1)) >> e, saturated.</summary>
internal struct VQRDMulH : INeonBinaryOp
{
    public static int Sizes => 0b0110;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.SignedSat<TE>(((Int128)Neon.S<TE>(n) * Neon.S<TE>(m) * 2 + (Int128.One << (TE.Bits - 1))) >> TE.Bits, ref f);
}

// The shifts by register: the value is Vm's element, the amount the signed low byte of Vn's.
internal struct VShlRegister : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)Neon.Shift(Neon.Wide<TE>(m, u), (sbyte)n, false);
}

internal struct VRShlRegister : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)Neon.Shift(Neon.Wide<TE>(m, u), (sbyte)n, true);
}

internal struct VQShlRegister : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Sat<TE>(Neon.Shift(Neon.Wide<TE>(m, u), (sbyte)n, false), u, ref f);
}

internal struct VQRShlRegister : INeonBinaryOp
{
    public static int Sizes => 0b1111;
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Sat<TE>(Neon.Shift(Neon.Wide<TE>(m, u), (sbyte)n, true), u, ref f);
}

// Bitwise (whole 64-bit registers; DDI 0406C A8.8.280 VAND, A8.8.284 VBIC, A8.8.356 VORR,
// A8.8.354 VORN, A8.8.306 VEOR, A8.8.290 VBIF/VBIT/VBSL).
internal struct VAnd : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n & m;

    public static int Sizes => 0b0111;
}

internal struct VBic : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n & ~m;

    public static int Sizes => 0b0111;
}

internal struct VOrr : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n | m;

    public static int Sizes => 0b0111;
}

internal struct VOrn : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n | ~m;

    public static int Sizes => 0b0111;
}

internal struct VEor : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => n ^ m;

    public static int Sizes => 0b0111;
}

internal struct VBsl : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => (d & n) | (~d & m);

    public static int Sizes => 0b0111;
}

internal struct VBit : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => (n & m) | (d & ~m);

    public static int Sizes => 0b0111;
}

internal struct VBif : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => (d & m) | (n & ~m);

    public static int Sizes => 0b0111;
}

// Single-precision floating point under the Standard FPSCR (f is that value). DDI 0406C
// A8.8.283 VADD, A8.8.415 VSUB, A8.8.275 VABD, A8.8.351 VMUL, A8.8.337 VMLA/VMLS,
// A8.8.310 VFMA/VFMS, A8.8.292-296 VCEQ/VCGE/VCGT, A8.8.277 VACGE/VACGT, A8.8.335 VMAX/VMIN,
// A8.8.386 VRECPS, A8.8.392 VRSQRTS.
internal struct VAddFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.Add32((uint)n, (uint)m, ref f);

    public static int Sizes => 0b0111;
}

internal struct VSubFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.Sub32((uint)n, (uint)m, ref f);

    public static int Sizes => 0b0111;
}

internal struct VAbdFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Sub32((uint)n, (uint)m, ref f) & 0x7FFF_FFFFu;

    public static int Sizes => 0b0111;
}

internal struct VMulFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.Mul32((uint)n, (uint)m, ref f);

    public static int Sizes => 0b0111;
}

internal struct VMlaFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Add32((uint)d, SoftFloat.Mul32((uint)n, (uint)m, ref f), ref f);

    public static int Sizes => 0b0111;
}

internal struct VMlsFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Add32((uint)d, SoftFloat.Mul32((uint)n, (uint)m, ref f) ^ 0x8000_0000u, ref f);

    public static int Sizes => 0b0111;
}

internal struct VFmaFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (uint)SoftFloat.MulAdd(d, n, m, FpFormat.Single, ref f);

    public static int Sizes => 0b0111;
}

internal struct VFmsFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        (uint)SoftFloat.MulAdd(d, n ^ 0x8000_0000u, m, FpFormat.Single, ref f);

    public static int Sizes => 0b0111;
}

/// <summary>FPCompareEQ: a quiet NaN raises nothing, a signalling one IOC.</summary>
internal struct VCeqFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(n, m, false, FpFormat.Single, ref f) == 0b0110 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

/// <summary>FPCompareGE: any NaN raises IOC.</summary>
internal struct VCgeFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(n, m, true, FpFormat.Single, ref f) is 0b0110 or 0b0010 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCgtFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(n, m, true, FpFormat.Single, ref f) == 0b0010 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VAcgeFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(n & 0x7FFF_FFFFu, m & 0x7FFF_FFFFu, true, FpFormat.Single, ref f) is 0b0110 or 0b0010 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VAcgtFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(n & 0x7FFF_FFFFu, m & 0x7FFF_FFFFu, true, FpFormat.Single, ref f) == 0b0010 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VMaxFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.Max(n, m, FpFormat.Single, ref f);

    public static int Sizes => 0b0111;
}

internal struct VMinFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.Min(n, m, FpFormat.Single, ref f);

    public static int Sizes => 0b0111;
}

internal struct VRecpsFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.RecipStep32((uint)n, (uint)m, ref f);

    public static int Sizes => 0b0111;
}

internal struct VRsqrtsFloat : INeonBinaryOp
{
    public static ulong Apply<TE>(ulong n, ulong m, ulong d, bool u, ref uint f) where TE : struct, INeonElement => SoftFloat.RSqrtStep32((uint)n, (uint)m, ref f);

    public static int Sizes => 0b0111;
}
