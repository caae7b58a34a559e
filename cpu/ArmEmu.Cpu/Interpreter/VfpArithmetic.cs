using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>One VFP data-processing operation, on singles and on doubles (the sz bit picks).</summary>
internal interface IVfpOperation
{
    /// <summary>The new value of the destination from its old value and the operands.</summary>
    static abstract uint Single(uint d, uint n, uint m, ref uint fpscr);

    static abstract ulong Double(ulong d, ulong n, ulong m, ref uint fpscr);

    /// <summary>Fused multiply-accumulate: UNDEFINED with a nonzero vector length or stride (QEMU's choice for v7's UNPREDICTABLE).</summary>
    static abstract bool Fused { get; }

    /// <summary>True for the one-operand operations, whose N:Vn bits are part of the opcode, not a register.</summary>
    static abstract bool Unary { get; }
}

internal struct VAdd : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Add32(n, m, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Add64(n, m, ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

internal struct VSub : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Sub32(n, m, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Sub64(n, m, ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

internal struct VMul : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Mul32(n, m, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Mul64(n, m, ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

internal struct VDiv : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Div32(n, m, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Div64(n, m, ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

/// <summary>VNMUL: FPNeg(FPMul(n, m)).</summary>
internal struct VNmul : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Mul32(n, m, ref f) ^ 0x8000_0000u;
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Mul64(n, m, ref f) ^ (1UL << 63);

    public static bool Fused => false;

    public static bool Unary => false;
}

/// <summary>VMLA (chained): FPAdd(d, FPMul(n, m)), two roundings.</summary>
internal struct VMla : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Add32(d, SoftFloat.Mul32(n, m, ref f), ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Add64(d, SoftFloat.Mul64(n, m, ref f), ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

/// <summary>VMLS: FPAdd(d, FPNeg(FPMul(n, m))).</summary>
internal struct VMls : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Add32(d, SoftFloat.Mul32(n, m, ref f) ^ 0x8000_0000u, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Add64(d, SoftFloat.Mul64(n, m, ref f) ^ (1UL << 63), ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

/// <summary>VNMLA: FPAdd(FPNeg(d), FPNeg(FPMul(n, m))).</summary>
internal struct VNmla : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) =>
        SoftFloat.Add32(d ^ 0x8000_0000u, SoftFloat.Mul32(n, m, ref f) ^ 0x8000_0000u, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) =>
        SoftFloat.Add64(d ^ (1UL << 63), SoftFloat.Mul64(n, m, ref f) ^ (1UL << 63), ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

/// <summary>VNMLS: FPAdd(FPNeg(d), FPMul(n, m)).</summary>
internal struct VNmls : IVfpOperation
{
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Add32(d ^ 0x8000_0000u, SoftFloat.Mul32(n, m, ref f), ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Add64(d ^ (1UL << 63), SoftFloat.Mul64(n, m, ref f), ref f);

    public static bool Fused => false;

    public static bool Unary => false;
}

/// <summary>VFMA: FPMulAdd(d, n, m), one rounding.</summary>
internal struct VFma : IVfpOperation
{
    public static bool Fused => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => (uint)SoftFloat.MulAdd(d, n, m, FpFormat.Single, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.MulAdd(d, n, m, FpFormat.Double, ref f);

    public static bool Unary => false;
}

/// <summary>VFMS: FPMulAdd(d, FPNeg(n), m).</summary>
internal struct VFms : IVfpOperation
{
    public static bool Fused => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => (uint)SoftFloat.MulAdd(d, n ^ 0x8000_0000u, m, FpFormat.Single, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.MulAdd(d, n ^ (1UL << 63), m, FpFormat.Double, ref f);

    public static bool Unary => false;
}

/// <summary>VFNMA: FPMulAdd(FPNeg(d), FPNeg(n), m).</summary>
internal struct VFnma : IVfpOperation
{
    public static bool Fused => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) =>
        (uint)SoftFloat.MulAdd(d ^ 0x8000_0000u, n ^ 0x8000_0000u, m, FpFormat.Single, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) =>
        SoftFloat.MulAdd(d ^ (1UL << 63), n ^ (1UL << 63), m, FpFormat.Double, ref f);

    public static bool Unary => false;
}

/// <summary>VFNMS: FPMulAdd(FPNeg(d), n, m).</summary>
internal struct VFnms : IVfpOperation
{
    public static bool Fused => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => (uint)SoftFloat.MulAdd(d ^ 0x8000_0000u, n, m, FpFormat.Single, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.MulAdd(d ^ (1UL << 63), n, m, FpFormat.Double, ref f);

    public static bool Unary => false;
}

// The one-operand operations (n is unused).
internal struct VMovRegister : IVfpOperation
{
    public static bool Unary => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => m;
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => m;

    public static bool Fused => false;
}

internal struct VAbs : IVfpOperation
{
    public static bool Unary => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => m & 0x7FFF_FFFFu;
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => m & ~(1UL << 63);

    public static bool Fused => false;
}

internal struct VNeg : IVfpOperation
{
    public static bool Unary => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => m ^ 0x8000_0000u;
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => m ^ (1UL << 63);

    public static bool Fused => false;
}

internal struct VSqrt : IVfpOperation
{
    public static bool Unary => true;
    public static uint Single(uint d, uint n, uint m, ref uint f) => SoftFloat.Sqrt32(m, ref f);
    public static ulong Double(ulong d, ulong n, ulong m, ref uint f) => SoftFloat.Sqrt64(m, ref f);

    public static bool Fused => false;
}

/// <summary>
/// The VFP data-processing instructions that take part in short vectors (DDI 0406C A7.5,
/// "VFP data-processing instructions", and A2.6.2 / the FPSCR.LEN and STRIDE description):
/// VADD, VSUB, VMUL, VDIV, VNMUL, VMLA, VMLS, VNMLA, VNMLS, VFMA, VFMS, VFNMA, VFNMS, VMOV
/// (register and immediate), VABS, VNEG, VSQRT. Fields: D:Vd / Vd:D (bits 22, 15:12),
/// N:Vn / Vn:N (7, 19:16), M:Vm / Vm:M (5, 3:0); sz (bit 8) selects double precision.
///
/// Short vectors: with FPSCR.LEN = 0 every operation is scalar. Otherwise, a destination in
/// the first bank (S0-S7, D0-D3) still means a scalar operation; any other destination makes
/// LEN+1 operations, the destination and first operand stepping by the stride within their
/// bank of 8 singles or 4 doubles (wrapping round inside it), the second operand stepping too
/// unless it is in the first bank (then it is reused: "mixed" vector/scalar). STRIDE 00 is 1
/// and 11 is 2; 01 and 10 are UNPREDICTABLE and here, as QEMU's double-precision code
/// does, 1 and 2. QEMU 7.2's single-precision code steps by STRIDE+1 (so 11 gives 4); this
/// follows the manual instead.
/// </summary>
[SkipLocalsInit]
internal static class VfpArithmetic
{
    public static void Execute<TOp>(Cpu cpu, uint op) where TOp : struct, IVfpOperation =>
        Run<TOp>(cpu, op, 0, 0, immediate: false);

    // VMOV<c>.F32 <Sd>, #<imm> / VMOV<c>.F64 <Dd>, #<imm> (VFPv3): VFPExpandImm of imm4H:imm4L.
    public static void MovImmediate(Cpu cpu, uint op)
    {
        uint imm8 = ((op >> 12) & 0xF0) | (op & 0xF);
        uint sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, low = imm8 & 0x3F;
        uint single = (sign << 31) | (b6 != 0 ? 0x3E00_0000u : 0x4000_0000u) | (low << 19);
        ulong dbl = ((ulong)sign << 63) | (b6 != 0 ? 0x3FC0_0000_0000_0000UL : 0x4000_0000_0000_0000UL) | ((ulong)low << 48);
        Run<VMovRegister>(cpu, op, single, dbl, immediate: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TOp>(Cpu cpu, uint op, uint immSingle, ulong immDouble, bool immediate)
        where TOp : struct, IVfpOperation
    {
        var fpu = cpu.Fpu;
        if (!fpu.Enabled(cpu.IsPrivileged))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        bool dp = (op & 0x100) != 0;
        int d, n, m;
        if (dp)
        {
            d = (int)((op >> 18) & 0x10 | (op >> 12) & 0xF);
            n = (int)((op >> 3) & 0x10 | (op >> 16) & 0xF);
            m = (int)((op >> 1) & 0x10 | op & 0xF);
            // D16-D31 on a model with 16 registers: UNDEFINED (only the fields the operation uses;
            // VMOV immediate's imm4L sits in Vm with M fixed to 0).
            if (((d | (TOp.Unary ? 0 : n) | m) & 0x10) != 0 && fpu.RegisterCount == 16)
            {
                cpu.RaiseUndefined(op);
                return;
            }
        }
        else
        {
            d = (int)((op >> 11) & 0x1E | (op >> 22) & 1);
            n = (int)((op >> 15) & 0x1E | (op >> 7) & 1);
            m = (int)((op << 1) & 0x1E | (op >> 5) & 1);
        }

        uint fpscr = fpu.Fpscr;
        int len = (int)(fpscr >> Fpscr.LenShift) & 7;
        int strideField = (int)(fpscr >> Fpscr.StrideShift) & 3;
        if ((len | strideField) != 0 && (!fpu.HasShortVectors || TOp.Fused))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int bank = dp ? 3 : 7;              // the index bits inside a bank
        int iterations = 1, delta = 0, deltaM = 0;
        int firstBank = dp ? 0xC : 0x18;   // index bits that are zero in the first (scalar) bank
        if (len != 0 && (d & firstBank) != 0)
        {
            iterations = len + 1;
            delta = (strideField >> 1) + 1;
            deltaM = (m & firstBank) == 0 ? 0 : delta;
        }

        for (int i = 0; ; i++)
        {
            if (dp)
            {
                ulong mv = immediate ? immDouble : fpu.D[m];
                fpu.D[d] = TOp.Double(fpu.D[d], fpu.D[n], mv, ref fpscr);
            }
            else
            {
                uint mv = immediate ? immSingle : fpu.GetS(m);
                fpu.SetS(d, TOp.Single(fpu.GetS(d), fpu.GetS(n), mv, ref fpscr));
            }
            if (i + 1 >= iterations) break;
            d = (d & ~bank) | ((d + delta) & bank);
            n = (n & ~bank) | ((n + delta) & bank);
            m = (m & ~bank) | ((m + deltaM) & bank);
        }
        fpu.Fpscr = fpscr;
    }
}
