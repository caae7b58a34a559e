using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Neon;

/// <summary>
/// An Advanced SIMD element size, as a type: the generic cores are instantiated once per size,
/// so the element loops have constant bounds and masks (no size switch per element).
/// </summary>
internal interface INeonElement
{
    static abstract int Bits { get; }
}

internal struct E8 : INeonElement { public static int Bits => 8; }

internal struct E16 : INeonElement { public static int Bits => 16; }

internal struct E32 : INeonElement { public static int Bits => 32; }

internal struct E64 : INeonElement { public static int Bits => 64; }

/// <summary>
/// What every Advanced SIMD instruction shares (DDI 0406C A7.3, A7.4): the enable check
/// (CheckAdvSIMDEnabled, B1.11.1), the register fields (D:Vd, N:Vn, M:Vm as 5-bit D
/// register numbers; a Q operand is the even D register of a pair, and an odd number there is
/// UNDEFINED), element extraction and saturation with FPSCR.QC.
/// </summary>
internal static class Neon
{
    public static int Vd(uint op) => (int)(((op >> 18) & 0x10) | ((op >> 12) & 0xF));

    public static int Vn(uint op) => (int)(((op >> 3) & 0x10) | ((op >> 16) & 0xF));

    public static int Vm(uint op) => (int)(((op >> 1) & 0x10) | (op & 0xF));

    public static bool Q(uint op) => (op & 0x40) != 0;

    /// <summary>
    /// The U bit (the Q bit of the scalar class, the i bit of the modified immediate): bit 24 of
    /// the A32 form 1111 001U, bit 28 of the T32 form 111U 1111 (DDI 0406C A7.4). The other of
    /// the two bits is always 1 in either form, so their AND is U in both and one handler serves
    /// both instruction sets.
    /// </summary>
    public static bool U(uint op) => ((op >> 24) & (op >> 28) & 1) != 0;

    public static int Size(uint op) => (int)(op >> 20) & 3;

    /// <summary>The size field of the "two registers, miscellaneous" class (bits 19:18).</summary>
    public static int Size18(uint op) => (int)(op >> 18) & 3;

    /// <summary>CheckAdvSIMDEnabled: false (and Undefined raised) when CPACR, ASEDIS or FPEXC.EN forbid it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Enabled(Cpu cpu, uint op)
    {
        if (cpu.Fpu.Enabled(cpu.IsPrivileged, advancedSimd: true)) return true;
        cpu.RaiseUndefined(op);
        return false;
    }

    /// <summary>Raises Undefined for an encoding the manual calls UNDEFINED (or that QEMU makes so); always false.</summary>
    public static bool Undefined(Cpu cpu, uint op)
    {
        cpu.RaiseUndefined(op);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mask<TE>() where TE : INeonElement => TE.Bits == 64 ? ulong.MaxValue : (1UL << TE.Bits) - 1;

    /// <summary>SInt of the low <c>TE.Bits</c> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long S<TE>(ulong v) where TE : INeonElement => (long)(v << (64 - TE.Bits)) >> (64 - TE.Bits);

    /// <summary>SInt or UInt of an element, by <paramref name="unsigned"/>, as a long (elements of at most 32 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Int<TE>(ulong v, bool unsigned) where TE : INeonElement =>
        unsigned ? (long)(v & Mask<TE>()) : S<TE>(v);

    /// <summary>Element <paramref name="e"/> of <paramref name="bits"/> bits of the vector starting at D[<paramref name="reg"/>].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Elem(FloatingPointUnit fpu, int reg, int e, int bits)
    {
        int bit = e * bits;
        ulong v = fpu.D[(reg + (bit >> 6)) & 31] >> (bit & 63);
        return bits == 64 ? v : v & ((1UL << bits) - 1);
    }

    /// <summary>Inserts an element into a 64-bit lane word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Insert(ulong word, int e, int bits, ulong value)
    {
        if (bits == 64) return value;
        int shift = (e * bits) & 63;
        ulong mask = ((1UL << bits) - 1) << shift;
        return (word & ~mask) | ((value << shift) & mask);
    }

    /// <summary>SignedSatQ: <paramref name="v"/> saturated to a signed <c>TE.Bits</c>-bit value; QC on saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignedSat<TE>(Int128 v, ref uint fpscr) where TE : INeonElement
    {
        Int128 max = (Int128.One << (TE.Bits - 1)) - 1, min = -max - 1;
        if (v > max) { fpscr |= Fpscr.QC; return (ulong)max & Mask<TE>(); }
        if (v < min) { fpscr |= Fpscr.QC; return (ulong)min & Mask<TE>(); }
        return (ulong)v & Mask<TE>();
    }

    /// <summary>UnsignedSatQ: <paramref name="v"/> saturated to 0 .. 2^<c>TE.Bits</c>-1; QC on saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong UnsignedSat<TE>(Int128 v, ref uint fpscr) where TE : INeonElement
    {
        if (v < 0) { fpscr |= Fpscr.QC; return 0; }
        Int128 max = (Int128.One << TE.Bits) - 1;
        if (v > max) { fpscr |= Fpscr.QC; return Mask<TE>(); }
        return (ulong)v;
    }

    /// <summary>SatQ by signedness.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sat<TE>(Int128 v, bool unsigned, ref uint fpscr) where TE : INeonElement =>
        unsigned ? UnsignedSat<TE>(v, ref fpscr) : SignedSat<TE>(v, ref fpscr);

    /// <summary>SatQ of a value that fits a long (elements of at most 32 bits: sums, differences, doubled products).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SatNarrow<TE>(long v, bool unsigned, ref uint fpscr) where TE : INeonElement
    {
        long max = unsigned ? (1L << TE.Bits) - 1 : (1L << (TE.Bits - 1)) - 1, min = unsigned ? 0 : -max - 1;
        if (v > max) { fpscr |= Fpscr.QC; return (ulong)max & Mask<TE>(); }
        if (v < min) { fpscr |= Fpscr.QC; return (ulong)min & Mask<TE>(); }
        return (ulong)v & Mask<TE>();
    }

    /// <summary>An element as an Int128, signed or unsigned (any size).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Int128 Wide<TE>(ulong v, bool unsigned) where TE : INeonElement =>
        unsigned ? (Int128)(v & Mask<TE>()) : (Int128)S<TE>(v);

    /// <summary>
    /// A shift by a signed amount as VSHL/VRSHL/VQSHL/VQRSHL (register) define it: left for a
    /// positive amount, right (arithmetic on the extended value) for a negative one, with the
    /// rounding constant 2^(shift-1) added first when <paramref name="round"/>. Amounts beyond the
    /// element are clamped where the result can no longer change. From 64 left every nonzero
    /// value has left any element: the result is +-2^126, whose low 64 bits are zero (VSHL gives
    /// 0) and which saturates the VQSHL forms -- shifting an unsigned 64-bit element by 64 in the
    /// Int128 would overflow into its sign and saturate the wrong way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Int128 Shift(Int128 v, int shift, bool round)
    {
        if (shift >= 0)
            return shift < 64 ? v << shift : v == 0 ? 0 : Int128.IsNegative(v) ? -(Int128.One << 126) : Int128.One << 126;
        int s = Math.Min(-shift, 70);
        if (round) v += Int128.One << (s - 1);
        return v >> s;
    }

    /// <summary>
    /// The Standard FPSCR for an Advanced SIMD floating-point operation; <see cref="MergeFlags"/>
    /// puts the cumulative flags it raised back into the FPSCR (FPProcessException accumulates
    /// into the real FPSCR whatever value controlled the operation).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint StandardFpscr(FloatingPointUnit fpu) => Fpscr.Standard(fpu.Fpscr);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MergeFlags(FloatingPointUnit fpu, uint standard) =>
        fpu.Fpscr |= standard & Fpscr.CumulativeFlags;

    /// <summary>The <paramref name="bits"/>-bit field at <paramref name="lsb"/> of a word, zero- or sign-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Field(ulong word, int lsb, int bits, bool unsigned)
    {
        ulong v = word >> lsb;
        if (bits == 64) return v;
        return unsigned ? v & ((1UL << bits) - 1) : (ulong)((long)(v << (64 - bits)) >> (64 - bits));
    }

    /// <summary>SInt of the low <paramref name="bits"/> bits, as an Int128.</summary>
    public static Int128 SignExtend(ulong v, int bits) => bits == 64 ? (long)v : (long)(v << (64 - bits)) >> (64 - bits);

    /// <summary>SignedSatQ to <paramref name="bits"/> bits (a size known only at run time); QC on saturation.</summary>
    public static ulong SignedSat(Int128 v, int bits, ref uint fpscr)
    {
        Int128 max = (Int128.One << (bits - 1)) - 1, min = -max - 1;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (v > max) { fpscr |= Fpscr.QC; return (ulong)max & mask; }
        if (v < min) { fpscr |= Fpscr.QC; return (ulong)min & mask; }
        return (ulong)v & mask;
    }

    /// <summary>UnsignedSatQ to <paramref name="bits"/> bits; QC on saturation.</summary>
    public static ulong UnsignedSat(Int128 v, int bits, ref uint fpscr)
    {
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (v < 0) { fpscr |= Fpscr.QC; return 0; }
        if (v > mask) { fpscr |= Fpscr.QC; return mask; }
        return (ulong)v;
    }
}
