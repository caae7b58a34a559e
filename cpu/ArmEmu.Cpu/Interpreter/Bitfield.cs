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

    // One handler per instruction for A1 and T1: each reads the fields through its encoding's view
    // (generated from the row's pattern; Decoding/FieldView.cs maps its letters onto the names).

    public static void Bfc<TFields>(Cpu cpu, uint op) where TFields : struct, IBitfieldInsertFields<TFields>
    {
        var f = TFields.Of(op);
        Bfc(cpu, op, f.Rd, f.Lsb, f.Msb);
    }

    public static void Bfi<TFields>(Cpu cpu, uint op) where TFields : struct, IBitfieldInsertFields<TFields>
    {
        var f = TFields.Of(op);
        Bfi(cpu, op, f.Rd, f.Rn, f.Lsb, f.Msb);
    }

    public static void Ubfx<TFields>(Cpu cpu, uint op) where TFields : struct, IBitfieldExtractFields<TFields>
    {
        var f = TFields.Of(op);
        Ubfx(cpu, op, f.Rd, f.Rn, f.Lsb, f.WidthMinus1 + 1);
    }

    public static void Sbfx<TFields>(Cpu cpu, uint op) where TFields : struct, IBitfieldExtractFields<TFields>
    {
        var f = TFields.Of(op);
        Sbfx(cpu, op, f.Rd, f.Rn, f.Lsb, f.WidthMinus1 + 1);
    }

    private static uint FieldMask(int lsb, int msb) => (uint)(((1ul << (msb + 1)) - 1) & ~((1ul << lsb) - 1));
}

/// <summary>The fields of BFC and BFI as the manual's pseudocode names them (d, n, lsbit, msbit).</summary>
internal interface IBitfieldInsertFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IBitfieldInsertFields<TSelf>
{
    int Rd { get; }

    /// <summary>BFI's source; 15 for BFC, which the manual encodes as BFI with Rn = 1111.</summary>
    int Rn { get; }

    int Lsb { get; }

    int Msb { get; }
}

/// <summary>The fields of UBFX and SBFX as the manual's pseudocode names them (d, n, lsbit, widthminus1).</summary>
internal interface IBitfieldExtractFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IBitfieldExtractFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    int Lsb { get; }

    int WidthMinus1 { get; }
}
