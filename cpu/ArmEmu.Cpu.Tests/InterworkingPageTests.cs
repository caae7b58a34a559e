using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// Calls between ARM code on one page and Thumb code on another -- a C library's ARM routine and
/// a program's Thumb callback, qsort and its comparison. The interpreter keeps each state's page
/// across a change of state (the ARM loop's fetch page stays the caller's while the callee runs,
/// the Thumb loop's the callee's while the caller runs), so a page called or returned into must
/// still run what is there now: code rewritten while the other state ran, a page unmapped meanwhile.
/// </summary>
public class InterworkingPageTests
{
    private const uint Caller = CpuHarness.CodeBase;          // ARM
    private const uint Callee = CpuHarness.CodeBase + 0x1000; // Thumb, on the next page

    // movs r0, #10 ; bx lr -- one word of two Thumb instructions.
    private const uint MovsR0Ten_BxLr = 0x4770_200A;
    private const uint MovR0Two = 0xE3A0_0002; // ARM: mov r0, #2

    private static CpuHarness Interpreted(bool v7)
    {
        var h = new CpuHarness(v7 ? CpuModel.CortexA9 : CpuModel.Arm926);
        h.Cpu.Engine = new Engines.InterpreterEngine();
        return h;
    }

    /// <summary>An ARM loop at <see cref="Caller"/> calling the Thumb <paramref name="callee"/> r4 times; returns the loop's end.</summary>
    private static uint LoadCallLoop(CpuHarness h, string body, string callee)
    {
        h.Load(".syntax unified\n.thumb\n" + callee, Callee);
        uint end = h.Load($"""
                mov r8, #0
            1:  blx r5
                {body}
                subs r4, r4, #1
                bne 1b
            """, Caller);
        h.Cpu.PC = Caller;
        h.Cpu.R[4] = 3;
        h.Cpu.R[5] = Callee | 1;
        return end;
    }

    /// <summary>Records the address of each exception raised and stops the run there.</summary>
    private static List<uint> RecordExceptions(CpuHarness h)
    {
        var addresses = new List<uint>();
        h.Cpu.ExceptionHandler = (Cpu cpu, in CpuException e) =>
        {
            Assert.Equal(ExceptionKind.PrefetchAbort, e.Kind);
            addresses.Add(e.InstructionAddress);
            return ExceptionDisposition.Stop;
        };
        return addresses;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACalleeRewrittenByTheCaller_RunsItsNewCodeOnTheNextCall(bool v7)
    {
        using var h = Interpreted(v7);
        // After each call the caller writes the callee's first word: movs r0, #1 becomes movs r0, #10.
        uint end = LoadCallLoop(h, "add r8, r8, r0\n str r7, [r6]", "movs r0, #1\n bx lr");
        h.Cpu.R[6] = Callee;
        h.Cpu.R[7] = MovsR0Ten_BxLr;
        Assert.Equal(StopReason.Address, h.Cpu.Run(1000, end));
        Assert.Equal(1u + 10 + 10, h[8]);
        Assert.Equal(1u + 3 * (1 + 2 + 4), h.Cpu.InstructionsExecuted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACallerRewrittenByTheCallee_IsReturnedIntoWithItsNewCode(bool v7)
    {
        using var h = Interpreted(v7);
        // On its second call (r4 == 2) the callee rewrites the caller's instruction after the BLX,
        // which the first return ran (decoded): mov r0, #1 becomes mov r0, #2.
        uint end = LoadCallLoop(h, "mov r0, #1\n add r8, r8, r0", """
                cmp r4, #2
                bne 1f
                str r7, [r6]
            1:  bx lr
            """);
        h.Cpu.R[6] = Caller + 8;
        h.Cpu.R[7] = MovR0Two;
        Assert.Equal(StopReason.Address, h.Cpu.Run(1000, end));
        Assert.Equal(1u + 2 + 2, h[8]);
        Assert.Equal(MovR0Two, h.Read32(Caller + 8));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACalleeUnmappedAfterItReturned_IsAPrefetchAbortOnTheNextCall(bool v7)
    {
        using var h = Interpreted(v7);
        uint end = LoadCallLoop(h, "add r8, r8, r0", "movs r0, #1\n bx lr");
        var aborts = RecordExceptions(h);
        // Back in the caller after the first call, the callee's page still the Thumb loop's.
        Assert.Equal(StopReason.Address, h.Cpu.Run(1000, Caller + 12));
        Assert.Equal(1u, h[8]);
        h.Flat.Unmap(Callee, 0x1000);
        Assert.Equal(StopReason.Requested, h.Cpu.Run(1000, end));
        Assert.Equal([Callee], aborts);
        Assert.Equal(1u, h[8]);
        Assert.Equal(Callee, h.Cpu.PC);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACallerUnmappedWhileTheCalleeRuns_IsAPrefetchAbortOnTheReturn(bool v7)
    {
        using var h = Interpreted(v7);
        uint end = LoadCallLoop(h, "add r8, r8, r0", "movs r0, #1\n bx lr");
        var aborts = RecordExceptions(h);
        // In the callee (at its BX LR), the caller's page still the ARM loop's fetch page.
        Assert.Equal(StopReason.Address, h.Cpu.Run(1000, Callee + 2));
        Assert.True(h.Cpu.T);
        h.Flat.Unmap(Caller, 0x1000);
        Assert.Equal(StopReason.Requested, h.Cpu.Run(1000, end));
        Assert.Equal([Caller + 8], aborts);
        Assert.False(h.Cpu.T);
        Assert.Equal(0u, h[8]);
    }
}
