using ArmEmu.Cpu;
using ArmEmu.Memory;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>The Unicorn-like embedding API: map, write, run, hook, stop on faults.</summary>
public class EmulatorApiTests
{
    private const uint Code = 0x1_0000;

    private static Emulator WithCode(string asm, out uint end)
    {
        var emu = Emulator.Create("arm926");
        emu.MapMemory(Code, 0x1_0000);
        byte[] bytes = GnuToolchain.Assemble(asm, Code);
        emu.WriteMemory(Code, bytes);
        end = Code + (uint)bytes.Length;
        return emu;
    }

    [Fact]
    public void RunsToTheStopAddressAndCountsInstructions()
    {
        using var emu = WithCode("mov r0, #1\nadd r0, r0, #2\nmov r1, r0, lsl #4", out uint end);
        var result = emu.Run(Code, until: end);
        Assert.True(result.Ok);
        Assert.Equal(StopReason.Address, result.Reason);
        Assert.Equal(3ul, result.Instructions);
        Assert.Equal(3u, emu.ReadRegister(ArmRegister.R0));
        Assert.Equal(48u, emu.ReadRegister(ArmRegister.R1));
        Assert.Equal(end, emu.ReadRegister(ArmRegister.PC));
    }

    [Fact]
    public void StopsAfterTheInstructionCount()
    {
        using var emu = WithCode("loop: add r0, r0, #1\nb loop", out _);
        var result = emu.Run(Code, count: 1001);
        Assert.Equal(StopReason.InstructionLimit, result.Reason);
        Assert.Equal(501u, emu.ReadRegister(ArmRegister.R0));
    }

    [Fact]
    public void CodeHookSeesEveryInstructionInRange()
    {
        using var emu = WithCode("mov r0, #1\nmov r1, #2\nmov r2, #3", out uint end);
        var seen = new List<uint>();
        using (emu.HookCode((_, address, _) => seen.Add(address), Code + 4, Code + 8))
            emu.Run(Code, until: end);
        Assert.Equal([Code + 4, Code + 8], seen);
    }

    [Fact]
    public void MemoryHookSeesReadsAndWrites()
    {
        using var emu = WithCode("ldr r1, [r0]\nadd r1, r1, #1\nstr r1, [r0, #4]", out uint end);
        emu.MapMemory(0x2_0000, 0x1000);
        emu.WriteWord(0x2_0000, 41);
        emu.WriteRegister(ArmRegister.R0, 0x2_0000);
        var data = new List<MemoryAccess>();
        using (emu.HookMemory((_, a) => { if (!a.IsFetch) data.Add(a); }))
            emu.Run(Code, until: end);
        Assert.Equal([new MemoryAccess(0x2_0000, 4, false, false, 41) { After = true }, new MemoryAccess(0x2_0004, 4, true, false, 42)], data);
        Assert.Equal(42u, emu.ReadWord(0x2_0004));
    }

    [Fact]
    public void UnmappedReadStopsWithAnError()
    {
        using var emu = WithCode("mov r0, #0x40000000\nldr r1, [r0]\nmov r2, #1", out uint end);
        var result = emu.Run(Code, until: end);
        Assert.Equal(EmulatorError.ReadUnmapped, result.Error);
        Assert.Equal(0x4000_0000u, result.FaultAddress);
        Assert.Equal(Code + 4, result.Pc);
        Assert.Equal(0u, emu.ReadRegister(ArmRegister.R2));
    }

    [Fact]
    public void WriteToReadOnlyPageStops()
    {
        using var emu = WithCode("str r1, [r0]", out uint end);
        emu.MapMemory(0x2_0000, 0x1000, Permission.Read);
        emu.WriteRegister(ArmRegister.R0, 0x2_0000);
        Assert.Equal(EmulatorError.WriteProtected, emu.Run(Code, until: end).Error);
    }

    [Fact]
    public void JumpToUnmappedMemoryStops()
    {
        using var emu = WithCode("mov r0, #0x40000000\nbx r0", out uint end);
        var result = emu.Run(Code, until: end);
        Assert.Equal(EmulatorError.FetchUnmapped, result.Error);
        Assert.Equal(0x4000_0000u, result.Pc);
    }

    [Fact]
    public void UndefinedInstructionStops()
    {
        using var emu = WithCode(".word 0xe7f000f0\nmov r0, #1", out uint end);
        var result = emu.Run(Code, until: end);
        Assert.Equal(EmulatorError.InvalidInstruction, result.Error);
        Assert.Equal(Code, result.Pc);
    }

    [Fact]
    public void SvcCallsTheInterruptHookAndContinues()
    {
        using var emu = WithCode("svc #0x42\nmov r0, #7", out uint end);
        uint number = 0;
        emu.HookInterrupt((_, kind, word) => { if (kind == ExceptionKind.SupervisorCall) number = word & 0xFFFFFF; });
        var result = emu.Run(Code, until: end);
        Assert.True(result.Ok);
        Assert.Equal(0x42u, number);
        Assert.Equal(7u, emu.ReadRegister(ArmRegister.R0));
        Assert.Equal(ProcessorMode.Supervisor, emu.Cpu.Mode);
    }

    [Fact]
    public void ArchitecturalPolicyTakesTheVector()
    {
        using var emu = WithCode("svc #1", out _);
        emu.MapMemory(0, 0x1000);
        emu.ExceptionPolicy = ExceptionPolicy.Architectural;
        emu.Cpu.SwitchMode(ProcessorMode.User);
        emu.Run(Code, count: 1);
        Assert.Equal(ProcessorMode.Supervisor, emu.Cpu.Mode);
        Assert.Equal(8u, emu.ReadRegister(ArmRegister.PC));
        Assert.Equal(Code + 4, emu.ReadRegister(ArmRegister.LR));
        Assert.Equal(0x10u, emu.ReadRegister(ArmRegister.Spsr) & 0x1F);
    }

    [Fact]
    public void SelfModifyingCodeRunsTheNewInstruction()
    {
        // The decoded-instruction cache is checked against memory on every fetch (no I-cache modelled here).
        using var emu = WithCode("""
            adr r2, target
            ldr r3, newinsn
            mov r4, #2
            loop:
            target: mov r0, #1
            str r3, [r2]
            subs r4, r4, #1
            bne loop
            b done
            newinsn: mov r0, #99
            done:
            """, out uint end);
        emu.Run(Code, until: end - 0);
        Assert.Equal(99u, emu.ReadRegister(ArmRegister.R0));
    }

    [Fact]
    public void UnknownCpuModelIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => Emulator.Create("pentium"));
        Assert.Contains("unknown CPU model 'pentium'", e.Message);
    }
}
