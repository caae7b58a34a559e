using ArmEmu.Memory;
using Pair = ArmEmu.Cpu.Tests.Translator.TranslatorLockstepTests.Pair;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// Conditional code under both engines in lock step: ARM code where every kind of instruction the
/// translator compiles carries a condition (data processing with and without S, loads and stores
/// with write-back, LDM/STM, BL, returns, branches forward and back), and Thumb-2 code in IT
/// blocks of every length, with flag-setting and non-flag-setting forms inside them and a branch
/// as the last instruction of one (ARM DDI 0406C A8.8.54: only the last instruction of an IT
/// block may branch). Every run is cut at budgets from 1 up, so that blocks are entered, refused
/// and left inside conditional runs and inside IT blocks; the whole state is compared after each.
/// </summary>
public class TranslatorConditionalCodeTests
{
    private const uint Code = TranslatorLockstepTests.Code, Data = TranslatorLockstepTests.Data, End = 0x0800;

    private static Pair NewPair(CpuModel model, string source, bool thumb, int threshold)
    {
        var pair = new Pair(model, threshold);
        pair.Load(source);
        pair.Load(thumb ? ".syntax unified\n.thumb\nb ." : "b .", End);
        pair.Each(cpu =>
        {
            cpu.WriteCpsr(0x1F, 0xFFFF_FFFF); // System mode
            cpu.R[10] = Data;
            cpu.R[11] = Data + 0x800;
            cpu.R[13] = Data + 0xF00;
            cpu.T = thumb;
            cpu.PC = Code;
        });
        return pair;
    }

    /// <summary>Runs to the end in runs of 1, 2, 3 ... instructions, then in one; the state compared after each.</summary>
    private static void RunCut(Pair pair, string context)
    {
        for (int run = 0, budget = 1; run < 3000 && pair.Interpreted.Cpu.PC != End; run++, budget = budget % 29 + 1)
            pair.Step(budget, End, $"{context} run {run} (budget {budget})");
        pair.Step(1_000_000, End, $"{context} to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
    }

    private const string ArmConditional = """
            .syntax unified
            mov r12, #300
            mov r0, #0
            mov r1, #0
        1:  and r2, r12, #7
            cmp r2, #3
            addlt r0, r0, r12
            addsge r1, r1, r2, lsl #4
            eorhi r3, r0, r1
            movle r4, r3, ror #5
            rsbsne r5, r2, #6
            mulcs r6, r5, r12
            mlacc r7, r6, r2, r0
            strgt r0, [r10, r2, lsl #2]
            ldrle r8, [r10, #8]
            strbmi r1, [r10, #40]
            ldrbpl r9, [r10, #41]
            strne r3, [r11], #4
            ldreq r3, [r11, #-4]!
            stmiavs r10, {r0-r3}
            ldmiavc r10, {r4-r7}
            tst r12, #16
            blne 5f
            cmp r2, #5
            beq 2f
            addgt r0, r0, #1
            bgt 3f
        2:  sub r1, r1, #1
        3:  tst r12, #0x40
            pusheq {r0, r1}
            popeq {r0, r1}
            subs r12, r12, #1
            bne 1b
            b 0x800
        5:  add r9, r9, #1
            cmp r9, #7
            movge r9, #0
            bxge lr
            add r8, r8, r9
            bx lr
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ArmConditionalCode_MatchesTheInterpreter_AtEveryCut(int threshold)
    {
        foreach (var model in new[] { CpuModel.Arm926, CpuModel.CortexA9 })
        {
            using var pair = NewPair(model, ArmConditional, thumb: false, threshold);
            RunCut(pair, $"{model.Name}, threshold {threshold}");
            Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 3000, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
            Assert.True(pair.Engine.Statistics.InstructionsInlined > 20, $"{pair.Engine.Statistics.InstructionsInlined} instructions compiled to IL");
        }
    }

    private const string ThumbItBlocks = """
            .syntax unified
            .thumb
            movs r12, #200
            movs r0, #0
            movs r1, #0
        1:  and r2, r12, #7
            cmp r2, #3
            it lt
            addlt r0, r0, r12
            ite ge
            addge r1, r1, r2
            subslt r1, r1, #1
            itt hi
            eorhi r3, r0, r1
            lslhi r4, r3, #3
            itete ne
            addne r5, r5, #1
            addeq r5, r5, #2
            strne r0, [r10, r2, lsl #2]
            ldreq r6, [r10, #8]
            cmp r2, #6
            ittt eq
            addeq.w r7, r7, r0, ror #7
            moveq r8, r7
            ldrbeq r9, [r10, #3]
            tst r12, #16
            it ne
            blne 5f
            cmp r2, #5
            itt eq
            addeq r0, r0, #3
            beq 2f
            adds r0, r0, #1
        2:  subs r12, r12, #1
            bne 1b
            b 0x800
        5:  adds r9, r9, #1
            cmp r9, #7
            it ge
            movge r9, #0
            bx lr
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ThumbItBlocks_MatchTheInterpreter_AtEveryCut(int threshold)
    {
        using var pair = NewPair(CpuModel.CortexA9, ThumbItBlocks, thumb: true, threshold);
        RunCut(pair, $"Thumb-2, threshold {threshold}");
        Assert.True(pair.Translated.Cpu.T, "left Thumb state");
        Assert.Equal(0u, pair.Translated.Cpu.R[12]);
    }
}
