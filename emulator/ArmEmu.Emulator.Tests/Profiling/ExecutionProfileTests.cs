using ArmEmu.Cpu;
using ArmEmu.Emulator.Profiling;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Profiling;

/// <summary>The profiling loop (Cpu.Profile) through the public API: exact counts, no change to what runs.</summary>
public sealed class ExecutionProfileTests
{
    private const uint Code = 0x1_0000;

    // r0 = 3 + 2 + 1 by a counted loop, then a conditional pair where one fails, then a call.
    private const string Source = """
            mov r1, #3
            mov r0, #0
        1:  add r0, r0, r1
            subs r1, r1, #1
            bne 1b
            cmp r0, #6
            addne r0, r0, #100
            bl f
            b .
        f:  add r0, r0, #1
            bx lr
        """;

    private static Emulator Start(out byte[] code)
    {
        var e = Emulator.Create("arm926");
        e.MapMemory(Code, 0x1_0000);
        code = GnuToolchain.Assemble(Source, Code);
        e.WriteMemory(Code, code);
        return e;
    }

    [Fact]
    public void CountsEachInstructionAndTheConditionFailedOnesApart()
    {
        using var e = Start(out _);
        var profile = new ExecutionProfile();
        e.Cpu.Profile = profile;
        var result = e.Run(Code, until: Code + 32); // stop at "b ."
        Assert.True(result.Ok, result.ToString());
        Assert.Equal(7u, e.ReadRegister(ArmRegister.R0));
        Assert.Equal(1UL, profile.ExecutedAt(Code));
        Assert.Equal(3UL, profile.ExecutedAt(Code + 8));   // add
        Assert.Equal(3UL, profile.ExecutedAt(Code + 16));  // bne: taken twice, fails once
        Assert.Equal(1UL, profile.ConditionFailedAt(Code + 16));
        Assert.Equal(1UL, profile.ConditionFailedAt(Code + 24)); // addne
        Assert.Equal(1UL, profile.ExecutedAt(Code + 36));  // f
        Assert.Equal(e.Cpu.InstructionsExecuted, profile.Total);
        Assert.Equal(16UL, profile.Total); // 2 + 3 * 3 + cmp, addne, bl + f's 2
        var call = Assert.Single(profile.Edges);
        Assert.Equal((Code + 28, Code + 36, 1UL, 2UL), (call.Site, call.Callee, call.Calls, call.Inclusive));
    }

    /// <summary>
    /// Thumb-2 on a Cortex-A9: the same counts and the call followed, a 32-bit BL in and a POP of
    /// the PC out. Thumb slots keep no flags: the profiler looks up each branch's (is it a call,
    /// a return) in the tables (CodeCache.ThumbFlags).
    /// </summary>
    [Fact]
    public void FollowsThumbCallsAndReturns()
    {
        using var e = Emulator.Create("cortex-a9");
        e.MapMemory(Code, 0x1_0000);
        byte[] code = GnuToolchain.Assemble("""
                .syntax unified
                .thumb
                movs r1, #3
                movs r0, #0
            1:  adds r0, r0, r1
                subs r1, r1, #1
                bne 1b
                bl f
                b .
            f:  push {lr}
                adds r0, #1
                pop {pc}
            """, Code, "armv7-a");
        e.WriteMemory(Code, code);
        e.WriteRegister(ArmRegister.SP, Code + 0x1_0000); // the stack at the top of the mapping
        var profile = new ExecutionProfile();
        e.Cpu.Profile = profile;
        var result = e.Run(Code | 1, until: Code + 14); // stop at "b ."
        Assert.True(result.Ok, result.ToString());
        Assert.Equal(7u, e.ReadRegister(ArmRegister.R0));
        Assert.Equal(3UL, profile.ExecutedAt(Code + 8)); // bne: taken twice, falls through once
        Assert.Equal(1UL, profile.ExecutedAt(Code + 10)); // bl (32-bit)
        Assert.Equal(15UL, profile.Total); // 2 + 3 * 3 + bl + f's 3
        var call = Assert.Single(profile.Edges);
        Assert.Equal((Code + 10, Code + 16, 1UL, 3UL), (call.Site, call.Callee, call.Calls, call.Inclusive));
    }

    /// <summary>
    /// Further events (the cache misses) follow calls as instructions do: a call is charged what
    /// happened from its callee's first instruction to its return, the return included.
    /// </summary>
    [Fact]
    public void EventsAreChargedToTheCallsTheyHappenIn()
    {
        using var e = Start(out _);
        var profile = new ExecutionProfile(events: 2);
        e.Cpu.Profile = profile;
        profile.EnterRoot(Code, 0, e.Cpu.Mode);
        // One event of kind 0 per instruction executed, one of kind 1 per instruction of f (Code + 36..40).
        e.Cpu.InstructionHook = (cpu, pc, _) =>
        {
            profile.Events[0]++;
            if (pc >= Code + 36) profile.Events[1]++;
        };
        var result = e.Run(Code, until: Code + 32);
        Assert.True(result.Ok, result.ToString());
        var call = profile.Edges.Single(c => c.Site != uint.MaxValue);
        Assert.Equal(new ulong[] { 2, 2 }, call.InclusiveEvents);
        Assert.Equal(new ulong[] { 2, 2 }, profile.InclusiveEventsByCallee()[Code + 36]);
        // The root is still open: charged everything so far.
        Assert.Equal(new ulong[] { 16, 2 }, profile.InclusiveEventsByCallee()[Code]);
        Assert.Equal(new ulong[] { 16, 2 }, profile.OpenCallEvents(0));
    }

    [Fact]
    public void ProfilingChangesNothingTheGuestSees()
    {
        using var plain = Start(out _);
        using var profiled = Start(out _);
        profiled.Cpu.Profile = new ExecutionProfile();
        var a = plain.Run(Code, count: 100);
        var b = profiled.Run(Code, count: 100);
        Assert.Equal(a, b);
        for (int r = 0; r < 16; r++)
            Assert.Equal(plain.Cpu.R[r], profiled.Cpu.R[r]);
        Assert.Equal(plain.Cpu.Cpsr, profiled.Cpu.Cpsr);
        Assert.Equal(100UL, profiled.Cpu.Profile!.Total);
    }

    [Theory]
    [InlineData("0x10074", true, 0x10074UL)]
    [InlineData("1000", false, 1000UL)]
    [InlineData(" 0X1f ", true, 0x1fUL)]
    public void TracePointsAreCountsOrAddresses(string text, bool isAddress, ulong value)
    {
        Assert.True(TracePoint.TryParse(text, out var p));
        Assert.Equal(new TracePoint(isAddress, value), p);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("-5")]
    [InlineData("0x100000000")]
    [InlineData("main")]
    public void TracePointsRejectTheRest(string text) => Assert.False(TracePoint.TryParse(text, out _));

    [Fact]
    public void UnnamedCodeIsNamedByItsPage()
    {
        var map = new CodeMap();
        map.Add(CodeMap.KuserHelpers());
        Assert.Equal("__kuser_get_tls", map.FunctionAt(0xFFFF_0FE4).Name);
        Assert.Equal("0x00012000", map.FunctionAt(0x0001_2344).Name);
        Assert.Equal("???", map.FunctionAt(0x0001_2344).Object.Name);
    }
}
