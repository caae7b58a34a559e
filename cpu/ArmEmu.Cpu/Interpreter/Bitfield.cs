using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Bit-field instructions of ARMv6T2 (DDI 0406C A5.4 "Media instructions": BFC A8.8.14,
/// BFI A8.8.15, SBFX A8.8.164, UBFX A8.8.254). The cores take lsb and msb (or width) as
/// numbers. msb &lt; lsb, or lsb + width &gt; 32, is UNPREDICTABLE; QEMU (trans_BFCI,
/// trans_UBFX/SBFX) makes both UNDEFINED, as here.
/// </summary>
internal static class Bitfield
{
    /// <summary>BFC: clears Rd[msb:lsb].</summary>
    public static void Bfc(Cpu cpu, uint op, int d, int lsb, int msb)
    {
        if (msb < lsb)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        cpu.WriteRegister(d, cpu.R[d] & ~FieldMask(lsb, msb));
    }

    /// <summary>BFI: Rd[msb:lsb] = Rn[msb-lsb:0].</summary>
    public static void Bfi(Cpu cpu, uint op, int d, int n, int lsb, int msb)
    {
        if (msb < lsb)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint mask = FieldMask(lsb, msb);
        cpu.WriteRegister(d, (cpu.R[d] & ~mask) | ((cpu.R[n] << lsb) & mask));
    }

    /// <summary>UBFX: Rd = ZeroExtend(Rn[lsb+width-1:lsb]).</summary>
    public static void Ubfx(Cpu cpu, uint op, int d, int n, int lsb, int width)
    {
        if (lsb + width > 32)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint value = cpu.R[n] >> lsb;
        cpu.WriteRegister(d, width == 32 ? value : value & ((1u << width) - 1));
    }

    /// <summary>SBFX: Rd = SignExtend(Rn[lsb+width-1:lsb]).</summary>
    public static void Sbfx(Cpu cpu, uint op, int d, int n, int lsb, int width)
    {
        if (lsb + width > 32)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int shift = 32 - lsb - width;
        cpu.WriteRegister(d, (uint)((int)(cpu.R[n] << shift) >> (32 - width)));
    }

    // The encodings read their fields through the views generated from their rows' patterns
    // (ArmFields, Thumb32Fields: letter m = msb, l or T32's i (imm3:imm2) = lsb, w = widthm1).

    public static void BfcA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.BfcA1(op);
        Bfc(cpu, op, f.d, f.l, f.m);
    }

    public static void BfiA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.BfiA1(op);
        Bfi(cpu, op, f.d, f.n, f.l, f.m);
    }

    public static void UbfxA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.UbfxA1(op);
        Ubfx(cpu, op, f.d, f.n, f.l, f.w + 1);
    }

    public static void SbfxA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.SbfxA1(op);
        Sbfx(cpu, op, f.d, f.n, f.l, f.w + 1);
    }

    private static uint FieldMask(int lsb, int msb) => (uint)(((1ul << (msb + 1)) - 1) & ~((1ul << lsb) - 1));

    public static void BfcT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.BfcT1(op);
        Bfc(cpu, op, f.d, f.i, f.m);
    }

    public static void BfiT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.BfiT1(op);
        Bfi(cpu, op, f.d, f.n, f.i, f.m);
    }

    public static void UbfxT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.UbfxT1(op);
        Ubfx(cpu, op, f.d, f.n, f.i, f.w + 1);
    }

    public static void SbfxT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.SbfxT1(op);
        Sbfx(cpu, op, f.d, f.n, f.i, f.w + 1);
    }
}
