namespace ArmEmu.Cpu.Tests;

/// <summary>
/// Multiplies (ARM ARM A3.5): MUL/MLA, the 64-bit UMULL/UMLAL/SMULL/SMLAL, and the
/// v5TE halfword multiplies with their Q flag.
/// </summary>
public class MultiplyTests
{
    // With S only N and Z change: C and V come in set and must survive (ARMv5: "unaffected").
    [Theory]
    [InlineData(0u, 0u, 0u, "nZCV")]
    [InlineData(1u, 1u, 1u, "nzCV")]
    [InlineData(0x7FFF_FFFFu, 0x7FFF_FFFFu, 1u, "nzCV")]            // 0x3FFFFFFF_00000001
    [InlineData(0x8000_0000u, 0x8000_0000u, 0u, "nZCV")]            // 0x40000000_00000000: Z from the low word only
    [InlineData(0xFFFF_FFFFu, 0xFFFF_FFFFu, 1u, "nzCV")]
    [InlineData(0x8000_0000u, 1u, 0x8000_0000u, "NzCV")]
    [InlineData(0xFFFF_FFFFu, 0x7FFF_FFFFu, 0x8000_0001u, "NzCV")]
    [InlineData(0x0001_0000u, 0x0001_0000u, 0u, "nZCV")]
    public void Muls(uint a, uint b, uint result, string flags)
    {
        using var h = CpuHarness.Run("muls r2, r0, r1", s => { s.Cpu.R[0] = a; s.Cpu.R[1] = b; s.Cpu.C = s.Cpu.V = true; });
        Assert.Equal(result, h[2]);
        Assert.Equal(flags, h.Flags);
    }

    [Fact]
    public void MulsLeavesClearCarryAndOverflowClear()
    {
        using var h = CpuHarness.Run("muls r2, r0, r1", s => { s.Cpu.R[0] = 0xFFFF_FFFF; s.Cpu.R[1] = 0xFFFF_FFFF; s.Cpu.V = false; });
        Assert.Equal("nzcv", h.Flags);
    }

    [Fact]
    public void MulWithoutSLeavesFlags()
    {
        using var h = CpuHarness.Run("mul r2, r0, r1", s => { s.Cpu.R[0] = 0; s.Cpu.R[1] = 5; s.Cpu.N = true; });
        Assert.Equal(0u, h[2]);
        Assert.Equal("Nzcv", h.Flags);
    }

    [Fact]
    public void MulOperandFields()
    {
        // MUL's Rd is bits 19:16 and Rs bits 11:8; a mix-up would write the wrong register.
        using var h = CpuHarness.Run("mul r5, r3, r7", s => { s.Cpu.R[3] = 6; s.Cpu.R[7] = 7; s.Cpu.R[0] = 0x55; });
        Assert.Equal(42u, h[5]);
        Assert.Equal(0x55u, h[0]);
    }

    // Rd == Rm is UNPREDICTABLE before ARMv6; QEMU reads every operand first and writes the product.
    [Fact]
    public void MulRdEqualsRmWritesProduct()
    {
        using var h = CpuHarness.Run("mul r0, r0, r1", s => { s.Cpu.R[0] = 0x1234; s.Cpu.R[1] = 0x10; });
        Assert.Equal(0x12340u, h[0]);
    }

    [Theory]
    [InlineData(2u, 3u, 4u, 10u, "nzCV")]
    [InlineData(0xFFFF_FFFFu, 1u, 1u, 0u, "nZCV")]                  // wraps to zero
    [InlineData(0x7FFF_FFFFu, 1u, 1u, 0x8000_0000u, "NzCV")]        // no V, unlike ADDS
    [InlineData(0x8000_0000u, 0x8000_0000u, 0xFFFF_FFFFu, 0xFFFF_FFFFu, "NzCV")]
    [InlineData(0u, 0u, 0u, 0u, "nZCV")]
    public void Mlas(uint a, uint b, uint acc, uint result, string flags)
    {
        using var h = CpuHarness.Run("mlas r3, r0, r1, r2", s =>
        {
            s.Cpu.R[0] = a;
            s.Cpu.R[1] = b;
            s.Cpu.R[2] = acc;
            s.Cpu.C = s.Cpu.V = true;
        });
        Assert.Equal(result, h[3]);
        Assert.Equal(flags, h.Flags);
    }

    // Long multiplies: r0 = RdLo, r1 = RdHi (in as the accumulator), r2 = Rm, r3 = Rs.
    // Z is set only when all 64 bits are zero, N is bit 63, C and V survive.
    [Theory]
    [InlineData("umulls", 0u, 0xFFFF_FFFFu, 0u, 0u, 0u, 0u, "nZCV")]
    [InlineData("umulls", 1u, 1u, 0u, 0u, 1u, 0u, "nzCV")]
    [InlineData("umulls", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0u, 0u, 1u, 0xFFFF_FFFEu, "NzCV")]
    [InlineData("umulls", 0x8000_0000u, 2u, 0u, 0u, 0u, 1u, "nzCV")]                      // low word 0, yet not Z
    [InlineData("umulls", 0x8000_0000u, 0x8000_0000u, 0u, 0u, 0u, 0x4000_0000u, "nzCV")]
    [InlineData("umulls", 0x7FFF_FFFFu, 0x7FFF_FFFFu, 0u, 0u, 1u, 0x3FFF_FFFFu, "nzCV")]
    [InlineData("umlals", 1u, 1u, 0xFFFF_FFFFu, 0u, 0u, 1u, "nzCV")]                      // carry into RdHi
    [InlineData("umlals", 1u, 1u, 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0u, 0u, "nZCV")]            // 64-bit wrap
    [InlineData("umlals", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0u, 0xFFFF_FFFEu, "NzCV")]
    [InlineData("umlals", 0u, 0u, 0u, 0x8000_0000u, 0u, 0x8000_0000u, "NzCV")]
    [InlineData("smulls", 0xFFFF_FFFFu, 1u, 0u, 0u, 0xFFFF_FFFFu, 0xFFFF_FFFFu, "NzCV")]
    [InlineData("smulls", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 0u, 0u, 1u, 0u, "nzCV")]
    [InlineData("smulls", 0x8000_0000u, 0x8000_0000u, 0u, 0u, 0u, 0x4000_0000u, "nzCV")]
    [InlineData("smulls", 0x7FFF_FFFFu, 0x8000_0000u, 0u, 0u, 0x8000_0000u, 0xC000_0000u, "NzCV")]
    [InlineData("smulls", 0x7FFF_FFFFu, 0x7FFF_FFFFu, 0u, 0u, 1u, 0x3FFF_FFFFu, "nzCV")]
    [InlineData("smulls", 0u, 0x8000_0000u, 0u, 0u, 0u, 0u, "nZCV")]
    [InlineData("smlals", 0xFFFF_FFFFu, 1u, 0u, 0u, 0xFFFF_FFFFu, 0xFFFF_FFFFu, "NzCV")]
    [InlineData("smlals", 0xFFFF_FFFFu, 1u, 1u, 0u, 0u, 0u, "nZCV")]                      // -1 + 1: borrow through RdHi
    [InlineData("smlals", 1u, 1u, 0xFFFF_FFFFu, 0x7FFF_FFFFu, 0u, 0x8000_0000u, "NzCV")]  // signed 64-bit wrap, no V
    [InlineData("smlals", 0x8000_0000u, 0x8000_0000u, 0u, 0xC000_0000u, 0u, 0u, "nZCV")]
    public void LongMultiplies(string insn, uint rm, uint rs, uint lo, uint hi, uint resultLo, uint resultHi, string flags)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2, r3", s =>
        {
            s.Cpu.R[0] = lo;
            s.Cpu.R[1] = hi;
            s.Cpu.R[2] = rm;
            s.Cpu.R[3] = rs;
            s.Cpu.C = s.Cpu.V = true;
        });
        Assert.Equal(resultLo, h[0]);
        Assert.Equal(resultHi, h[1]);
        Assert.Equal(flags, h.Flags);
    }

    [Theory]
    [InlineData("umull")]
    [InlineData("umlal")]
    [InlineData("smull")]
    [InlineData("smlal")]
    public void LongMultiplyWithoutSLeavesFlags(string insn)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2, r3", s => { s.Cpu.R[2] = 0; s.Cpu.R[3] = 0; s.Cpu.N = true; });
        Assert.Equal(0u, h[0]);
        Assert.Equal("Nzcv", h.Flags);
    }

    // RdHi == RdLo is UNPREDICTABLE. QEMU (op_mlal) writes RdLo, then RdHi: the register keeps the high word.
    [Theory]
    [InlineData("umull r0, r0, r2, r3", 0xFFFF_FFFEu)]   // 0xFFFFFFFE_00000001
    [InlineData("smull r0, r0, r2, r3", 0u)]             // 0x00000000_00000001
    [InlineData("umlal r0, r0, r2, r3", 3u)]             // acc = r0:r0 = 0x00000005_00000005, + 0xFFFFFFFE_00000001
    public void LongMultiplyRdHiEqualsRdLoKeepsHighWord(string source, uint expected)
    {
        using var h = CpuHarness.Run(source, s => { s.Cpu.R[0] = 5; s.Cpu.R[2] = 0xFFFF_FFFF; s.Cpu.R[3] = 0xFFFF_FFFF; });
        Assert.Equal(expected, h[0]);
    }

    // ---- v5TE halfword multiplies ---------------------------------------------------------

    // Rm = 0x0003_FFFE (top 3, bottom -2), Rs = 0x0005_0007 (top 5, bottom 7): each x/y pair gives a different product.
    [Theory]
    [InlineData("smulbb", 0x0003_FFFEu, 0x0005_0007u, 0xFFFF_FFF2u)]  // -2 * 7
    [InlineData("smulbt", 0x0003_FFFEu, 0x0005_0007u, 0xFFFF_FFF6u)]  // -2 * 5
    [InlineData("smultb", 0x0003_FFFEu, 0x0005_0007u, 21u)]           // 3 * 7
    [InlineData("smultt", 0x0003_FFFEu, 0x0005_0007u, 15u)]           // 3 * 5
    [InlineData("smulbb", 0x0000_8000u, 0x0000_8000u, 0x4000_0000u)]  // the one product that reaches 2^30
    [InlineData("smultt", 0x7FFF_0000u, 0x8000_0000u, 0xC000_8000u)]  // 0x7FFF * -0x8000
    [InlineData("smulbb", 0xFFFF_FFFFu, 0xFFFF_FFFFu, 1u)]
    [InlineData("smulbb", 0x8000_0000u, 0x7FFF_FFFFu, 0u)]            // bottom halves 0 and -1
    public void Smulxy(string insn, uint rm, uint rs, uint result)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2", s => { s.Cpu.R[1] = rm; s.Cpu.R[2] = rs; s.Cpu.Z = true; });
        Assert.Equal(result, h[0]);
        Assert.False(h.Cpu.Q);
        Assert.Equal("nZcv", h.Flags);
    }

    // SMLA<x><y>: Q is set when the accumulation overflows; the result wraps.
    [Theory]
    [InlineData("smlabb", 0x0003_FFFEu, 0x0005_0007u, 100u, 86u, false)]
    [InlineData("smlatt", 0x0003_FFFEu, 0x0005_0007u, 0xFFFF_FFFFu, 14u, false)]
    [InlineData("smlabt", 0x0003_FFFEu, 0x0005_0007u, 0u, 0xFFFF_FFF6u, false)]
    [InlineData("smlatb", 0x0003_FFFEu, 0x0005_0007u, 0u, 21u, false)]
    [InlineData("smlabb", 0x0000_8000u, 0x0000_8000u, 0x4000_0000u, 0x8000_0000u, true)]    // 2^30 + 2^30
    [InlineData("smlabb", 0x0000_8000u, 0x0000_8000u, 0x3FFF_FFFFu, 0x7FFF_FFFFu, false)]   // just fits
    [InlineData("smlatt", 0x8000_0000u, 0x7FFF_0000u, 0x8000_0000u, 0x4000_8000u, true)]    // negative overflow
    [InlineData("smlabb", 0x0000_0001u, 0x0000_FFFFu, 0x8000_0000u, 0x7FFF_FFFFu, true)]    // -2^31 - 1
    [InlineData("smlabb", 0x0000_0001u, 0x0000_FFFFu, 0x7FFF_FFFFu, 0x7FFF_FFFEu, false)]
    public void Smlaxy(string insn, uint rm, uint rs, uint rn, uint result, bool q)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2, r3", s =>
        {
            s.Cpu.R[1] = rm;
            s.Cpu.R[2] = rs;
            s.Cpu.R[3] = rn;
        });
        Assert.Equal(result, h[0]);
        Assert.Equal(q, h.Cpu.Q);
        Assert.Equal("nzcv", h.Flags); // never NZCV
    }

    [Fact]
    public void SmlaxyNeverClearsQ()
    {
        using var h = CpuHarness.Run("smlabb r0, r1, r2, r3", s =>
        {
            s.Cpu.R[1] = 2;
            s.Cpu.R[2] = 3;
            s.Cpu.R[3] = 4;
            s.Cpu.Q = true;
        });
        Assert.Equal(10u, h[0]);
        Assert.True(h.Cpu.Q);
    }

    [Fact]
    public void QStaysSetAcrossLaterInstructions()
    {
        using var h = CpuHarness.Run("smlabb r0, r1, r2, r3\nsmlabb r4, r5, r5, r5\nadds r6, r5, r5", s =>
        {
            s.Cpu.R[1] = 0x8000;
            s.Cpu.R[2] = 0x8000;
            s.Cpu.R[3] = 0x4000_0000;
            s.Cpu.R[5] = 1;
        });
        Assert.Equal(2u, h[4]);
        Assert.True(h.Cpu.Q);
    }

    // SMULW<y>/SMLAW<y>: bits 47:16 of Rm * Rs.y, an arithmetic shift (rounds toward minus infinity).
    [Theory]
    [InlineData("smulwb", 0x7FFF_FFFFu, 0x0000_7FFFu, 0x3FFF_7FFFu)]   // 0x3FFF_7FFF_8001 >> 16
    [InlineData("smulwt", 0x7FFF_FFFFu, 0x7FFF_0000u, 0x3FFF_7FFFu)]
    [InlineData("smulwt", 0x8000_0000u, 0x8000_1234u, 0x4000_0000u)]   // -2^31 * -2^15 = 2^46
    [InlineData("smulwb", 0x8000_0000u, 0x8000_7FFFu, 0xC000_8000u)]   // -2^31 * 0x7FFF
    [InlineData("smulwb", 0xFFFF_FFFFu, 0x0000_0001u, 0xFFFF_FFFFu)]   // -1 >> 16 = -1
    [InlineData("smulwb", 0x0000_FFFFu, 0x0000_0001u, 0u)]             // 0xFFFF >> 16 = 0
    [InlineData("smulwb", 0x0001_0000u, 0xFFFF_0003u, 3u)]
    [InlineData("smulwt", 0x0001_0000u, 0xFFFF_0003u, 0xFFFF_FFFFu)]
    [InlineData("smulwb", 0u, 0xFFFF_FFFFu, 0u)]
    public void Smulwy(string insn, uint rm, uint rs, uint result)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2", s => { s.Cpu.R[1] = rm; s.Cpu.R[2] = rs; });
        Assert.Equal(result, h[0]);
        Assert.False(h.Cpu.Q);
    }

    [Theory]
    [InlineData("smlawb", 0x0001_0000u, 0x0000_0005u, 10u, 15u, false)]
    [InlineData("smlawt", 0x8000_0000u, 0x8000_0000u, 0x4000_0000u, 0x8000_0000u, true)]   // 2^30 + 2^30
    [InlineData("smlawt", 0x8000_0000u, 0x8000_0000u, 0x3FFF_FFFFu, 0x7FFF_FFFFu, false)]
    [InlineData("smlawb", 0xFFFF_FFFFu, 0x0000_0001u, 0x8000_0000u, 0x7FFF_FFFFu, true)]   // -2^31 + -1
    [InlineData("smlawb", 0xFFFF_FFFFu, 0x0000_0001u, 0x7FFF_FFFFu, 0x7FFF_FFFEu, false)]
    public void Smlawy(string insn, uint rm, uint rs, uint rn, uint result, bool q)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2, r3", s =>
        {
            s.Cpu.R[1] = rm;
            s.Cpu.R[2] = rs;
            s.Cpu.R[3] = rn;
        });
        Assert.Equal(result, h[0]);
        Assert.Equal(q, h.Cpu.Q);
        Assert.Equal("nzcv", h.Flags);
    }

    // SMLAL<x><y>: RdHi:RdLo (r0 low, r1 high) += the sign-extended product; Q is not touched, even on 64-bit overflow.
    [Theory]
    [InlineData("smlalbb", 0x0000_0001u, 0x0000_0001u, 0xFFFF_FFFFu, 0u, 0u, 1u)]                       // carry into RdHi
    [InlineData("smlalbb", 0x0000_FFFFu, 0x0000_0001u, 0u, 0u, 0xFFFF_FFFFu, 0xFFFF_FFFFu)]             // -1 sign-extended
    [InlineData("smlalbt", 0x0003_FFFEu, 0x0005_0007u, 10u, 0u, 0u, 0u)]                                // -2 * 5 + 10
    [InlineData("smlaltb", 0x0003_FFFEu, 0x0005_0007u, 0u, 1u, 21u, 1u)]
    [InlineData("smlaltt", 0x8000_0000u, 0x8000_0000u, 0xFFFF_FFFFu, 0x7FFF_FFFFu, 0x3FFF_FFFFu, 0x8000_0000u)] // wraps
    [InlineData("smlalbb", 0x0000_8000u, 0x0000_7FFFu, 0x4000_0000u, 0u, 0x0000_8000u, 0u)]             // -0x3FFF8000 + 0x40000000
    public void Smlalxy(string insn, uint rm, uint rs, uint lo, uint hi, uint resultLo, uint resultHi)
    {
        using var h = CpuHarness.Run($"{insn} r0, r1, r2, r3", s =>
        {
            s.Cpu.R[0] = lo;
            s.Cpu.R[1] = hi;
            s.Cpu.R[2] = rm;
            s.Cpu.R[3] = rs;
        });
        Assert.Equal(resultLo, h[0]);
        Assert.Equal(resultHi, h[1]);
        Assert.False(h.Cpu.Q);
        Assert.Equal("nzcv", h.Flags);
    }

    // RdHi == RdLo is UNPREDICTABLE; QEMU (op_smlaxxx) writes RdLo, then RdHi.
    [Fact]
    public void SmlalxyRdHiEqualsRdLoKeepsHighWord()
    {
        using var h = CpuHarness.Run("smlalbb r3, r3, r1, r2", s => { s.Cpu.R[1] = 1; s.Cpu.R[2] = 1; s.Cpu.R[3] = 0x8000_0000; });
        Assert.Equal(0x8000_0000u, h[3]); // 0x80000000_80000000 + 1: high word 0x80000000, low 0x80000001
    }

    [Fact]
    public void DspMultiplyIsConditional()
    {
        using var h = CpuHarness.Run("smulbbne r0, r1, r2", s => { s.Cpu.R[0] = 7; s.Cpu.R[1] = 2; s.Cpu.R[2] = 3; s.Cpu.Z = true; });
        Assert.Equal(7u, h[0]);
    }
}
