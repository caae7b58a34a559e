namespace ArmEmu.Cpu.Vfp;

// The arithmetic operations of DDI 0406C A2.7.8-A2.7.9 (FPAdd, FPSub, FPMul, FPDiv, FPSqrt,
// FPMulAdd, FPCompare, FPMax, FPMin, FPNeg, FPAbs), each in the pseudocode's case order:
// NaNs first, then the invalid combinations, then infinities and exact zeros, then the
// numerical result computed exactly and rounded once by FPRound.
internal static partial class SoftFloat
{
    /// <summary>The bit a value's 128-bit significand is kept at while adding (two bits of headroom).</summary>
    private const int AddPoint = 125;

    /// <summary>
    /// The exact sum of two nonzero values x / 2^125 * 2^e (x with bit 125 set), normalized
    /// into (sign, exp, sig). False if the sum is exactly zero. The smaller operand is
    /// shifted right with its lost bits jammed into bit 0; at least 60 bits lie below either
    /// operand's significant bits, so the jam never reaches the rounding position, even when
    /// subtraction cancels the top bits (cancellation of more than one bit needs exponents
    /// at most one apart, and then nothing is shifted out).
    /// </summary>
    private static bool AddExact(bool s1, int e1, UInt128 x1, bool s2, int e2, UInt128 x2,
                                 out bool sign, out int exp, out ulong sig)
    {
        if (e1 < e2 || (e1 == e2 && x1 < x2))
        {
            (s1, s2) = (s2, s1);
            (e1, e2) = (e2, e1);
            (x1, x2) = (x2, x1);
        }
        x2 = ShiftRightJam(x2, Math.Min(e1 - e2, 128));
        UInt128 r = s1 == s2 ? x1 + x2 : x1 - x2;
        if (r == UInt128.Zero)
        {
            sign = false;
            exp = 0;
            sig = 0;
            return false;
        }
        sign = s1;
        sig = Normalize128(r, out int lz);
        exp = e1 + (127 - lz - AddPoint);
        return true;
    }

    private static UInt128 Wide(ulong sig) => (UInt128)sig << (AddPoint - 63);

    /// <summary>FPAdd.</summary>
    public static ulong Add(ulong op1, ulong op2, in FpFormat f, ref uint fpscr)
    {
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        if (ProcessNaNs(t1, t2, op1, op2, f, ref fpscr, out ulong nan)) return nan;
        bool inf1 = t1 == FpType.Infinity, inf2 = t2 == FpType.Infinity;
        bool zero1 = t1 == FpType.Zero, zero2 = t2 == FpType.Zero;
        if (inf1 && inf2 && s1 != s2)
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        if ((inf1 && !s1) || (inf2 && !s2)) return Infinity(false, f);
        if ((inf1 && s1) || (inf2 && s2)) return Infinity(true, f);
        if (zero1 && zero2 && s1 == s2) return Zero(s1, f);
        if (zero1 && zero2) return Zero(ExactZeroSign(fpscr), f);
        if (zero1) return Round(s2, e2, m2, f, ref fpscr);
        if (zero2) return Round(s1, e1, m1, f, ref fpscr);
        if (!AddExact(s1, e1, Wide(m1), s2, e2, Wide(m2), out bool sign, out int exp, out ulong sig))
            return Zero(ExactZeroSign(fpscr), f);
        return Round(sign, exp, sig, f, ref fpscr);
    }

    /// <summary>FPSub: FPAdd with the second operand's sign inverted, except that a NaN keeps its sign.</summary>
    public static ulong Sub(ulong op1, ulong op2, in FpFormat f, ref uint fpscr)
    {
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        if (ProcessNaNs(t1, t2, op1, op2, f, ref fpscr, out ulong nan)) return nan;
        bool inf1 = t1 == FpType.Infinity, inf2 = t2 == FpType.Infinity;
        bool zero1 = t1 == FpType.Zero, zero2 = t2 == FpType.Zero;
        if (inf1 && inf2 && s1 == s2)
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        if ((inf1 && !s1) || (inf2 && s2)) return Infinity(false, f);
        if ((inf1 && s1) || (inf2 && !s2)) return Infinity(true, f);
        if (zero1 && zero2 && s1 != s2) return Zero(s1, f);
        if (zero1 && zero2) return Zero(ExactZeroSign(fpscr), f);
        if (zero1) return Round(!s2, e2, m2, f, ref fpscr);
        if (zero2) return Round(s1, e1, m1, f, ref fpscr);
        if (!AddExact(s1, e1, Wide(m1), !s2, e2, Wide(m2), out bool sign, out int exp, out ulong sig))
            return Zero(ExactZeroSign(fpscr), f);
        return Round(sign, exp, sig, f, ref fpscr);
    }

    /// <summary>The exact product of two normalized significands, as (exp, sig) with the low bits jammed.</summary>
    private static ulong MulExact(int e1, ulong m1, int e2, ulong m2, out int exp)
    {
        ulong hi = Math.BigMul(m1, m2, out ulong lo);
        // m1 * m2 / 2^126 lies in [1, 4).
        if ((hi >> 63) != 0)
        {
            exp = e1 + e2 + 1;
            return hi | (lo != 0 ? 1UL : 0);
        }
        exp = e1 + e2;
        return (hi << 1) | (lo >> 63) | ((lo << 1) != 0 ? 1UL : 0);
    }

    /// <summary>FPMul.</summary>
    public static ulong Mul(ulong op1, ulong op2, in FpFormat f, ref uint fpscr)
    {
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        if (ProcessNaNs(t1, t2, op1, op2, f, ref fpscr, out ulong nan)) return nan;
        bool inf1 = t1 == FpType.Infinity, inf2 = t2 == FpType.Infinity;
        bool zero1 = t1 == FpType.Zero, zero2 = t2 == FpType.Zero;
        bool sign = s1 != s2;
        if ((inf1 && zero2) || (zero1 && inf2))
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        if (inf1 || inf2) return Infinity(sign, f);
        if (zero1 || zero2) return Zero(sign, f);
        ulong sig = MulExact(e1, m1, e2, m2, out int exp);
        return Round(sign, exp, sig, f, ref fpscr);
    }

    /// <summary>FPDiv.</summary>
    public static ulong Div(ulong op1, ulong op2, in FpFormat f, ref uint fpscr)
    {
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        if (ProcessNaNs(t1, t2, op1, op2, f, ref fpscr, out ulong nan)) return nan;
        bool inf1 = t1 == FpType.Infinity, inf2 = t2 == FpType.Infinity;
        bool zero1 = t1 == FpType.Zero, zero2 = t2 == FpType.Zero;
        bool sign = s1 != s2;
        if ((inf1 && inf2) || (zero1 && zero2))
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        if (inf1 || zero2)
        {
            if (!inf1) fpscr |= Fpscr.DZC;
            return Infinity(sign, f);
        }
        if (zero1 || inf2) return Zero(sign, f);

        // q = m1 * 2^64 / m2 lies in (2^63, 2^65); the value is q / 2^64 * 2^(e1-e2).
        UInt128 n = (UInt128)m1 << 64;
        UInt128 q = n / m2;
        bool sticky = n - q * m2 != UInt128.Zero;
        int exp;
        ulong sig;
        if ((q >> 64) != UInt128.Zero)
        {
            exp = e1 - e2;
            sig = (ulong)(q >> 1) | ((ulong)q & 1);
        }
        else
        {
            exp = e1 - e2 - 1;
            sig = (ulong)q;
        }
        if (sticky) sig |= 1;
        return Round(sign, exp, sig, f, ref fpscr);
    }

    /// <summary>FPSqrt. The square root of -0 is -0; of any other negative number, the default NaN.</summary>
    public static ulong Sqrt(ulong op, in FpFormat f, ref uint fpscr)
    {
        var t = Unpack(op, f, ref fpscr, out bool s, out int e, out ulong m);
        if (t >= FpType.QNaN) return ProcessNaN(t, op, f, ref fpscr);
        if (t == FpType.Zero) return Zero(s, f);
        if (t == FpType.Infinity && !s) return Infinity(false, f);
        if (s)
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        // value = m * 2^(e-63). Make the power of two even: n = m * 2^k with e - 63 - k even, n in [2^126, 2^128).
        int k = (e & 1) == 0 ? 63 : 64;
        UInt128 n = (UInt128)m << k;
        ulong r = ISqrt(n);
        bool sticky = (UInt128)r * r != n;
        int exp = 63 + (e - 63 - k) / 2;
        return Round(false, exp, r | (sticky ? 1UL : 0), f, ref fpscr);
    }

    /// <summary>The integer square root (floor) of n, for n in [2^126, 2^128).</summary>
    private static ulong ISqrt(UInt128 n)
    {
        // A double estimate is within 2^12 of the root; two Newton steps make it exact but for
        // a final off-by-one, which the loops below settle.
        UInt128 r = (UInt128)Math.Sqrt((double)n);
        if (r > ulong.MaxValue) r = ulong.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            r = (r + n / r) >> 1;
            if (r > ulong.MaxValue) r = ulong.MaxValue;
        }
        while (r * r > n) r--;
        while (r < ulong.MaxValue && (r + 1) * (r + 1) <= n) r++;
        return (ulong)r;
    }

    /// <summary>
    /// FPMulAdd: addend + op1 * op2 with a single rounding (VFMA, VFMS, VFNMA, VFNMS).
    /// NaNs are taken in the order addend, op1, op2. An infinity times a zero is Invalid
    /// Operation even when the addend is a quiet NaN (the pseudocode's extra case for
    /// this; QEMU's pickNaNMulAdd for ARM agrees).
    /// </summary>
    public static ulong MulAdd(ulong addend, ulong op1, ulong op2, in FpFormat f, ref uint fpscr)
    {
        var tA = Unpack(addend, f, ref fpscr, out bool sA, out int eA, out ulong mA);
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        bool inf1 = t1 == FpType.Infinity, inf2 = t2 == FpType.Infinity;
        bool zero1 = t1 == FpType.Zero, zero2 = t2 == FpType.Zero;
        if (tA == FpType.QNaN && ((inf1 && zero2) || (zero1 && inf2)))
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        if (ProcessNaNs3(tA, t1, t2, addend, op1, op2, f, ref fpscr, out ulong nan)) return nan;
        bool infA = tA == FpType.Infinity, zeroA = tA == FpType.Zero;
        bool signP = s1 != s2;
        bool infP = inf1 || inf2, zeroP = zero1 || zero2;
        if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && sA != signP))
        {
            fpscr |= Fpscr.IOC;
            return DefaultNaN(f);
        }
        if ((infA && !sA) || (infP && !signP)) return Infinity(false, f);
        if ((infA && sA) || (infP && signP)) return Infinity(true, f);
        if (zeroA && zeroP && sA == signP) return Zero(sA, f);
        if (zeroP)
        {
            // The product is an exact zero of the other sign (or the addend is zero too): the addend alone.
            if (zeroA) return Zero(ExactZeroSign(fpscr), f);
            return Round(sA, eA, mA, f, ref fpscr);
        }
        ulong hi = Math.BigMul(m1, m2, out ulong lo);
        UInt128 p = ((UInt128)hi << 64) | lo;               // m1 * m2 / 2^126 * 2^(e1+e2), in [1, 4)
        int expP = e1 + e2;
        if ((hi >> 63) != 0) expP++;
        else p <<= 1;                                       // now bit 127 is set
        p >>= 127 - AddPoint;                               // loses only zeros: the product has at most 106 significant bits
        if (zeroA)
        {
            ulong sigP = Normalize128(p, out _);
            return Round(signP, expP, sigP, f, ref fpscr);
        }
        if (!AddExact(sA, eA, Wide(mA), signP, expP, p, out bool sign, out int exp, out ulong sig))
            return Zero(ExactZeroSign(fpscr), f);
        return Round(sign, exp, sig, f, ref fpscr);
    }

    /// <summary>FPNeg: flips the sign bit, NaNs included; no exceptions.</summary>
    public static ulong Neg(ulong op, in FpFormat f) => op ^ f.SignBit;

    /// <summary>FPAbs: clears the sign bit, NaNs included; no exceptions.</summary>
    public static ulong Abs(ulong op, in FpFormat f) => op & ~f.SignBit;

    /// <summary>
    /// FPCompare (VCMP, VCMPE): the NZCV flags in bits 3:0 -- 0110 equal, 1000 less than,
    /// 0010 greater than, 0011 unordered. A signalling NaN always raises IOC; a quiet NaN
    /// only when <paramref name="quietNaNExc"/> (VCMPE).
    /// </summary>
    public static uint Compare(ulong op1, ulong op2, bool quietNaNExc, in FpFormat f, ref uint fpscr)
    {
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        if (IsNaN(t1) || IsNaN(t2))
        {
            if (t1 == FpType.SNaN || t2 == FpType.SNaN || quietNaNExc) fpscr |= Fpscr.IOC;
            return 0b0011;
        }
        int c = CompareValues(t1, s1, e1, m1, t2, s2, e2, m2);
        return c == 0 ? 0b0110u : c < 0 ? 0b1000u : 0b0010u;
    }

    /// <summary>Orders two non-NaN unpacked values (zeros of either sign are equal).</summary>
    private static int CompareValues(FpType t1, bool s1, int e1, ulong m1, FpType t2, bool s2, int e2, ulong m2)
    {
        int k1 = Magnitude(t1), k2 = Magnitude(t2);
        if (k1 == 0 && k2 == 0) return 0;
        int sign1 = k1 == 0 ? 0 : s1 ? -1 : 1, sign2 = k2 == 0 ? 0 : s2 ? -1 : 1;
        if (sign1 != sign2) return sign1 < sign2 ? -1 : 1;
        // Same nonzero sign: compare magnitudes, then flip for negatives.
        int mag = k1 != k2 ? k1.CompareTo(k2) : k1 == 2 ? 0 : e1 != e2 ? e1.CompareTo(e2) : m1.CompareTo(m2);
        return sign1 < 0 ? -mag : mag;

        static int Magnitude(FpType t) => t == FpType.Zero ? 0 : t == FpType.Nonzero ? 1 : 2;
    }

    /// <summary>FPMax (VMAX.F32): +0 is larger than -0; NaNs as FPProcessNaNs.</summary>
    public static ulong Max(ulong op1, ulong op2, in FpFormat f, ref uint fpscr) => MaxMin(op1, op2, true, f, ref fpscr);

    /// <summary>FPMin (VMIN.F32): -0 is smaller than +0; NaNs as FPProcessNaNs.</summary>
    public static ulong Min(ulong op1, ulong op2, in FpFormat f, ref uint fpscr) => MaxMin(op1, op2, false, f, ref fpscr);

    private static ulong MaxMin(ulong op1, ulong op2, bool max, in FpFormat f, ref uint fpscr)
    {
        var t1 = Unpack(op1, f, ref fpscr, out bool s1, out int e1, out ulong m1);
        var t2 = Unpack(op2, f, ref fpscr, out bool s2, out int e2, out ulong m2);
        if (ProcessNaNs(t1, t2, op1, op2, f, ref fpscr, out ulong nan)) return nan;
        int c = CompareValues(t1, s1, e1, m1, t2, s2, e2, m2);
        bool first = max ? c > 0 : c < 0;
        var (t, s, e, m) = first ? (t1, s1, e1, m1) : (t2, s2, e2, m2);
        if (t == FpType.Infinity) return Infinity(s, f);
        if (t == FpType.Zero) return Zero(max ? s1 && s2 : s1 || s2, f);
        return Round(s, e, m, f, ref fpscr);
    }
}
