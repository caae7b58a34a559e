using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Neon;

/// <summary>
/// One element operation of an Advanced SIMD instruction with three operands of one size:
/// the new element of Vd from the elements of Vn and Vm and its old value. Elements arrive as
/// their raw bits in the low <c>TE.Bits</c> (zero-extended); the result's bits above are ignored.
/// </summary>
internal interface INeonBinaryOp
{
    static abstract ulong Apply<TE>(ulong n, ulong m, ulong d, bool unsigned, ref uint fpscr) where TE : struct, INeonElement;

    /// <summary>The sizes (bit i: size field i, 8 &lt;&lt; i bits) the instruction allows; others are UNDEFINED.</summary>
    static abstract int Sizes { get; }
}

/// <summary>
/// The "three registers of the same length" instructions (DDI 0406C A7.4.1): a generic core per
/// shape -- lane-wise integer (<see cref="Integer{TOp}"/>), whole-register bitwise
/// (<see cref="Bitwise{TOp}"/>), single-precision floating point under the Standard FPSCR
/// (<see cref="Float{TOp}"/>), and pairwise on D registers (<see cref="Pairwise{TOp}"/>,
/// <see cref="PairwiseFloat{TOp}"/>). Q forms need even register numbers (else UNDEFINED).
/// The operation is a struct type argument, so each instruction is its own specialised loop.
/// </summary>
[SkipLocalsInit]
internal static class NeonThreeSame
{
    public static void Integer<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size(op), d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (((TOp.Sizes >> size) & 1) == 0 || (q && ((d | n | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        int regs = q ? 2 : 1;
        bool u = Neon.U(op);
        switch (size)
        {
            case 0: Run<TOp, E8>(fpu, d, n, m, regs, u, ref fpscr); break;
            case 1: Run<TOp, E16>(fpu, d, n, m, regs, u, ref fpscr); break;
            case 2: Run<TOp, E32>(fpu, d, n, m, regs, u, ref fpscr); break;
            default: Run<TOp, E64>(fpu, d, n, m, regs, u, ref fpscr); break;
        }
        fpu.Fpscr = fpscr;
    }

    /// <summary>VAND, VBIC, VORR, VORN, VEOR, VBSL, VBIT, VBIF: the size field is part of the opcode.</summary>
    public static void Bitwise<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (q && ((d | n | m) & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint fpscr = 0;
        Run<TOp, E64>(cpu.Fpu, d, n, m, q ? 2 : 1, false, ref fpscr);
    }

    /// <summary>The floating-point forms: F32 only (sz, bit 20, set is UNDEFINED), Standard FPSCR.</summary>
    public static void Float<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if ((op & (1u << 20)) != 0 || (q && ((d | n | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint standard = Neon.StandardFpscr(fpu);
        Run<TOp, E32>(fpu, d, n, m, q ? 2 : 1, false, ref standard);
        Neon.MergeFlags(fpu, standard);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TOp, TE>(Vfp.FloatingPointUnit fpu, int d, int n, int m, int regs, bool u, ref uint fpscr)
        where TOp : struct, INeonBinaryOp where TE : struct, INeonElement
    {
        for (int r = 0; r < regs; r++)
            fpu.D[d + r] = Lanes<TOp, TE>(fpu.D[n + r], fpu.D[m + r], fpu.D[d + r], u, ref fpscr);
    }

    /// <summary>The operation on every element of one 64-bit register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lanes<TOp, TE>(ulong n, ulong m, ulong d, bool u, ref uint fpscr)
        where TOp : struct, INeonBinaryOp where TE : struct, INeonElement
    {
        if (TE.Bits == 64) return TOp.Apply<TE>(n, m, d, u, ref fpscr);
        ulong mask = Neon.Mask<TE>(), result = 0;
        for (int s = 0; s < 64; s += TE.Bits)
            result |= (TOp.Apply<TE>((n >> s) & mask, (m >> s) & mask, (d >> s) & mask, u, ref fpscr) & mask) << s;
        return result;
    }

    /// <summary>VPADD, VPMAX, VPMIN (integer): D registers only; the low half of Dd from pairs of Dn, the high half from Dm.</summary>
    public static void Pairwise<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size(op);
        if (size == 3 || Neon.Q(op))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        bool u = Neon.U(op);
        int d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        fpu.D[d] = size switch
        {
            0 => Pairs<TOp, E8>(fpu.D[n], fpu.D[m], u, ref fpscr),
            1 => Pairs<TOp, E16>(fpu.D[n], fpu.D[m], u, ref fpscr),
            _ => Pairs<TOp, E32>(fpu.D[n], fpu.D[m], u, ref fpscr),
        };
    }

    /// <summary>VPADD, VPMAX, VPMIN (floating-point): F32, D registers only.</summary>
    public static void PairwiseFloat<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp
    {
        if (!Neon.Enabled(cpu, op)) return;
        if ((op & (1u << 20)) != 0 || Neon.Q(op))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint standard = Neon.StandardFpscr(fpu);
        int d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op);
        fpu.D[d] = Pairs<TOp, E32>(fpu.D[n], fpu.D[m], false, ref standard);
        Neon.MergeFlags(fpu, standard);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pairs<TOp, TE>(ulong n, ulong m, bool u, ref uint fpscr)
        where TOp : struct, INeonBinaryOp where TE : struct, INeonElement
    {
        ulong mask = Neon.Mask<TE>(), result = 0;
        int half = 32 / TE.Bits;
        for (int e = 0; e < half; e++)
        {
            int s = 2 * e * TE.Bits;
            ulong lo = TOp.Apply<TE>((n >> s) & mask, (n >> (s + TE.Bits)) & mask, 0, u, ref fpscr) & mask;
            ulong hi = TOp.Apply<TE>((m >> s) & mask, (m >> (s + TE.Bits)) & mask, 0, u, ref fpscr) & mask;
            result |= (lo << (e * TE.Bits)) | (hi << (32 + e * TE.Bits));
        }
        return result;
    }
}
