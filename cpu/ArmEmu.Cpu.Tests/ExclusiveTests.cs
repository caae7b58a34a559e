using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>LDREX/STREX and the local monitor (DDI 0406C A3.4, A8.8.75/212), CLREX, and their alignment rules.</summary>
public class ExclusiveTests
{
    private const uint Data = CpuHarness.DataBase;

    private static CpuHarness Run(string source, Action<CpuHarness>? setup = null) =>
        CpuHarness.Run(CpuModel.CortexA9, source, h =>
        {
            h.Cpu.R[1] = Data;
            h.Write32(Data, 0x1122_3344);
            h.Write32(Data + 4, 0x5566_7788);
            setup?.Invoke(h);
        });

    [Fact]
    public void StrexAfterLdrexStoresAndReturnsZero()
    {
        using var h = Run("ldrex r0, [r1]\nadd r0, r0, #1\nstrex r2, r0, [r1]", s => s.Cpu.R[2] = 7);
        Assert.Equal(0u, h[2]);
        Assert.Equal(0x1122_3345u, h.Read32(Data));
        Assert.False(h.Cpu.ExclusiveMonitorHeld);
    }

    [Fact]
    public void StrexWithoutAMarkFailsAndStoresNothing()
    {
        using var h = Run("mov r0, #5\nstrex r2, r0, [r1]");
        Assert.Equal(1u, h[2]);
        Assert.Equal(0x1122_3344u, h.Read32(Data));
    }

    [Fact]
    public void ClrexAndASecondStrexBothFail()
    {
        using var h = Run("ldrex r0, [r1]\nclrex\nstrex r2, r0, [r1]\nldrex r0, [r1]\nstrex r3, r0, [r1]\nstrex r4, r0, [r1]");
        Assert.Equal(1u, h[2]);
        Assert.Equal(0u, h[3]);
        Assert.Equal(1u, h[4]);
    }

    [Fact]
    public void AnotherAddressFails()
    {
        using var h = Run("ldrex r0, [r1]\nadd r5, r1, #4\nstrex r2, r0, [r5]");
        Assert.Equal(1u, h[2]);
    }

    [Fact]
    public void AnotherSizeIsUnpredictableAndDoesWhatQemuDoes()
    {
        // After LDREXB the marked value is 0x44; the word is 0x11223344: STREX neither stores nor passes.
        // After LDREX (0x11223344), STREXH compares the halfword 0x3344 with the value cut to 16 bits
        // and stores, but compares it with the whole value for the status: it reports failure (QEMU's cmpxchg).
        using var h = Run("ldrexb r0, [r1]\nstrex r3, r0, [r1]\nldrex r0, [r1]\nmov r6, #0x99\nstrexh r4, r6, [r1]");
        Assert.Equal(1u, h[3]);
        Assert.Equal(1u, h[4]);
        Assert.Equal(0x1122_0099u, h.Read32(Data));
    }

    [Fact]
    public void APlainStoreThatChangesTheValueMakesStrexFail()
    {
        // As QEMU: the monitor compares the value loaded (ARM ARM A3.4.5 leaves this IMPLEMENTATION DEFINED).
        using var h = Run("ldrex r0, [r1]\nmov r6, #0\nstr r6, [r1]\nstrex r2, r0, [r1]");
        Assert.Equal(1u, h[2]);
        Assert.Equal(0u, h.Read32(Data));
    }

    [Fact]
    public void DoublewordAndByteAndHalfwordForms()
    {
        using var h = Run("ldrexd r4, r5, [r1]\nadd r4, r4, #1\nstrexd r0, r4, r5, [r1]\n" +
                          "ldrexb r6, [r1]\nstrexb r2, r6, [r1]\nldrexh r7, [r1]\nstrexh r3, r7, [r1]");
        Assert.Equal(0x1122_3344u + 1, h[4]);
        Assert.Equal(0x5566_7788u, h[5]);
        Assert.Equal(0u, h[0]);
        Assert.Equal(0x45u, h[6]);
        Assert.Equal(0x3345u, h[7]);
        Assert.Equal(0u, h[2]);
        Assert.Equal(0u, h[3]);
        Assert.Equal(0x1122_3345u, h.Read32(Data));
    }

    [Fact]
    public void UnalignedLdrexIsAnAlignmentFault()
    {
        CpuException? seen = null;
        using var h = Run("ldrex r0, [r1]", s =>
        {
            s.Cpu.R[1] = Data + 2;
            s.Cpu.ExceptionHandler = (Cpu _, in CpuException e) => { seen = e; return ExceptionDisposition.Stop; };
        });
        Assert.Equal(ExceptionKind.DataAbort, seen?.Kind);
        Assert.Equal(FaultKind.Alignment, seen?.Fault?.Kind);
    }

    [Fact]
    public void LdrexIsUndefinedOnArmV5()
    {
        CpuException? seen = null;
        using var h = CpuHarness.Run(".arch armv6\nldrex r0, [r1]", s =>
        {
            s.Cpu.R[1] = Data;
            s.Cpu.ExceptionHandler = (Cpu _, in CpuException e) => { seen = e; return ExceptionDisposition.Stop; };
        });
        Assert.Equal(ExceptionKind.Undefined, seen?.Kind);
    }
}
