namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The CPSR's execution-state bits beyond ARMv5TE's, kept split like the rest: ITSTATE
/// (bits 26:25 and 15:10), J (24) and A (8), present only where the model has them
/// (DDI 0406C A2.5, B1.3.3), cleared or set on exception entry as B1.8 says.
/// </summary>
public class ExecutionStateBitsTests
{
    private const uint Svc = 0x13, Usr = 0x10;

    [Fact]
    public void ItState_PacksIntoBits26To25And15To10()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Cpu.Cpsr = (2u << 25) | (0x2Du << 10) | Svc; // IT[1:0] = 10, IT[7:2] = 101101
        Assert.Equal((byte)0b1011_0110, h.Cpu.ITState);
        Assert.True(h.Cpu.InITBlock);
        Assert.Equal((2u << 25) | (0x2Du << 10) | Svc, h.Cpu.Cpsr);
    }

    [Fact]
    public void CortexA9_HasAAndIt_ButNotJ()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Cpu.Cpsr = 0x0700_FD00 | Usr; // every IT bit, J and A
        Assert.True(h.Cpu.A);
        Assert.False(h.Cpu.J); // no Jazelle on the Cortex-A: RAZ
        Assert.Equal(0xFF, h.Cpu.ITState);
        Assert.Equal(0x0600_FD00u | Usr, h.Cpu.Cpsr);
    }

    [Fact]
    public void Arm926_KeepsJ_AndHasNeitherAnorIt()
    {
        using var h = new CpuHarness();
        h.Cpu.Cpsr = 0x0700_FD00 | Usr;
        Assert.True(h.Cpu.J);
        Assert.False(h.Cpu.A);
        Assert.Equal(0, h.Cpu.ITState);
        Assert.Equal(0x0100_0000u | Usr, h.Cpu.Cpsr);
    }

    [Fact]
    public void Reset_MasksAsynchronousAbortsFromV6()
    {
        using var a9 = new CpuHarness(CpuModel.CortexA9);
        using var arm926 = new CpuHarness();
        Assert.True(a9.Cpu.A);
        Assert.Equal(0x1D3u, a9.Cpu.Cpsr); // SVC, I, F, A
        Assert.Equal(0xD3u, arm926.Cpu.Cpsr);
    }

    [Theory]
    [InlineData(ExceptionKind.Irq, true)]
    [InlineData(ExceptionKind.DataAbort, true)]
    [InlineData(ExceptionKind.SupervisorCall, false)]
    [InlineData(ExceptionKind.Undefined, false)]
    public void ExceptionEntry_ClearsItState_AndMasksAbortsExceptForUndefAndSvc(ExceptionKind kind, bool masksAborts)
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        uint before = (1u << 25) | (0x3u << 10) | (1u << 5) | Usr; // Thumb, in an IT block, A clear
        h.Cpu.Cpsr = before;
        h.Cpu.EnterException(kind, 0x2000);
        Assert.Equal(0, h.Cpu.ITState);
        Assert.False(h.Cpu.T);
        Assert.Equal(masksAborts, h.Cpu.A);
        Assert.Equal(before, h.Cpu.Spsr); // the interrupted IT state is saved
    }

    [Fact]
    public void ExceptionEntry_TakesThumbStateFromSctlrTe()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Cpu.ThumbExceptions = true;
        h.Cpu.EnterException(ExceptionKind.Irq, 0x2000);
        Assert.True(h.Cpu.T);
        Assert.Equal(0, h.Cpu.ITState);
    }

    [Fact]
    public void ExceptionReturn_RestoresItStateFromTheSpsr_AndMsrCannotWriteIt()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Load("""
                msr cpsr_fsxc, r1
                movs pc, lr
            """);
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[1] = 0x0600_FC00 | Svc; // MSR names IT bits: they stay as they are
        h.Cpu.R[14] = 0x3000;
        h.Cpu.Spsr = (3u << 25) | (0x21u << 10) | (1u << 5) | Usr;
        h.Cpu.Step();
        Assert.Equal(0, h.Cpu.ITState);
        h.Cpu.Step();
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.True(h.Cpu.T);
        Assert.Equal((byte)0b1000_0111, h.Cpu.ITState);
        Assert.Equal(0x3000u, h.Cpu.PC);
    }
}
