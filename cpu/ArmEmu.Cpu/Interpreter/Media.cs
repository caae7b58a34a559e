using System.Numerics;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv6 media instructions that are neither extends, reversals nor parallel arithmetic
/// (DDI 0406C A5.4): SEL (A8.8.151), PKHBT/PKHTB (A8.8.125), USAD8/USADA8 (A8.8.265/266).
/// </summary>
internal static class Media
{
    /// <summary>SEL: each byte from Rn where its GE bit is set, else from Rm.</summary>
    public static void Sel(Cpu cpu, int d, int n, int m)
    {
        uint ge = cpu.GE, mask = 0;
        for (int i = 0; i < 4; i++)
            if ((ge & (1u << i)) != 0) mask |= 0xFFu << (8 * i);
        cpu.WriteRegister(d, (cpu.R[n] & mask) | (cpu.R[m] & ~mask));
    }

    /// <summary>
    /// PKHBT (<paramref name="top"/> false): Rd = Rn[15:0] | (Rm LSL shift)[31:16];
    /// PKHTB (true): Rd = Rn[31:16] | (Rm ASR shift)[15:0], an ASR of 0 in the encoding meaning 32.
    /// </summary>
    public static void Pkh(Cpu cpu, int d, int n, int m, bool top, int shift)
    {
        uint rn = cpu.R[n], rm = cpu.R[m];
        uint result = top
            ? (rn & 0xFFFF_0000) | ((uint)((int)rm >> (shift == 0 ? 31 : shift)) & 0xFFFF)
            : (rn & 0xFFFF) | ((rm << shift) & 0xFFFF_0000);
        cpu.WriteRegister(d, result);
    }

    /// <summary>USAD8 (a = 15 means none) and USADA8: the sum of the absolute differences of the four bytes, plus Ra.</summary>
    public static void Usada8(Cpu cpu, int d, int n, int m, int a)
    {
        uint x = cpu.R[n], y = cpu.R[m], sum = 0;
        for (int i = 0; i < 32; i += 8)
            sum += (uint)Math.Abs((int)((x >> i) & 0xFF) - (int)((y >> i) & 0xFF));
        cpu.WriteRegister(d, a == 15 ? sum : sum + cpu.R[a]);
    }

    // SEL and PKH read their fields through the views generated from their rows' patterns.

    public static void SelA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.SelA1(op);
        Sel(cpu, f.d, f.n, f.m);
    }

    public static void PkhA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.PkhbtPkhtbA1(op); // t = tb, i = imm5
        Pkh(cpu, f.d, f.n, f.m, f.t, f.i);
    }

    // USAD8 A1 / USADA8 A1: cccc 0111 1000 Rd Ra Rm 0001 Rn (Ra = 1111: USAD8)
    public static void Usada8A1(Cpu cpu, uint op) =>
        Usada8(cpu, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 8) & 15, (int)(op >> 12) & 15);

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    public static void SelT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.SelT1(op);
        Sel(cpu, f.d, f.n, f.m);
    }

    public static void PkhT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.PkhbtPkhtbT1(op); // T = tb, i = imm3:imm2
        Pkh(cpu, f.d, f.n, f.m, f.T, f.i);
    }

    // USADA8/USAD8 T1: 11111 0110 111 Rn | Ra Rd 0000 Rm (Ra = 1111: USAD8)
    public static void Usada8T1(Cpu cpu, uint op) =>
        Usada8(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 12) & 15);
}
