using ArmEmu.Cpu.Engines.Translator;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using Pair = ArmEmu.Cpu.Tests.Translator.TranslatorLockstepTests.Pair;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// The translator's exactness where a block meets the outside world, each case run by both
/// engines and compared whole (registers, CPSR, PC, instruction count, data memory): an abort
/// in the middle of a block, SVC, an undefined instruction, an interrupt raised by a store in
/// the middle of a block and one due when a budget ends mid-block, code that rewrites itself,
/// a loop across a page boundary, budgets that end inside blocks.
/// </summary>
public class TranslatorExactnessTests
{
    private const uint End = 0x0800; // every program ends by branching here ("b ." at End)

    private static Pair NewPair(string source, int threshold = 1, CpuModel? model = null, CacheModelOptions? caches = null)
    {
        var pair = new Pair(model ?? CpuModel.Arm926, threshold, caches);
        pair.Load(source);
        pair.Load("b .", End);
        pair.Each(cpu =>
        {
            cpu.WriteCpsr(0x1F, 0xFFFF_FFFF); // System mode, interrupts enabled
            cpu.PC = TranslatorLockstepTests.Code;
        });
        return pair;
    }

    /// <summary>Records the exceptions each CPU raises and what the handler decides.</summary>
    private static List<CpuException>[] Record(Pair pair, Func<Cpu, CpuException, ExceptionDisposition> decide) =>
        pair.RecordExceptions((_, e) => e, decide);

    private static void AssertSameExceptions(List<CpuException>[] seen)
    {
        Assert.Equal(seen[0].Count, seen[1].Count);
        for (int i = 0; i < seen[0].Count; i++)
        {
            Assert.Equal(seen[0][i].Kind, seen[1][i].Kind);
            Assert.Equal(seen[0][i].InstructionAddress, seen[1][i].InstructionAddress);
            Assert.Equal(seen[0][i].Opcode, seen[1][i].Opcode);
            Assert.Equal(seen[0][i].Fault?.Address, seen[1][i].Fault?.Address);
        }
    }

    private const string AbortLoop = """
            mov r12, #50
            ldr r0, =0x80000
            mov r1, #0
        1:  add r1, r1, #1
            ldr r2, [r0]
            add r3, r2, r1
            cmp r1, #40
            moveq r0, #0x200000
            str r3, [r0, #4]
            add r4, r4, #1
            subs r12, r12, #1
            bne 1b
            b 0x800
            .ltorg
        """;

    [Fact]
    public void DataAbort_InTheMiddleOfATranslatedBlock_StopsWithTheInterpretersState()
    {
        using var pair = NewPair(AbortLoop);
        var seen = Record(pair, (_, _) => ExceptionDisposition.Stop);
        pair.Step(100_000, End, "abort, stop");
        AssertSameExceptions(seen);
        var abort = Assert.Single(seen[1]);
        Assert.Equal(ExceptionKind.DataAbort, abort.Kind);
        Assert.Equal(0x200004u, abort.Fault!.Address);
        Assert.Equal(40u, pair.Translated.Cpu.R[1]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100, "the loop ran translated before the abort");
    }

    [Fact]
    public void DataAbort_Resumed_AfterTheFaultingInstruction_RunsOnIdentically()
    {
        using var pair = NewPair(AbortLoop);
        var seen = Record(pair, (cpu, e) =>
        {
            cpu.R[0] = 0x80000; // a handler that repairs the pointer and skips the store
            cpu.PC = e.InstructionAddress + 4;
            return ExceptionDisposition.Resume;
        });
        pair.Step(100_000, End, "abort, resume");
        AssertSameExceptions(seen);
        Assert.Single(seen[1]);
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(50u, pair.Translated.Cpu.R[4]);
    }

    [Fact]
    public void Svc_InALoop_ResumedAsLinuxDoes_CountsAndReturnsIdentically()
    {
        using var pair = NewPair("""
                mov r12, #100
                mov r0, #0
            1:  add r0, r0, #3
                svc #0
                add r0, r0, r7
                subs r12, r12, #1
                bne 1b
                b 0x800
            """);
        var seen = Record(pair, (cpu, e) =>
        {
            Assert.Equal(ExceptionKind.SupervisorCall, e.Kind);
            cpu.R[7] = cpu.R[0] & 7; // the "system call" answers in a register
            return ExceptionDisposition.Resume;
        });
        pair.Step(100_000, End, "svc");
        AssertSameExceptions(seen);
        Assert.Equal(100, seen[1].Count);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0);
    }

    [Fact]
    public void UndefinedInstruction_ConditionalInAHotBlock_IsRaisedAtTheSameInstruction()
    {
        using var pair = NewPair("""
                mov r12, #60
                mov r1, #0
            1:  add r1, r1, #1
                cmp r1, #45
                mcreq p5, 0, r0, c0, c0, 0
                add r2, r2, r1
                subs r12, r12, #1
                bne 1b
                b 0x800
            """);
        var seen = Record(pair, (_, _) => ExceptionDisposition.Stop);
        pair.Step(100_000, End, "undefined");
        AssertSameExceptions(seen);
        var undefined = Assert.Single(seen[1]);
        Assert.Equal(ExceptionKind.Undefined, undefined.Kind);
        Assert.Equal(45u, pair.Translated.Cpu.R[1]);
    }

    /// <summary>A device whose register, when written, raises the CPU's IRQ line.</summary>
    private sealed class InterruptingDevice(Func<Cpu> cpu) : IMmioDevice
    {
        public uint Size => 0x1000;

        public uint Read(uint offset, int size) => 0;

        public void Write(uint offset, int size, uint value) => cpu().IrqLine = value != 0;
    }

    [Fact]
    public void Interrupt_RaisedByAStoreInTheMiddleOfABlock_IsTakenAfterThatStore()
    {
        using var pair = NewPair("""
                mov r12, #80
                ldr r9, =0x200000
                mov r1, #0
            1:  add r1, r1, #1
                cmp r1, #50
                moveq r3, #1
                movne r3, #0
                str r3, [r9]
                add r2, r2, r1
                eor r4, r4, r2
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        foreach (var h in new[] { pair.Interpreted, pair.Translated })
        {
            var cpu = h.Cpu;
            h.Bus.AddDevice(0x200000, new InterruptingDevice(() => cpu));
            h.Flat.Map(0x200000, 0x1000, Permission.All);
        }
        var seen = Record(pair, (cpu, e) =>
        {
            cpu.IrqLine = false;
            return ExceptionDisposition.Stop;
        });
        pair.Step(100_000, End, "irq from a store");
        AssertSameExceptions(seen);
        var irq = Assert.Single(seen[1]);
        Assert.Equal(ExceptionKind.Irq, irq.Kind);
        Assert.Equal(50u, pair.Translated.Cpu.R[1]);
    }

    [Fact]
    public void Interrupt_DueWhenTheBudgetEndsMidBlock_IsTakenAtThatInstruction()
    {
        using var pair = NewPair("""
                mov r12, #200
            1:  add r0, r0, #1
                add r1, r1, r0
                eor r2, r2, r1
                orr r3, r3, r2, lsl #1
                subs r12, r12, #1
                bne 1b
                b 0x800
            """);
        var seen = Record(pair, (cpu, e) =>
        {
            cpu.IrqLine = false;
            cpu.PC = e.InstructionAddress; // return to the interrupted instruction at once
            return ExceptionDisposition.Resume;
        });
        pair.Step(300, End, "warm up");
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0);
        // Each run ends mid-block (6-instruction loop, odd budgets); the line rises between runs.
        foreach (long budget in new long[] { 3, 5, 7, 1, 11, 2, 4 })
        {
            pair.Step(budget, End, $"run of {budget}");
            pair.Each(cpu => cpu.IrqLine = true);
            pair.Step(budget, End, $"run of {budget} with the interrupt");
        }
        AssertSameExceptions(seen);
        Assert.Equal(7, seen[1].Count);
    }

    [Fact]
    public void SelfModifyingCode_AStoreIntoItsOwnBlock_RunsTheNewInstruction()
    {
        using var pair = NewPair("""
                mov r12, #20
                mov r0, #0
                ldr r6, =2f
                ldr r5, =0xe2800002
                ldr r4, =0xe2800001
            1:  str r5, [r6]
            2:  add r0, r0, #1
                str r4, [r6]
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        pair.Step(100_000, End, "self-modifying block");
        Assert.Equal(40u, pair.Interpreted.Cpu.R[0]); // the interpreter runs the patched "add r0, r0, #2"
        Assert.Equal(40u, pair.Translated.Cpu.R[0]);
    }

    [Fact]
    public void SelfModifyingCode_AHotFunctionRewrittenBetweenCalls_RunsTheNewCode()
    {
        using var pair = NewPair("""
                mov r12, #30
                mov r0, #0
                ldr r6, =3f
                ldr r5, =0xe2800010
            1:  bl 3f
                cmp r12, #15
                streq r5, [r6]
                subs r12, r12, #1
                bne 1b
                b 0x800
            3:  add r0, r0, #1
                add r1, r1, #2
                bx lr
                .ltorg
            """);
        pair.Step(100_000, End, "rewritten function");
        Assert.Equal(16u + 14 * 16, pair.Interpreted.Cpu.R[0]); // calls 1-16 add 1, calls 17-30 add 16
        Assert.Equal(16u + 14 * 16, pair.Translated.Cpu.R[0]);
    }

    [Fact]
    public void SelfModifyingCode_ThroughAWriteFastPathFilledBeforeTranslation_RunsTheNewCode()
    {
        // Threshold 4: the loop's stores to the code page's scratch word run interpreted first,
        // so the memory port's write fast path holds the code page before any block exists. A
        // translation must take it off the fast path (the rewrite is only counted on the slow
        // path), or the rewritten function's block would keep running its old words.
        using var pair = NewPair("""
                mov r12, #30
                mov r0, #0
                ldr r6, =3f
                ldr r7, =4f
                ldr r5, =0xe2800010
            1:  str r12, [r7]
                bl 3f
                cmp r12, #15
                streq r5, [r6]
                subs r12, r12, #1
                bne 1b
                b 0x800
            3:  add r0, r0, #1
                add r1, r1, #2
                bx lr
            4:  .word 0
                .ltorg
            """, threshold: 4);
        pair.Step(100_000, End, "rewritten through the fast path");
        Assert.Equal(16u + 14 * 16, pair.Interpreted.Cpu.R[0]);
        Assert.Equal(16u + 14 * 16, pair.Translated.Cpu.R[0]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0);
    }

    // A hot function rewritten by a store after its 11th call; after the 21st, an SVC whose
    // handler does what Linux's cacheflush does (clean the D-cache, drain the write buffer,
    // invalidate the I-cache).
    private const string RewrittenThenFlushed = """
            mov r12, #30
            mov r0, #0
            ldr r6, =3f
            ldr r5, =0xe2800010
        1:  bl 3f
            cmp r12, #20
            streq r5, [r6]
            cmp r12, #10
            svceq #1
            subs r12, r12, #1
            bne 1b
            b 0x800
        3:  add r0, r0, #1
            add r1, r1, #2
            bx lr
            .ltorg
        """;

    private static void FlushLikeCacheflush(Pair pair)
    {
        var caches = new[] { pair.InterpretedCaches!, pair.TranslatedCaches! };
        int k = 0;
        pair.Each(cpu =>
        {
            var c = caches[k++];
            cpu.ExceptionHandler = (Cpu _, in CpuException e) =>
            {
                Assert.Equal(ExceptionKind.SupervisorCall, e.Kind);
                while (!c.TestAndCleanDataCache()) { }
                c.DrainWriteBuffer();
                c.InvalidateInstructionCache();
                return ExceptionDisposition.Resume;
            };
        });
    }

    public static TheoryData<string> CacheModels => ["arm926", "cortex-a9"];

    private static (CpuModel, CacheModelOptions) CacheModel(string name) =>
        name == "arm926" ? (CpuModel.Arm926, CacheModelOptions.Arm926) : (CpuModel.CortexA9, CacheModelOptions.CortexA9);

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void SelfModifyingCode_WithTheInstructionCacheModelled_RunsStaleUntilTheLineIsInvalidated(string name)
    {
        var (model, caches) = CacheModel(name);
        using var pair = NewPair(RewrittenThenFlushed, threshold: 3, model, caches);
        FlushLikeCacheflush(pair);
        pair.Step(100_000, End, "rewritten, stale in the I-cache, then flushed");
        // Calls 1-21 run the old "add r0, r0, #1" (the I-cache keeps the line the store did not
        // reach), calls 22-30 the new "add r0, r0, #16", fetched again after the invalidation.
        Assert.Equal(21u + 9 * 16, pair.Interpreted.Cpu.R[0]);
        Assert.Equal(21u + 9 * 16, pair.Translated.Cpu.R[0]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100, "the loop ran translated from the I-cache");
        Assert.True(pair.TranslatedCaches!.InstructionCache!.Counters.ReadHits > 100);
    }

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void SelfModifyingCode_WithTheDataCacheOnly_RunsWhatMemoryHolds(string name)
    {
        // SCTLR.I clear: fetches read memory behind the D-cache, so the store (a write-back hit on
        // the line the literal load brought in, or a buffered write) reaches the code only when
        // it is cleaned or drained: the blocks follow memory, as the interpreter does.
        var (model, caches) = CacheModel(name);
        using var pair = NewPair(RewrittenThenFlushed, threshold: 3, model, caches);
        pair.InterpretedCaches!.InstructionCacheEnabled = false;
        pair.TranslatedCaches!.InstructionCacheEnabled = false;
        FlushLikeCacheflush(pair);
        pair.Step(100_000, End, "rewritten behind the D-cache, then flushed");
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100);
        Assert.Equal(0ul, pair.TranslatedCaches.InstructionCache!.Counters.Reads);
    }

    /// <summary>A DMA-like device: a write to its register copies the word at +4 to the code address at +8, through the bus.</summary>
    private sealed class CopyingDevice(PhysicalBus bus) : IMmioDevice
    {
        private uint _word, _target;

        public uint Size => 0x1000;

        public uint Read(uint offset, int size) => 0;

        public void Write(uint offset, int size, uint value)
        {
            if (offset == 4) _word = value;
            else if (offset == 8) _target = value;
            else bus.WriteRam(_target, BitConverter.GetBytes(_word));
        }
    }

    [Fact]
    public void CodeRewrittenByAnotherBusMaster_RunsTheNewCode()
    {
        // The store that starts the copy goes to a device, not to the code page: only the bus's
        // count of code writes tells the translated function that its words changed.
        using var pair = NewPair("""
                mov r12, #30
                mov r0, #0
                ldr r9, =0x200000
                ldr r6, =3f
                ldr r5, =0xe2800010
                str r5, [r9, #4]
                str r6, [r9, #8]
            1:  bl 3f
                cmp r12, #15
                streq r5, [r9]
                subs r12, r12, #1
                bne 1b
                b 0x800
            3:  add r0, r0, #1
                add r1, r1, #2
                bx lr
                .ltorg
            """);
        foreach (var h in new[] { pair.Interpreted, pair.Translated })
        {
            h.Bus.AddDevice(0x200000, new CopyingDevice(h.Bus));
            h.Flat.Map(0x200000, 0x1000, Permission.All);
        }
        pair.Step(100_000, End, "rewritten by a bus master");
        Assert.Equal(16u + 14 * 16, pair.Interpreted.Cpu.R[0]);
        Assert.Equal(16u + 14 * 16, pair.Translated.Cpu.R[0]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0);
    }

    [Fact]
    public void ALoopAcrossAPageBoundary_RunsAsTwoBlocks_Identically()
    {
        var pair = new Pair(CpuModel.Arm926, 1);
        using (pair)
        {
            const uint start = 0x1FE8;
            pair.Load("""
                    mov r12, #100
                1:  add r0, r0, #1
                    add r1, r1, r0
                    eor r2, r2, r1
                    add r3, r3, r2, ror #3
                    sub r4, r4, r3
                    subs r12, r12, #1
                    bne 1b
                    b 0x800
                """, start);
            pair.Load("b .", End);
            pair.Each(cpu => cpu.PC = start);
            for (int i = 0; i < 40; i++) pair.Step(1 + i % 9, End, $"run {i}");
            pair.Step(100_000, End, "to the end");
            Assert.Equal(End, pair.Translated.Cpu.PC);
            Assert.True(pair.Engine.Statistics.BlocksTranslated >= 2);
            // Each half ends by going into the other page: the two are linked across it.
            Assert.True(pair.Engine.Statistics.ChainedEntries > 50, $"{pair.Engine.Statistics.ChainedEntries} chained entries");
        }
    }

    [Fact]
    public void Budgets_EndingInsideAHotBlock_StopAtTheSameInstruction()
    {
        using var pair = NewPair("""
                mov r12, #1000
            1:  add r0, r0, #1
                add r1, r1, r0
                eor r2, r2, r1
                mov r3, r2, lsr #3
                adds r4, r4, r3
                adc r5, r5, #0
                subs r12, r12, #1
                bne 1b
                b 0x800
            """);
        pair.Step(100, End, "warm up");
        for (long budget = 1; budget <= 20; budget++) pair.Step(budget, End, $"budget {budget}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 5000);
    }

    [Fact]
    public void Translation_WaitsForTheThreshold()
    {
        using var pair = NewPair("""
                mov r12, #10
            1:  add r0, r0, #1
                subs r12, r12, #1
                bne 1b
                b 0x800
            """, threshold: 50);
        pair.Step(100_000, End, "cold loop");
        Assert.Equal(0, pair.Engine.Statistics.BlocksTranslated);
        Assert.Equal(10u, pair.Translated.Cpu.R[0]);
    }

    /// <summary>
    /// UMULL/UMLAL/SMULL/SMLAL and CLZ compiled: N from bit 63 and Z from all 64 bits (a zero
    /// low word with a non-zero high word is not zero), the carry of an accumulation from the low
    /// word into the high one, signed products, RdLo and RdHi the same register (the interpreter
    /// writes RdLo, then RdHi), CLZ of zero; every instruction of the loop compiled.
    /// </summary>
    [Fact]
    public void LongMultiplies_AndClz_AreCompiled_WithTheInterpretersFlags()
    {
        using var pair = NewPair("""
                ldr r0, =0x80000000
                mvn r1, #0
                mov r2, #2
                mov r11, #0
                mov r12, #40
            1:  umulls r3, r4, r0, r2
                addeq r5, r5, #1
                smulls r6, r7, r0, r2
                addmi r5, r5, #0x10
                umlals r3, r4, r1, r1
                addcs r5, r5, #0x1000
                smlal r6, r7, r1, r0
                umull r8, r8, r1, r2
                smulls r9, r10, r11, r11
                addeq r5, r5, #0x100
                clz r9, r11
                clz r10, r5
                add r11, r11, r10
                add r2, r2, r3
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        pair.Each(cpu => cpu.WriteCpsr(0x1F | 0x2000_0000, 0xFFFF_FFFF)); // C set: the S forms leave it
        pair.Step(100_000, End, "the loop");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.NotEqual(0u, pair.Translated.Cpu.R[5]);
        var s = pair.Engine.Statistics;
        Assert.True(s.InstructionsInlined == s.InstructionsTranslated, $"{s.InstructionsInlined} of {s.InstructionsTranslated} instructions compiled");
    }

    /// <summary>
    /// BX compiled (BXWritePC inline, a computed exit): returns, a conditional return taken now
    /// and then, interworking to Thumb code (entered by an interpreted BLX) and back, and an ARM
    /// target with bit 1 set (the interpreter clears bits 1:0); cut at every budget up to 40.
    /// </summary>
    [Fact]
    public void BranchExchange_ReturnsAndInterworking_MatchTheInterpreter()
    {
        using var pair = NewPair("""
                mov r12, #60
            1:  bl 2f
                ldr r3, =3f
                orr r3, r3, #1
                blx r3
                ldr r5, =4f + 2
                bx r5
            4:  add r6, r6, #1
                subs r12, r12, #1
                bne 1b
                b 0x800
            2:  add r1, r1, #3
                cmp r1, #50
                bxhi lr
                add r2, r2, #1
                bx lr
                .thumb
            3:  add r4, #1
                bx lr
                .arm
                .ltorg
            """);
        for (long budget = 1; budget <= 40; budget++) pair.Step(budget, End, $"budget {budget}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(60u, pair.Translated.Cpu.R[4]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 500, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>
    /// The ARMv6/v7 extends (SXTB/SXTH/UXTB/UXTH with each rotation) and MOVT compiled in ARM
    /// state on the Cortex-A9: the interpreter's results, every instruction of the loop compiled.
    /// </summary>
    [Fact]
    public void ExtendsAndMovt_AreCompiled_WithTheInterpretersResults()
    {
        using var pair = NewPair("""
                movw r0, #0x8081
                movt r0, #0xF07F
                mov r12, #30
            1:  sxtb r1, r0
                sxth r2, r0, ror #8
                uxtb r3, r0, ror #16
                uxth r4, r0, ror #24
                add r5, r5, r1
                add r5, r5, r2
                add r6, r6, r3
                add r6, r6, r4
                movt r7, #0x1234
                add r7, r7, #0x10000
                movt r0, #0x8F0F
                add r0, r0, r5, ror #7
                subs r12, r12, #1
                bne 1b
                b 0x800
            """, model: CpuModel.CortexA9);
        for (long budget = 1; budget <= 20; budget++) pair.Step(budget, End, $"budget {budget}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        var s = pair.Engine.Statistics;
        Assert.True(s.InstructionsInlined == s.InstructionsTranslated, $"{s.InstructionsInlined} of {s.InstructionsTranslated} instructions compiled");
    }

    /// <summary>
    /// While the loop is cold every address of it is counted alike, so when its first becomes a
    /// block the others are one short of the threshold. Runs whose budget ends inside the block
    /// (a machine's slices end anywhere) land on those addresses without entering the block: they
    /// must not each become a block, a copy of the rest of the loop (the engine counts them
    /// again from nothing once they are inside a block).
    /// </summary>
    [Fact]
    public void Addresses_InsideABlock_DoNotBecomeBlocks_WhereShortBudgetsLand()
    {
        using var pair = NewPair("""
                ldr r12, =100000
            1:  add r0, r0, #1
                add r1, r1, r0
                eor r2, r2, r1
                mov r3, r2, lsr #3
                adds r4, r4, r3
                adc r5, r5, #0
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, threshold: 50);
        pair.Step(1 + 8 * 60, End, "warm up: the loop's start becomes a block at its 50th pass");
        Assert.Equal(1, pair.Engine.Statistics.BlocksTranslated);
        // Budgets shorter than the block: each run is interpreted, landing on addresses inside
        // it (each about 17 times here, fewer than the threshold).
        for (int round = 0; round < 5; round++)
            for (long budget = 1; budget <= 7; budget++) pair.Step(budget, End, $"round {round}, budget {budget}");
        pair.Step(8 * 100, End, "the block again");
        Assert.Equal(1, pair.Engine.Statistics.BlocksTranslated);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks >= 8 * 100, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>
    /// A loop whose body has a conditional branch out of it in the middle (taken every fourth
    /// pass) and a conditional return-like jump: one superblock of segments. Budgets and a stop
    /// address that fall in the later segments stop it at the same instruction as the interpreter.
    /// </summary>
    [Fact]
    public void Superblock_BudgetsAndStopAddressInALaterSegment_StopAtTheSameInstruction()
    {
        const string source = """
                mov r12, #400
            1:  add r0, r0, #1
                tst r0, #3
                beq 2f
                add r1, r1, r0
                eor r2, r2, r1
            3:  add r3, r3, r2, ror #3
                subs r12, r12, #1
                bne 1b
                b 0x800
            2:  add r4, r4, #1
                b 3b
            """;
        using var pair = NewPair(source);
        pair.Step(200, End, "warm up");
        for (long budget = 1; budget <= 40; budget++) pair.Step(budget, End, $"budget {budget}");
        // A stop address inside the second segment (the "eor"), then on to the end.
        uint eor = TranslatorLockstepTests.Code + 5 * 4;
        for (int i = 0; i < 5; i++) pair.Step(100_000, eor, $"stop {i}");
        Assert.Equal(eor, pair.Translated.Cpu.PC);
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(100u, pair.Translated.Cpu.R[4]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 2000);
    }

    /// <summary>
    /// A loop calling a function and branching between short blocks: the blocks are linked at
    /// their fixed exits and entered through the links (a block's exit tail-calls the next),
    /// identically to the interpreter, also when a budget or the stop address ends the chain
    /// between two linked blocks.
    /// </summary>
    [Fact]
    public void ChainedBlocks_EnteredThroughTheirLinks_RunIdentically()
    {
        const string source = """
                mov r12, #300
            1:  bl 4f
                add r1, r1, r0
                b 2f
            2:  eor r2, r2, r1
                tst r12, #1
                bne 3f
                add r3, r3, #1
            3:  subs r12, r12, #1
                bne 1b
                b 0x800
            4:  add r0, r0, #3
                mov pc, lr
            """;
        using var pair = NewPair(source);
        for (int i = 0; i < 60; i++) pair.Step(1 + i % 13, End, $"run {i}");
        // A stop address at the start of a block that its predecessor's exit tail-calls (label 2):
        // the chain stops there, as the interpreter does.
        uint linked = TranslatorLockstepTests.Code + 4 * 4;
        for (int i = 0; i < 5; i++) pair.Step(100_000, linked, $"stop {i}");
        Assert.Equal(linked, pair.Translated.Cpu.PC);
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(150u, pair.Translated.Cpu.R[3]);
        Assert.True(pair.Engine.Statistics.ChainedEntries > 300, $"{pair.Engine.Statistics.ChainedEntries} chained entries");
    }

    /// <summary>
    /// A function called from two places in turn returns by BX LR, an exit without a fixed
    /// target: the block after it is predicted from the last return, wrong every other time,
    /// and entered only when the PC is its start -- identically to the interpreter.
    /// </summary>
    [Fact]
    public void Returns_ToAlternatingCallers_FollowThePredictionOnlyWhenItHolds()
    {
        const string source = """
                mov r12, #200
            1:  bl 4f
                add r1, r1, r0
                tst r12, #1
                beq 2f
                bl 4f
                add r2, r2, r0
            2:  subs r12, r12, #1
                bne 1b
                b 0x800
            4:  add r0, r0, #1
                bx lr
            """;
        using var pair = NewPair(source);
        for (int i = 0; i < 60; i++) pair.Step(1 + i % 11, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(300u, pair.Translated.Cpu.R[0]);
        Assert.True(pair.Engine.Statistics.ChainedEntries > 200, $"{pair.Engine.Statistics.ChainedEntries} chained entries");
    }

    /// <summary>
    /// A function on the next page called through a register (BLX, now and then conditional and
    /// not taken) from three call sites in turn, returning by BX LR: the blocks chain across the
    /// page boundary, and each return finds the block at its caller through the jump cache when
    /// the one-entry prediction is wrong, so the chain rarely returns to the dispatcher -- with
    /// the interpreter's state at every cut, and a stop address in the function's page honoured.
    /// </summary>
    [Fact]
    public void CallsThroughARegister_ToAnotherPage_ChainBothWays_Identically()
    {
        const string source = """
                mov r12, #300
                mov r4, #0x2000
            1:  blx r4
                add r1, r1, r0
                blx r4
                add r2, r2, r0
                tst r12, #3
                blxeq r4
                add r3, r3, r0
                subs r12, r12, #1
                bne 1b
                b 0x800
            """;
        using var pair = NewPair(source);
        pair.Load("""
                add r0, r0, #1
                eor r5, r5, r0, ror #7
                bx lr
            """, 0x2000);
        for (int i = 0; i < 60; i++) pair.Step(1 + i % 11, End, $"run {i}");
        // a stop address in the function's page, reached by a chain from the caller's
        for (int i = 0; i < 3; i++) pair.Step(100_000, 0x2004, $"stop {i}");
        Assert.Equal(0x2004u, pair.Translated.Cpu.PC);
        long returnsBefore = pair.Engine.Statistics.BlockReturns;
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(300u + 300 + 75, pair.Translated.Cpu.R[0]);
        Assert.True(pair.Engine.Statistics.InstructionsInlined >= 10, "the BLX and BX are compiled");
        long returns = pair.Engine.Statistics.BlockReturns - returnsBefore;
        Assert.True(returns < 20, $"{returns} returns to the dispatcher in the last ~800 calls");
    }

    /// <summary>
    /// ADDS/SUBS/RSBS/CMP/CMN on the operands where carry and overflow change (equal operands,
    /// zero, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, each against each): every result's NZCV, read
    /// by MRS and stored, is the interpreter's -- the compiled forms compute C and V by 32-bit
    /// compares, not the interpreter's way.
    /// </summary>
    [Fact]
    public void AddAndSubtract_CarryAndOverflow_AtTheEdges_MatchTheInterpreter()
    {
        using var pair = NewPair("""
                ldr r10, =0x80000
                adr r8, 3f
                mov r12, #0
            1:  ldr r0, [r8, r12, lsl #2]
                mov r11, #0
            2:  ldr r1, [r8, r11, lsl #2]
                adds r2, r0, r1
                mrs r3, cpsr
                subs r4, r0, r1
                mrs r5, cpsr
                rsbs r6, r0, r1
                mrs r7, cpsr
                cmp r0, r1
                mrs r9, cpsr
                stm r10!, {r2-r7, r9}
                cmn r0, r1
                mrs r9, cpsr
                str r9, [r10], #4
                add r11, r11, #1
                cmp r11, #7
                bne 2b
                add r12, r12, #1
                cmp r12, #7
                bne 1b
                b 0x800
            3:  .word 0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff
                .ltorg
            """);
        pair.Each(cpu => cpu.WriteCpsr(0x1F, 0xFFFF_FFFF));
        for (int i = 0; i < 40; i++) pair.Step(1 + i % 17, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Engine.Statistics.InstructionsInlined > 0);
    }

    /// <summary>
    /// Loads and stores off the inline fast path (unaligned words: the port's slow path) leave the
    /// block before them for the engine to interpret (side exits); a block that keeps leaving
    /// that way is translated again with its accesses calling out. Both ways, at every cut, the
    /// interpreter's state.
    /// </summary>
    [Theory]
    [InlineData("arm926")]
    [InlineData("cortex-a9")]
    public void SlowPathAccesses_LeaveByASideExit_ThenCallOut_Identically(string name)
    {
        using var pair = NewPair("""
                ldr r0, =0x80001
                mov r12, #400
            1:  add r2, r2, #3
                ldr r1, [r0]
                add r3, r3, r1
                str r3, [r0, #4]
                eor r4, r4, r3
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, model: CpuModel.Find(name));
        for (int i = 0; i < 50; i++) pair.Step(1 + i % 9, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(1200u, pair.Translated.Cpu.R[2]);
        // the loop's block, and one starting where a side exit's step left the dispatcher, now and then
        Assert.InRange(pair.Engine.Statistics.RetranslatedForCallOuts, 1L, 3L);
    }

    /// <summary>
    /// LDRH/STRH/LDRSB/LDRSH/LDRD/STRD compiled in every A32 addressing form (immediate and
    /// register offsets, up and down, pre-indexed with and without write-back, post-indexed,
    /// conditional), with sign extension at both edges: the interpreter's results at every cut.
    /// </summary>
    [Theory]
    [InlineData("arm926")]
    [InlineData("cortex-a9")]
    public void ExtraLoadsAndStores_AreCompiled_WithTheInterpretersResults(string name)
    {
        using var pair = NewPair("""
                .syntax unified
                ldr r10, =0x80000
                ldr r0, =0x80ff7f01
                str r0, [r10]
                ldr r0, =0x7f80017f
                str r0, [r10, #4]
                mov r9, #8
                mov r12, #50
                add r11, r10, #0x100
            1:  ldrh r0, [r10]
                ldrsh r1, [r10, #2]
                ldrsb r2, [r10, #1]
                ldrsb r3, [r10, r9]
                ldrsh r4, [r10, -r9]!
                add r10, r10, r9
                strh r12, [r11], #2
                strh r0, [r11, #-2]!
                ldrd r6, r7, [r10]
                strd r6, r7, [r11, #8]!
                ldrd r4, r5, [r11], #-8
                strd r0, r1, [r11, r9]
                ldrd r2, r3, [r11, -r9]!
                add r11, r11, r9
                tst r12, #1
                ldrhne r8, [r10, #4]
                strheq r12, [r11, #16]
                ldrsbeq r8, [r10, #7]
                add r5, r5, r8
                ldrh r8, [r10, #3]
                add r5, r5, r8
                ldrdeq r2, r3, [r10, #0]
                adds r0, r0, r1
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, model: CpuModel.Find(name));
        for (int i = 0; i < 60; i++) pair.Step(1 + i % 23, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(0xFFFF_80FFu, pair.Translated.Cpu.R[1]); // LDRSH of 0x80ff
        var s = pair.Engine.Statistics;
        Assert.True(s.InstructionsInlined == s.InstructionsTranslated, $"{s.InstructionsInlined} of {s.InstructionsTranslated} instructions compiled");
    }

    /// <summary>
    /// A compiled LDRH/LDRD that faults in the middle of a hot block -- an odd halfword with
    /// SCTLR.A set, an LDRD that is not word-aligned on the Cortex-A9 (MemA), an LDRD whose second
    /// word lies past the end of RAM (the first word read, no register written) -- aborts at the
    /// same instruction with the same address and state as the interpreter.
    /// </summary>
    [Theory]
    [InlineData("arm926", "ldrh r2, [r0]", true, 0x80001u, 0x80001u)]
    [InlineData("cortex-a9", "ldrd r2, r3, [r0]", false, 0x80002u, 0x80002u)]
    [InlineData("arm926", "ldrd r2, r3, [r0]", false, 0xFFFFCu, 0x100000u)]
    public void ExtraLoadsAndStores_Faulting_MidBlock_AbortAsTheInterpreter(string name, string access, bool alignmentChecking, uint badBase, uint faultAddress)
    {
        using var pair = NewPair($$"""
                mov r12, #50
                ldr r0, =0x80000
                mov r1, #0
            1:  add r1, r1, #1
                ldrh r2, [r0]
                add r3, r2, r1
                cmp r1, #40
                ldreq r0, ={{badBase}}
                {{access}}
                strh r3, [r0, #4]
                add r4, r4, #1
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, model: CpuModel.Find(name));
        pair.Each(cpu => cpu.AlignmentChecking = alignmentChecking);
        var seen = Record(pair, (_, _) => ExceptionDisposition.Stop);
        pair.Step(100_000, End, "abort, stop");
        AssertSameExceptions(seen);
        var abort = Assert.Single(seen[1]);
        Assert.Equal(ExceptionKind.DataAbort, abort.Kind);
        Assert.Equal(faultAddress, abort.Fault!.Address);
        Assert.Equal(40u, pair.Translated.Cpu.R[1]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100, "the loop ran translated before the abort");
    }

    /// <summary>
    /// BLX (immediate) both ways and data processing writing the PC, compiled: ARM calls Thumb by
    /// BLX, Thumb calls ARM by BLX (T2), the ARM function returns by MOV PC, LR -- to Thumb on the
    /// Cortex-A9 (ALUWritePC interworks in ARM state from ARMv7), where on the ARM926 the same
    /// program returns by BX; a jump table by ADD PC, PC, Rn, LSL #2 (conditional, and taken
    /// now and then); MOV PC in Thumb (a plain branch). Cut at every budget up to 40; the PC-write
    /// counts compared too.
    /// </summary>
    [Theory]
    [InlineData("arm926")]
    [InlineData("cortex-a9")]
    public void CallExchange_AndAluPcWrites_MatchTheInterpreter(string name)
    {
        bool v7 = name == "cortex-a9";
        using var pair = NewPair($$"""
                .syntax unified
                ldr sp, =0x81000
                mov r12, #60
            1:  blx 3f
                and r3, r12, #3
                cmp r3, #3
                addne pc, pc, r3, lsl #2
                b 5f
                add r6, r6, #1
                add r6, r6, #2
                add r6, r6, #4
            5:  add r7, r7, #1
                subs r12, r12, #1
                bne 1b
                b 0x800
            2:  add r1, r1, #3
                {{(v7 ? "mov pc, lr" : "bx lr")}}
                .thumb
                .align 2
            3:  adds r4, #1
                push {lr}
                blx 2b
                ldr r5, =6f + 1
                mov pc, r5
                nop
            6:  pop {pc}
                .arm
                .ltorg
            """, model: CpuModel.Find(name));
        for (long budget = 1; budget <= 40; budget++) pair.Step(budget, End, $"budget {budget}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(60u, pair.Translated.Cpu.R[4]);
        Assert.Equal(180u, pair.Translated.Cpu.R[1]);
        Assert.Equal(15u * (7 + 6 + 4), pair.Translated.Cpu.R[6]); // the jump table: 15 passes into each of its three entries
        Assert.Equal(0x81000u, pair.Translated.Cpu.R[13]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 500, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>
    /// UBFX/SBFX at the edges (a whole word, one bit, the top bit), MLS, REV/REV16/REVSH on the
    /// Cortex-A9, conditional too: compiled, every instruction of the loop, with the interpreter's
    /// results at every cut.
    /// </summary>
    [Fact]
    public void BitfieldExtracts_Mls_AndReverses_AreCompiled_WithTheInterpretersResults()
    {
        using var pair = NewPair("""
                .syntax unified
                movw r0, #0x80f1
                movt r0, #0x8e37
                mov r12, #40
            1:  ubfx r1, r0, #0, #32
                sbfx r2, r0, #31, #1
                sbfx r3, r0, #4, #12
                ubfx r4, r0, #7, #9
                mls r5, r3, r4, r0
                rev r6, r0
                rev16 r7, r6
                revsh r8, r0
                tst r12, #1
                sbfxne r9, r5, #0, #8
                revsheq r9, r7
                eor r0, r0, r9, ror #7
                add r0, r0, r12
                subs r12, r12, #1
                bne 1b
                b 0x800
            """, model: CpuModel.CortexA9);
        for (int i = 0; i < 40; i++) pair.Step(1 + i % 19, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        var s = pair.Engine.Statistics;
        Assert.True(s.InstructionsInlined == s.InstructionsTranslated, $"{s.InstructionsInlined} of {s.InstructionsTranslated} instructions compiled");
    }

    /// <summary>
    /// The logical S forms with a register-shifted register (the shifter's carry, A8.4.3) for every
    /// shift type and amounts 0 to 69 (0: C unchanged; 32; past 32), each carry folded into a sum
    /// and the flags compared at every cut: compiled, with the interpreter's C.
    /// </summary>
    [Fact]
    public void RegisterShiftedLogicalSForms_SetTheShiftersCarry_AsTheInterpreter()
    {
        using var pair = NewPair("""
                ldr r1, =0x80004001
                mov r2, #0
            1:  movs r3, r1, lsl r2
                adc r6, r6, #0
                movs r3, r1, lsr r2
                adc r6, r6, #0x100
                movs r3, r1, asr r2
                adc r6, r6, #0x10000
                movs r3, r1, ror r2
                adc r6, r6, #0x1000000
                eors r3, r1, r1, lsr r2
                adc r4, r4, r4
                ands r3, r1, r1, lsl r2
                adc r5, r5, r5
                add r1, r1, r1, ror #7
                add r2, r2, #1
                cmp r2, #70
                bne 1b
                b 0x800
                .ltorg
            """, model: CpuModel.CortexA9);
        for (int i = 0; i < 60; i++) pair.Step(1 + i % 13, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        var s = pair.Engine.Statistics;
        Assert.True(s.InstructionsInlined == s.InstructionsTranslated, $"{s.InstructionsInlined} of {s.InstructionsTranslated} instructions compiled");
    }
}
