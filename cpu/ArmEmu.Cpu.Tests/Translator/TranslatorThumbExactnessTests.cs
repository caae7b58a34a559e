using ArmEmu.Memory;
using Pair = ArmEmu.Cpu.Tests.Translator.TranslatorLockstepTests.Pair;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// Thumb blocks where they meet the outside world, each case run by both engines (Thumb-2 on
/// the Cortex-A9) and compared whole as in <see cref="TranslatorExactnessTests"/>: IT-block
/// code, an abort and an interrupt in the middle of a block inside an IT block (ITSTATE is in
/// the CPSR and the SPSR the exception saves), SVC in an IT block, budgets ending inside IT
/// blocks, a 32-bit instruction across a page, interworking in and out of Thumb blocks.
/// </summary>
public class TranslatorThumbExactnessTests
{
    private const uint End = 0x0800; // every program ends by branching here ("b ." in Thumb at End)

    private static Pair NewPair(string source, int threshold = 1, uint origin = TranslatorLockstepTests.Code)
    {
        var pair = new Pair(CpuModel.CortexA9, threshold);
        pair.Load(".syntax unified\n.thumb\n" + source, origin);
        pair.Load(".syntax unified\n.thumb\nb .", End);
        pair.Each(cpu =>
        {
            cpu.WriteCpsr(0x1F, 0xFFFF_FFFF); // System mode, interrupts enabled
            cpu.T = true;
            cpu.PC = origin;
        });
        return pair;
    }

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

    [Fact]
    public void ITBlocks_OfEveryShape_ComputeAsTheInterpreter()
    {
        // r0 counts up; each IT shape adds to r1..r5 by condition; the 16-bit adds inside IT
        // blocks must not set flags (the cmp before each block decides every condition in it).
        using var pair = NewPair("""
                movs r7, #100
                movs r0, #0
                movs r1, #0
                movs r2, #0
                movs r3, #0
                movs r4, #0
                movs r5, #0
            1:  adds r0, #1
                cmp r0, #50
                ite lt
                addlt r1, #1
                addge r2, #1
                lsls r6, r0, #31          @ Z from bit 0 (outside an IT block: sets flags)
                itete eq
                addeq r3, #1
                addne r4, #1
                addeq r3, #2
                addne r4, #2
                cmp r0, #10
                itt hi
                addhi r5, r5, r0
                subhi r5, #1
                ittt ls
                movls r6, #0              @ no flags inside: the hi/ls decision stands
                addls r5, #3
                cmpls r6, #1              @ CMP sets flags even inside an IT block
                it ne
                addne r5, #4
                subs r7, #1
                bne 1b
                b 0x800
            """);
        pair.Step(100_000, End, "IT blocks");
        var cpu = pair.Translated.Cpu;
        Assert.Equal(End, cpu.PC);
        Assert.Equal(49u, cpu.R[1]);  // r0 = 1..49
        Assert.Equal(51u, cpu.R[2]);  // r0 = 50..100
        Assert.Equal(150u, cpu.R[3]); // 50 even values of r0, 3 each
        Assert.Equal(150u, cpu.R[4]); // 50 odd values
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 2000, "the loop ran translated");
    }

    private const string AbortInITLoop = """
            movs r7, #50
            ldr r0, =0x80000
            movs r1, #0
        1:  adds r1, #1
            ldr r2, [r0]
            adds r3, r2, r1
            cmp r1, #40
            itt eq
            ldreq r0, =0x200000
            streq r3, [r0, #4]       @ the abort: inside an IT block (ITSTATE in the CPSR)
            adds r4, #1
            subs r7, #1
            bne 1b
            b 0x800
            .ltorg
        """;

    [Fact]
    public void DataAbort_InAnITBlockInTheMiddleOfAThumbBlock_StopsWithTheInterpretersState()
    {
        using var pair = NewPair(AbortInITLoop);
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
        using var pair = NewPair(AbortInITLoop);
        var seen = Record(pair, (cpu, e) =>
        {
            cpu.R[0] = 0x80000; // repair the pointer, skip the 16-bit store; the IT block is over after it
            cpu.PC = e.InstructionAddress + 2;
            return ExceptionDisposition.Resume;
        });
        pair.Step(100_000, End, "abort, resume");
        AssertSameExceptions(seen);
        Assert.Single(seen[1]);
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(50u, pair.Translated.Cpu.R[4]);
    }

    [Fact]
    public void Svc_InAnITBlock_ResumedAsLinuxDoes_AdvancesITStateIdentically()
    {
        using var pair = NewPair("""
                movs r6, #100
                movs r0, #0
            1:  adds r0, #3
                tst r0, #1
                ite ne
                svcne #0
                addeq r0, #1
                adds r0, r0, r7
                subs r6, #1
                bne 1b
                b 0x800
            """);
        var seen = Record(pair, (cpu, e) =>
        {
            Assert.Equal(ExceptionKind.SupervisorCall, e.Kind);
            cpu.R[7] = cpu.R[0] & 7;
            return ExceptionDisposition.Resume;
        });
        pair.Step(100_000, End, "svc");
        AssertSameExceptions(seen);
        Assert.True(seen[1].Count > 10);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0);
    }

    private sealed class InterruptingDevice(Func<Cpu> cpu) : IMmioDevice
    {
        public uint Size => 0x1000;

        public uint Read(uint offset, int size) => 0;

        public void Write(uint offset, int size, uint value) => cpu().IrqLine = value != 0;
    }

    [Fact]
    public void Interrupt_RaisedByAStoreInsideAnITBlock_IsTakenAfterThatStore()
    {
        using var pair = NewPair("""
                movs r7, #80
                ldr r6, =0x200000
                movs r1, #0
            1:  adds r1, #1
                cmp r1, #50
                ite eq
                moveq r3, #1
                movne r3, #0
                itte ge                 @ the store is the first of three: ITSTATE is mid-block at the interrupt
                strge r3, [r6]
                addge r2, r2, r1
                eorlt r4, r4, r2
                subs r7, #1
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
        Assert.NotEqual(0u, pair.Translated.Cpu.Cpsr & 0x0600_FC00); // stopped inside the IT block
    }

    [Fact]
    public void Budgets_EndingInsideITBlocks_StopAtTheSameInstruction_WithTheSameITState()
    {
        using var pair = NewPair("""
                movs r7, #200
            1:  adds r0, #1
                lsls r6, r0, #30
                itete mi
                addmi r1, r1, r0
                addpl r2, r2, r0
                eormi r3, r3, r1
                eorpl r3, r3, r2
                subs r7, #1
                bne 1b
                b 0x800
            """);
        pair.Step(300, End, "warm up");
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0);
        int insideIT = 0;
        foreach (long budget in new long[] { 3, 5, 7, 1, 11, 2, 4, 6, 9, 13, 1, 1, 1 })
        {
            pair.Step(budget, End, $"run of {budget}");
            if ((pair.Translated.Cpu.Cpsr & 0x0600_FC00) != 0) insideIT++;
        }
        Assert.True(insideIT > 0, "some run ended inside an IT block");
        pair.Step(100_000, End, "the rest");
        Assert.Equal(End, pair.Translated.Cpu.PC);
    }

    [Fact]
    public void A32BitInstructionAcrossAPage_IsInterpreted_AndTheLoopAroundItTranslated()
    {
        // The loop starts 6 bytes before the page boundary at 0x2000: the adds.w straddles it.
        using var pair = NewPair("""
                movs r7, #100
                movs r0, #0
                b 1f
                .balign 0x1000
                .space 0xffa
            1:  adds r0, #1
                nop
                adds.w r1, r1, r0        @ at 0x1ffe: its second halfword on the next page
                eor r2, r2, r1
                subs r7, #1
                bne 1b
                b 0x800
            """);
        pair.Step(100_000, End, "across a page");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(5050u, pair.Translated.Cpu.R[1]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100);
    }

    [Fact]
    public void Interworking_ThumbCallsAnArmFunction_AndBack_BothTranslated()
    {
        using var pair = NewPair("""
                movs r7, #100
                movs r0, #0
            1:  blx 2f                   @ to ARM
                adds r0, #1
                subs r7, #1
                bne 1b
                b 0x800
                .arm
                .balign 4
            2:  add r1, r1, r0
                bx lr                    @ back to Thumb
            """);
        pair.Step(100_000, End, "interworking");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Translated.Cpu.T);
        Assert.Equal(4950u, pair.Translated.Cpu.R[1]);
        Assert.True(pair.Engine.Statistics.BlocksTranslated >= 2);
    }

    /// <summary>
    /// The T16 and T32 halfword, signed and doubleword loads and stores compiled (immediate,
    /// negative imm8, pre-indexed with write-back, post-indexed, register with LSL, literal; LDRD/STRD
    /// with a free Rt2), inside IT blocks too (LDRH/STRH compiled there, LDRD/STRD the handler's), and
    /// an unaligned LDRH (the port's slow path): the interpreter's results at every cut.
    /// </summary>
    [Fact]
    public void ExtraLoadsAndStores_InAndOutOfITBlocks_ComputeAsTheInterpreter()
    {
        using var pair = NewPair("""
                ldr r7, =0x80000
                ldr r0, =0x80ff7f01
                str r0, [r7]
                ldr r0, =0x7f80017f
                str r0, [r7, #4]
                movs r6, #2
                mov r8, #200
                add r11, r7, #0x100
            1:  ldrh r0, [r7, #2]
                ldrsh r1, [r7, r6]
                ldrsb r2, [r7, r6]
                ldrh r3, [r7, r6]
                strh r0, [r7, #10]
                ldrsh.w r4, [r7, #2]
                ldrsb.w r5, [r7, #-1]
                ldrh r9, [r7, r6, lsl #2]
                ldrsb r10, [r11, #-4]!
                strh r8, [r11], #4
                ldrh.w r12, [r7, #4094]
                ldrsh.w r12, label
                ldrd r2, r5, [r7]
                strd r5, r2, [r11, #8]!
                ldrd r9, r10, [r11], #-8
                ldrd r1, r3, label
                strd r0, r1, [r11, #-16]
                tst r8, #1
                itte ne
                ldrhne r1, [r7, #6]
                strhne r8, [r11, #32]
                ldrsheq r1, [r7, #4]
                it eq
                ldrdeq r2, r3, [r7, #8]
                adds r0, r0, r1
                ldrh r3, [r7, #3]
                subs r8, r8, #1
                bne 1b
                b 0x800
                .align 2
            label:
                .word 0x12348765
                .word 0xfedcba98
                .ltorg
            """);
        for (int i = 0; i < 60; i++) pair.Step(1 + i % 23, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(0xFFFF_8765u, pair.Translated.Cpu.R[12]); // LDRSH (literal)
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 4000, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
        Assert.True(pair.Engine.Statistics.InstructionsInlined >= 30, $"{pair.Engine.Statistics.InstructionsInlined} instructions compiled");
    }

    /// <summary>An LDRD (T32) that is not word-aligned, in the middle of a hot Thumb block: the Cortex-A9's alignment fault (MemA) at the same instruction.</summary>
    [Fact]
    public void Ldrd_Unaligned_MidBlock_AbortsAsTheInterpreter()
    {
        using var pair = NewPair("""
                movs r4, #50
                ldr r0, =0x80000
                movs r1, #0
            1:  adds r1, #1
                ldrh r2, [r0]
                adds r3, r2, r1
                cmp r1, #40
                it eq
                addeq r0, #2
                ldrd r2, r3, [r0, #8]
                strh r3, [r0, #4]
                subs r4, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        var seen = Record(pair, (_, _) => ExceptionDisposition.Stop);
        pair.Step(100_000, End, "abort, stop");
        AssertSameExceptions(seen);
        var abort = Assert.Single(seen[1]);
        Assert.Equal(ExceptionKind.DataAbort, abort.Kind);
        Assert.Equal(0x8000Au, abort.Fault!.Address);
        Assert.Equal(40u, pair.Translated.Cpu.R[1]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100, "the loop ran translated before the abort");
    }

    /// <summary>
    /// TBB and TBH compiled (the table after the instruction, read through the PC, and a table in
    /// data read through a register): switches in a loop, at every cut, the PC-write count compared too.
    /// </summary>
    [Fact]
    public void TableBranches_MatchTheInterpreter()
    {
        using var pair = NewPair("""
                ldr r7, =0x80000
                movs r0, #1
                strh r0, [r7]
                movs r0, #2
                strh r0, [r7, #2]
                mov r8, #90
            1:  and r3, r8, #3
                cmp r3, #3
                beq 2f
                tbb [pc, r3]
            t1: .byte (c0 - t1) / 2, (c1 - t1) / 2, (c2 - t1) / 2, 0
            c0: adds r4, #1
            c1: adds r4, #2
            c2: adds r4, #4
            2:  and r3, r8, #1
                tbh [r7, r3, lsl #1]
                adds r5, #1
                adds r5, #2
                adds r5, #4
                subs r8, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        for (long budget = 1; budget <= 40; budget++) pair.Step(budget, End, $"budget {budget}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(22u * 7 + 23u * 6 + 23u * 4, pair.Translated.Cpu.R[4]); // TBB: r8 & 3 = 0, 1, 2 (3 skips it)
        Assert.Equal(45u * 4 + 45u * 6, pair.Translated.Cpu.R[5]);            // TBH: r8 odd, even
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 500, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>Records the CPU's NZCV at every access, as a device sees the state (and the interpreter would have it).</summary>
    private sealed class FlagRecordingDevice(Func<Cpu> cpu, List<uint> seen) : IMmioDevice
    {
        public uint Size => 0x1000;

        public uint Read(uint offset, int size)
        {
            seen.Add(cpu().Cpsr >> 28);
            return offset * 0x0101_0101 + (uint)seen.Count * 0x9E37_79B1; // varied operands for the flags after it
        }

        public void Write(uint offset, int size, uint value) => seen.Add(cpu().Cpsr >> 28 | value << 4);
    }

    /// <summary>
    /// The 16-bit flag-setting forms (ADDS, SUBS, LSLS, ANDS, NEGS, MVNS, CMN, EORS, MOVS) each
    /// followed by a load or store, whose flags the translator leaves to the exits (no later
    /// instruction reads them before the next form sets them again): every other pass the
    /// accesses reach a device, which leaves the block by a side exit and records the NZCV the
    /// CPU has there; the other passes run on in RAM. Then a load aborts after an ADDS. Both
    /// engines see the same flags at every access, at the abort and at the end.
    /// </summary>
    [Fact]
    public void DeferredFlags_SeenByADeviceAtEachSideExit_AreTheInterpreters()
    {
        using var pair = NewPair("""
                movs r7, #60
                ldr r5, =0x9E3779B9
                ldr r2, =0x90000
                mov sp, r2
                movs r0, #7
            1:  ldr r6, =0x80000
                lsls r2, r7, #31          @ every other pass: the device
                it ne
                ldrne r6, =0x200000
                adds r1, r0, r5           @ NZCV, then an access
                ldr r2, [r6]
                subs r3, r1, r2           @ NZCV from the loaded value
                str r3, [r6, #4]
                lsls r4, r1, #3           @ NZC (the shifter's carry)
                ldr r2, [r6, #8]
                ands r4, r2               @ NZ; C stays lsls's
                ldrb r2, [r6, #1]
                negs r4, r2               @ RSBS #0
                ldrh r2, [r6, #2]
                mvns r4, r1
                strb r4, [r6, #12]
                cmn r1, r2
                ldr r3, [r6, #16]
                eors r4, r3
                push {r2, r3}
                pop {r2, r3}
                movs r4, r3
                ldr r2, [r6, #20]
                adds r0, r0, r2
                subs r7, #1
                bne 1b
                ldr r6, =0x300000         @ unmapped: the abort after an ADDS
                adds r1, r0, r5
                ldr r2, [r6]
                b 0x800
                .ltorg
            """);
        AssertADeviceSeesTheInterpretersFlags(pair, "deferred flags", 30 * 8);
    }

    /// <summary>
    /// Deferred flags partly set again: an ADDS's NZCV pending, then an LSLS that sets N, Z and C
    /// (the ADDS's V stays pending), an ORRS after a SUBS (its C and V), a MULS (N and Z) and a
    /// MOVS then an LSRS after a NEGS, each followed by an access. Every other pass the accesses
    /// reach a device, which leaves the block by a side exit and records the NZCV the CPU has
    /// there -- the flags of two instructions, one pending and one computed; then a load aborts
    /// after ADDS, LSLS. Both engines see the same flags at every access, at the abort and at the end.
    /// </summary>
    [Fact]
    public void DeferredFlags_PartlySetAgain_SeenByADeviceAtEachSideExit_AreTheInterpreters()
    {
        using var pair = NewPair("""
                movs r7, #60
                ldr r5, =0x9E3779B9
                ldr r2, =0x90000
                mov sp, r2
                movs r0, #7
            1:  ldr r6, =0x80000
                lsls r2, r7, #31          @ every other pass: the device
                it ne
                ldrne r6, =0x200000
                adds r1, r0, r5           @ NZCV pending
                ldr r2, [r6]
                lsls r3, r1, #5           @ NZC set again: the ADDS's V still pending
                ldr r2, [r6, #4]
                subs r3, r2, r1           @ NZCV pending
                ldrb r4, [r6, #1]
                orrs r3, r4               @ NZ: the SUBS's C and V pending
                str r3, [r6, #8]
                muls r3, r4, r3           @ NZ again
                ldrh r4, [r6, #2]
                negs r2, r1               @ NZCV pending
                ldr r4, [r6, #12]
                movs r2, r4               @ NZ: the NEGS's C and V pending
                lsrs r2, r4, #1           @ NZC: its V pending
                str r2, [r6, #16]
                adds r0, r0, r2
                subs r7, #1
                bne 1b
                ldr r6, =0x300000         @ unmapped: the abort after ADDS, LSLS
                adds r1, r0, r5
                lsls r3, r1, #1
                ldr r2, [r6]
                b 0x800
                .ltorg
            """);
        AssertADeviceSeesTheInterpretersFlags(pair, "deferred flags partly set again", 30 * 7);
    }

    /// <summary>
    /// Deferred flags whose values are still in guest registers (BlockTranslator.DeferredFlags.cs,
    /// Source): a SUBS's N, C and V carried over the loop back read from R7, which the next pass
    /// rewrites before its SUBS (copied first: read from R7 there, N would be set), with an EORS
    /// between that sets N and Z and passes C through; a CMP's from
    /// R3 and R1, both rewritten before anything sets the flags again; an ADDS's result in R2,
    /// which a load rewrites; a SUBS whose Rd is its Rm (its second operand a copy). Every other
    /// pass the accesses reach a device, which leaves the block by a side exit and records the
    /// NZCV the CPU has there. Both engines see the same flags at every access, at the abort
    /// and at the end.
    /// </summary>
    [Fact]
    public void DeferredFlags_FromRegistersRewrittenWhilePending_SeenByADevice_AreTheInterpreters()
    {
        using var pair = NewPair("""
                movs r7, #100
                ldr r5, =0x9E3779B9
                ldr r4, =0x180000
                ldr r2, =0x90000
                mov sp, r2
                movs r0, #7
                movs r3, #0
                ldr r1, =0x12345678
            1:  and r2, r7, #1            @ every other pass the device (no flags: the SUBS's are carried)
                ldr r6, =0x80000
                mla r6, r2, r4, r6
                ldr r2, [r6]              @ the pass before's SUBS: from R7
                eors r2, r0               @ N and Z; C passed through: the SUBS's C and V still pending
                eor r7, r7, #0x80000000   @ R7 rewritten: copied first
                ldr r2, [r6, #4]          @ C and V from the copy
                eor r7, r7, #0x80000000
                cmp r3, r1                @ NZCV pending, from R3 and R1
                add r3, r3, r5            @ R3 rewritten: copied first
                ldr r2, [r6, #8]
                add r1, r1, r2            @ R1 rewritten: copied first
                str r3, [r6, #12]         @ from both copies
                adds r2, r3, r1           @ NZCV pending, the result in R2
                ldr r2, [r6, #16]         @ R2 rewritten by the load: copied first
                str r2, [r6, #20]
                subs r2, r0, r2           @ Rd is Rm: the second operand a copy
                str r2, [r6, #24]
                add r0, r0, r2
                subs r7, #1               @ N, C, V pending over the loop back (Z read by the BNE)
                bne 1b
                ldr r6, =0x300000         @ unmapped: the abort after an ADDS
                adds r1, r0, r5
                ldr r2, [r6]
                b 0x800
                .ltorg
            """);
        AssertADeviceSeesTheInterpretersFlags(pair, "deferred flags from registers", 50 * 7);
    }

    /// <summary>
    /// The deferred-flags programs' run: a device at 0x200000 records the NZCV each engine's CPU
    /// has at each access to it; both engines stop at the same Data Abort on 0x300000, the
    /// device saw <paramref name="accesses"/> accesses with the same, varied flags in both, and
    /// the translated run ran in blocks.
    /// </summary>
    private static void AssertADeviceSeesTheInterpretersFlags(Pair pair, string what, int accesses)
    {
        var seen = new[] { new List<uint>(), new List<uint>() };
        int k = 0;
        foreach (var h in new[] { pair.Interpreted, pair.Translated })
        {
            var cpu = h.Cpu;
            h.Bus.AddDevice(0x200000, new FlagRecordingDevice(() => cpu, seen[k++]));
            h.Flat.Map(0x200000, 0x1000, Permission.All);
        }
        var exceptions = Record(pair, (_, _) => ExceptionDisposition.Stop);
        pair.Step(100_000, End, what);
        AssertSameExceptions(exceptions);
        Assert.Equal(ExceptionKind.DataAbort, Assert.Single(exceptions[1]).Kind);
        Assert.True(exceptions[1][0].Fault!.Address == 0x300000, $"{exceptions[1][0].Fault!.Address:x} at {exceptions[1][0].InstructionAddress:x}");
        Assert.Equal(accesses, seen[1].Count);
        Assert.Equal(seen[0], seen[1]);
        Assert.True(seen[1].Select(v => v & 0xF).Distinct().Count() >= 6, "the accesses saw varied flags");
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 1000, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>
    /// BLX (immediate) both ways -- Thumb to ARM, ARM to Thumb, and a conditional one last in an
    /// IT block -- compiled as fixed exits into the other state, linked to the block there: runs
    /// of every small budget (ending before, at and after each call) and the whole run stop at
    /// the same instruction with the same registers, CPSR (T, ITSTATE) and count as the
    /// interpreter's, and the calls chain without returning to the dispatcher.
    /// </summary>
    [Fact]
    public void BlxImmediate_IntoTheOtherState_LinkedAsAFixedExit_RunsAsTheInterpreter()
    {
        using var pair = NewPair("""
                ldr r2, =0x90000
                mov sp, r2
                movs r7, #200
                movs r0, #0
                movs r2, #0
            1:  blx 2f                   @ Thumb -> ARM
                adds r0, #1
                lsls r3, r0, #30
                it ne
                blxne 4f                 @ conditional, last in its IT block
                subs r7, #1
                bne 1b
                b 0x800
                .ltorg
                .arm
                .balign 4
            2:  push {lr}
                add r1, r1, r0
                blx 3f                   @ ARM -> Thumb
                pop {pc}                 @ back to Thumb (LR has bit 0)
            4:  add r4, r4, r0
                bx lr
                .thumb
            3:  adds r2, r2, r1
                bx lr
            """);
        pair.Step(400, End, "warm up");
        foreach (long budget in new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 19, 23 })
            pair.Step(budget, End, $"run of {budget}");
        long returns = pair.Engine.Statistics.BlockReturns;
        pair.Step(100_000, End, "the rest");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Translated.Cpu.T);
        Assert.Equal(19900u, pair.Translated.Cpu.R[1]);                   // 0 + 1 + ... + 199
        Assert.Equal(Enumerable.Range(1, 200).Where(v => (v & 3) != 0).Sum(), (int)pair.Translated.Cpu.R[4]);
        Assert.True(pair.Engine.Statistics.BlockReturns - returns < 20, $"{pair.Engine.Statistics.BlockReturns - returns} returns to the dispatcher");
    }
}
