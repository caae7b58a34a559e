using ArmEmu.Cpu.Decoding;
using ArmEmu.Cpu.Engines;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>The engine seam (<see cref="IExecutionEngine"/>) and the address space's <see cref="CodeCache"/>.</summary>
public class ExecutionEngineTests
{
    private const string Loop = """
            mov r0, #0
            mov r1, #10
        1:  add r0, r0, r1
            subs r1, r1, #1
            bne 1b
        """;

    /// <summary>Counts the runs it is given and hands them to an interpreter.</summary>
    private sealed class CountingEngine : IExecutionEngine
    {
        private readonly InterpreterEngine _inner = new();
        public int Runs, Invalidations;

        public StopReason Run(Cpu cpu, long budget, uint? stopAddress)
        {
            Runs++;
            return _inner.Run(cpu, budget, stopAddress);
        }

        public void Invalidate()
        {
            Invalidations++;
            _inner.Invalidate();
        }
    }

    [Fact]
    public void RunAndStep_GoThroughTheEngine()
    {
        using var h = new CpuHarness();
        h.Load(Loop);
        var engine = new CountingEngine();
        h.Cpu.Engine = engine;
        h.Cpu.PC = CpuHarness.CodeBase;
        Assert.Equal(StopReason.InstructionLimit, h.Cpu.Step());
        Assert.Equal(StopReason.Address, h.Cpu.Run(1000, h.End));
        Assert.Equal(2, engine.Runs);
        Assert.Equal(55u, h[0]);
        Assert.Equal(2u + 3 * 10, h.Cpu.InstructionsExecuted);
    }

    [Fact]
    public void TwoCpus_SharingOneCodeCache_EachRunTheirOwnState()
    {
        using var a = new CpuHarness();
        a.Load(Loop);
        var code = a.Cpu.Code;
        var b = new Cpu(CpuModel.Arm926, a.Port, code);
        a.Cpu.PC = b.PC = CpuHarness.CodeBase;
        a.Cpu.Run(1000, a.End);
        b.Run(7, a.End); // stops inside the loop: r1 has counted down 2 times
        Assert.Equal(55u, a[0]);
        Assert.Equal(10u + 9, b.R[0]);
        Assert.Equal(8u, b.R[1]);
        Assert.Same(code, b.Code);
        Assert.Equal(1, code.PageCount);
    }

    [Fact]
    public void CodeCache_CostsMemoryOnlyPerPageExecuted()
    {
        using var h = new CpuHarness();
        Assert.Equal(0, h.Cpu.Code.PageCount);
        h.Load(Loop);
        h.Load("b . + 0x2000", CpuHarness.CodeBase + 0x3000); // a branch two pages on
        h.Cpu.PC = CpuHarness.CodeBase + 0x3000;
        h.Cpu.Run(2);
        Assert.Equal(2, h.Cpu.Code.PageCount);
        Assert.Null(h.Cpu.Code.Find((CpuHarness.CodeBase + 0x1000) >> PhysicalBus.PageBits));
        Assert.NotNull(h.Cpu.Code.Find((CpuHarness.CodeBase + 0x5000) >> PhysicalBus.PageBits));
        h.Cpu.FlushDecodedInstructions();
        Assert.Equal(0, h.Cpu.Code.PageCount);
    }

    [Fact]
    public void CodeCache_OfAnotherModel_IsRefused()
    {
        using var h = new CpuHarness();
        var ex = Assert.Throws<ArgumentException>(() => new Cpu(CpuModel.CortexA9, h.Port, h.Cpu.Code));
        Assert.Contains("arm926", ex.Message);
    }

    [Fact]
    public void SettingAProfile_InvalidatesTheEngine()
    {
        using var h = new CpuHarness();
        var engine = new CountingEngine();
        h.Cpu.Engine = engine;
        h.Cpu.Profile = new ExecutionProfile();
        Assert.Equal(1, engine.Invalidations);
    }
}
