using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// ARMv6/v7 processor-state and memory rules: SETEND and CPSR.E (big-endian data), unaligned
/// accesses with SCTLR.U (DDI 0406C A3.2), CPS, SRS/RFE, SDIV/UDIV, hints and barriers.
/// </summary>
public class V7SystemTests
{
    private const uint Data = CpuHarness.DataBase;

    [Fact]
    public void SetendBigEndianReversesBytesOfEachAccess()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9,
            "setend be\nldr r0, [r1]\nldrh r2, [r1]\nldrb r3, [r1]\nstr r0, [r1, #4]\nstrh r2, [r1, #8]\nldrd r4, r5, [r1]\nsetend le\nldr r6, [r1]",
            s =>
            {
                s.Cpu.R[1] = Data;
                s.Write32(Data, 0x1122_3344);
                s.Write32(Data + 4, 0);
            });
        Assert.Equal(0x4433_2211u, h[0]);
        Assert.Equal(0x4433u, h[2]);
        Assert.Equal(0x44u, h[3]);
        Assert.Equal(0x1122_3344u, h.Read32(Data + 4)); // stored big-endian: the same bytes back
        Assert.Equal(0x3344u, h.Read32(Data + 8) & 0xFFFF);
        Assert.Equal(0x4433_2211u, h[4]);
        Assert.Equal(0x4433_2211u, h[5]);
        Assert.Equal(0x1122_3344u, h[6]);
        Assert.False(h.Cpu.E);
    }

    [Fact]
    public void EIsCpsrBit9()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9, "setend be\nmrs r0, CPSR");
        Assert.Equal(1u << 9, h[0] & (1u << 9));
        Assert.True(h.Cpu.E);
    }

    [Fact]
    public void V7LoadsAndStoresMayBeUnaligned()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9, "ldr r0, [r1, #1]\nldrh r2, [r1, #3]\nldrsh r3, [r1, #3]\nstr r0, [r1, #9]",
            s =>
            {
                s.Cpu.R[1] = Data;
                s.Write32(Data, 0x4433_2211);
                s.Write32(Data + 4, 0x8877_6655);
            });
        Assert.Equal(0x5544_3322u, h[0]);
        Assert.Equal(0x5544u, h[2]);
        Assert.Equal(0x5544u, h[3]);
        Assert.Equal(0x4433_2200u, h.Read32(Data + 8) & 0xFFFF_FF00);
        Assert.Equal(0x55u, h.Read32(Data + 12) & 0xFF);
    }

    [Fact]
    public void V5LdrStillRotates()
    {
        using var h = CpuHarness.Run("ldr r0, [r1, #1]", s =>
        {
            s.Cpu.R[1] = Data;
            s.Write32(Data, 0x4433_2211);
        });
        Assert.Equal(0x1144_3322u, h[0]);
    }

    [Theory]
    [InlineData("ldm r1, {r2, r3}")]
    [InlineData("ldrd r2, r3, [r1]")]
    [InlineData("swp r2, r3, [r1]")]
    public void V7MultipleAndDoublewordAccessesMustBeAligned(string insn)
    {
        CpuException? seen = null;
        using var h = CpuHarness.Run(CpuModel.CortexA9, insn, s =>
        {
            s.Cpu.R[1] = Data + 2;
            s.Cpu.ExceptionHandler = (Cpu _, in CpuException e) => { seen = e; return ExceptionDisposition.Stop; };
        });
        Assert.Equal(FaultKind.Alignment, seen?.Fault?.Kind);
    }

    [Fact]
    public void SdivAndUdivOnACortexA15()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA15,
            "sdiv r0, r1, r2\nudiv r3, r1, r2\nsdiv r4, r1, r5\nsdiv r6, r7, r8\nudiv r9, r1, r5",
            s =>
            {
                s.Cpu.R[1] = unchecked((uint)-7);
                s.Cpu.R[2] = 2;
                s.Cpu.R[5] = 0;
                s.Cpu.R[7] = 0x8000_0000;
                s.Cpu.R[8] = 0xFFFF_FFFF;
            });
        Assert.Equal(unchecked((uint)-3), h[0]);     // rounds towards zero
        Assert.Equal(0xFFFF_FFF9u / 2, h[3]);
        Assert.Equal(0u, h[4]);                       // no divide-by-zero trap on ARMv7-A
        Assert.Equal(0x8000_0000u, h[6]);
        Assert.Equal(0u, h[9]);
    }

    [Fact]
    public void SdivIsUndefinedOnACortexA9()
    {
        CpuException? seen = null;
        using var a9 = new CpuHarness(CpuModel.CortexA9);
        a9.Load(".arch armv7ve\nsdiv r0, r1, r2");
        a9.Cpu.PC = CpuHarness.CodeBase;
        a9.Cpu.ExceptionHandler = (Cpu _, in CpuException e) => { seen = e; return ExceptionDisposition.Stop; };
        a9.Cpu.Run(10, a9.End);
        Assert.Equal(ExceptionKind.Undefined, seen?.Kind);
    }

    [Fact]
    public void CpsMasksInterruptsAndChangesModeWhenPrivileged()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9, "cpsie if\nmrs r0, CPSR\ncpsid i, #0x1f\nmrs r1, CPSR");
        Assert.Equal(0u, h[0] & 0xC0);
        Assert.Equal(0x9Fu, h[1] & 0xFF); // I set, F clear, System mode
    }

    [Fact]
    public void CpsDoesNothingInUserMode()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9, "cps #0x13\ncpsie i", s => s.Cpu.Cpsr = 0x10 | 0x80);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.True(h.Cpu.I);
    }

    [Fact]
    public void SrsThenRfeReturns()
    {
        // In Supervisor mode: store LR_svc and SPSR_svc to the IRQ stack (decrement before, write back), then return with RFE.
        using var h = CpuHarness.Run(CpuModel.CortexA9,
            "srsdb sp!, #0x12\ncps #0x12\nmov r4, sp\nrfeia sp!\nnop\nnop",
            s =>
            {
                s.Cpu.SetBankedRegister(ProcessorMode.Irq, 13, Data + 0x100);
                s.Cpu.R[14] = CpuHarness.CodeBase + 20; // the second nop, the end of the snippet
                s.Cpu.SetSpsr(ProcessorMode.Supervisor, 0x6000_0010);
            });
        Assert.Equal(Data + 0xF8, h[4]);
        Assert.Equal(CpuHarness.CodeBase + 20, h.Read32(Data + 0xF8));
        Assert.Equal(0x6000_0010u, h.Read32(Data + 0xFC));
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.True(h.Cpu.Z && h.Cpu.C);
    }

    [Fact]
    public void HintsAndBarriersChangeNothingButDsbDrains()
    {
        int drains = 0;
        using var h = CpuHarness.Run(CpuModel.CortexA9, ".arch_extension mp\nnop\nyield\nsev\ndbg #3\npld [r1]\npldw [r1]\npli [r1]\ndmb ish\ndsb\nisb\nmov r0, #1",
            s => s.Cpu.DataBarrier = () => drains++);
        Assert.Equal(1u, h[0]);
        Assert.Equal(2, drains);
    }
}
