using System.Numerics;

namespace ArmEmu.Cpu.Vfp;

// Conversions (DDI 0406C A2.7.9 and the pseudocode library): FPToFixed, FixedToFP, and the
// float-to-float conversions FPSingleToDouble, FPDoubleToSingle, FPHalfToSingle and
// FPSingleToHalf, written once for any pair of formats.
internal static partial class SoftFloat
{
    /// <summary>
    /// FPToFixed: <paramref name="op"/> times 2^<paramref name="fractionBits"/>, rounded to an
    /// integer (towards zero if <paramref name="roundTowardsZero"/>, else by FPSCR.RMode) and
    /// saturated to <paramref name="m"/> bits, signed or unsigned. A NaN converts to 0; a NaN or
    /// a saturated result raises IOC (and then never IXC); an inexact one IXC. The result is
    /// the M-bit pattern in the low bits.
    /// </summary>
    public static ulong ToFixed(ulong op, in FpFormat f, int m, int fractionBits, bool unsigned, bool roundTowardsZero,
                                ref uint fpscr)
    {
        uint ctl = roundTowardsZero ? Fpscr.WithRMode(fpscr, Fpscr.RoundTowardsZero) : fpscr;
        var t = Unpack(op, f, ref ctl, out bool sign, out int exp, out ulong sig);
        ulong intPart = 0, frac = 0;
        bool overflow = false;
        switch (t)
        {
            case FpType.QNaN or FpType.SNaN:
                ctl |= Fpscr.IOC;
                sign = false;
                break;
            case FpType.Infinity:
                overflow = true;
                break;
            case FpType.Nonzero:
            {
                int sh = exp + fractionBits;          // the value is sig / 2^63 * 2^sh
                if (sh >= 64) overflow = true;
                else if (sh == 63) intPart = sig;
                else if (sh >= 0)
                {
                    intPart = sig >> (63 - sh);
                    frac = sig << (sh + 1);           // the fraction in units of 2^-64
                }
                else frac = ShiftRightJam(sig, -sh - 1);
                break;
            }
        }

        bool roundUp = Fpscr.RMode(ctl) switch
        {
            Fpscr.RoundToNearest => frac > 1UL << 63 || (frac == 1UL << 63 && (intPart & 1) != 0),
            Fpscr.RoundTowardsPlusInfinity => frac != 0 && !sign,
            Fpscr.RoundTowardsMinusInfinity => frac != 0 && sign,
            _ => false,
        };
        UInt128 mag = (UInt128)intPart + (roundUp ? 1u : 0u);

        ulong result;
        ulong mask = m == 64 ? ulong.MaxValue : (1UL << m) - 1;
        if (unsigned)
        {
            if (overflow || mag > mask) { result = sign ? 0 : mask; overflow = true; }
            else if (sign && mag != UInt128.Zero) { result = 0; overflow = true; }
            else result = (ulong)mag;
        }
        else
        {
            UInt128 limit = (UInt128)1 << (m - 1);    // |most negative|
            if (sign)
            {
                if (overflow || mag > limit) { result = (ulong)limit & mask; overflow = true; }
                else result = (0 - (ulong)mag) & mask;
            }
            else
            {
                if (overflow || mag >= limit) { result = (ulong)(limit - 1); overflow = true; }
                else result = (ulong)mag;
            }
        }
        if (overflow) ctl |= Fpscr.IOC;
        else if (frac != 0) ctl |= Fpscr.IXC;
        fpscr |= ctl & Fpscr.CumulativeFlags;
        return result;
    }

    /// <summary>
    /// FixedToFP: the M-bit integer <paramref name="operand"/> (signed or unsigned) divided by
    /// 2^<paramref name="fractionBits"/>, rounded to format <paramref name="f"/> by the FPSCR
    /// (the Advanced SIMD callers pass the Standard FPSCR: round to nearest). Zero is +0.
    /// </summary>
    public static ulong FromFixed(ulong operand, int m, int fractionBits, bool unsigned, in FpFormat f, ref uint fpscr)
    {
        ulong mask = m == 64 ? ulong.MaxValue : (1UL << m) - 1;
        operand &= mask;
        bool sign = false;
        ulong mag = operand;
        if (!unsigned && m > 0 && (operand >> (m - 1)) != 0)
        {
            sign = true;
            mag = (0 - operand) & mask;               // the most negative value is its own magnitude: 1 << (m-1)
        }
        if (mag == 0) return Zero(false, f);
        int lz = BitOperations.LeadingZeroCount(mag);
        return Round(sign, 63 - lz - fractionBits, mag << lz, f, ref fpscr);
    }

    /// <summary>
    /// A conversion between formats (VCVT.F64.F32, VCVT.F32.F64, VCVTB/VCVTT): NaNs are
    /// quieted keeping the top of their payload (IOC for a signalling one) or, with DN, become
    /// the default NaN. Into the alternative half-precision format (AHP), which has no NaN
    /// or infinity, a NaN becomes a zero of its sign and an infinity the largest number, both raising IOC.
    /// Half-precision inputs and outputs are never flushed to zero.
    /// </summary>
    public static ulong Convert(ulong op, in FpFormat from, in FpFormat to, ref uint fpscr)
    {
        var t = Unpack(op, from, ref fpscr, out bool sign, out int exp, out ulong sig);
        bool toAhp = to.N == 16 && (fpscr & Fpscr.AHP) != 0;
        switch (t)
        {
            case FpType.QNaN or FpType.SNaN:
            {
                ulong result;
                if (toAhp)
                {
                    // A zero of the NaN's sign: ARMv8's FPConvert says so and QEMU (and so Unicorn) does it.
                    fpscr |= Fpscr.IOC;
                    return Zero(sign, to);
                }
                if ((fpscr & Fpscr.DN) != 0) result = DefaultNaN(to);
                else
                {
                    ulong frac = op & from.FracMask;
                    frac = to.F >= from.F ? frac << (to.F - from.F) : frac >> (from.F - to.F);
                    result = Zero(sign, to) | to.ExpMask | to.QuietBit | frac;
                }
                if (t == FpType.SNaN) fpscr |= Fpscr.IOC;
                return result;
            }
            case FpType.Infinity:
                if (toAhp)
                {
                    fpscr |= Fpscr.IOC;
                    return Zero(sign, to) | (to.SignBit - 1);
                }
                return Infinity(sign, to);
            case FpType.Zero:
                return Zero(sign, to);
            default:
                return Round(sign, exp, sig, to, ref fpscr);
        }
    }
}
