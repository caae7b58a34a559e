using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Cpu.Engines.Translator;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.Memory.Mmu;
using Pair = ArmEmu.Cpu.Tests.Translator.TranslatorLockstepTests.Pair;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// Blocks that branch to their own start and loop inside their method: each case run by both
/// engines and compared whole at every cut (registers, CPSR, PC, instruction and PC-write
/// counts, data memory, the caches' counters when modelled), and the loop shown to have run
/// inside its block (not entered again through its link at every pass) -- with and without the
/// cache model, whose I-cache blocks are checked for residency, not against memory.
/// </summary>
public class TranslatorLoopTests
{
    private const uint End = 0x0800; // every program ends by branching here ("b ." at End)

    public static TheoryData<string> Configurations => ["no-cache", "arm926", "cortex-a9"];

    /// <summary>Both engines' machines with <paramref name="source"/> at the code address, in System mode, in Thumb state when <paramref name="thumb"/> (the source assembled as Thumb-2).</summary>
    private static Pair NewPair(string source, string configuration, int threshold = 1, bool thumb = false)
    {
        var (model, caches) = configuration switch
        {
            "arm926" => (CpuModel.Arm926, CacheModelOptions.Arm926),
            "cortex-a9" => (CpuModel.CortexA9, CacheModelOptions.CortexA9),
            "no-cache-a9" => (CpuModel.CortexA9, (CacheModelOptions?)null),
            _ => (CpuModel.Arm926, (CacheModelOptions?)null),
        };
        var pair = new Pair(model, threshold, caches);
        pair.Load(source);
        pair.Load("b .", End);
        pair.Each(cpu =>
        {
            cpu.WriteCpsr(0x1F, 0xFFFF_FFFF); // System mode, interrupts enabled
            cpu.PC = TranslatorLockstepTests.Code;
        });
        if (thumb)
        {
            pair.Load(".syntax unified\n.thumb\nb .", End);
            pair.Each(cpu => cpu.T = true);
        }
        return pair;
    }

    // A 6-instruction loop with a load and a store, 2000 passes: matmul's shape.
    private const string CountingLoop = """
            ldr r10, =0x80000
            mov r12, #2000
        1:  ldr r1, [r10, #4]
            add r0, r0, r1
            add r1, r1, #3
            str r1, [r10, #4]
            subs r12, r12, #1
            bne 1b
            b 0x800
            .ltorg
        """;

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ASelfLoop_RunsInsideItsBlock_NotReenteredAtEveryPass(string configuration)
    {
        using var pair = NewPair(CountingLoop, configuration);
        pair.Step(100_000, End, "the loop");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        var statistics = pair.Engine.Statistics;
        Assert.True(statistics.InstructionsInBlocks > 10_000, $"{statistics.InstructionsInBlocks} instructions in blocks");
        // One entry from the dispatcher and the exit at the end, not 2000 chained entries (a
        // block translated through the I-cache used to leave at every pass: its words' check
        // against memory never matched).
        Assert.True(statistics.ChainedEntries + statistics.BlockReturns < 20,
                    $"{statistics.ChainedEntries} chained entries, {statistics.BlockReturns} returns");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Budgets_EndingMidLoop_StopAtTheSameInstruction(string configuration)
    {
        using var pair = NewPair(CountingLoop, configuration);
        pair.Step(200, End, "warm up");
        // Every cut inside the loop's six instructions, and runs of several passes ending anywhere.
        for (long budget = 1; budget <= 40; budget++) pair.Step(budget, End, $"budget {budget}");
        for (long budget = 61; budget <= 6001; budget += 997) pair.Step(budget, End, $"budget {budget}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 5000);
    }

    /// <summary>A device whose register, when written non-zero, raises the CPU's IRQ line.</summary>
    private sealed class InterruptingDevice(Func<Cpu> cpu) : IMmioDevice
    {
        public uint Size => 0x1000;

        public uint Read(uint offset, int size) => 0;

        public void Write(uint offset, int size, uint value) => cpu().IrqLine = value != 0;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void AnInterrupt_RaisedMidLoop_IsTakenAtTheSameInstruction(string configuration)
    {
        // The device store leaves by a side exit (and, after 256 of them, the block is translated
        // again with its accesses calling out; with the cache model they call out from the start):
        // the interrupt raised by the 700th pass's store is taken after it (when it reaches the device), both ways.
        using var pair = NewPair("""
                ldr r9, =0x200000
                mov r12, #1000
            1:  add r1, r1, #1
                cmp r1, #700
                moveq r3, #1
                movne r3, #0
                str r3, [r9]
                add r2, r2, r1
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, configuration);
        foreach (var h in new[] { pair.Interpreted, pair.Translated })
        {
            var cpu = h.Cpu;
            h.Bus.AddDevice(0x200000, new InterruptingDevice(() => cpu));
            h.Flat.Map(0x200000, 0x1000, Permission.All);
        }
        var seen = new[] { new List<(ExceptionKind, uint)>(), new List<(ExceptionKind, uint)>() };
        int k = 0;
        pair.Each(cpu =>
        {
            var list = seen[k++];
            cpu.ExceptionHandler = (Cpu c, in CpuException e) =>
            {
                list.Add((e.Kind, e.InstructionAddress));
                c.IrqLine = false;
                return ExceptionDisposition.Stop;
            };
        });
        pair.Step(100_000, End, "irq from a store mid-loop");
        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(ExceptionKind.Irq, Assert.Single(seen[1]).Item1);
        // (with the cache model the store waits in the write buffer a few passes before it reaches the device)
        if (configuration == "no-cache") Assert.Equal(700u, pair.Translated.Cpu.R[1]);
        else Assert.InRange(pair.Translated.Cpu.R[1], 700u, 720u);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 1000);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ALoop_StoringIntoItsOwnCode_RunsWhatTheInterpreterRuns(string configuration)
    {
        // At the 51st pass the loop rewrites its own "add r0, r0, #1" (after the store, in the
        // same pass) into "add r0, r0, #16": without a modelled I-cache the next instruction is
        // the new one (50 passes add 1, 50 add 16); with one, the I-cache keeps the old line until
        // it is evicted or invalidated, as the interpreter's fetches find it.
        using var pair = NewPair("""
                mov r12, #100
                ldr r6, =2f
                ldr r5, =0xe2800010
            1:  cmp r12, #50
                streq r5, [r6]
            2:  add r0, r0, #1
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, configuration);
        for (int i = 0; i < 30; i++) pair.Step(1 + i % 13, End, $"run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        if (configuration == "no-cache") Assert.Equal(50u + 50 * 16, pair.Translated.Cpu.R[0]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 100, "the loop ran translated");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ALoop_LeavingBySideExitsNowAndThen_RunsIdentically(string configuration)
    {
        // Every 8th pass reads an unaligned word (the port's slow path: a side exit, or a
        // call-out once the block has left that way 256 times, or with the cache model).
        using var pair = NewPair("""
                ldr r10, =0x80000
                mov r12, #3072
            1:  tst r12, #7
                moveq r2, #1
                movne r2, #0
                add r3, r10, r2
                ldr r1, [r3]
                add r0, r0, r1
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, configuration);
        pair.Write(0x80000, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        for (int i = 0; i < 40; i++) pair.Step(1 + i % 11, End, $"run {i}");
        for (int i = 0; i < 20; i++) pair.Step(500 + 37 * i, End, $"long run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 5000);
    }

    /// <summary>
    /// Chase's loop: a pointer chase by LDRD, each pass's base the word the pass before loaded
    /// (the fast path reads both words from the host page pointer plus the offset in the page),
    /// over nodes at the start, the middle and the last doubleword of a page and, on the
    /// Cortex-A9, one only word-aligned whose second word is in the next page (the slow path).
    /// Both engines alike at every cut, and the sum of the values as the list orders them.
    /// </summary>
    [Theory]
    [InlineData("arm926", false, false)]
    [InlineData("cortex-a9", false, false)]
    [InlineData("cortex-a9", true, false)]
    [InlineData("cortex-a9", false, true)]
    [InlineData("cortex-a9", true, true)]
    public void APointerChase_ByLdrd_ReadsBothWordsOfEachNode(string model, bool thumb, bool cacheModel)
    {
        const int Passes = 1536; // the loops' counts
        string loop = thumb
            ? """
                .syntax unified
                .thumb
                ldr r3, =0x80000
                movw r2, #1536
                movs r4, #0
            1:  ldrd r1, r3, [r3]
                subs r2, #1
                add r4, r1
                bne 1b
                b.w 0x800
                .ltorg
            """
            : """
                ldr r3, =0x80000
                mov r12, #1536
                mov r4, #0
            1:  ldrd r2, r3, [r3]
                subs r12, r12, #1
                add r4, r4, r2
                bne 1b
                b 0x800
                .ltorg
            """;
        using var pair = NewPair(loop, cacheModel ? model : model == "arm926" ? "no-cache" : "no-cache-a9", thumb: thumb);
        // node = { value, next }: the first at a page's start, one in a page's last doubleword,
        // and on the Cortex-A9 one across a page's end (LDRD not doubleword-aligned: v5's UNPREDICTABLE)
        uint[] offsets = model == "arm926" ? [0x000, 0xFF8, 0x7F0, 0x010, 0x400] : [0x000, 0x1FF8, 0x7F0, 0xFFC, 0x010, 0x404];
        uint expected = 0;
        for (int k = 0; k < offsets.Length; k++)
        {
            uint node = 0x80000 + offsets[k], next = 0x80000 + offsets[(k + 1) % offsets.Length], value = 0x0101_0101u * (uint)(k + 1) + 0x10u * (uint)k;
            pair.Write(node, BitConverter.GetBytes(value));
            pair.Write(node + 4, BitConverter.GetBytes(next));
        }
        for (int pass = 0; pass < Passes; pass++)
            expected += 0x0101_0101u * (uint)(pass % offsets.Length + 1) + 0x10u * (uint)(pass % offsets.Length);
        for (int i = 0; i < 30; i++) pair.Step(1 + i % 7, End, $"run {i}");
        for (int i = 0; i < 10; i++) pair.Step(97 + 13 * i, End, $"long run {i}");
        pair.Step(100_000, End, "to the end");
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.Equal(expected, pair.Translated.Cpu.R[4]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 3000, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>
    /// The flags a loop back carries pending, seen: a pointer chase by LDRD on the Cortex-A9 whose
    /// 39th node points to an address that is not word-aligned, so that the 40th pass's LDRD
    /// leaves by its side exit (computing there the N, C and V the 39th pass's SUBS left pending,
    /// BlockTranslator.DeferredFlags.cs) and the interpreter raises its alignment fault: the
    /// CPSR the abort finds and keeps compared with the interpreter's. The SUBS of an odd step
    /// changes N, C and V from pass to pass (the 39th pass's differ from the first's, which the
    /// block's entry has: a carry never computed would leave those). And with one node, the
    /// abort in the block's first pass, where nothing is carried yet: the flags of its entry.
    /// </summary>
    [Theory]
    [InlineData(false, 39u)]
    [InlineData(true, 39u)]
    [InlineData(false, 1u)]
    [InlineData(true, 1u)]
    public void FlagsCarriedOverTheLoopBack_AreTheOnesAnAbortAtTheTopSees(bool thumb, uint nodes)
    {
        using var pair = NewPair(thumb
            ? """
                .syntax unified
                .thumb
                ldr r3, =0x80000
                ldr r2, =0x6902a4cc
                ldr r5, =0x9e3779b9
                movs r4, #0
            1:  ldrd r1, r3, [r3]
                subs r2, r2, r5
                add r4, r1
                bne 1b
                b.w 0x800
                .ltorg
            """
            : """
                ldr r3, =0x80000
                ldr r12, =0x6902a4cc
                ldr r5, =0x9e3779b9
                mov r4, #0
            1:  ldrd r2, r3, [r3]
                subs r12, r12, r5
                add r4, r4, r2
                bne 1b
                b 0x800
                .ltorg
            """, "no-cache-a9", thumb: thumb);
        for (uint k = 0; k < nodes; k++)
        {
            pair.Write(0x80000 + 16 * k, BitConverter.GetBytes(k + 1));
            pair.Write(0x80004 + 16 * k, BitConverter.GetBytes(k < nodes - 1 ? 0x80010 + 16 * k : 0x80802u));
        }
        var seen = pair.RecordExceptions((c, e) => (e.Kind, e.InstructionAddress, c.Cpsr));
        pair.Step(100_000, End, "to the abort");
        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(ExceptionKind.DataAbort, Assert.Single(seen[1]).Item1);
        Assert.Equal(nodes * (nodes + 1) / 2, pair.Translated.Cpu.R[4]);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks >= 4 * nodes, "the loop ran translated before the abort");
    }

    /// <summary>
    /// The PC writes (the PMU's event 0x0C) of loops, read by MRC: a loop of 1000 passes reading
    /// the counter every 64th pass (a call-out in the pass: its block counts each pass's branch)
    /// and a loop without a call-out, whose block counts its passes from the budget
    /// (BlockTranslator.EmitCountPasses) -- at its exits and before the MRC after the loop back,
    /// in the same block -- the counter read before, between and after them. Both engines alike
    /// at every cut, and the hand count: pass p reads p - 1 taken branches since the loop began,
    /// each loop adds 999 (its last BNE fails).
    /// </summary>
    [Theory]
    [InlineData(false, "no-cache-a9")]
    [InlineData(true, "no-cache-a9")]
    [InlineData(false, "cortex-a9")]
    [InlineData(true, "cortex-a9")]
    public void PcWritesOfALoop_ReadByThePmuInsideAndAfterIt_CountEveryPass(bool thumb, string configuration)
    {
        const string Setup = """
                mov r0, #0
                mcr p15, 0, r0, c9, c12, 5      @ PMSELR = 0
                mov r1, #0x0c
                mcr p15, 0, r1, c9, c13, 1      @ PMXEVTYPER: software change of the PC
                mov r0, #1
                mcr p15, 0, r0, c9, c12, 1      @ PMCNTENSET: counter 0
                mcr p15, 0, r0, c9, c12, 0      @ PMCR.E
                ldr r10, =0x80000
            """;
        using var pair = NewPair(thumb
            ? ".syntax unified\n.thumb\n" + Setup + "\n" + """
                movw r12, #1000
                mrc p15, 0, r6, c9, c13, 2      @ before the loops
            1:  adds r0, #1
                tst r12, #63
                itt eq
                mrceq p15, 0, r7, c9, c13, 2    @ inside: r12 = 960, 896 .. 64
                streq r7, [r10], #4
                subs r12, #1
                bne 1b
                mrc p15, 0, r8, c9, c13, 2      @ between
                movw r12, #1000
            2:  adds r0, #3
                subs r12, #1
                bne 2b
                mrc p15, 0, r9, c9, c13, 2      @ after
                b.w 0x800
                .ltorg
            """
            : Setup + "\n" + """
                mov r12, #1000
                mrc p15, 0, r6, c9, c13, 2      @ before the loops
            1:  add r0, r0, #1
                tst r12, #63
                mrceq p15, 0, r7, c9, c13, 2    @ inside: r12 = 960, 896 .. 64
                streq r7, [r10], #4
                subs r12, r12, #1
                bne 1b
                mrc p15, 0, r8, c9, c13, 2      @ between
                mov r12, #1000
            2:  add r0, r0, #3
                subs r12, r12, #1
                bne 2b
                mrc p15, 0, r9, c9, c13, 2      @ after
                b 0x800
                .ltorg
            """, configuration, thumb: thumb);
        foreach (var h in new[] { pair.Interpreted, pair.Translated }) new V7Cp15(CpuModel.CortexA9, new ArmV7Mmu(h.Bus)).Attach(h.Cpu);
        for (int i = 0; i < 40; i++) pair.Step(1 + i % 13, End, $"run {i}");
        for (int i = 0; i < 20; i++) pair.Step(97 + 61 * i, End, $"long run {i}");
        pair.Step(100_000, End, "to the end");
        var cpu = pair.Translated.Cpu;
        Assert.Equal(End, cpu.PC);
        Assert.Equal(999u, cpu.R[8] - cpu.R[6]);
        Assert.Equal(999u, cpu.R[9] - cpu.R[8]);
        for (uint m = 15; m >= 1; m--)
        {
            // pass p = 1001 - 64m (r12 = 64m) reads the p - 1 branches taken before it
            uint address = 0x80000 + 4 * (15 - m);
            // (as a load sees it: with the cache model the store may still be in the D-cache)
            var word = new byte[4];
            Assert.True(pair.TranslatedCaches is { } caches ? caches.Peek(address, address, word) : pair.Translated.Bus.ReadRam(address, word));
            Assert.Equal(cpu.R[6] + 1000 - 64 * m, BitConverter.ToUInt32(word));
        }
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 5000, $"{pair.Engine.Statistics.InstructionsInBlocks} instructions in blocks");
    }

    /// <summary>
    /// A loop left by an abort: its load reaches an unmapped address in pass <paramref name="k"/>
    /// (by a side exit, its passes counted from the budget; or, with the cache model, a call-out
    /// from the slow path, each pass's branch counted), and the abort finds the k - 1 branches of
    /// the passes before it counted (the PMU's event 0x0C), as the interpreter does.
    /// </summary>
    [Theory]
    [InlineData(false, "no-cache", 1)]
    [InlineData(false, "no-cache", 700)]
    [InlineData(false, "arm926", 1)]
    [InlineData(false, "arm926", 700)]
    [InlineData(false, "cortex-a9", 300)]
    [InlineData(true, "no-cache-a9", 1)]
    [InlineData(true, "no-cache-a9", 700)]
    [InlineData(true, "cortex-a9", 2)]
    [InlineData(true, "cortex-a9", 300)]
    public void ALoopLeftByAnAbort_HasCountedThePassesBeforeIt(bool thumb, string configuration, int k)
    {
        uint start = 0x10_0000 - 4 * (uint)(k - 1); // pass k loads 0x100000, past the RAM: unmapped
        using var pair = NewPair(thumb
            ? $"""
                .syntax unified
                .thumb
                ldr r3, ={start}
                movw r12, #2000
            1:  ldr r1, [r3], #4
                add r0, r1
                subs r12, #1
                bne 1b
                b.w 0x800
                .ltorg
            """
            : $"""
                ldr r3, ={start}
                mov r12, #2000
            1:  ldr r1, [r3], #4
                add r0, r0, r1
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """, configuration, thumb: thumb);
        var seen = pair.RecordExceptions((c, e) => (e.Kind, e.InstructionAddress, c.SoftwarePcWrites));
        pair.Step(100_000, End, "to the abort");
        Assert.Equal(seen[0], seen[1]);
        var (kind, _, pcWrites) = Assert.Single(seen[1]);
        Assert.Equal(ExceptionKind.DataAbort, kind);
        Assert.Equal((ulong)(k - 1), pcWrites);
        if (k > 100) Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 200, "the loop ran translated before the abort");
    }

    /// <summary>
    /// A loop whose block runs more than 2^32 instructions without leaving (2^31 + 16 passes of
    /// two, the block entered after the first): the count at its exit divides the instructions
    /// run as a ulong, not the uint of shorter runs (BlockTranslator.EmitCountPasses). The
    /// translator alone (the interpreter would take half a minute), against the hand count:
    /// 2^31 + 15 BNEs taken and the B after.
    /// </summary>
    [Fact]
    public void ALoopOfMoreThan2To32Instructions_CountsItsPassesAtItsExit()
    {
        using var h = new CpuHarness();
        var engine = new TranslatorEngine(1);
        h.Cpu.Engine = engine;
        h.Load("""
                ldr r0, =0x80000010
            1:  subs r0, r0, #1
                bne 1b
                b 0x800
                .ltorg
            """, TranslatorLockstepTests.Code);
        h.Load("b .", End);
        h.Cpu.PC = TranslatorLockstepTests.Code;
        Assert.Equal(StopReason.Address, h.Cpu.Run(5_000_000_000, End));
        Assert.Equal(0x8000_0010ul, h.Cpu.SoftwarePcWrites);
        Assert.Equal(0u, h.Cpu.R[0]);
        Assert.True(engine.Statistics.InstructionsInBlocks > 1L << 32, $"{engine.Statistics.InstructionsInBlocks} instructions in blocks");
        // in one entry of the loop's block, not many shorter ones
        Assert.True(engine.Statistics.ChainedEntries + engine.Statistics.BlockReturns < 10,
                    $"{engine.Statistics.ChainedEntries} chained entries, {engine.Statistics.BlockReturns} returns");
    }
}
