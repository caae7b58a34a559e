using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Neon;

/// <summary>
/// "Two registers and a scalar" (DDI 0406C A7.4.3): VMLA, VMLS, VMUL (integer and F32),
/// VMLAL, VMLSL, VMULL, VQDMLAL, VQDMLSL, VQDMULL, VQDMULH, VQRDMULH by scalar (A8.8.338,
/// A8.8.352, A8.8.373, A8.8.377...). The scalar is Dm[x]: for 16-bit elements m = Vm&lt;2:0&gt;
/// and x = M:Vm&lt;3&gt;, for 32-bit m = Vm&lt;3:0&gt; and x = M; 8-bit is UNDEFINED. It is
/// replicated across a register and the same-length and long cores do the rest. Bit 24 is Q
/// for the same-length forms and U for the long ones.
/// </summary>
[SkipLocalsInit]
internal static class NeonScalar
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scalar(Cpu cpu, uint op, int size, out ulong replicated)
    {
        replicated = 0;
        if (size is 0 or 3) return false;
        int vm = (int)(op & 0xF), mBit = (int)(op >> 5) & 1;
        ulong v;
        if (size == 1)
        {
            v = Neon.Elem(cpu.Fpu, vm & 7, (mBit << 1) | (vm >> 3), 16);
            replicated = v * 0x0001_0001_0001_0001UL;
        }
        else
        {
            v = Neon.Elem(cpu.Fpu, vm, mBit, 32);
            replicated = v | (v << 32);
        }
        return true;
    }

    /// <summary>The same-length integer forms (VMLA, VMLS, VMUL, VQDMULH, VQRDMULH by scalar).</summary>
    public static void Integer<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp => Same<TOp>(cpu, op, isFloat: false);

    /// <summary>The F32 forms (VMLA, VMLS, VMUL by scalar, F = 1): size 10 only, Standard FPSCR.</summary>
    public static void Float<TOp>(Cpu cpu, uint op) where TOp : struct, INeonBinaryOp => Same<TOp>(cpu, op, isFloat: true);

    private static void Same<TOp>(Cpu cpu, uint op, bool isFloat) where TOp : struct, INeonBinaryOp
    {
        if (NeonLong.OtherClass(cpu, op) || !Neon.Enabled(cpu, op)) return;
        int size = Neon.Size(op), d = Neon.Vd(op), n = Neon.Vn(op);
        bool q = Neon.U(op); // the Q bit sits where the other classes have U
        if ((isFloat ? size != 2 : ((TOp.Sizes >> size) & 1) == 0) || (q && ((d | n) & 1) != 0)
            || !Scalar(cpu, op, size, out ulong scalar))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var fpu = cpu.Fpu;
        uint fpscr = isFloat ? Neon.StandardFpscr(fpu) : fpu.Fpscr;
        for (int r = 0; r < (q ? 2 : 1); r++)
            fpu.D[d + r] = size == 1
                ? NeonThreeSame.Lanes<TOp, E16>(fpu.D[n + r], scalar, fpu.D[d + r], false, ref fpscr)
                : NeonThreeSame.Lanes<TOp, E32>(fpu.D[n + r], scalar, fpu.D[d + r], false, ref fpscr);
        if (isFloat) Neon.MergeFlags(fpu, fpscr);
        else fpu.Fpscr = fpscr;
    }

    /// <summary>The long forms (VMLAL, VMLSL, VMULL, VQDMLAL, VQDMLSL, VQDMULL by scalar): Qd from Dn and the scalar.</summary>
    public static void Long<TOp>(Cpu cpu, uint op) where TOp : struct, INeonLongOp
    {
        if (NeonLong.OtherClass(cpu, op) || !Neon.Enabled(cpu, op)) return;
        int size = Neon.Size(op), d = Neon.Vd(op), n = Neon.Vn(op);
        if (((TOp.Sizes >> size) & 1) == 0 || (d & 1) != 0 || !Scalar(cpu, op, size, out ulong scalar))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        NeonLong.Apply<TOp>(cpu.Fpu, d, n, scalar, 8 << size, wide: false, Neon.U(op));
    }
}
