using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Neon;

/// <summary>One element operation of a one-operand instruction: the new Vd element from Vm's.</summary>
internal interface INeonUnaryOp
{
    static abstract ulong Apply<TE>(ulong m, ref uint fpscr) where TE : struct, INeonElement;

    /// <summary>The sizes the instruction allows (bit i: size field i); F32 forms allow only size 10.</summary>
    static abstract int Sizes { get; }
}

// DDI 0406C A8.8.287 VCLS, A8.8.288 VCLZ, A8.8.304 VCNT, A8.8.354 VMVN (register),
// A8.8.368 VQABS, A8.8.383 VQNEG, A8.8.271 VABS, A8.8.353 VNEG, A8.8.292-300 compares with #0,
// A8.8.385 VRECPE, A8.8.391 VRSQRTE, A8.8.306 VCVT (floating-point and integer, Advanced SIMD).
internal struct VCls : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement
    {
        long v = Neon.S<TE>(m);
        ulong x = (ulong)(v ^ (v >> 63));           // leading sign bits become leading zeros
        return (ulong)(BitOperations.LeadingZeroCount(x) - (64 - TE.Bits) - 1);
    }

    public static int Sizes => 0b0111;
}

internal struct VClz : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        (ulong)(BitOperations.LeadingZeroCount(m) - (64 - TE.Bits));

    public static int Sizes => 0b0111;
}

internal struct VCnt : INeonUnaryOp
{
    public static int Sizes => 0b0001;
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => (ulong)BitOperations.PopCount(m);
}

internal struct VMvn : INeonUnaryOp
{
    public static int Sizes => 0b0001;
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => ~m;
}

internal struct VQAbs : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        Neon.SignedSat<TE>(Math.Abs(Neon.S<TE>(m)), ref f);

    public static int Sizes => 0b0111;
}

internal struct VQNeg : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        Neon.SignedSat<TE>(-Neon.S<TE>(m), ref f);

    public static int Sizes => 0b0111;
}

internal struct VAbsInt : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => (ulong)Math.Abs(Neon.S<TE>(m));

    public static int Sizes => 0b0111;
}

internal struct VNegInt : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => (ulong)-Neon.S<TE>(m);

    public static int Sizes => 0b0111;
}

internal struct VCgtZero : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => Neon.S<TE>(m) > 0 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCgeZero : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => Neon.S<TE>(m) >= 0 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCeqZero : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => m == 0 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCleZero : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => Neon.S<TE>(m) <= 0 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCltZero : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => Neon.S<TE>(m) < 0 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

// The F32 forms (f is the Standard FPSCR). The compares with #0.0 are FPCompareGT(m, 0) and so
// on: a quiet NaN raises IOC except for VCEQ.
internal struct VCgtZeroFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(m, 0, true, FpFormat.Single, ref f) == 0b0010 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCgeZeroFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(m, 0, true, FpFormat.Single, ref f) is 0b0010 or 0b0110 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VCeqZeroFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(m, 0, false, FpFormat.Single, ref f) == 0b0110 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

/// <summary>VCLE #0 is FPCompareGE(0, m).</summary>
internal struct VCleZeroFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(0, m, true, FpFormat.Single, ref f) is 0b0010 or 0b0110 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

/// <summary>VCLT #0 is FPCompareGT(0, m).</summary>
internal struct VCltZeroFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement =>
        SoftFloat.Compare(0, m, true, FpFormat.Single, ref f) == 0b0010 ? ulong.MaxValue : 0;

    public static int Sizes => 0b0111;
}

internal struct VAbsFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => m & 0x7FFF_FFFFu;

    public static int Sizes => 0b0111;
}

internal struct VNegFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => m ^ 0x8000_0000u;

    public static int Sizes => 0b0111;
}

internal struct VRecpeFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.RecipEstimate32((uint)m, ref f);

    public static int Sizes => 0b0111;
}

internal struct VRsqrteFloat : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.RSqrtEstimate32((uint)m, ref f);

    public static int Sizes => 0b0111;
}

/// <summary>VRECPE.U32 (size 10 only).</summary>
internal struct VRecpeUnsigned : INeonUnaryOp
{
    public static int Sizes => 0b0100;
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.UnsignedRecipEstimate((uint)m);
}

internal struct VRsqrteUnsigned : INeonUnaryOp
{
    public static int Sizes => 0b0100;
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.UnsignedRSqrtEstimate((uint)m);
}

internal struct VCvtFromSigned : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.FromFixed(m, 32, 0, false, FpFormat.Single, ref f);

    public static int Sizes => 0b0111;
}

internal struct VCvtFromUnsigned : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.FromFixed(m, 32, 0, true, FpFormat.Single, ref f);

    public static int Sizes => 0b0111;
}

internal struct VCvtToSigned : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.ToFixed(m, FpFormat.Single, 32, 0, false, true, ref f);

    public static int Sizes => 0b0111;
}

internal struct VCvtToUnsigned : INeonUnaryOp
{
    public static ulong Apply<TE>(ulong m, ref uint f) where TE : struct, INeonElement => SoftFloat.ToFixed(m, FpFormat.Single, 32, 0, true, true, ref f);

    public static int Sizes => 0b0111;
}

/// <summary>
/// "Two registers, miscellaneous" (DDI 0406C A7.4.5), the lane-wise ones: a generic core for
/// integer elements of the size field and one for F32 (size 10 only, Standard FPSCR); the
/// reversals, pairwise additions, narrowing moves and half-precision conversion are below.
/// </summary>
[SkipLocalsInit]
internal static class NeonUnary
{
    public static void Integer<TOp>(Cpu cpu, uint op) where TOp : struct, INeonUnaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (((TOp.Sizes >> size) & 1) == 0 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        for (int r = 0; r < (q ? 2 : 1); r++)
            fpu.D[d + r] = size switch
            {
                0 => Lanes<TOp, E8>(fpu.D[m + r], ref fpscr),
                1 => Lanes<TOp, E16>(fpu.D[m + r], ref fpscr),
                _ => Lanes<TOp, E32>(fpu.D[m + r], ref fpscr),
            };
        fpu.Fpscr = fpscr;
    }

    public static void Float<TOp>(Cpu cpu, uint op) where TOp : struct, INeonUnaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (size != 2 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint standard = Neon.StandardFpscr(fpu);
        for (int r = 0; r < (q ? 2 : 1); r++)
            fpu.D[d + r] = Lanes<TOp, E32>(fpu.D[m + r], ref standard);
        Neon.MergeFlags(fpu, standard);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lanes<TOp, TE>(ulong m, ref uint fpscr) where TOp : struct, INeonUnaryOp where TE : struct, INeonElement
    {
        ulong mask = Neon.Mask<TE>(), result = 0;
        for (int s = 0; s < 64; s += TE.Bits)
            result |= (TOp.Apply<TE>((m >> s) & mask, ref fpscr) & mask) << s;
        return result;
    }

    /// <summary>VREV16, VREV32, VREV64 (A8.8.387): elements reversed inside each 16-, 32- or 64-bit group (bits 8:7: 10, 01, 00).</summary>
    public static void Reverse(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        int kind = (int)(op >> 7) & 3;                  // 0: VREV64, 1: VREV32, 2: VREV16
        bool q = Neon.Q(op);
        if (kind + size >= 3 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        int esize = 8 << size, groupElements = (64 >> kind) / esize, elements = 64 / esize;
        for (int r = 0; r < (q ? 2 : 1); r++)
        {
            ulong v = fpu.D[m + r], result = 0;
            for (int e = 0; e < elements; e++)
                result = Neon.Insert(result, e ^ (groupElements - 1), esize, Neon.Field(v, e * esize, esize, true));
            fpu.D[d + r] = result;
        }
    }

    /// <summary>VPADDL and VPADAL (A8.8.362, A8.8.360): adjacent pairs summed into double-width elements (bit 7: unsigned), added to Vd for VPADAL (bit 10).</summary>
    public static void PairwiseLong(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op), unsigned = (op & 0x80) != 0, accumulate = (op & 0x400) != 0;
        if (size == 3 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        int esize = 8 << size, wbits = 2 * esize;
        for (int r = 0; r < (q ? 2 : 1); r++)
        {
            ulong v = fpu.D[m + r], old = fpu.D[d + r], result = 0;
            for (int e = 0; e < 32 / esize; e++)
            {
                ulong sum = Neon.Field(v, 2 * e * esize, esize, unsigned) + Neon.Field(v, (2 * e + 1) * esize, esize, unsigned);
                if (accumulate) sum += Neon.Field(old, e * wbits, wbits, true);
                result = Neon.Insert(result, e, wbits, sum);
            }
            fpu.D[d + r] = result;
        }
    }

    /// <summary>VMOVN, VQMOVUN, VQMOVN (A8.8.347, A8.8.371): Qm's elements narrowed into Dd; bits 7:6 00 truncate, 01 signed to unsigned, 10 signed, 11 unsigned.</summary>
    public static void MoveNarrow(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        if (size == 3 || (m & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int kind = (int)(op >> 6) & 3;
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        int esize = 8 << size;
        ulong result = 0;
        for (int e = 0; e < 64 / esize; e++)
        {
            ulong raw = Neon.Elem(fpu, m, e, 2 * esize);
            ulong v = kind switch
            {
                0 => raw,
                1 or 2 => kind == 1 ? Neon.UnsignedSat(Neon.SignExtend(raw, 2 * esize), esize, ref fpscr)
                                    : Neon.SignedSat(Neon.SignExtend(raw, 2 * esize), esize, ref fpscr),
                _ => Neon.UnsignedSat(raw, esize, ref fpscr),
            };
            result = Neon.Insert(result, e, esize, v);
        }
        fpu.D[d] = result;
        fpu.Fpscr = fpscr;
    }

    /// <summary>VSHLL (A8.8.394 encoding A2): shift by the element size.</summary>
    public static void ShiftLeftLongMax(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        if (size == 3 || (d & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        NeonShiftImmediate.Widen(cpu.Fpu, d, m, 8 << size, 8 << size, unsigned: true);
    }

    /// <summary>
    /// VCVT (between half-precision and single-precision, Advanced SIMD; A8.8.309): bit 8 clear
    /// narrows Qm's singles to halves in Dd, set widens Dm's halves to singles in Qd. Size 01
    /// only. The conversion uses the Standard FPSCR (its AHP is the FPSCR's).
    /// </summary>
    public static void ConvertHalf(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        bool toSingle = (op & 0x100) != 0;
        if (size != 1 || (toSingle ? (d & 1) != 0 : (m & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint standard = Neon.StandardFpscr(fpu);
        if (toSingle)
        {
            ulong v = fpu.D[m], lo = 0, hi = 0;
            for (int e = 0; e < 4; e++)
            {
                ulong s = SoftFloat.Convert((v >> (16 * e)) & 0xFFFF, FpFormat.Half, FpFormat.Single, ref standard);
                if (e < 2) lo |= s << (32 * e);
                else hi |= s << (32 * (e - 2));
            }
            fpu.D[d] = lo;
            fpu.D[d + 1] = hi;
        }
        else
        {
            ulong result = 0;
            for (int e = 0; e < 4; e++)
                result |= (SoftFloat.Convert(Neon.Elem(fpu, m, e, 32), FpFormat.Single, FpFormat.Half, ref standard) & 0xFFFF) << (16 * e);
            fpu.D[d] = result;
        }
        Neon.MergeFlags(fpu, standard);
    }
}
