using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Neon;

/// <summary>
/// The Advanced SIMD instructions that move elements without computing (DDI 0406C): VSWP
/// (A8.8.418), VTRN (A8.8.419), VUZP (A8.8.421), VZIP (A8.8.422), VEXT (A8.8.311),
/// VTBL/VTBX (A8.8.420), VDUP (scalar, A8.8.314; ARM core register, A8.8.315). Vectors of
/// one or two D registers are read whole into locals before anything is written, so a
/// destination that is also a source reads the old value, as the manual's pseudocode does.
/// </summary>
[SkipLocalsInit]
internal static class NeonPermute
{
    /// <summary>VSWP: size 00 only.</summary>
    public static void Vswp(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (Neon.Size18(op) != 0 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        for (int r = 0; r < (q ? 2 : 1); r++)
            (fpu.D[d + r], fpu.D[m + r]) = (fpu.D[m + r], fpu.D[d + r]);
    }

    /// <summary>VTRN: Dd's odd elements swap with Dm's even ones (per D register).</summary>
    public static void Vtrn(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op);
        if (size == 3 || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        int esize = 8 << size;
        for (int r = 0; r < (q ? 2 : 1); r++)
        {
            ulong dv = fpu.D[d + r], mv = fpu.D[m + r], nd = dv, nm = mv;
            for (int e = 0; e < 64 / esize; e += 2)
            {
                nd = Neon.Insert(nd, e + 1, esize, Neon.Field(mv, e * esize, esize, true));
                nm = Neon.Insert(nm, e, esize, Neon.Field(dv, (e + 1) * esize, esize, true));
            }
            fpu.D[d + r] = nd;
            fpu.D[m + r] = nm;
        }
    }

    /// <summary>VUZP (bit 7 = 0) and VZIP (bit 7 = 1): de-interleave or interleave the elements of Vd and Vm. D forms with 32-bit elements are UNDEFINED.</summary>
    public static void UnzipZip(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = Neon.Size18(op), d = Neon.Vd(op), m = Neon.Vm(op);
        bool q = Neon.Q(op), zip = (op & 0x80) != 0;
        if (size == 3 || (!q && size == 2) || (q && ((d | m) & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        int esize = 8 << size, regs = q ? 2 : 1, elements = 64 * regs / esize;
        // The 2*regs words of Vd then Vm, as one array of 2*elements elements.
        Span<ulong> source = stackalloc ulong[4];
        Span<ulong> result = stackalloc ulong[4];
        for (int r = 0; r < regs; r++)
        {
            source[r] = fpu.D[d + r];
            source[regs + r] = fpu.D[m + r];
        }
        result.Clear();
        for (int i = 0; i < 2 * elements; i++)
        {
            // Unzip: result[i] = source[2i] for the first half, source[2(i - elements) + 1] for the second.
            // Zip: result[2j] = source[j], result[2j + 1] = source[elements + j].
            int from = zip ? (i & 1) == 0 ? i >> 1 : elements + (i >> 1)
                           : i < elements ? 2 * i : 2 * (i - elements) + 1;
            Put(result, i, esize, Get(source, from, esize));
        }
        for (int r = 0; r < regs; r++)
        {
            fpu.D[d + r] = result[r];
            fpu.D[m + r] = result[regs + r];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Get(Span<ulong> words, int e, int esize)
    {
        int bit = e * esize;
        return Neon.Field(words[bit >> 6], bit & 63, esize, true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Span<ulong> words, int e, int esize, ulong value)
    {
        int bit = e * esize;
        words[bit >> 6] = Neon.Insert(words[bit >> 6], (bit & 63) / esize, esize, value);
    }

    /// <summary>VEXT: bytes imm4 upwards of Vm:Vn (Vn low); a D form with imm4&lt;3&gt; set is UNDEFINED.</summary>
    public static void Vext(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op), imm4 = (int)(op >> 8) & 0xF;
        bool q = Neon.Q(op);
        if ((q && ((d | n | m) & 1) != 0) || (!q && imm4 >= 8))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        if (!q)
        {
            UInt128 both = ((UInt128)fpu.D[m] << 64) | fpu.D[n];
            fpu.D[d] = (ulong)(both >> (8 * imm4));
            return;
        }
        ulong n0 = fpu.D[n], n1 = fpu.D[n + 1], m0 = fpu.D[m], m1 = fpu.D[m + 1];
        Span<ulong> words = [n0, n1, m0, m1];
        ulong r0 = 0, r1 = 0;
        for (int b = 0; b < 16; b++)
        {
            int from = b + imm4;
            ulong by = (words[from >> 3] >> (8 * (from & 7))) & 0xFF;
            if (b < 8) r0 |= by << (8 * b);
            else r1 |= by << (8 * (b - 8));
        }
        fpu.D[d] = r0;
        fpu.D[d + 1] = r1;
    }

    /// <summary>
    /// VTBL, VTBX: each byte of Dm indexes the table of len+1 D registers from Dn; an index past
    /// it gives 0 (VTBL, bit 6 = 0) or leaves Dd's byte (VTBX). A list past D31 is UNPREDICTABLE,
    /// UNDEFINED here.
    /// </summary>
    public static void Table(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), n = Neon.Vn(op), m = Neon.Vm(op), length = (int)((op >> 8) & 3) + 1;
        bool extension = (op & 0x40) != 0;
        if (n + length > 32)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        ulong indices = fpu.D[m], old = fpu.D[d], result = 0;
        for (int b = 0; b < 8; b++)
        {
            int index = (int)(indices >> (8 * b)) & 0xFF;
            ulong by = index < 8 * length
                ? (fpu.D[n + (index >> 3)] >> (8 * (index & 7))) & 0xFF
                : extension ? (old >> (8 * b)) & 0xFF : 0;
            result |= by << (8 * b);
        }
        fpu.D[d] = result;
    }

    /// <summary>VDUP (scalar): imm4 xxx1 picks a byte, xx10 a halfword, x100 a word; x000 is UNDEFINED.</summary>
    public static void DupScalar(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vd(op), m = Neon.Vm(op), imm4 = (int)(op >> 16) & 0xF;
        bool q = Neon.Q(op);
        if ((imm4 & 7) == 0 || (q && (d & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int esize = (imm4 & 1) != 0 ? 8 : (imm4 & 2) != 0 ? 16 : 32;
        int index = imm4 >> (esize == 8 ? 1 : esize == 16 ? 2 : 3);
        var fpu = cpu.Fpu;
        ulong v = Replicate(Neon.Elem(fpu, m, index, esize), esize);
        fpu.D[d] = v;
        if (q) fpu.D[d + 1] = v;
    }

    /// <summary>
    /// VDUP (ARM core register): cccc 1110 1BQ0 Vd Rt 1011 D0E1 0000; B:E 00 word, 01 halfword,
    /// 10 byte, 11 UNDEFINED. Conditional, in the coprocessor space (it is a cp11 MCR encoding).
    /// </summary>
    public static void DupCore(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int d = Neon.Vn(op), t = (int)(op >> 12) & 0xF;     // D:Vd sits where Vn does in other encodings
        bool q = (op & (1u << 21)) != 0;
        int be = (int)(((op >> 21) & 2) | ((op >> 5) & 1));
        if (be == 3 || (q && (d & 1) != 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int esize = be == 0 ? 32 : be == 1 ? 16 : 8;
        var fpu = cpu.Fpu;
        ulong v = Replicate(cpu.R[t], esize);
        fpu.D[d] = v;
        if (q) fpu.D[d + 1] = v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Replicate(ulong v, int esize) => esize switch
    {
        8 => (v & 0xFF) * 0x0101_0101_0101_0101UL,
        16 => (v & 0xFFFF) * 0x0001_0001_0001_0001UL,
        _ => (v & 0xFFFF_FFFF) * 0x0000_0001_0000_0001UL,
    };
}
