namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The ARMv6/v6T2 media and data-processing additions on a Cortex-A9 (DDI 0406C A5.4):
/// values worked out by hand from the manual's pseudocode. The Unicorn differential test
/// covers them at random; these pin the edge cases down.
/// </summary>
public class V6MediaTests
{
    private static CpuHarness Run(string source, params (int Register, uint Value)[] registers) =>
        CpuHarness.Run(CpuModel.CortexA9, source, h =>
        {
            foreach (var (r, v) in registers) h.Cpu.R[r] = v;
        });

    [Fact]
    public void MovwAndMovtBuildAWord()
    {
        using var h = Run("movw r0, #0x5678\nmovt r0, #0x1234\nmovt r1, #0xFFFF", (1, 0xAAAA_BBBB));
        Assert.Equal(0x1234_5678u, h[0]);
        Assert.Equal(0xFFFF_BBBBu, h[1]);
    }

    [Theory]
    [InlineData("ubfx r0, r1, #4, #8", 0xF0F0_1234u, 0x23u)]
    [InlineData("ubfx r0, r1, #0, #32", 0xF0F0_1234u, 0xF0F0_1234u)]
    [InlineData("sbfx r0, r1, #28, #4", 0x8000_0000u, 0xFFFF_FFF8u)]
    [InlineData("sbfx r0, r1, #4, #8", 0x0000_0700u, 0x70u)]
    [InlineData("sbfx r0, r1, #0, #1", 1u, 0xFFFF_FFFFu)]
    public void ExtractsBitfields(string insn, uint rn, uint expected)
    {
        using var h = Run(insn, (1, rn));
        Assert.Equal(expected, h[0]);
    }

    [Fact]
    public void BfiAndBfcReplaceOnlyTheField()
    {
        using var h = Run("bfi r0, r1, #8, #12\nbfc r2, #31, #1\nbfc r3, #0, #32",
            (0, 0xFFFF_FFFF), (1, 0x0000_0ABC), (2, 0xFFFF_FFFF), (3, 0x1234_5678));
        Assert.Equal(0xFFFA_BCFFu, h[0]);
        Assert.Equal(0x7FFF_FFFFu, h[2]);
        Assert.Equal(0u, h[3]);
    }

    [Theory]
    [InlineData("rev r0, r1", 0x1234_5678u, 0x7856_3412u)]
    [InlineData("rev16 r0, r1", 0x1234_5678u, 0x3412_7856u)]
    [InlineData("revsh r0, r1", 0x0000_0080u, 0xFFFF_8000u)]
    [InlineData("revsh r0, r1", 0xFFFF_7F00u, 0x0000_007Fu)]
    [InlineData("rbit r0, r1", 0x0000_0001u, 0x8000_0000u)]
    [InlineData("rbit r0, r1", 0x1234_5678u, 0x1E6A_2C48u)]
    public void Reverses(string insn, uint rm, uint expected)
    {
        using var h = Run(insn, (1, rm));
        Assert.Equal(expected, h[0]);
    }

    [Theory]
    [InlineData("sxtb r0, r1", 0x0000_0080u, 0u, 0xFFFF_FF80u)]
    [InlineData("sxtb r0, r1, ror #8", 0x0000_7F00u, 0u, 0x7Fu)]
    [InlineData("uxth r0, r1, ror #16", 0xBEEF_0000u, 0u, 0xBEEFu)]
    [InlineData("sxtah r0, r2, r1", 0x0000_FFFFu, 10u, 9u)]
    [InlineData("uxtab r0, r2, r1, ror #24", 0xFF00_0000u, 1u, 0x100u)]
    [InlineData("sxtb16 r0, r1", 0x0080_00FFu, 0u, 0xFF80_FFFFu)]
    [InlineData("uxtb16 r0, r1, ror #8", 0x1122_3344u, 0u, 0x0011_0033u)]
    [InlineData("sxtab16 r0, r2, r1", 0x00FF_0001u, 0x0001_FFFFu, 0x0000_0000u)]
    [InlineData("uxtab16 r0, r2, r1", 0x00FF_00FFu, 0xFFFF_0001u, 0x00FE_0100u)]
    public void Extends(string insn, uint rm, uint rn, uint expected)
    {
        using var h = Run(insn, (1, rm), (2, rn));
        Assert.Equal(expected, h[0]);
    }

    [Theory]
    [InlineData("ssat r0, #8, r1", 0x0000_0100u, 0x7Fu, true)]
    [InlineData("ssat r0, #8, r1", 0xFFFF_FF00u, 0xFFFF_FF80u, true)]
    [InlineData("ssat r0, #8, r1", 0x0000_007Fu, 0x7Fu, false)]
    [InlineData("ssat r0, #32, r1, asr #1", 0x8000_0000u, 0xC000_0000u, false)]
    [InlineData("ssat r0, #16, r1, lsl #4", 0x0000_1000u, 0x7FFFu, true)]
    [InlineData("usat r0, #8, r1", 0xFFFF_FFFFu, 0u, true)]
    [InlineData("usat r0, #8, r1", 0x0000_0100u, 0xFFu, true)]
    [InlineData("usat r0, #0, r1", 0x0000_0001u, 0u, true)]
    [InlineData("usat r0, #31, r1, asr #32", 0x8000_0000u, 0u, true)]
    [InlineData("ssat16 r0, #8, r1", 0x0100_FF00u, 0x007F_FF80u, true)]
    [InlineData("usat16 r0, #4, r1", 0x0010_FFFFu, 0x000F_0000u, true)]
    [InlineData("usat16 r0, #4, r1", 0x0005_0003u, 0x0005_0003u, false)]
    public void Saturates(string insn, uint rn, uint expected, bool q)
    {
        using var h = Run(insn, (1, rn));
        Assert.Equal(expected, h[0]);
        Assert.Equal(q, h.Cpu.Q);
    }

    [Fact]
    public void PackHalfwords()
    {
        using var h = Run("pkhbt r0, r1, r2, lsl #8\npkhtb r3, r1, r2, asr #4\npkhtb r4, r1, r2, asr #32",
            (1, 0x1111_2222), (2, 0x8765_4321));
        Assert.Equal(0x6543_2222u, h[0]);
        Assert.Equal(0x1111_5432u, h[3]);
        Assert.Equal(0x1111_FFFFu, h[4]);
    }

    [Fact]
    public void UsadSumsAbsoluteByteDifferences()
    {
        using var h = Run("usad8 r0, r1, r2\nusada8 r3, r1, r2, r4", (1, 0x01FF_1005), (2, 0x0200_0510), (4, 1000));
        Assert.Equal(1u + 255 + 11 + 11, h[0]);
        Assert.Equal(1000u + 278, h[3]);
    }

    [Fact]
    public void MlsAndUmaal()
    {
        using var h = Run("mls r0, r1, r2, r3\numaal r4, r5, r1, r2",
            (1, 0xFFFF_FFFF), (2, 0xFFFF_FFFF), (3, 10), (4, 0xFFFF_FFFF), (5, 0xFFFF_FFFF));
        Assert.Equal(9u, h[0]); // 10 - 1
        // 0xFFFFFFFF^2 + 2 * 0xFFFFFFFF = 2^64 - 1: the largest UMAAL result.
        Assert.Equal(0xFFFF_FFFFu, h[4]);
        Assert.Equal(0xFFFF_FFFFu, h[5]);
    }
}
