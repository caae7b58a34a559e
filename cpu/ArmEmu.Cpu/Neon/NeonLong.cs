using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Neon;

/// <summary>
/// One element operation of a lengthening instruction: the new 2*esize-bit element of Qd from
/// the esize-bit elements of Dn and Dm, extended by signedness (for the W forms, n is Qn's
/// wide element), and Qd's old element. The result's bits above 2*esize are ignored.
/// </summary>
internal interface INeonLongOp
{
    static abstract ulong Apply(long n, long m, ulong d, int esize, ref uint fpscr);

    /// <summary>The sizes the instruction allows (bit i: size field i).</summary>
    static abstract int Sizes { get; }
}

// DDI 0406C A8.8.283 VADDL/VADDW, A8.8.415 VSUBL/VSUBW, A8.8.273 VABAL, A8.8.275 VABDL,
// A8.8.337 VMLAL/VMLSL, A8.8.351 VMULL, A8.8.372 VQDMLAL/VQDMLSL, A8.8.375 VQDMULL.
internal struct VAddLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => (ulong)(n + m);

    public static int Sizes => 0b0111;
}

internal struct VSubLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => (ulong)(n - m);

    public static int Sizes => 0b0111;
}

internal struct VAbaLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => d + (ulong)Math.Abs(n - m);

    public static int Sizes => 0b0111;
}

internal struct VAbdLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => (ulong)Math.Abs(n - m);

    public static int Sizes => 0b0111;
}

internal struct VMlaLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => d + (ulong)(n * m);

    public static int Sizes => 0b0111;
}

internal struct VMlsLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => d - (ulong)(n * m);

    public static int Sizes => 0b0111;
}

internal struct VMulLong : INeonLongOp
{
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => (ulong)(n * m);

    public static int Sizes => 0b0111;
}

/// <summary>VMULL.P8: carry-less 8x8 -> 16 (the only polynomial size in ARMv7).</summary>
internal struct VMulLongPoly : INeonLongOp
{
    public static int Sizes => 0b0001;
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => VMulPoly.PolyMul((ulong)n & 0xFF, (ulong)m & 0xFF, 8);
}

internal struct VQDMulLong : INeonLongOp
{
    public static int Sizes => 0b0110;
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f) => Neon.SignedSat(2 * (Int128)n * m, 2 * esize, ref f);
}

internal struct VQDMlaLong : INeonLongOp
{
    public static int Sizes => 0b0110;
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f)
    {
        ulong product = Neon.SignedSat(2 * (Int128)n * m, 2 * esize, ref f);
        return Neon.SignedSat(Neon.SignExtend(d, 2 * esize) + Neon.SignExtend(product, 2 * esize), 2 * esize, ref f);
    }
}

internal struct VQDMlsLong : INeonLongOp
{
    public static int Sizes => 0b0110;
    public static ulong Apply(long n, long m, ulong d, int esize, ref uint f)
    {
        ulong product = Neon.SignedSat(2 * (Int128)n * m, 2 * esize, ref f);
        return Neon.SignedSat(Neon.SignExtend(d, 2 * esize) - Neon.SignExtend(product, 2 * esize), 2 * esize, ref f);
    }
}

/// <summary>
/// "Three registers of different lengths" (DDI 0406C A7.4.2) and the lengthening "two
/// registers and a scalar" forms (A7.4.3): long (Qd from Dn, Dm), wide (Qd from Qn, Dm) and
/// narrow (Dd from Qn, Qm: VADDHN, VRADDHN, VSUBHN, VRSUBHN, A8.8.281/385/416/394). Size 11
/// belongs to other classes: VEXT (U = 0) wins it by priority, and with U = 1 the more specific
/// rows (two registers miscellaneous, VTBL, VDUP) take every defined word; the rest is UNDEFINED.
/// </summary>
[SkipLocalsInit]
internal static class NeonLong
{
    /// <summary>Size 11 in a "different lengths" or "scalar" word with U = 1 (VEXT, U = 0, wins those by priority): UNDEFINED. True if raised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool OtherClass(Cpu cpu, uint op)
    {
        if (((op >> 20) & 3) != 3) return false;
        cpu.RaiseUndefined(op);
        return true;
    }

    public static void Long<TOp>(Cpu cpu, uint op) where TOp : struct, INeonLongOp => Run<TOp>(cpu, op, wide: false);

    public static void Wide<TOp>(Cpu cpu, uint op) where TOp : struct, INeonLongOp => Run<TOp>(cpu, op, wide: true);

    private static void Run<TOp>(Cpu cpu, uint op, bool wide) where TOp : struct, INeonLongOp
    {
        if (OtherClass(cpu, op) || !Neon.Enabled(cpu, op)) return;
        int size = Neon.Size(op), d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        if (((TOp.Sizes >> size) & 1) == 0 || (d & 1) != 0 || (wide && (n & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        int esize = 8 << size;
        Apply<TOp>(fpu, d, n, fpu.D[m], esize, wide, Neon.U(op));
    }

    /// <summary>The long operation with Dm's word given (a register, or a scalar replicated).</summary>
    internal static void Apply<TOp>(FloatingPointUnit fpu, int d, int n, ulong mWord, int esize, bool wide, bool unsigned)
        where TOp : struct, INeonLongOp
    {
        uint fpscr = fpu.Fpscr;
        ulong nWord = fpu.D[n], lo = fpu.D[d], hi = fpu.D[d + 1];
        ulong nLo = wide ? fpu.D[n] : 0, nHi = wide ? fpu.D[n + 1] : 0;
        int elements = 64 / esize, wbits = 2 * esize;
        for (int e = 0; e < elements; e++)
        {
            long nv = wide
                ? (long)Neon.Field(e < elements / 2 ? nLo : nHi, (e % (elements / 2)) * wbits, wbits, unsigned)
                : (long)Neon.Field(nWord, e * esize, esize, unsigned);
            long mv = (long)Neon.Field(mWord, e * esize, esize, unsigned);
            if (e < elements / 2)
            {
                ulong old = Neon.Field(lo, e * wbits, wbits, true);
                lo = Neon.Insert(lo, e, wbits, TOp.Apply(nv, mv, old, esize, ref fpscr));
            }
            else
            {
                int k = e - elements / 2;
                ulong old = Neon.Field(hi, k * wbits, wbits, true);
                hi = Neon.Insert(hi, k, wbits, TOp.Apply(nv, mv, old, esize, ref fpscr));
            }
        }
        fpu.D[d] = lo;
        fpu.D[d + 1] = hi;
        fpu.Fpscr = fpscr;
    }

    /// <summary>VADDHN, VRADDHN (U = 1 rounds), VSUBHN, VRSUBHN: the high halves of the wide sums or differences.</summary>
    public static void AddHighNarrow(Cpu cpu, uint op) => HighNarrow(cpu, op, subtract: false);

    public static void SubHighNarrow(Cpu cpu, uint op) => HighNarrow(cpu, op, subtract: true);

    private static void HighNarrow(Cpu cpu, uint op, bool subtract)
    {
        if (OtherClass(cpu, op) || !Neon.Enabled(cpu, op)) return;
        int size = Neon.Size(op), d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        if (((n | m) & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        int esize = 8 << size, wbits = 2 * esize, elements = 64 / esize;
        ulong round = Neon.U(op) ? 1UL << (esize - 1) : 0, result = 0;
        for (int e = 0; e < elements; e++)
        {
            ulong a = Neon.Elem(fpu, n, e, wbits), b = Neon.Elem(fpu, m, e, wbits);
            ulong sum = (subtract ? a - b : a + b) + round;
            if (wbits < 64) sum &= (1UL << wbits) - 1;
            result = Neon.Insert(result, e, esize, sum >> esize);
        }
        fpu.D[d] = result;
    }
}
