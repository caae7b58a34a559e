namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Bit-field instructions of ARMv6T2 (DDI 0406C A5.4 "Media instructions": BFC A8.8.14,
/// BFI A8.8.15, SBFX A8.8.164, UBFX A8.8.254). The cores take lsb and msb (or width) as
/// numbers. msb &lt; lsb, or lsb + width &gt; 32, is UNPREDICTABLE; QEMU (trans_BFCI,
/// trans_UBFX/SBFX) makes both UNDEFINED, as here.
/// </summary>
public static class Bitfield
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

    // BFC A1: cccc 0111 110 msb Rd lsb 001 1111
    public static void BfcA1(Cpu cpu, uint op) => Bfc(cpu, op, (int)(op >> 12) & 15, (int)(op >> 7) & 31, (int)(op >> 16) & 31);

    // BFI A1: cccc 0111 110 msb Rd lsb 001 Rn (Rn != 1111)
    public static void BfiA1(Cpu cpu, uint op) =>
        Bfi(cpu, op, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 7) & 31, (int)(op >> 16) & 31);

    // UBFX A1: cccc 0111 111 widthm1 Rd lsb 101 Rn
    public static void UbfxA1(Cpu cpu, uint op) =>
        Ubfx(cpu, op, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 7) & 31, ((int)(op >> 16) & 31) + 1);

    // SBFX A1: cccc 0111 101 widthm1 Rd lsb 101 Rn
    public static void SbfxA1(Cpu cpu, uint op) =>
        Sbfx(cpu, op, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 7) & 31, ((int)(op >> 16) & 31) + 1);

    private static uint FieldMask(int lsb, int msb) => (uint)(((1ul << (msb + 1)) - 1) & ~((1ul << lsb) - 1));

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    private static int Lsb(uint op) => (int)(((op >> 10) & 0x1C) | ((op >> 6) & 3));

    // BFC T1: 11110 0 11 011 0 1111 | 0 imm3 Rd imm2 0 msb
    public static void BfcT1(Cpu cpu, uint op) => Bfc(cpu, op, (int)(op >> 8) & 15, Lsb(op), (int)op & 31);

    // BFI T1: 11110 0 11 011 0 Rn | 0 imm3 Rd imm2 0 msb (Rn != 1111)
    public static void BfiT1(Cpu cpu, uint op) => Bfi(cpu, op, (int)(op >> 8) & 15, (int)(op >> 16) & 15, Lsb(op), (int)op & 31);

    // UBFX T1: 11110 0 11 110 0 Rn | 0 imm3 Rd imm2 0 widthm1
    public static void UbfxT1(Cpu cpu, uint op) => Ubfx(cpu, op, (int)(op >> 8) & 15, (int)(op >> 16) & 15, Lsb(op), ((int)op & 31) + 1);

    // SBFX T1: 11110 0 11 010 0 Rn | 0 imm3 Rd imm2 0 widthm1
    public static void SbfxT1(Cpu cpu, uint op) => Sbfx(cpu, op, (int)(op >> 8) & 15, (int)(op >> 16) & 15, Lsb(op), ((int)op & 31) + 1);
}
