using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>
/// Unicorn's ARM sample programs (samples/sample_arm.c) and regression tests
/// (tests/regress/arm_*.py, tests/unit/test_arm.c), written against ArmEmu's API with the values
/// those programs print or assert.
/// </summary>
public class UnicornSampleTests
{
    private const uint Address = 0x1_0000;

    private static Emulator WithCode(string cpu, string asm, uint at = Address, bool thumb = false)
    {
        var emu = Emulator.Create(cpu);
        emu.MapMemory(at & ~0xFFFu, 2 * 1024 * 1024);
        emu.WriteMemory(at, emu.Assemble(asm, at, thumb));
        return emu;
    }

    [Fact]
    public void SampleArmTracesOneBlockAndTheHookedInstruction()
    {
        // sample_arm.c test_arm: "mov r0, #0x37; sub r1, r2, r3", r0 = 0x1234, r2 = 0x6789, r3 = 0x3333;
        // a block hook everywhere, a code hook on ADDRESS only; R0 = 0x37, R1 = 0x3456.
        using var emu = WithCode("arm926", "mov r0, #0x37\nsub r1, r2, r3");
        emu.WriteRegister("r0", 0x1234);
        emu.WriteRegister("r2", 0x6789);
        emu.WriteRegister("r3", 0x3333);
        var blocks = new List<(uint, int)>();
        var code = new List<(uint, int)>();
        using var b = emu.Hooks().Block((_, address, size) => blocks.Add((address, size)));
        using var c = emu.Hooks().Code((_, address, size) => code.Add((address, size)), Address, Address);
        var result = emu.Run(Address, until: Address + 8);
        Assert.True(result.Ok);
        Assert.Equal([(Address, 8)], blocks);
        Assert.Equal([(Address, 4)], code);
        Assert.Equal(0x37ul, emu.ReadRegister("r0"));
        Assert.Equal(0x3456ul, emu.ReadRegister("r1"));
    }

    [Fact]
    public void SampleThumbSubtractsFromSp()
    {
        // sample_arm.c test_thumb: "sub sp, #0xc" with sp = 0x1234; started at ADDRESS | 1; SP = 0x1228.
        using var emu = WithCode("arm926", "sub sp, #0xc", thumb: true);
        emu.WriteRegister("sp", 0x1234);
        var code = new List<(uint, int)>();
        using var c = emu.Hooks().Code((_, address, size) => code.Add((address, size)));
        var result = emu.Run(Address | 1, until: Address + 2);
        Assert.True(result.Ok);
        Assert.Equal(0x1228ul, emu.ReadRegister("sp"));
        Assert.Equal([(Address, 2)], code);
    }

    [Fact]
    public void BxeqNotTakenEntersItsBlockOnce()
    {
        // tests/regress/arm_bxeq_hang.py: "bxeq lr; mov r0, r0" at 0x1000, lr = 0x1004, until
        // 0x1004, timeout 250 ms: "block should only run once", and the run must not hang.
        using var emu = WithCode("arm926", "bxeq lr\nmov r0, r0", at: 0x1000);
        emu.WriteRegister("lr", 0x1004);
        int blocks = 0;
        using var b = emu.Hooks().Block((_, _, _) => blocks++);
        var result = emu.Run(0x1000, until: 0x1004, timeout: TimeSpan.FromMilliseconds(250));
        Assert.Equal(StopReason.Address, result.Reason);
        Assert.False(result.TimedOut);
        Assert.Equal(1, blocks);
    }

    [Fact]
    public void UnmappedReadHookMapsTheMemoryAndTheLoadResumes()
    {
        // The UC_HOOK_MEM_READ_UNMAPPED pattern: the hook maps the page, fills it, returns true;
        // the load runs again and the program goes on.
        using var emu = WithCode("arm926", "ldr r1, [r0]\nadd r1, r1, #1");
        emu.WriteRegister("r0", 0x4000_0010);
        var faults = new List<MemoryFaultInfo>();
        using var h = emu.Hooks().Fault((m, fault) =>
        {
            faults.Add(fault);
            if (fault.Kind != FaultKind.Unmapped) return false;
            var e = (Emulator)m;
            e.MapMemory(fault.Address & ~0xFFFu, 0x1000);
            e.WriteWord(fault.Address, 41);
            return true;
        });
        var result = emu.Run(Address, until: Address + 8);
        Assert.True(result.Ok);
        Assert.Equal(42ul, emu.ReadRegister("r1"));
        var f = Assert.Single(faults);
        Assert.Equal(new MemoryFaultInfo(0x4000_0010, FaultKind.Unmapped, false, false, Address, 0), f);
    }

    [Fact]
    public void UnmappedFetchHookMapsCodeAndExecutionGoesOn()
    {
        // A jump into unmapped memory: the fetch fault's hook maps code there.
        using var emu = WithCode("arm926", "mov r0, #0x50000000\nbx r0");
        byte[] target = emu.Assemble("mov r2, #7\nb .", 0x5000_0000);
        using var h = emu.Hooks().Fault((m, fault) =>
        {
            if (!fault.IsFetch) return false;
            var e = (Emulator)m;
            e.MapMemory(0x5000_0000, 0x1000);
            e.WriteMemory(0x5000_0000, target);
            return true;
        });
        var result = emu.Run(Address, until: 0x5000_0004);
        Assert.True(result.Ok);
        Assert.Equal(7ul, emu.ReadRegister("r2"));
    }

    [Fact]
    public void ProtectionFaultHookUnprotectsAndTheStoreLands()
    {
        using var emu = WithCode("arm926", "str r1, [r0]\nmov r2, #1");
        emu.MapMemory(0x2000_0000, 0x1000, Permission.Read);
        emu.WriteRegister("r0", 0x2000_0000);
        emu.WriteRegister("r1", 0xCAFE);
        using var h = emu.Hooks().Fault((m, fault) =>
        {
            if (fault is not { Kind: FaultKind.Permission, IsWrite: true }) return false;
            ((Emulator)m).ProtectMemory(0x2000_0000, 0x1000, Permission.Read | Permission.Write);
            return true;
        });
        var result = emu.Run(Address, until: Address + 8);
        Assert.True(result.Ok);
        Assert.Equal(0xCAFEu, emu.ReadWord(0x2000_0000));
        Assert.Equal(1ul, emu.ReadRegister("r2"));
    }

    [Fact]
    public void AFaultHookCanFixUpThePcAndSkipTheInstruction()
    {
        using var emu = WithCode("arm926", "ldr r1, [r0]\nmov r2, #5");
        emu.WriteRegister("r0", 0x7000_0000);
        emu.WriteRegister("r1", 9);
        using var h = emu.Hooks().Fault((m, fault) =>
        {
            m.WriteRegister("pc", fault.Pc + 4); // emulate the load as "leave r1 alone"
            return true;
        });
        var result = emu.Run(Address, until: Address + 8);
        Assert.True(result.Ok);
        Assert.Equal(9ul, emu.ReadRegister("r1"));
        Assert.Equal(5ul, emu.ReadRegister("r2"));
    }

    [Fact]
    public void AFaultNoHookHandlesStillStopsTheRun()
    {
        using var emu = WithCode("arm926", "ldr r1, [r0]");
        emu.WriteRegister("r0", 0x7000_0000);
        int calls = 0;
        using var h = emu.Hooks().Fault((_, _) => { calls++; return false; });
        var result = emu.Run(Address, until: Address + 4);
        Assert.Equal(EmulatorError.ReadUnmapped, result.Error);
        Assert.Equal(Address, result.Pc);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void BlockHooksFollowALoopHandCounted()
    {
        // entry: 2 instructions ending in a branch; loop body: 3 instructions ending in bne (taken
        // twice, then not); exit block: one instruction.
        //   0x10000 mov r0, #3        block A (8 bytes)
        //   0x10004 b loop
        //   0x10008 loop: sub r0, r0, #1   block B (12 bytes), entered 3 times
        //   0x1000c cmp r0, #0
        //   0x10010 bne loop
        //   0x10014 mov r1, #1        block C, entered once (falls through after bne not taken); it ends
        //                             at the run's until address, as Unicorn's translation blocks do
        using var emu = WithCode("arm926", "mov r0, #3\nb loop\nloop: sub r0, r0, #1\ncmp r0, #0\nbne loop\nmov r1, #1\nb .");
        var blocks = new List<(uint, int)>();
        using var b = emu.Hooks().Block((_, address, size) => blocks.Add((address, size)));
        var result = emu.Run(Address, until: Address + 0x18);
        Assert.True(result.Ok);
        Assert.Equal([(Address, 8), (Address + 8, 12), (Address + 8, 12), (Address + 8, 12), (Address + 0x14, 4)], blocks);
    }

    [Fact]
    public void StopFromACodeHookStopsBeforeThatInstruction()
    {
        using var emu = WithCode("arm926", "mov r0, #1\nmov r1, #2\nmov r2, #3");
        using var c = emu.Hooks().Code((m, address, _) => { if (address == Address + 4) m.Stop(); });
        var result = emu.Run(Address, until: Address + 12);
        Assert.Equal(StopReason.Requested, result.Reason);
        Assert.Equal(Address + 4, result.Pc);
        Assert.Equal(1ul, result.Instructions);
        Assert.Equal(0ul, emu.ReadRegister("r1"));
    }

    [Fact]
    public void ACodeHookThatWritesThePcRedirectsExecution()
    {
        using var emu = WithCode("arm926", "mov r0, #1\nmov r1, #2\nmov r2, #3");
        using var c = emu.Hooks().Code((m, address, _) => { if (address == Address + 4) m.WriteRegister("pc", Address + 8); });
        var result = emu.Run(Address, until: Address + 12);
        Assert.True(result.Ok);
        Assert.Equal(0ul, emu.ReadRegister("r1"));
        Assert.Equal(3ul, emu.ReadRegister("r2"));
    }

    [Fact]
    public void TheFirstOfSeveralExitAddressesEndsTheRun()
    {
        using var emu = WithCode("arm926", "cmp r0, #0\nbeq one\nmov r1, #2\ntwo: b two\none: mov r1, #1\nthree: b three");
        uint two = Address + 12, three = Address + 20;
        emu.WriteRegister("r0", 0);
        var first = emu.Run(Address, [two, three]);
        Assert.Equal(StopReason.Address, first.Reason);
        Assert.Equal(three, first.Pc);
        emu.WriteRegister("r0", 1);
        var second = emu.Run(Address, [two, three]);
        Assert.Equal(StopReason.Address, second.Reason);
        Assert.Equal(two, second.Pc);
        Assert.Equal(3ul, second.Instructions);
    }

    [Fact]
    public void ATimeoutEndsAnEndlessLoop()
    {
        using var emu = WithCode("arm926", "loop: add r0, r0, #1\nb loop");
        var started = DateTime.UtcNow;
        var result = emu.Run(Address, timeout: TimeSpan.FromMilliseconds(100));
        Assert.True(result.TimedOut);
        Assert.Equal(StopReason.Requested, result.Reason);
        Assert.True(result.Instructions > 0);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
        // The next run is not stopped by the old timeout.
        var next = emu.Continue(count: 1000);
        Assert.False(next.TimedOut);
        Assert.Equal(StopReason.InstructionLimit, next.Reason);
    }

    [Fact]
    public void StopFromAnotherThreadEndsTheRun()
    {
        using var emu = WithCode("arm926", "loop: add r0, r0, #1\nb loop");
        RunResult result = default;
        var runner = new Thread(() => result = emu.Run(Address));
        runner.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (emu.Cpu.InstructionsExecuted < 10_000 && DateTime.UtcNow < deadline) Thread.Sleep(1);
        emu.Stop();
        Assert.True(runner.Join(TimeSpan.FromSeconds(30)), "Stop() from another thread did not end the run");
        Assert.Equal(StopReason.Requested, result.Reason);
        Assert.False(result.TimedOut);
        Assert.True(result.Instructions >= 10_000);
    }

    [Fact]
    public void AnInvalidInstructionHookEmulatesIt()
    {
        // udf #5 stands for an instruction the hook emulates: r0 = 0x55; execution goes on.
        using var emu = WithCode("arm926", "udf #5\nmov r1, #1");
        var seen = new List<(uint, uint)>();
        using var h = emu.Hooks().InvalidInstruction((m, address, opcode) =>
        {
            seen.Add((address, opcode));
            m.WriteRegister("r0", 0x55);
            return true;
        });
        var result = emu.Run(Address, until: Address + 8);
        Assert.True(result.Ok);
        Assert.Equal([(Address, 0xE7F000F5u)], seen);
        Assert.Equal(0x55ul, emu.ReadRegister("r0"));
        Assert.Equal(1ul, emu.ReadRegister("r1"));
    }

    [Fact]
    public void TheExceptionHookSeesSvcAndTheArchitecturalEntry()
    {
        using var emu = WithCode("arm926", "svc #1\nmov r1, #1");
        emu.MapMemory(0, 0x1000);
        emu.WriteMemory(8, emu.Assemble("mov r2, #2\nmovs pc, lr", 8));
        emu.ExceptionPolicy = ExceptionPolicy.Architectural;
        var seen = new List<(ExceptionKind, uint)>();
        using var h = emu.Hooks().Exception((_, kind, address) => seen.Add((kind, address)));
        var result = emu.Run(Address, until: Address + 8);
        Assert.True(result.Ok);
        Assert.Equal([(ExceptionKind.SupervisorCall, Address)], seen);
        Assert.Equal(2ul, emu.ReadRegister("r2"));
        Assert.Equal(1ul, emu.ReadRegister("r1"));
    }

    [Fact]
    public void MemoryHooksSeeReadsAndWritesBeforeAndAfter()
    {
        using var emu = WithCode("arm926", "ldr r1, [r0]\nadd r1, r1, #1\nstr r1, [r0]");
        emu.MapMemory(0x2000_0000, 0x1000);
        emu.WriteWord(0x2000_0000, 41);
        emu.WriteRegister("r0", 0x2000_0000);
        var seen = new List<(bool Write, bool After, uint Value, uint Memory)>();
        using var h = emu.Hooks().Memory((m, a) => seen.Add((a.IsWrite, a.After, a.Value, ((Emulator)m).ReadWord(0x2000_0000))),
            MemoryHookKinds.ReadBefore | MemoryHookKinds.ReadAfter | MemoryHookKinds.WriteBefore | MemoryHookKinds.WriteAfter);
        emu.Run(Address, until: Address + 12);
        Assert.Equal([(false, false, 0u, 41u), (false, true, 41u, 41u), (true, false, 42u, 41u), (true, true, 42u, 42u)], seen);
    }
}
