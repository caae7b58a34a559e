using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// Thumb-2 execution (DDI 0406C A6): 32-bit instructions on the shared cores, IT blocks and the
/// flag rules inside them, table branches, interworking calls, the fetch of a 32-bit instruction
/// whose second halfword is on another page, and exceptions taken from Thumb state.
/// </summary>
public class Thumb2ExecutionTests
{
    private static CpuHarness RunT32(string body, Action<CpuHarness>? setup = null, CpuModel? model = null) =>
        CpuHarness.Run(model ?? CpuModel.CortexA15, ".syntax unified\n.thumb\n" + body, setup);

    [Fact]
    public void DataProcessingImmediatesAndBitfields()
    {
        using var h = RunT32("""
            movw r0, #0x1234
            movt r0, #0xabcd
            add.w r1, r0, #0x00ff00ff
            ubfx r2, r0, #4, #8
            sbfx r3, r0, #28, #4
            orn r4, r0, #0xff
            mov.w r5, #0x80000000
            adds.w r6, r5, r5
            """);
        Assert.Equal(0xABCD_1234u, h[0]);
        Assert.Equal(0xABCD_1234u + 0x00FF_00FFu, h[1]);
        Assert.Equal(0x23u, h[2]);
        Assert.Equal(0xFFFF_FFFAu, h[3]);
        Assert.Equal(0xABCD_1234u | 0xFFFF_FF00u, h[4]);
        Assert.Equal(0u, h[6]);
        Assert.Equal("nZCV", h.Flags);
    }

    [Fact]
    public void ModifiedImmediateCarryComesFromTheRotationOnly()
    {
        // ANDS with a rotated constant sets C from bit 31 of the constant; with an unrotated one C is kept.
        using var h = RunT32("""
            ands.w r1, r0, #0x80000000
            ands.w r2, r0, #0x00ff00ff
            """, s => { s.Cpu.R[0] = 0xFFFF_FFFF; s.Cpu.C = false; });
        Assert.Equal(0x8000_0000u, h[1]);
        Assert.Equal(0x00FF_00FFu, h[2]);
        Assert.True(h.Cpu.C);
    }

    [Fact]
    public void ItBlocksExecuteConditionallyAndSixteenBitFormsKeepTheFlags()
    {
        using var h = RunT32("""
            movs r0, #1
            cmp r0, #1
            ite eq
            moveq r1, #10
            movne r1, #20
            itt ne
            movne r2, #30
            movne r3, #40
            cmp r0, #2
            it ne
            addne r4, r0, r0
            """, s => { s.Cpu.R[2] = 0xDEAD; s.Cpu.R[3] = 0xBEEF; });
        Assert.Equal(10u, h[1]);
        Assert.Equal(0xDEADu, h[2]);
        Assert.Equal(0xBEEFu, h[3]);
        Assert.Equal(2u, h[4]);
        // cmp r0, #2 gave N, no carry; the 16-bit ADD inside the IT block did not set flags.
        Assert.Equal("Nzcv", h.Flags);
        Assert.Equal(0, h.Cpu.ITState);
    }

    [Fact]
    public void FourInstructionItBlockFollowsTheMask()
    {
        using var h = RunT32("""
            cmp r0, r0
            itete eq
            moveq r1, #1
            movne r2, #2
            moveq r3, #3
            movne r4, #4
            movs r5, #5
            """);
        Assert.Equal((1u, 0u, 3u, 0u, 5u), (h[1], h[2], h[3], h[4], h[5]));
    }

    [Fact]
    public void TableBranchCompareAndBranchAndCalls()
    {
        using var h = RunT32("""
                movs r0, #2
                tbb [pc, r0]
            table:
                .byte (c0 - table) / 2, (c1 - table) / 2, (c2 - table) / 2, 0
            c0: movs r5, #100
                b done
            c1: movs r5, #101
                b done
            c2: movs r5, #102
            done:
                movs r6, #0
                cbz r6, skip
                movs r7, #1
            skip:
                movs r1, #1
                tbh [pc, r1, lsl #1]
            htable:
                .short (h0 - htable) / 2, (h1 - htable) / 2
            h0: movs r4, #1
            h1: bl func
                blx armfunc
                b end
            func:
                mov r8, #55
                bx lr
            .arm
            .align 2
            armfunc:
                mov r9, #66
                bx lr
            .thumb
            end:
            """);
        Assert.Equal(102u, h[5]);
        Assert.Equal(0u, h[7]);
        Assert.Equal(0u, h[4]);
        Assert.Equal(55u, h[8]);
        Assert.Equal(66u, h[9]);
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void LoadsStoresDualExclusiveAndMultiple()
    {
        using var h = RunT32("""
            mov.w r1, #0x80000
            movw r2, #0x5678
            movt r2, #0x1234
            mvn.w r3, r2
            strd r2, r3, [r1, #8]!
            ldrd r4, r5, [r1], #-8
            ldrex r6, [r1, #8]
            strex r7, r3, [r1, #8]
            ldr.w r8, [r1, #8]
            push.w {r4, r5, lr}
            pop.w {r9, r10, r11}
            ldrsh.w r12, [r1, #14]
            """, s => { s.Cpu.R[13] = 0x9_0000; s.Cpu.R[14] = 0x4321; });
        Assert.Equal(0x8_0000u, h[1]);
        Assert.Equal((h[2], h[3]), (h[4], h[5]));
        Assert.Equal(h[2], h[6]);
        Assert.Equal(0u, h[7]);
        Assert.Equal(h[3], h[8]);
        Assert.Equal((h[4], h[5], 0x4321u), (h[9], h[10], h[11]));
        Assert.Equal(unchecked((uint)(short)(~0x1234u & 0xFFFF)), h[12]);
        Assert.Equal(0x9_0000u, h[13]);
    }

    [Fact]
    public void DivideAndLongMultiplyOnCortexA15()
    {
        using var h = RunT32("""
            sdiv r2, r0, r1
            udiv r3, r0, r1
            smull r4, r5, r0, r1
            """, s => { s.Cpu.R[0] = unchecked((uint)-100); s.Cpu.R[1] = 7; });
        Assert.Equal(unchecked((uint)-14), h[2]);
        Assert.Equal(unchecked((uint)-100) / 7, h[3]);
        Assert.Equal((0xFFFF_FD44u, 0xFFFF_FFFFu), (h[4], h[5]));
    }

    [Fact]
    public void DivideIsUndefinedOnCortexA9()
    {
        using var h = RunT32(".inst.w 0xfb91f0f2 @ sdiv r0, r1, r2", model: CpuModel.CortexA9);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
    }

    [Fact]
    public void ThirtyTwoBitInstructionAcrossAPageRunsWhole()
    {
        // movw r0, #0x1234 with its first halfword the last of page 0x1000, its second the first of 0x2000.
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Load(".syntax unified\n.thumb\nnop\nmovw r0, #0x1234\nmovs r1, #1", 0x1FFC);
        h.Cpu.T = true;
        h.Cpu.PC = 0x1FFC;
        h.Cpu.Run(3);
        Assert.Equal(0x1234u, h[0]);
        Assert.Equal(1u, h[1]);
        Assert.Equal(0x2004u, h.Cpu.PC);
    }

    [Fact]
    public void SecondHalfwordOnAnUnmappedPageIsAPrefetchAbortOfTheInstruction()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Load(".syntax unified\n.thumb\nnop\nmovw r0, #0x1234", 0x1FFC);
        h.Flat.Unmap(0x2000, 0x1000);
        CpuException? taken = null;
        h.Cpu.ExceptionHandler = (Cpu cpu, in CpuException e) =>
        {
            taken = e;
            return ExceptionDisposition.Enter;
        };
        h.Cpu.Cpsr = (uint)ProcessorMode.Supervisor | 0x20;
        h.Cpu.PC = 0x1FFC;
        h.Cpu.Run(2);
        Assert.Equal(ExceptionKind.PrefetchAbort, taken!.Value.Kind);
        Assert.Equal(0x1FFEu, taken.Value.InstructionAddress);
        Assert.Equal(0x2000u, taken.Value.Fault!.Address);
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(0x1FFEu + 4, h[14]); // LR_abt = the instruction + 4 in Thumb state too (B1.9.3 table B1-7)
        Assert.Equal(0u, h[0]);
        Assert.Equal(0x33u, h.Cpu.Spsr & 0x3F); // the aborted state: Supervisor, Thumb
    }

    [Fact]
    public void UndefinedThirtyTwoBitInstructionLinksToTheSecondHalfword()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Load(".syntax unified\n.thumb\nudf.w #0");
        h.Cpu.Cpsr = (uint)ProcessorMode.User | 0x20;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        // LR = the instruction + 2 for Thumb, whatever its size (TakeUndefInstrException: PC - 2).
        Assert.Equal(CpuHarness.CodeBase + 2, h[14]);
        Assert.Equal(0x30u, h.Cpu.Spsr & 0x3F);
        Assert.False(h.Cpu.T);
    }

    [Fact]
    public void SvcInsideAnItBlockSavesTheAdvancedItState()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Load(".syntax unified\n.thumb\ncmp r0, r0\nitte eq\nsvceq #1\nmoveq r1, #1\nmovne r2, #2");
        h.Cpu.Cpsr = (uint)ProcessorMode.User | 0x20;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(3);
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        uint spsr = h.Cpu.Spsr;
        byte it = (byte)(((spsr >> 25) & 3) | ((spsr >> 8) & 0xFC));
        // itte eq: firstcond 0000, mask 0110; after the first instruction ITAdvance gives mask 1100.
        Assert.Equal(Cpu.ITAdvance(0x06), it);
        Assert.Equal(0, h.Cpu.ITState);
    }

    [Fact]
    public void SvcInsideAnItBlockResumedByTheHandlerContinuesTheBlock()
    {
        using var h = new CpuHarness(CpuModel.CortexA9);
        h.Load(".syntax unified\n.thumb\ncmp r0, r0\nitte eq\nsvceq #1\nmoveq r1, #1\nmovne r2, #2");
        h.Cpu.ExceptionHandler = (Cpu cpu, in CpuException e) => ExceptionDisposition.Resume;
        h.Cpu.Cpsr = (uint)ProcessorMode.User | 0x20;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(100, h.End);
        Assert.Equal((1u, 0u), (h[1], h[2]));
        Assert.Equal(0, h.Cpu.ITState);
    }

    [Fact]
    public void SixteenBitV6T2AdditionsRun()
    {
        using var h = RunT32("""
            rev r1, r0
            rev16 r2, r0
            sxtb r3, r0
            uxth r4, r0
            """, s => s.Cpu.R[0] = 0x1122_3384);
        Assert.Equal((0x8433_2211u, 0x2211_8433u, 0xFFFF_FF84u, 0x3384u), (h[1], h[2], h[3], h[4]));
    }

    private const string ItBlockProgram = """
        movs r0, #1
        cmp r0, #1
        ite eq
        moveq r1, #10
        movne r1, #20
        itt ne
        movne r2, #30
        movne r3, #40
        adds r4, r0, r0
        """;

    [Fact]
    public void ItBlocksRunAlikeWithAnInstructionHook()
    {
        // The interpreter runs IT-block instructions off its plain path, with or without a hook.
        var seen = new List<uint>();
        using var plain = RunT32(ItBlockProgram);
        using var hooked = RunT32(ItBlockProgram, s => s.Cpu.InstructionHook = (_, pc, thumb) => { if (thumb) seen.Add(pc); });
        for (int r = 0; r < 5; r++) Assert.Equal(plain[r], hooked[r]);
        Assert.Equal(plain.Flags, hooked.Flags);
        Assert.Equal(10u, hooked[1]);
        Assert.Equal(0u, hooked[2]);
        Assert.Equal(9, seen.Count); // every instruction once, those whose condition failed too
        Assert.Equal(0, hooked.Cpu.ITState);
    }

    [Fact]
    public void AHookThatEndsAnItBlockHasTheInstructionRunUnconditionally()
    {
        // movne r1, #20 (the fifth instruction) fails its condition; a hook clearing ITSTATE
        // before it leaves it outside any IT block, so it runs.
        int count = 0;
        using var h = RunT32(ItBlockProgram, s => s.Cpu.InstructionHook = (c, _, _) => { if (++count == 5) c.ITState = 0; });
        Assert.Equal(20u, h[1]);
        // Outside an IT block that 16-bit MOV is MOVS: it clears Z, so the next block (itt ne) runs.
        Assert.Equal(30u, h[2]);
        Assert.Equal(40u, h[3]);
        Assert.Equal(0, h.Cpu.ITState);
    }

    [Fact]
    public void TheThumbLoopReadsTAndItStateWithOneLoad()
    {
        // The interpreter tests CPSR.T and ITSTATE with one 16-bit load where the runtime lays the
        // two fields out side by side, as the field order of Cpu asks; it has a slower form for a
        // runtime that does not, which this test would let go unnoticed.
        Assert.True(Engines.InterpreterEngine.ThumbStateAdjacent);
    }
}
