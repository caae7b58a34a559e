using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Neon;

/// <summary>One element operation of a shift by an immediate: the new Vd element from Vm's and Vd's.</summary>
internal interface INeonShiftOp
{
    static abstract ulong Apply<TE>(ulong m, ulong d, int shift, bool unsigned, ref uint fpscr) where TE : struct, INeonElement;

    /// <summary>True for the left shifts (amount = imm6 - esize), false for the right (amount = 2*esize - imm6).</summary>
    static abstract bool Left { get; }
}

// DDI 0406C A8.8.398 VSHR, A8.8.402 VSRA, A8.8.390 VRSHR, A8.8.393 VRSRA, A8.8.403 VSRI,
// A8.8.395 VSHL (immediate), A8.8.399 VSLI, A8.8.379 VQSHL/VQSHLU (immediate).
internal struct VShr : INeonShiftOp
{
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)(Neon.Wide<TE>(m, u) >> s);

    public static bool Left => false;
}

internal struct VSra : INeonShiftOp
{
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement =>
        d + (ulong)(Neon.Wide<TE>(m, u) >> s);

    public static bool Left => false;
}

internal struct VRShr : INeonShiftOp
{
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement =>
        (ulong)Neon.Shift(Neon.Wide<TE>(m, u), -s, true);

    public static bool Left => false;
}

internal struct VRSra : INeonShiftOp
{
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement =>
        d + (ulong)Neon.Shift(Neon.Wide<TE>(m, u), -s, true);

    public static bool Left => false;
}

/// <summary>VSRI: Vm's element shifted right goes in; the top <c>shift</c> bits of Vd's stay.</summary>
internal struct VSri : INeonShiftOp
{
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement
    {
        ulong mask = (ulong)((UInt128)Neon.Mask<TE>() >> s);
        return (d & ~mask) | ((ulong)((UInt128)m >> s) & mask);
    }

    public static bool Left => false;
}

internal struct VShlImmediate : INeonShiftOp
{
    public static bool Left => true;
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement => m << s;
}

/// <summary>VSLI: Vm's element shifted left goes in; the low <c>shift</c> bits of Vd's stay.</summary>
internal struct VSli : INeonShiftOp
{
    public static bool Left => true;
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement
    {
        ulong mask = Neon.Mask<TE>() << s;
        return (d & ~mask) | ((m << s) & mask);
    }
}

/// <summary>VQSHL (immediate): signed to signed or unsigned to unsigned, by U.</summary>
internal struct VQShlImmediate : INeonShiftOp
{
    public static bool Left => true;
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.Sat<TE>(Neon.Wide<TE>(m, u) << s, u, ref f);
}

/// <summary>VQSHLU: signed elements saturated to unsigned.</summary>
internal struct VQShluImmediate : INeonShiftOp
{
    public static bool Left => true;
    public static ulong Apply<TE>(ulong m, ulong d, int s, bool u, ref uint f) where TE : struct, INeonElement =>
        Neon.UnsignedSat<TE>(Neon.Wide<TE>(m, false) << s, ref f);
}

/// <summary>
/// "Two registers and a shift amount" (DDI 0406C A7.4.4) and "One register and a modified
/// immediate value" (A7.4.6). The element size is the position of the top set bit of L:imm6;
/// L:imm6&lt;5:3&gt; = 0000 is not a shift at all but the modified-immediate class, whose rows
/// win those words by priority (NeonEncodings), so the shift handlers never see them.
/// </summary>
[SkipLocalsInit]
internal static class NeonShiftImmediate
{
    public static void Execute<TOp>(Cpu cpu, uint op) where TOp : struct, INeonShiftOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (q && ((d | m) & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int imm6 = (int)(op >> 16) & 0x3F;
        bool l = (op & 0x80) != 0;
        int esize = l ? 64 : imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8;
        int shift = TOp.Left ? imm6 - (l ? 0 : esize) : (l ? 64 : 2 * esize) - imm6;
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        bool u = Neon.U(op);
        int regs = q ? 2 : 1;
        switch (esize)
        {
            case 8: Run<TOp, E8>(fpu, d, m, regs, shift, u, ref fpscr); break;
            case 16: Run<TOp, E16>(fpu, d, m, regs, shift, u, ref fpscr); break;
            case 32: Run<TOp, E32>(fpu, d, m, regs, shift, u, ref fpscr); break;
            default: Run<TOp, E64>(fpu, d, m, regs, shift, u, ref fpscr); break;
        }
        fpu.Fpscr = fpscr;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TOp, TE>(FloatingPointUnit fpu, int d, int m, int regs, int shift, bool u, ref uint fpscr)
        where TOp : struct, INeonShiftOp where TE : struct, INeonElement
    {
        ulong mask = Neon.Mask<TE>();
        for (int r = 0; r < regs; r++)
        {
            ulong mv = fpu.D[m + r], dv = fpu.D[d + r];
            if (TE.Bits == 64)
            {
                fpu.D[d + r] = TOp.Apply<TE>(mv, dv, shift, u, ref fpscr);
                continue;
            }
            ulong result = 0;
            for (int s = 0; s < 64; s += TE.Bits)
                result |= (TOp.Apply<TE>((mv >> s) & mask, (dv >> s) & mask, shift, u, ref fpscr) & mask) << s;
            fpu.D[d + r] = result;
        }
    }

    /// <summary>
    /// VSHRN, VRSHRN, VQSHRN, VQRSHRN, VQSHRUN, VQRSHRUN (A8.8.396, A8.8.391, A8.8.381): Qm's
    /// elements shifted right (bit 6: rounding), narrowed to half their size into Dd -- by
    /// truncation (U = 0, bit 8 = 0) or with saturation: signed to unsigned (U = 1, bit 8 = 0),
    /// signed or unsigned by U (bit 8 = 1).
    /// </summary>
    public static void Narrow(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), m = Neon.Vm(op);
        if ((m & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int imm6 = (int)(op >> 16) & 0x3F;
        int esize = imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8;     // the result's element size
        int shift = 2 * esize - imm6;
        bool round = (op & 0x40) != 0, u = Neon.U(op), saturating = u || (op & 0x100) != 0;
        bool srcUnsigned = u && (op & 0x100) != 0, destUnsigned = u;
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        ulong result = 0;
        int elements = 64 / esize;
        for (int e = 0; e < elements; e++)
        {
            ulong raw = Neon.Elem(fpu, m, e, 2 * esize);
            Int128 v = srcUnsigned ? (Int128)raw : (Int128)(2 * esize == 64 ? (long)raw : (long)(raw << (64 - 2 * esize)) >> (64 - 2 * esize));
            v = Neon.Shift(v, -shift, round);
            ulong n = !saturating ? (ulong)v : esize switch
            {
                8 => Neon.Sat<E8>(v, destUnsigned, ref fpscr),
                16 => Neon.Sat<E16>(v, destUnsigned, ref fpscr),
                _ => Neon.Sat<E32>(v, destUnsigned, ref fpscr),
            };
            result = Neon.Insert(result, e, esize, n);
        }
        fpu.D[d] = result;
        fpu.Fpscr = fpscr;
    }

    /// <summary>VSHLL (A8.8.394 encoding A1; VMOVL when the shift is 0): Dm's elements widened, shifted left, into Qd.</summary>
    public static void ShiftLeftLong(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), m = Neon.Vm(op);
        if ((d & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int imm6 = (int)(op >> 16) & 0x3F;
        int esize = imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8;
        Widen(cpu.Fpu, d, m, esize, imm6 - esize, Neon.U(op));
    }

    /// <summary>Dm's elements of <paramref name="esize"/> bits, extended and shifted left, into Qd.</summary>
    internal static void Widen(FloatingPointUnit fpu, int d, int m, int esize, int shift, bool unsigned)
    {
        ulong source = fpu.D[m], lo = 0, hi = 0;
        int elements = 64 / esize;
        for (int e = 0; e < elements; e++)
        {
            ulong raw = (source >> (e * esize)) & ((1UL << esize) - 1);
            ulong v = (unsigned ? raw : (ulong)((long)(raw << (64 - esize)) >> (64 - esize))) << shift;
            int bit = e * 2 * esize;
            if (bit < 64) lo = Neon.Insert(lo, e, 2 * esize, v);
            else hi = Neon.Insert(hi, e - elements / 2, 2 * esize, v);
        }
        fpu.D[d] = lo;
        fpu.D[d + 1] = hi;
    }

    /// <summary>
    /// VCVT (between floating-point and fixed-point, Advanced SIMD; A8.8.308): F32 only
    /// (imm6&lt;5&gt; = 0 is UNDEFINED), fraction bits 64 - imm6; bit 8 set converts to fixed point
    /// (rounding towards zero), clear from it (round to nearest); U: unsigned. Standard FPSCR.
    /// </summary>
    public static void ConvertFixed(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        int imm6 = (int)(op >> 16) & 0x3F;
        if ((imm6 & 0x20) == 0 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int fracBits = 64 - imm6;
        bool toFixed = (op & 0x100) != 0, u = Neon.U(op);
        var fpu = cpu.Fpu;
        uint standard = Neon.StandardFpscr(fpu);
        for (int r = 0; r < (q ? 2 : 1); r++)
        {
            ulong v = fpu.D[m + r], result = 0;
            for (int e = 0; e < 2; e++)
            {
                ulong x = (v >> (32 * e)) & 0xFFFF_FFFF;
                ulong y = toFixed
                    ? SoftFloat.ToFixed(x, FpFormat.Single, 32, fracBits, u, true, ref standard)
                    : SoftFloat.FromFixed(x, 32, fracBits, u, FpFormat.Single, ref standard);
                result |= (y & 0xFFFF_FFFF) << (32 * e);
            }
            fpu.D[d + r] = result;
        }
        Neon.MergeFlags(fpu, standard);
    }

    /// <summary>
    /// VMOV, VORR, VMVN, VBIC (immediate) (A8.8.339, A8.8.358, A8.8.355, A8.8.285): the
    /// immediate AdvSIMDExpandImm(op, cmode, a:bcd:efgh) moved, inverted, ORed or cleared into Vd.
    /// cmode 1111 with op 1 is UNDEFINED.
    /// </summary>
    public static void ModifiedImmediate(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op);
        bool q = Neon.Q(op);
        int cmode = (int)(op >> 8) & 0xF;
        bool opBit = (op & 0x20) != 0;
        if ((q && (d & 1) != 0) || (cmode == 0xF && opBit))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint imm8 = (Neon.U(op) ? 0x80u : 0) | ((op >> 12) & 0x70) | (op & 0xF); // i sits where the other classes have U
        ulong imm = ExpandImmediate(opBit, cmode, imm8);
        // The operation: ORR for op 0 with cmode 0xx1 or 10x1, BIC for op 1 with those; otherwise a
        // move (op 1 inverts, except the 64-bit form, cmode 1110).
        bool logical = (cmode & 1) != 0 && cmode < 12;
        var fpu = cpu.Fpu;
        for (int r = 0; r < (q ? 2 : 1); r++)
        {
            ref ulong reg = ref fpu.D[d + r];
            if (logical) reg = opBit ? reg & ~imm : reg | imm;
            else reg = opBit && cmode != 0xE ? ~imm : imm;
        }
    }

    /// <summary>AdvSIMDExpandImm (DDI 0406C A7.4.6, table A7-15).</summary>
    public static ulong ExpandImmediate(bool op, int cmode, uint imm8)
    {
        ulong i = imm8;
        switch (cmode >> 1)
        {
            case 0: return Replicate32(i);
            case 1: return Replicate32(i << 8);
            case 2: return Replicate32(i << 16);
            case 3: return Replicate32(i << 24);
            case 4: return Replicate16(i);
            case 5: return Replicate16(i << 8);
            case 6: return Replicate32((cmode & 1) == 0 ? (i << 8) | 0xFF : (i << 16) | 0xFFFF);
            default:
                if ((cmode & 1) == 0 && !op) return i * 0x0101_0101_0101_0101UL;
                if ((cmode & 1) == 0)
                {
                    ulong r = 0;
                    for (int b = 0; b < 8; b++)
                        if (((imm8 >> b) & 1) != 0) r |= 0xFFUL << (8 * b);
                    return r;
                }
                // The single-precision immediate: a:NOT(b):bbbbb:cdefgh:Zeros(19).
                ulong b6 = (i >> 6) & 1;
                ulong f = ((i >> 7) << 31) | ((b6 ^ 1) << 30) | ((b6 * 0x1F) << 25) | ((i & 0x3F) << 19);
                return Replicate32(f);
        }

        static ulong Replicate32(ulong v) => (v & 0xFFFF_FFFF) | ((v & 0xFFFF_FFFF) << 32);
        static ulong Replicate16(ulong v) => (v & 0xFFFF) * 0x0001_0001_0001_0001UL;
    }
}
