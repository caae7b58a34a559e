using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Vfp;

// Typed entry points (single and double) for the operations VFP code runs most, each with a
// host-FPU path taken only where the host provably gives ARM's bits and flags, and the
// software path everywhere else. The conditions, for round to nearest:
//  - both operands normal (no zero, denormal, infinity or NaN): NaN propagation, DN, FZ on
//    inputs and IDC cannot arise;
//  - the result normal and at least one binade above the denormal range and finite: FZ on
//    outputs, UFC (tininess is detected before rounding) and OFC cannot arise;
//  - inexactness from an error-free transformation: the rounding error of a sum (TwoSum),
//    of a product, a quotient or a square root (the residual by one fused multiply-add) is
//    itself a floating-point number, exactly computed, when nothing is near the denormal
//    range (Boldo and Muller; Higham, "Accuracy and Stability", 2.9);
//  - single precision is computed in double and rounded once more: for +, -, x, / and sqrt,
//    53 >= 2 x 24 + 2 bits make that double rounding innocuous (Figueroa, "When is double
//    rounding innocuous?", 1995), and the double step's own inexactness is checked too.
// SoftFloatTests.HostPathEqualsSoftware checks both paths against each other.
internal static partial class SoftFloat
{
    private const uint HostPathControl = Fpscr.RModeMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Normal32(uint x) => ((x >> 23) & 0xFF) - 1 < 0xFE;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Normal64(ulong x) => ((x >> 52) & 0x7FF) - 1 < 0x7FE;

    /// <summary>A single result the host path may return: exponent field 2..254 (normal, above the tiny range, finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Safe32(uint r) => ((r >> 23) & 0xFF) - 2 < 0xFD;

    /// <summary>A double result the host path may return: exponent field 110..2045, far from underflow and overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Safe64(ulong r) => ((r >> 52) & 0x7FF) - 110 < 2045 - 110 + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HostPath32(uint a, uint b, uint fpscr) =>
        (fpscr & HostPathControl) == 0 && Normal32(a) && Normal32(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HostPath64(ulong a, ulong b, uint fpscr) =>
        (fpscr & HostPathControl) == 0 && Normal64(a) && Normal64(b)
        && ((a >> 52) & 0x7FF) >= 110 && ((b >> 52) & 0x7FF) >= 110;

    public static uint Add32(uint a, uint b, ref uint fpscr)
    {
        if (HostPath32(a, b, fpscr) && Math.Abs((int)((a >> 23) & 0xFF) - (int)((b >> 23) & 0xFF)) <= 28)
        {
            // The double sum of two singles whose exponents are at most 28 apart is exact.
            double d = (double)BitConverter.UInt32BitsToSingle(a) + BitConverter.UInt32BitsToSingle(b);
            uint r = BitConverter.SingleToUInt32Bits((float)d);
            if (Safe32(r))
            {
                if ((double)BitConverter.UInt32BitsToSingle(r) != d) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return (uint)Add(a, b, FpFormat.Single, ref fpscr);
    }

    public static uint Sub32(uint a, uint b, ref uint fpscr)
    {
        if (HostPath32(a, b, fpscr) && Math.Abs((int)((a >> 23) & 0xFF) - (int)((b >> 23) & 0xFF)) <= 28)
        {
            double d = (double)BitConverter.UInt32BitsToSingle(a) - BitConverter.UInt32BitsToSingle(b);
            uint r = BitConverter.SingleToUInt32Bits((float)d);
            if (Safe32(r))
            {
                if ((double)BitConverter.UInt32BitsToSingle(r) != d) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return (uint)Sub(a, b, FpFormat.Single, ref fpscr);
    }

    public static uint Mul32(uint a, uint b, ref uint fpscr)
    {
        if (HostPath32(a, b, fpscr))
        {
            // The double product of two singles is exact (48 significant bits).
            double d = (double)BitConverter.UInt32BitsToSingle(a) * BitConverter.UInt32BitsToSingle(b);
            uint r = BitConverter.SingleToUInt32Bits((float)d);
            if (Safe32(r))
            {
                if ((double)BitConverter.UInt32BitsToSingle(r) != d) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return (uint)Mul(a, b, FpFormat.Single, ref fpscr);
    }

    public static uint Div32(uint a, uint b, ref uint fpscr)
    {
        if (HostPath32(a, b, fpscr))
        {
            double x = BitConverter.UInt32BitsToSingle(a), y = BitConverter.UInt32BitsToSingle(b);
            double q = x / y;
            uint r = BitConverter.SingleToUInt32Bits((float)q);
            if (Safe32(r))
            {
                if (Math.FusedMultiplyAdd(-q, y, x) != 0 || (double)BitConverter.UInt32BitsToSingle(r) != q) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return (uint)Div(a, b, FpFormat.Single, ref fpscr);
    }

    public static uint Sqrt32(uint a, ref uint fpscr)
    {
        if ((fpscr & HostPathControl) == 0 && Normal32(a) && (a >> 31) == 0)
        {
            double x = BitConverter.UInt32BitsToSingle(a);
            double s = Math.Sqrt(x);
            uint r = BitConverter.SingleToUInt32Bits((float)s);
            if (Math.FusedMultiplyAdd(-s, s, x) != 0 || (double)BitConverter.UInt32BitsToSingle(r) != s) fpscr |= Fpscr.IXC;
            return r;                                   // the root of a normal single is normal
        }
        return (uint)Sqrt(a, FpFormat.Single, ref fpscr);
    }

    public static ulong Add64(ulong a, ulong b, ref uint fpscr)
    {
        if (HostPath64(a, b, fpscr))
        {
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b);
            double s = x + y;
            ulong r = BitConverter.DoubleToUInt64Bits(s);
            if (Safe64(r))
            {
                if (TwoSumError(x, y, s) != 0) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return Add(a, b, FpFormat.Double, ref fpscr);
    }

    public static ulong Sub64(ulong a, ulong b, ref uint fpscr)
    {
        if (HostPath64(a, b, fpscr))
        {
            double x = BitConverter.UInt64BitsToDouble(a), y = -BitConverter.UInt64BitsToDouble(b);
            double s = x + y;
            ulong r = BitConverter.DoubleToUInt64Bits(s);
            if (Safe64(r))
            {
                if (TwoSumError(x, y, s) != 0) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return Sub(a, b, FpFormat.Double, ref fpscr);
    }

    public static ulong Mul64(ulong a, ulong b, ref uint fpscr)
    {
        if (HostPath64(a, b, fpscr))
        {
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b);
            double p = x * y;
            ulong r = BitConverter.DoubleToUInt64Bits(p);
            if (Safe64(r))
            {
                if (Math.FusedMultiplyAdd(x, y, -p) != 0) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return Mul(a, b, FpFormat.Double, ref fpscr);
    }

    public static ulong Div64(ulong a, ulong b, ref uint fpscr)
    {
        if (HostPath64(a, b, fpscr))
        {
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b);
            double q = x / y;
            ulong r = BitConverter.DoubleToUInt64Bits(q);
            if (Safe64(r))
            {
                if (Math.FusedMultiplyAdd(-q, y, x) != 0) fpscr |= Fpscr.IXC;
                return r;
            }
        }
        return Div(a, b, FpFormat.Double, ref fpscr);
    }

    public static ulong Sqrt64(ulong a, ref uint fpscr)
    {
        if ((fpscr & HostPathControl) == 0 && Normal64(a) && (a >> 63) == 0 && ((a >> 52) & 0x7FF) >= 110)
        {
            double x = BitConverter.UInt64BitsToDouble(a);
            double s = Math.Sqrt(x);
            if (Math.FusedMultiplyAdd(-s, s, x) != 0) fpscr |= Fpscr.IXC;
            return BitConverter.DoubleToUInt64Bits(s);
        }
        return Sqrt(a, FpFormat.Double, ref fpscr);
    }

    /// <summary>The rounding error of s = fl(x + y), exactly (Knuth's TwoSum; no overflow here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TwoSumError(double x, double y, double s)
    {
        double yy = s - x;
        double xx = s - yy;
        return (x - xx) + (y - yy);
    }
}
