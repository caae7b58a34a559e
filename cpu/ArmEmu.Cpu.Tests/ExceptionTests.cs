using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>Exception entry state and return for every exception (ARM ARM A2.6).</summary>
public class ExceptionTests
{
    // Vectors that record which one was taken in r12 and return the way each
    // exception's handler conventionally does.
    private const string Vectors = """
        b reset
        b undef
        b svc
        b pabt
        b dabt
        nop
        b irq
        fiq:  mov r12, #7
              subs pc, lr, #4
        reset: mov r12, #1
              b reset
        undef: mov r12, #2
              movs pc, lr
        svc:   mov r12, #3
              movs pc, lr
        pabt:  mov r12, #4
              subs pc, lr, #4
        dabt:  mov r12, #5
              subs pc, lr, #8
        irq:   mov r12, #6
              subs pc, lr, #4
        """;

    private static CpuHarness Boot(string code, ProcessorMode mode = ProcessorMode.User, uint extraCpsr = 0)
    {
        var h = new CpuHarness();
        h.Load(Vectors, 0);
        h.Load(code);
        h.Cpu.Cpsr = (uint)mode | extraCpsr;
        h.Cpu.PC = CpuHarness.CodeBase;
        return h;
    }

    [Fact]
    public void UndefinedInstructionEntryAndReturn()
    {
        using var h = Boot(".word 0xe7f000f0\nmov r0, #1", ProcessorMode.User, 0xF000_0000);
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(4u, h.Cpu.PC);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        Assert.Equal(0xF000_0010u, h.Cpu.Spsr);
        Assert.True(h.Cpu.I);
        Assert.False(h.Cpu.F);
        Assert.False(h.Cpu.T);

        h.Cpu.Run(100, h.End);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.Equal(2u, h[12]);
        Assert.Equal(1u, h[0]);
        Assert.Equal("NZCV", h.Flags);
    }

    [Fact]
    public void SupervisorCallEntryAndReturn()
    {
        using var h = Boot("svc #0x123\nmov r0, #1");
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        Assert.Equal(8u, h.Cpu.PC);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        h.Cpu.Run(100, h.End);
        Assert.Equal((3u, 1u, ProcessorMode.User), (h[12], h[0], h.Cpu.Mode));
    }

    [Fact]
    public void PrefetchAbortOnFetchFromUnmappedMemory()
    {
        using var h = Boot("mov r0, #0x90000\nbx r0", ProcessorMode.Supervisor);
        h.Flat.Unmap(0x9_0000, 0x1000);
        Assert.Equal(StopReason.Address, h.Cpu.Run(10, stopAddress: 0xC));
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(0x9_0004u, h[14]); // aborted instruction + 4
        Assert.Equal(2ul, h.Cpu.InstructionsExecuted); // the aborted fetch is not an executed instruction
        Assert.Equal((uint)ProcessorMode.Supervisor, h.Cpu.Spsr & 0x1F);
    }

    [Fact]
    public void BkptIsAPrefetchAbort()
    {
        using var h = Boot("bkpt #5\nmov r0, #1");
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(0xCu, h.Cpu.PC);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        h.Cpu.Run(100, h.End + 4); // subs pc, lr, #4 re-executes the BKPT: stop after the second entry
        Assert.Equal(4u, h[12]);
    }

    [Fact]
    public void IrqIsTakenWhenUnmaskedAndReturnsToTheNextInstruction()
    {
        using var h = Boot("mov r0, #1\nmov r1, #2\nmov r2, #3");
        h.Cpu.Run(1);
        h.Cpu.IrqLine = true;
        h.Cpu.Run(1); // takes the IRQ before the next instruction
        Assert.Equal(ProcessorMode.Irq, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 4 + 4, h[14]);
        h.Cpu.IrqLine = false;
        h.Cpu.Run(100, h.End);
        Assert.Equal((6u, 2u, 3u), (h[12], h[1], h[2]));
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
    }

    [Fact]
    public void MaskedIrqWaitsForTheIBitToClear()
    {
        using var h = Boot("mov r0, #1\nmsr cpsr_c, #0x13\nmov r2, #3", ProcessorMode.Supervisor, 0x80);
        h.Cpu.IrqLine = true;
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        h.Cpu.Run(2); // MSR clears I, then the IRQ is taken
        Assert.Equal(ProcessorMode.Irq, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 8 + 4, h[14]);
    }

    [Fact]
    public void FiqBanksR8ToR12AndMasksFiq()
    {
        using var h = Boot("mov r8, #8\nmov r9, #9\nmov r0, #0");
        h.Cpu.Run(2);
        h.Cpu.FiqLine = true;
        h.Cpu.Run(10, stopAddress: 0x1C);
        Assert.Equal(ProcessorMode.Fiq, h.Cpu.Mode);
        Assert.True(h.Cpu.F && h.Cpu.I);
        Assert.Equal(CpuHarness.CodeBase + 8 + 4, h[14]);
        Assert.Equal(0u, h[8]); // FIQ's own r8
        h.Cpu.FiqLine = false;
        h.Cpu.Run(100, h.End);
        Assert.Equal((8u, 9u, 7u), (h[8], h[9], h.Cpu.GetBankedRegister(ProcessorMode.Fiq, 12)));
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
    }

    [Fact]
    public void FiqHasPriorityOverIrq()
    {
        using var h = Boot("mov r0, #0");
        h.Cpu.IrqLine = true;
        h.Cpu.FiqLine = true;
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Fiq, h.Cpu.Mode);
    }

    [Fact]
    public void HighVectors()
    {
        using var h = new CpuHarness();
        h.Bus.AddRam(0xFFFF_0000, 0x1_0000);
        h.Flat.Map(0xFFFF_0000, 0x1_0000, Permission.All);
        h.Load("svc #0");
        h.Cpu.HighVectors = true;
        h.Cpu.Cpsr = 0x10;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(1);
        Assert.Equal(0xFFFF_0008u, h.Cpu.PC);
    }

    [Fact]
    public void ResetEntersSupervisorWithInterruptsMasked()
    {
        using var h = new CpuHarness();
        h.Cpu.Cpsr = 0x10;
        h.Cpu.R[0] = 5;
        h.Cpu.Reset();
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        Assert.True(h.Cpu.I && h.Cpu.F);
        Assert.False(h.Cpu.T);
        Assert.Equal(0u, h.Cpu.PC);
        Assert.Equal(0xD3u, h.Cpu.Cpsr);
    }

    [Fact]
    public void BankedStackPointersSurviveModeSwitches()
    {
        using var h = new CpuHarness();
        h.Cpu.SwitchMode(ProcessorMode.Supervisor);
        h.Cpu.R[13] = 0x1000;
        h.Cpu.SwitchMode(ProcessorMode.Irq);
        h.Cpu.R[13] = 0x2000;
        h.Cpu.SwitchMode(ProcessorMode.System);
        h.Cpu.R[13] = 0x3000;
        h.Cpu.SwitchMode(ProcessorMode.User);
        Assert.Equal(0x3000u, h[13]); // System shares User's bank
        Assert.Equal(0x1000u, h.Cpu.GetBankedRegister(ProcessorMode.Supervisor, 13));
        Assert.Equal(0x2000u, h.Cpu.GetBankedRegister(ProcessorMode.Irq, 13));
    }
}
