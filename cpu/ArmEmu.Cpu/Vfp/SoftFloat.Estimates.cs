namespace ArmEmu.Cpu.Vfp;

// The Advanced SIMD reciprocal and reciprocal-square-root estimates and Newton-Raphson steps
// (DDI 0406C A2.7.9 "Reciprocal estimate and step", "Reciprocal square root"): VRECPE,
// VRSQRTE, VRECPS, VRSQRTS. All use the Standard FPSCR; the caller passes it.
internal static partial class SoftFloat
{
    /// <summary>
    /// recip_estimate() of the ARM ARM: for a in [0.5, 1) as q = floor(a * 512) in 256..511,
    /// the reciprocal of q's midpoint in units of 1/256, rounded to nearest: 256..511. The
    /// manual writes it in C doubles; the same integer is floor(2^19 / (2q+1) + 1/2), computed
    /// here without the host FPU (the quotient is never within 1/1023 of a half).
    /// </summary>
    internal static int RecipEstimate(int q) => (int)((524288u / (uint)(2 * q + 1) + 1) / 2);

    /// <summary>
    /// recip_sqrt_estimate() of the ARM ARM, for a = q / 512 in [0.25, 0.5) (q in 128..255)
    /// or a = q / 512 in [0.5, 1) (q in 256..511, of which only the top eight bits count).
    /// The manual's C uses a double division and square root; IEEE 754 defines both exactly
    /// (correctly rounded), so the host's Math.Sqrt gives the manual's bits. Result 256..511.
    /// </summary>
    internal static int RecipSqrtEstimate(int q)
    {
        double r = q < 256
            ? 1.0 / Math.Sqrt((q + 0.5) / 512.0)
            : 1.0 / Math.Sqrt(((q >> 1) + 0.5) / 256.0);
        return (int)(256.0 * r + 0.5);
    }

    /// <summary>FPRecipEstimate (VRECPE.F32), with the Standard FPSCR in <paramref name="fpscr"/>.</summary>
    public static uint RecipEstimate32(uint op, ref uint fpscr)
    {
        var f = FpFormat.Single;
        var t = Unpack(op, f, ref fpscr, out bool sign, out _, out _);
        if (t >= FpType.QNaN) return (uint)ProcessNaN(t, op, f, ref fpscr);
        if (t == FpType.Infinity) return (uint)Zero(sign, f);
        if (t == FpType.Zero)
        {
            fpscr |= Fpscr.DZC;
            return (uint)Infinity(sign, f);
        }
        int e = (int)((op >> 23) & 0xFF);
        if (e >= 253)                                   // |value| >= 2^126: the reciprocal underflows
        {
            fpscr |= Fpscr.UFC;
            return (uint)Zero(sign, f);
        }
        int s = RecipEstimate(256 + (int)((op >> 15) & 0xFF));
        uint resultExp = (uint)(253 - e);
        return (sign ? 0x8000_0000u : 0) | (resultExp << 23) | ((uint)(s - 256) << 15);
    }

    /// <summary>UnsignedRecipEstimate (VRECPE.U32): an unsigned 0.32 fixed-point reciprocal estimate.</summary>
    public static uint UnsignedRecipEstimate(uint op)
    {
        if ((op >> 31) == 0) return 0xFFFF_FFFFu;
        return (uint)RecipEstimate((int)(op >> 23)) << 23;
    }

    /// <summary>FPRSqrtEstimate (VRSQRTE.F32), with the Standard FPSCR in <paramref name="fpscr"/>.</summary>
    public static uint RSqrtEstimate32(uint op, ref uint fpscr)
    {
        var f = FpFormat.Single;
        var t = Unpack(op, f, ref fpscr, out bool sign, out _, out _);
        if (t >= FpType.QNaN) return (uint)ProcessNaN(t, op, f, ref fpscr);
        if (t == FpType.Zero)
        {
            fpscr |= Fpscr.DZC;
            return (uint)Infinity(sign, f);
        }
        if (sign)
        {
            fpscr |= Fpscr.IOC;
            return (uint)DefaultNaN(f);
        }
        if (t == FpType.Infinity) return 0;
        int e = (int)((op >> 23) & 0xFF);
        // Scale into [0.25, 1) keeping the exponent's parity: an even exponent field gives [0.5, 1).
        int q = (e & 1) == 0 ? 256 + (int)((op >> 15) & 0xFF) : 128 + (int)((op >> 16) & 0x7F);
        int s = RecipSqrtEstimate(q);
        uint resultExp = (uint)((380 - e) / 2);
        return (resultExp << 23) | ((uint)(s - 256) << 15);
    }

    /// <summary>
    /// UnsignedRSqrtEstimate (VRSQRTE.U32): the operand is a 0.32 fixed-point number in
    /// [0.25, 1); its top nine bits are q (128..511) and the estimate fills the top nine bits.
    /// </summary>
    public static uint UnsignedRSqrtEstimate(uint op)
    {
        if ((op >> 30) == 0) return 0xFFFF_FFFFu;
        return (uint)RecipSqrtEstimate((int)(op >> 23)) << 23;
    }

    private const uint Two32 = 0x4000_0000u, Three32 = 0x4040_0000u;

    /// <summary>
    /// FPRecipStep (VRECPS): 2 - op1 * op2, multiplied and subtracted with separate roundings
    /// (ARMv7 has no fused form); infinity times zero gives 2 without raising IOC.
    /// </summary>
    public static uint RecipStep32(uint op1, uint op2, ref uint fpscr) => Step32(op1, op2, false, ref fpscr);

    /// <summary>FPRSqrtStep (VRSQRTS): (3 - op1 * op2) / 2; infinity times zero gives 1.5.</summary>
    public static uint RSqrtStep32(uint op1, uint op2, ref uint fpscr) => Step32(op1, op2, true, ref fpscr);

    private static uint Step32(uint op1, uint op2, bool rsqrt, ref uint fpscr)
    {
        var f = FpFormat.Single;
        var t1 = Unpack(op1, f, ref fpscr, out _, out _, out _);
        var t2 = Unpack(op2, f, ref fpscr, out _, out _, out _);
        if (ProcessNaNs(t1, t2, op1, op2, f, ref fpscr, out ulong nan)) return (uint)nan;
        bool infZero = (t1 == FpType.Infinity && t2 == FpType.Zero) || (t1 == FpType.Zero && t2 == FpType.Infinity);
        ulong product = infZero ? 0 : Mul(op1, op2, f, ref fpscr);
        if (!rsqrt) return (uint)Sub(Two32, product, f, ref fpscr);
        // (3 - p) / 2: the halving is exact (3 - p is never tiny), so this is the manual's FPHalvedSub.
        return (uint)Div(Sub(Three32, product, f, ref fpscr), Two32, f, ref fpscr);
    }
}
