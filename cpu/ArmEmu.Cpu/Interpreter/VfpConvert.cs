using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// VFP compare and convert (DDI 0406C A8.8.301-A8.8.312): VCMP/VCMPE (register and #0.0),
/// VCVT between double and single, between floating point and integer (VCVT, VCVTR),
/// between floating point and fixed point, and VCVTB/VCVTT (half precision). None of these
/// take part in short vectors. Register fields: Sd = Vd:D, Dd = D:Vd, Sm = Vm:M, Dm = M:Vm.
/// </summary>
internal static class VfpConvert
{
    private static int SingleD(uint op) => (int)((op >> 11) & 0x1E | (op >> 22) & 1);
    private static int DoubleD(uint op) => (int)((op >> 18) & 0x10 | (op >> 12) & 0xF);
    private static int SingleM(uint op) => (int)((op << 1) & 0x1E | (op >> 5) & 1);
    private static int DoubleM(uint op) => (int)((op >> 1) & 0x10 | op & 0xF);

    /// <summary>The unit is enabled and every double register named exists; otherwise UNDEFINED (and false).</summary>
    private static bool Check(Cpu cpu, uint op, int doubleRegs)
    {
        var fpu = cpu.Fpu;
        if (!fpu.Enabled(cpu.IsPrivileged) || (doubleRegs & 0x10) != 0 && fpu.RegisterCount == 16)
        {
            cpu.RaiseUndefined(op);
            return false;
        }
        return true;
    }

    // VCMP{E}<c>.F32 <Sd>, <Sm>    VCMP{E}<c>.F32 <Sd>, #0.0    (and .F64 with D registers)
    // The result goes to FPSCR.NZCV; VMRS APSR_nzcv, FPSCR copies it to the CPSR.
    public static void Compare(Cpu cpu, uint op)
    {
        bool dp = (op & 0x100) != 0, withZero = (op & 0x10000) != 0, e = (op & 0x80) != 0;
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr, nzcv;
        if (dp)
        {
            int d = DoubleD(op), m = withZero ? 0 : DoubleM(op);
            if (!Check(cpu, op, d | m)) return;
            nzcv = SoftFloat.Compare(fpu.D[d], withZero ? 0 : fpu.D[m], e, FpFormat.Double, ref fpscr);
        }
        else
        {
            if (!Check(cpu, op, 0)) return;
            nzcv = SoftFloat.Compare(fpu.GetS(SingleD(op)), withZero ? 0 : fpu.GetS(SingleM(op)), e, FpFormat.Single, ref fpscr);
        }
        fpu.Fpscr = (fpscr & ~Fpscr.NzcvMask) | (nzcv << 28);
    }

    // VCVT<c>.F64.F32 <Dd>, <Sm>    VCVT<c>.F32.F64 <Sd>, <Dm>
    public static void DoubleSingle(Cpu cpu, uint op)
    {
        var fpu = cpu.Fpu;
        uint fpscr = fpu.Fpscr;
        if ((op & 0x100) != 0)
        {
            int m = DoubleM(op);
            if (!Check(cpu, op, m)) return;
            fpu.SetS(SingleD(op), (uint)SoftFloat.Convert(fpu.D[m], FpFormat.Double, FpFormat.Single, ref fpscr));
        }
        else
        {
            int d = DoubleD(op);
            if (!Check(cpu, op, d)) return;
            fpu.D[d] = SoftFloat.Convert(fpu.GetS(SingleM(op)), FpFormat.Single, FpFormat.Double, ref fpscr);
        }
        fpu.Fpscr = fpscr;
    }

    // VCVT{R}<c>.S32.F32 <Sd>, <Sm>   VCVT{R}<c>.U32.F64 <Sd>, <Dm> ...
    // Bit 16: signed; bit 7 (op): 1 rounds towards zero (VCVT), 0 by FPSCR.RMode (VCVTR).
    public static void ToInteger(Cpu cpu, uint op)
    {
        var fpu = cpu.Fpu;
        bool dp = (op & 0x100) != 0, unsigned = (op & 0x10000) == 0, rz = (op & 0x80) != 0;
        uint fpscr = fpu.Fpscr;
        ulong result;
        if (dp)
        {
            int m = DoubleM(op);
            if (!Check(cpu, op, m)) return;
            result = SoftFloat.ToFixed(fpu.D[m], FpFormat.Double, 32, 0, unsigned, rz, ref fpscr);
        }
        else
        {
            if (!Check(cpu, op, 0)) return;
            result = SoftFloat.ToFixed(fpu.GetS(SingleM(op)), FpFormat.Single, 32, 0, unsigned, rz, ref fpscr);
        }
        fpu.SetS(SingleD(op), (uint)result);
        fpu.Fpscr = fpscr;
    }

    // VCVT<c>.F32.S32 <Sd>, <Sm>   VCVT<c>.F64.U32 <Dd>, <Sm> ...   Bit 7: signed. Rounds by FPSCR.
    public static void FromInteger(Cpu cpu, uint op)
    {
        var fpu = cpu.Fpu;
        bool dp = (op & 0x100) != 0, unsigned = (op & 0x80) == 0;
        uint fpscr = fpu.Fpscr;
        uint source = fpu.GetS(SingleM(op));
        if (dp)
        {
            int d = DoubleD(op);
            if (!Check(cpu, op, d)) return;
            fpu.D[d] = SoftFloat.FromFixed(source, 32, 0, unsigned, FpFormat.Double, ref fpscr);
        }
        else
        {
            if (!Check(cpu, op, 0)) return;
            fpu.SetS(SingleD(op), (uint)SoftFloat.FromFixed(source, 32, 0, unsigned, FpFormat.Single, ref fpscr));
        }
        fpu.Fpscr = fpscr;
    }

    // VCVT<c>.<Td>.F32 <Sd>, <Sd>, #<fbits>  and back (VFPv3): bit 18 (op) converts to fixed
    // point (always rounding towards zero), else from it (by FPSCR.RMode); bit 16 unsigned;
    // bit 7 (sx) a 32-bit rather than 16-bit fixed-point value; imm4:i is size - fbits. A
    // 16-bit result is sign- or zero-extended into the register.
    public static void FixedPoint(Cpu cpu, uint op)
    {
        var fpu = cpu.Fpu;
        bool dp = (op & 0x100) != 0, toFixed = (op & 0x40000) != 0, unsigned = (op & 0x10000) != 0;
        int size = (op & 0x80) != 0 ? 32 : 16;
        int fracBits = size - (int)((op & 0xF) << 1 | (op >> 5) & 1);
        int d = dp ? DoubleD(op) : SingleD(op);
        // A negative fraction width is UNPREDICTABLE; UNDEFINED here.
        if (!Check(cpu, op, dp ? d : 0)) return;
        if (fracBits < 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint fpscr = fpu.Fpscr;
        var f = dp ? FpFormat.Double : FpFormat.Single;
        ulong value = dp ? fpu.D[d] : fpu.GetS(d);
        ulong result;
        if (toFixed)
        {
            result = SoftFloat.ToFixed(value, f, size, fracBits, unsigned, true, ref fpscr);
            if (!unsigned && size == 16) result = (ulong)(long)(short)result;
            else if (!unsigned) result = (ulong)(long)(int)result;
        }
        else
        {
            result = SoftFloat.FromFixed(value, size, fracBits, unsigned, f, ref fpscr);
        }
        if (dp) fpu.D[d] = result;
        else fpu.SetS(d, (uint)result);
        fpu.Fpscr = fpscr;
    }

    // VCVTB<c>.F32.F16 <Sd>, <Sm>  VCVTT<c>.F16.F32 <Sd>, <Sm> ...: bit 16 (op) converts single
    // to half, else half to single; bit 7 (T) uses the top half of the half-precision register.
    public static void Half(Cpu cpu, uint op)
    {
        if (!Check(cpu, op, 0)) return;
        var fpu = cpu.Fpu;
        bool toHalf = (op & 0x10000) != 0;
        int shift = (op & 0x80) != 0 ? 16 : 0;
        uint fpscr = fpu.Fpscr;
        int d = SingleD(op);
        uint m = fpu.GetS(SingleM(op));
        if (toHalf)
        {
            uint half = (uint)SoftFloat.Convert(m, FpFormat.Single, FpFormat.Half, ref fpscr);
            fpu.SetS(d, (fpu.GetS(d) & ~(0xFFFFu << shift)) | (half << shift));
        }
        else
        {
            fpu.SetS(d, (uint)SoftFloat.Convert((m >> shift) & 0xFFFF, FpFormat.Half, FpFormat.Single, ref fpscr));
        }
        fpu.Fpscr = fpscr;
    }
}
