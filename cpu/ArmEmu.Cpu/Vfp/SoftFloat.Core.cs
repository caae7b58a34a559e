using System.Numerics;
using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Vfp;

/// <summary>A floating-point format: N bits in all, E exponent bits, F fraction bits.</summary>
internal readonly record struct FpFormat(int N, int E, int F)
{
    public static readonly FpFormat Half = new(16, 5, 10);
    public static readonly FpFormat Single = new(32, 8, 23);
    public static readonly FpFormat Double = new(64, 11, 52);

    public int Bias => (1 << (E - 1)) - 1;

    /// <summary>The exponent of the smallest normal number (-14, -126, -1022).</summary>
    public int MinExp => 1 - Bias;

    public int MaxBiasedExp => (1 << E) - 1;

    public ulong SignBit => 1UL << (N - 1);

    public ulong FracMask => (1UL << F) - 1;

    public ulong ExpMask => (ulong)MaxBiasedExp << F;

    /// <summary>The quiet bit: the top bit of the fraction.</summary>
    public ulong QuietBit => 1UL << (F - 1);
}

/// <summary>FPType in the ARM ARM pseudocode.</summary>
internal enum FpType : byte { Zero, Nonzero, Infinity, QNaN, SNaN }

/// <summary>
/// ARM's floating-point arithmetic in software, written as the ARM ARM's pseudocode
/// (DDI 0406C A2.7, "Floating-point data types and arithmetic", and its library in
/// appendix "Pseudocode definition"): FPUnpack, FPRound, FPProcessNaN(s), and the operations
/// built on them. Every result and every cumulative flag (IOC, DZC, OFC, UFC, IXC, IDC) is
/// ARM's, whatever the host does: the host FPU differs in NaN propagation, has no
/// flush-to-zero or default-NaN mode, and .NET cannot change its rounding mode.
///
/// Operands and results are raw bits (ulong holding an N-bit value). Each operation takes the
/// FPSCR by reference: it reads RMode, FZ, DN and AHP and ORs the flags it raises into it.
/// The Advanced SIMD callers pass <see cref="Fpscr.Standard"/> and copy the flags back.
///
/// Inside, a nonzero finite value is (sign, exp, sig): sig is 64 bits with bit 63 set, the
/// value is sig / 2^63 * 2^exp, and bit 0 is "sticky": it is ORed with every bit shifted out
/// below it, which keeps the rounding decision exact as long as at least two bits lie between
/// the rounding position and bit 0 (true for every format here: at least 11).
/// </summary>
internal static partial class SoftFloat
{
    // ---- Constants (FPZero, FPInfinity, FPMaxNormal, FPDefaultNaN) ---------------------------

    public static ulong Zero(bool sign, in FpFormat f) => sign ? f.SignBit : 0;

    public static ulong Infinity(bool sign, in FpFormat f) => Zero(sign, f) | f.ExpMask;

    public static ulong MaxNormal(bool sign, in FpFormat f) => Zero(sign, f) | ((ulong)(f.MaxBiasedExp - 1) << f.F) | f.FracMask;

    /// <summary>FPDefaultNaN: positive, quiet, zero payload (0x7FC00000 for single).</summary>
    public static ulong DefaultNaN(in FpFormat f) => f.ExpMask | f.QuietBit;

    // ---- FPUnpack ----------------------------------------------------------------------------

    /// <summary>
    /// FPUnpack: classify <paramref name="bits"/> and, for a nonzero finite value, return it
    /// normalized. With FPSCR.FZ a single or double denormal is treated as zero and raises
    /// IDC; half-precision inputs are never flushed. With FPSCR.AHP a half-precision exponent
    /// of all ones is an ordinary number (the alternative format has no infinities or NaNs).
    /// </summary>
    public static FpType Unpack(ulong bits, in FpFormat f, ref uint fpscr, out bool sign, out int exp, out ulong sig)
    {
        sign = (bits & f.SignBit) != 0;
        int e = (int)((bits >> f.F) & (ulong)f.MaxBiasedExp);
        ulong frac = bits & f.FracMask;
        if (e == 0)
        {
            exp = 0;
            sig = 0;
            if (frac == 0) return FpType.Zero;
            if ((fpscr & Fpscr.FZ) != 0 && f.N != 16)
            {
                fpscr |= Fpscr.IDC;
                return FpType.Zero;
            }
            int lz = BitOperations.LeadingZeroCount(frac);
            sig = frac << lz;
            exp = f.MinExp - f.F + (63 - lz);
            return FpType.Nonzero;
        }
        if (e == f.MaxBiasedExp && (f.N != 16 || (fpscr & Fpscr.AHP) == 0))
        {
            exp = 0;
            sig = 0;
            if (frac == 0) return FpType.Infinity;
            return (frac & f.QuietBit) != 0 ? FpType.QNaN : FpType.SNaN;
        }
        sig = (frac | (1UL << f.F)) << (63 - f.F);
        exp = e - f.Bias;
        return FpType.Nonzero;
    }

    private static bool IsNaN(FpType t) => t >= FpType.QNaN;

    // ---- NaN processing ----------------------------------------------------------------------

    /// <summary>FPProcessNaN: quiet the NaN (raising IOC if it was signalling); DN gives the default NaN.</summary>
    public static ulong ProcessNaN(FpType type, ulong op, in FpFormat f, ref uint fpscr)
    {
        ulong result = op | f.QuietBit;
        if (type == FpType.SNaN) fpscr |= Fpscr.IOC;
        if ((fpscr & Fpscr.DN) != 0) result = DefaultNaN(f);
        return result;
    }

    /// <summary>FPProcessNaNs: the first signalling NaN, else the first quiet NaN, of two operands.</summary>
    public static bool ProcessNaNs(FpType t1, FpType t2, ulong op1, ulong op2, in FpFormat f, ref uint fpscr, out ulong result)
    {
        if (t1 == FpType.SNaN) result = ProcessNaN(t1, op1, f, ref fpscr);
        else if (t2 == FpType.SNaN) result = ProcessNaN(t2, op2, f, ref fpscr);
        else if (t1 == FpType.QNaN) result = ProcessNaN(t1, op1, f, ref fpscr);
        else if (t2 == FpType.QNaN) result = ProcessNaN(t2, op2, f, ref fpscr);
        else
        {
            result = 0;
            return false;
        }
        return true;
    }

    /// <summary>FPProcessNaNs3: signalling NaNs in operand order first, then quiet NaNs.</summary>
    public static bool ProcessNaNs3(FpType t1, FpType t2, FpType t3, ulong op1, ulong op2, ulong op3, in FpFormat f,
                                    ref uint fpscr, out ulong result)
    {
        if (t1 == FpType.SNaN) result = ProcessNaN(t1, op1, f, ref fpscr);
        else if (t2 == FpType.SNaN) result = ProcessNaN(t2, op2, f, ref fpscr);
        else if (t3 == FpType.SNaN) result = ProcessNaN(t3, op3, f, ref fpscr);
        else if (t1 == FpType.QNaN) result = ProcessNaN(t1, op1, f, ref fpscr);
        else if (t2 == FpType.QNaN) result = ProcessNaN(t2, op2, f, ref fpscr);
        else if (t3 == FpType.QNaN) result = ProcessNaN(t3, op3, f, ref fpscr);
        else
        {
            result = 0;
            return false;
        }
        return true;
    }

    // ---- FPRound -----------------------------------------------------------------------------

    /// <summary>
    /// FPRound: round the nonzero value sig / 2^63 * 2^exp (bit 63 of sig set, bit 0 sticky)
    /// to format <paramref name="f"/> under the FPSCR's rounding mode, FZ and AHP.
    /// Underflow is detected before rounding and signalled only when the result is inexact
    /// (as the pseudocode does with trapping disabled); flush-to-zero of a tiny single or
    /// double result raises UFC but not IXC.
    /// </summary>
    public static ulong Round(bool sign, int exp, ulong sig, in FpFormat f, ref uint fpscr)
    {
        if ((fpscr & Fpscr.FZ) != 0 && f.N != 16 && exp < f.MinExp)
        {
            fpscr |= Fpscr.UFC;
            return Zero(sign, f);
        }
        int biased = exp - f.MinExp + 1;
        if (biased <= 0)
        {
            sig = ShiftRightJam(sig, 1 - biased);
            biased = 0;
        }
        int drop = 63 - f.F;
        ulong mant = sig >> drop;
        ulong error = sig & ((1UL << drop) - 1);
        ulong half = 1UL << (drop - 1);
        if (biased == 0 && error != 0) fpscr |= Fpscr.UFC;

        bool roundUp, overflowToInf;
        switch (Fpscr.RMode(fpscr))
        {
            case Fpscr.RoundToNearest:
                roundUp = error > half || (error == half && (mant & 1) != 0);
                overflowToInf = true;
                break;
            case Fpscr.RoundTowardsPlusInfinity:
                roundUp = error != 0 && !sign;
                overflowToInf = !sign;
                break;
            case Fpscr.RoundTowardsMinusInfinity:
                roundUp = error != 0 && sign;
                overflowToInf = sign;
                break;
            default:
                roundUp = false;
                overflowToInf = false;
                break;
        }
        if (roundUp)
        {
            mant++;
            if (mant == 1UL << f.F) biased = 1;            // a denormal rounded up to the smallest normal
            if (mant == 1UL << (f.F + 1))                  // rounded up to the next binade
            {
                biased++;
                mant >>= 1;
            }
        }

        bool inexact = error != 0;
        ulong result;
        if (f.N != 16 || (fpscr & Fpscr.AHP) == 0)
        {
            if (biased >= f.MaxBiasedExp)
            {
                result = overflowToInf ? Infinity(sign, f) : MaxNormal(sign, f);
                fpscr |= Fpscr.OFC;
                inexact = true;
            }
            else
            {
                result = Zero(sign, f) | ((ulong)biased << f.F) | (mant & f.FracMask);
            }
        }
        else
        {
            // The alternative half-precision format has no infinity: overflow is Invalid Operation.
            if (biased > f.MaxBiasedExp)
            {
                result = Zero(sign, f) | (f.SignBit - 1);
                fpscr |= Fpscr.IOC;
                inexact = false;
            }
            else
            {
                result = Zero(sign, f) | ((ulong)biased << f.F) | (mant & f.FracMask);
            }
        }
        if (inexact) fpscr |= Fpscr.IXC;
        return result;
    }

    /// <summary>Shift right, ORing every bit shifted out into bit 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ShiftRightJam(ulong x, int n)
    {
        if (n <= 0) return x;
        if (n >= 64) return x != 0 ? 1UL : 0;
        return (x >> n) | ((x & ((1UL << n) - 1)) != 0 ? 1UL : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static UInt128 ShiftRightJam(UInt128 x, int n)
    {
        if (n <= 0) return x;
        if (n >= 128) return x != UInt128.Zero ? UInt128.One : UInt128.Zero;
        return (x >> n) | ((x & ((UInt128.One << n) - 1)) != UInt128.Zero ? UInt128.One : UInt128.Zero);
    }

    /// <summary>The top 64 bits of a nonzero 128-bit value normalized to bit 127, the rest jammed into bit 0.</summary>
    internal static ulong Normalize128(UInt128 x, out int shiftedLeft)
    {
        shiftedLeft = (int)UInt128.LeadingZeroCount(x);
        x <<= shiftedLeft;
        ulong hi = (ulong)(x >> 64);
        return hi | ((ulong)x != 0 ? 1UL : 0);
    }

    /// <summary>The sign of an exact zero sum: - only when rounding towards minus infinity (A2.7.8).</summary>
    private static bool ExactZeroSign(uint fpscr) => Fpscr.RMode(fpscr) == Fpscr.RoundTowardsMinusInfinity;
}
