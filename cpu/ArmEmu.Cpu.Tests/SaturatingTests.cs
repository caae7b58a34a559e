namespace ArmEmu.Cpu.Tests;

/// <summary>
/// QADD, QSUB, QDADD, QDSUB (ARM ARM A4.1.46/50/51/52): signed saturation to 32 bits, Q set
/// when a result (or QDADD/QDSUB's doubling) saturates, never cleared by them.
/// In "qadd r0, r1, r2" r1 is Rm (bits 3:0) and r2 is Rn (bits 19:16).
/// </summary>
public class SaturatingTests
{
    private static CpuHarness Run(string insn, uint rm, uint rn, bool qIn = false) =>
        CpuHarness.Run($"{insn} r0, r1, r2", s =>
        {
            s.Cpu.R[1] = rm;
            s.Cpu.R[2] = rn;
            s.Cpu.Q = qIn;
            s.Cpu.Z = true;
        });

    [Theory]
    [InlineData(1u, 2u, 3u, false)]
    [InlineData(0u, 0u, 0u, false)]
    [InlineData(0x7FFF_FFFFu, 1u, 0x7FFF_FFFFu, true)]
    [InlineData(0x7FFF_FFFFu, 0x7FFF_FFFFu, 0x7FFF_FFFFu, true)]
    [InlineData(0x7FFF_FFFEu, 1u, 0x7FFF_FFFFu, false)]             // reaches the limit without passing it
    [InlineData(0x8000_0000u, 0xFFFF_FFFFu, 0x8000_0000u, true)]
    [InlineData(0x8000_0000u, 0x8000_0000u, 0x8000_0000u, true)]
    [InlineData(0x7FFF_FFFFu, 0x8000_0000u, 0xFFFF_FFFFu, false)]
    [InlineData(0xFFFF_FFFFu, 0xFFFF_FFFFu, 0xFFFF_FFFEu, false)]
    public void Qadd(uint rm, uint rn, uint result, bool q)
    {
        using var h = Run("qadd", rm, rn);
        Assert.Equal(result, h[0]);
        Assert.Equal(q, h.Cpu.Q);
        Assert.Equal("nZcv", h.Flags); // NZCV untouched
    }

    // Rd = Rm - Rn: the order matters.
    [Theory]
    [InlineData(5u, 3u, 2u, false)]
    [InlineData(3u, 5u, 0xFFFF_FFFEu, false)]
    [InlineData(0x8000_0000u, 1u, 0x8000_0000u, true)]
    [InlineData(0x7FFF_FFFFu, 0xFFFF_FFFFu, 0x7FFF_FFFFu, true)]
    [InlineData(0u, 0x8000_0000u, 0x7FFF_FFFFu, true)]
    [InlineData(0xFFFF_FFFFu, 0x8000_0000u, 0x7FFF_FFFFu, false)]   // -1 - -2^31 = 2^31 - 1 exactly
    [InlineData(0xFFFF_FFFFu, 0x7FFF_FFFFu, 0x8000_0000u, false)]   // -1 - (2^31 - 1) = -2^31 exactly
    [InlineData(0x8000_0000u, 0x8000_0000u, 0u, false)]
    public void Qsub(uint rm, uint rn, uint result, bool q)
    {
        using var h = Run("qsub", rm, rn);
        Assert.Equal(result, h[0]);
        Assert.Equal(q, h.Cpu.Q);
        Assert.Equal("nZcv", h.Flags);
    }

    // Rd = sat(Rm + sat(2 * Rn)): the doubling saturating alone sets Q.
    [Theory]
    [InlineData(1u, 2u, 5u, false)]
    [InlineData(0u, 0x4000_0000u, 0x7FFF_FFFFu, true)]              // doubling saturates
    [InlineData(0xFFFF_FFFFu, 0x4000_0000u, 0x7FFF_FFFEu, true)]    // doubling saturates, the sum does not
    [InlineData(0x7FFF_FFFFu, 1u, 0x7FFF_FFFFu, true)]              // the sum saturates
    [InlineData(0u, 0xC000_0000u, 0x8000_0000u, false)]             // 2 * -2^30 = -2^31 exactly
    [InlineData(0u, 0xBFFF_FFFFu, 0x8000_0000u, true)]
    [InlineData(0x8000_0000u, 0x8000_0000u, 0x8000_0000u, true)]
    [InlineData(0x7FFF_FFFFu, 0x8000_0000u, 0xFFFF_FFFFu, true)]    // 2^31-1 + sat(-2^32) = -1, Q from the doubling
    public void Qdadd(uint rm, uint rn, uint result, bool q)
    {
        using var h = Run("qdadd", rm, rn);
        Assert.Equal(result, h[0]);
        Assert.Equal(q, h.Cpu.Q);
    }

    // Rd = sat(Rm - sat(2 * Rn)).
    [Theory]
    [InlineData(10u, 3u, 4u, false)]
    [InlineData(3u, 10u, 0xFFFF_FFEFu, false)]
    [InlineData(0u, 0x8000_0000u, 0x7FFF_FFFFu, true)]              // both saturate
    [InlineData(0xFFFF_FFFFu, 0xC000_0000u, 0x7FFF_FFFFu, false)]   // -1 - -2^31, nothing saturates
    [InlineData(0xFFFF_FFFFu, 0x8000_0000u, 0x7FFF_FFFFu, true)]    // doubling saturates to -2^31; -1 + 2^31 fits
    [InlineData(0x8000_0000u, 1u, 0x8000_0000u, true)]
    [InlineData(0x7FFF_FFFFu, 0x4000_0000u, 0u, true)]              // doubling saturates to 2^31-1
    public void Qdsub(uint rm, uint rn, uint result, bool q)
    {
        using var h = Run("qdsub", rm, rn);
        Assert.Equal(result, h[0]);
        Assert.Equal(q, h.Cpu.Q);
    }

    [Theory]
    [InlineData("qadd")]
    [InlineData("qsub")]
    [InlineData("qdadd")]
    [InlineData("qdsub")]
    public void QIsSticky(string insn)
    {
        using var h = Run(insn, 1, 1, qIn: true);
        Assert.True(h.Cpu.Q);
    }

    [Fact]
    public void MrsSeesQAndMsrClearsIt()
    {
        using var h = CpuHarness.Run("""
            qadd r0, r1, r2
            mrs r3, cpsr
            msr cpsr_f, #0
            mrs r4, cpsr
            qadd r5, r2, r2
            """, s =>
        {
            s.Cpu.R[1] = 0x7FFF_FFFF;
            s.Cpu.R[2] = 1;
        });
        Assert.Equal(1u << 27, h[3] & (1u << 27));
        Assert.Equal(0u, h[4] & (1u << 27));
        Assert.Equal(2u, h[5]);
        Assert.False(h.Cpu.Q);
    }

    // Rd = R15 is UNPREDICTABLE; QEMU branches to the result.
    [Fact]
    public void QaddToPcBranches()
    {
        using var h = CpuHarness.Run("""
            .word 0xE102F051 @ qadd pc, r1, r2 (GNU as refuses it)
            mov r0, #1
            """, s =>
        {
            s.Cpu.R[1] = CpuHarness.CodeBase + 4;
            s.Cpu.R[2] = 4;
        });
        Assert.Equal(0u, h[0]); // the mov was skipped: the run stopped at the end of the snippet
    }
}
