namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The PC-write rules by architecture (ARM ARM DDI 0406C A2.3.1): ALUWritePC interworks in ARM
/// state from ARMv7 only; LoadWritePC interworks from ARMv5T; BranchWritePC never does.
/// </summary>
public class WritePCTests
{
    private const uint Target = CpuHarness.CodeBase + 0x100;

    private static Cpu RunOne(CpuModel model, string instruction, uint r0)
    {
        var h = new CpuHarness(model);
        h.Load(instruction);
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[0] = r0;
        h.Cpu.R[1] = CpuHarness.DataBase;
        h.Cpu.R[2] = 1;
        h.Write32(CpuHarness.DataBase, r0);
        h.Cpu.Step();
        return h.Cpu;
    }

    public static TheoryData<string, string, bool> AluCases => new()
    {
        // model, instruction, interworks
        { "arm926", "mov pc, r0", false },
        { "arm926", "add pc, r0, #0", false },
        { "arm1176", "mov pc, r0", false },
        { "cortex-a8", "mov pc, r0", true },
        { "cortex-a9", "add pc, r0, #0", true },
        { "cortex-a15", "orr pc, r0, #0", true },
    };

    [Theory]
    [MemberData(nameof(AluCases))]
    public void AluWritePC_InterworksInArmStateFromV7(string model, string instruction, bool interworks)
    {
        var cpu = RunOne(CpuModel.Find(model)!, instruction, Target | 1);
        Assert.Equal(interworks, cpu.T);
        Assert.Equal(Target, cpu.PC); // bit 0 goes: into T when interworking, cleared otherwise
    }

    [Theory]
    [InlineData("arm926")]
    [InlineData("cortex-a9")]
    public void LoadWritePC_InterworksFromV5T(string model)
    {
        var ldr = RunOne(CpuModel.Find(model)!, "ldr pc, [r1]", Target | 1);
        Assert.True(ldr.T);
        Assert.Equal(Target, ldr.PC);
        var ldm = RunOne(CpuModel.Find(model)!, "ldmia r1, {pc}", Target | 1);
        Assert.True(ldm.T);
        Assert.Equal(Target, ldm.PC);
    }

    [Theory]
    [InlineData("arm926")]
    [InlineData("cortex-a9")]
    public void UnpredictableDestinationPC_IsAPlainBranch(string model)
    {
        // MUL PC, R0, R2 (gas refuses it): UNPREDICTABLE; QEMU's store_reg branches without interworking.
        var cpu = RunOne(CpuModel.Find(model)!, ".word 0xE00F0290", Target | 1);
        Assert.False(cpu.T);
        Assert.Equal(Target, cpu.PC);
    }

    [Theory]
    [InlineData("arm926")]
    [InlineData("cortex-a9")]
    public void ThumbMovHighToPC_StaysInThumb(string model)
    {
        var h = new CpuHarness(CpuModel.Find(model)!);
        h.Load(".thumb\nmov pc, r0");
        h.Cpu.T = true;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[0] = Target; // bit 0 clear: ALUWritePC in Thumb is BranchWritePC, so no switch to ARM
        h.Cpu.Step();
        Assert.True(h.Cpu.T);
        Assert.Equal(Target, h.Cpu.PC);
    }
}
