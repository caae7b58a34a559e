namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The ARMv6 parallel add/subtract instructions and SEL (DDI 0406C A5.4.1/2, A8.8.151): lane
/// results and the GE bits, computed by hand from the pseudocode.
/// </summary>
public class ParallelAddSubtractTests
{
    private static CpuHarness Run(string insn, uint rn, uint rm, uint geIn = 0) =>
        CpuHarness.Run(CpuModel.CortexA9, $"{insn} r0, r1, r2", h =>
        {
            h.Cpu.R[1] = rn;
            h.Cpu.R[2] = rm;
            h.Cpu.GE = geIn;
        });

    [Theory]
    // insn, Rn, Rm, Rd, GE after (0xF = unchanged from the input 0xF for kinds that do not set it)
    [InlineData("sadd16", 0x7FFF_0001u, 0x0001_FFFEu, 0x8000_FFFFu, 0xCu)]    // GE from the exact sums: 32768 >= 0, -1 < 0
    [InlineData("sadd16", 0x0001_0002u, 0x0001_0002u, 0x0002_0004u, 0xFu)]
    [InlineData("uadd16", 0xFFFF_0001u, 0x0001_0001u, 0x0000_0002u, 0xCu)]    // carry out of the top lane only
    [InlineData("usub16", 0x0001_0005u, 0x0002_0003u, 0xFFFF_0002u, 0x3u)]    // borrow in the top lane
    [InlineData("ssub8", 0x8000_0102u, 0x0180_0201u, 0x7F80_FF01u, 0x5u)]    // 1, -1, 128, -129
    [InlineData("uadd8", 0xFF01_80FFu, 0x01FF_8001u, 0x0000_0000u, 0xFu)]
    [InlineData("sasx", 0x0005_000Au, 0x0003_0004u, 0x0009_0007u, 0xFu)]      // lo = 10 - 3, hi = 5 + 4
    [InlineData("ssax", 0x0005_000Au, 0x0003_0004u, 0x0001_000Du, 0xFu)]      // lo = 10 + 3, hi = 5 - 4
    [InlineData("uasx", 0x0000_0000u, 0x0001_0000u, 0x0000_FFFFu, 0x0u)]      // lo = 0 - 1 borrows, hi = 0 + 0 no carry
    [InlineData("qadd16", 0x7FFF_8000u, 0x0001_FFFFu, 0x7FFF_8000u, 0xFu)]
    [InlineData("qsub8", 0x7F80_0000u, 0x8001_0000u, 0x7F80_0000u, 0xFu)]
    [InlineData("uqadd8", 0xFF10_0000u, 0x0120_0000u, 0xFF30_0000u, 0xFu)]
    [InlineData("uqsub16", 0x0001_0005u, 0x0002_0003u, 0x0000_0002u, 0xFu)]
    [InlineData("shadd16", 0x7FFF_FFFFu, 0x0001_FFFFu, 0x4000_FFFFu, 0xFu)]
    [InlineData("shsub8", 0x0000_0080u, 0x0000_007Fu, 0x0000_0080u, 0xFu)]    // (-128 - 127) / 2 = -128 (floor)
    [InlineData("uhadd8", 0xFF00_0000u, 0xFF00_0000u, 0xFF00_0000u, 0xFu)]
    [InlineData("uhsub16", 0x0000_0000u, 0x0000_0001u, 0x0000_FFFFu, 0xFu)]   // (0 - 1) >> 1 keeps the borrow bit
    [InlineData("qasx", 0x7FFF_8000u, 0x0001_0001u, 0x7FFF_8000u, 0xFu)]
    [InlineData("uhsax", 0x0004_0002u, 0x0002_0006u, 0xFFFF_0002u, 0xFu)]    // lo = (2 + 2) / 2, hi = (4 - 6) >> 1
    public void Lanes(string insn, uint rn, uint rm, uint rd, uint ge)
    {
        using var h = Run(insn, rn, rm, geIn: 0xF);
        Assert.Equal(rd, h[0]);
        Assert.Equal(ge, h.Cpu.GE);
    }

    [Fact]
    public void SelPicksBytesByGe()
    {
        using var h = Run("sel", 0x1122_3344, 0xAABB_CCDD, geIn: 0b0101);
        Assert.Equal(0xAA22_CC44u, h[0]);
    }

    [Fact]
    public void GeIsInTheCpsrAndMsrWritesIt()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9, "msr APSR_g, r1\nmrs r0, APSR", s => s.Cpu.R[1] = 0x000A_0000);
        Assert.Equal(0xAu, h.Cpu.GE);
        Assert.Equal(0x000A_0000u, h[0] & 0x000F_0000);
    }

    [Fact]
    public void ArmV5HasNoGeBits()
    {
        using var h = CpuHarness.Run("msr CPSR_fs, r1\nmrs r0, CPSR", s => s.Cpu.R[1] = 0x000F_0200);
        Assert.Equal(0u, h[0] & 0x000F_0200);
    }
}
