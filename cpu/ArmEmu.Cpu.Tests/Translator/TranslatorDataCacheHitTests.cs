using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.Memory.Mmu;
using Pair = ArmEmu.Cpu.Tests.Translator.TranslatorLockstepTests.Pair;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// The translator's inline D-cache hit path (a remembered line checked in the block's own code,
/// <c>BlockTranslator.Memory.cs</c>) against the interpreter, with the cache model on: both
/// engines run the same loop and are compared whole after it (registers, instruction count,
/// every cache counter, RAM and what loads see), on the ARM926 (VIVT, a dirty bit per half line)
/// and the Cortex-A9 (PIPT, a dirty bit per line). Each case is a way a remembered line can stop
/// being a hit, or a hit can change the line: an eviction by another access of the same block,
/// CP15 maintenance in the middle of a block, a cacheflush-like system call, store hits making
/// a line (half) dirty after a clean, LDM/STM within one line and across two.
/// </summary>
public class TranslatorDataCacheHitTests
{
    private const uint End = 0x0800;

    public static TheoryData<string> CacheModels => ["arm926", "cortex-a9"];

    /// <summary>Both machines with the cache model and its CP15 (as <c>Emulator.EnableCaches</c> wires them), the program loaded.</summary>
    private static Pair NewPair(string name, string source)
    {
        var (model, options) = name == "arm926" ? (CpuModel.Arm926, CacheModelOptions.Arm926) : (CpuModel.CortexA9, CacheModelOptions.CortexA9 with { OuterCache = null });
        var pair = new Pair(model, threshold: 2, options);
        foreach (var h in new[] { pair.Interpreted, pair.Translated })
        {
            var caches = h.Port.Caches!;
            if (name == "arm926")
                new Arm926Cp15(new ArmV5Mmu(h.Bus), caches, new CacheGeometry(options.InstructionCache.SizeBytes,
                    options.DataCache.SizeBytes, options.DataCache.Ways, options.DataCache.LineBytes)).Attach(h.Cpu);
            else
                new V7Cp15(model, new ArmV7Mmu(h.Bus), caches).Attach(h.Cpu);
            caches.DataCacheEnabled = true;
        }
        pair.Load(source);
        pair.Load("b .", End);
        pair.Each(cpu =>
        {
            cpu.WriteCpsr(0x1F, 0xFFFF_FFFF); // System mode: CP15 maintenance is allowed
            cpu.PC = TranslatorLockstepTests.Code;
        });
        return pair;
    }

    private static void Run(Pair pair, string context)
    {
        pair.Step(1_000_000, End, context);
        Assert.Equal(End, pair.Translated.Cpu.PC);
        Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 200, $"{context}: the loop ran translated");
    }

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void AHitAfterAnEvictionByAnotherAccessOfTheSameBlock_IsAMissAgain(string name)
    {
        // Line A is loaded, incremented and stored (a store hit: dirty), then nine lines of A's set
        // (4 KiB apart: 16 KiB 4-way) go through the 4-way set, evicting A (written back) nearly
        // every time, and A is loaded again in the same block: the remembered line must not serve
        // it once evicted (the value would be the other line's), nor a store hit mark it.
        using var pair = NewPair(name, """
                mov r12, #60
                ldr r0, =0x80000
                ldr r8, =0x81000
                add r11, r8, #0x4000
                mov r9, #0x1000
                mov r10, #0x3000
            1:  ldr r1, [r0]
                add r1, r1, #1
                str r1, [r0]
                ldr r2, [r8]
                ldr r3, [r8, r9]
                ldr r4, [r8, r9, lsl #1]
                ldr r5, [r8, r10]
                ldr r2, [r11]
                ldr r3, [r11, r9]
                ldr r4, [r11, r9, lsl #1]
                ldr r5, [r11, r10]
                ldr r6, [r0]
                add r7, r7, r6
                str r7, [r11, r9, lsl #2]
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        Run(pair, "eviction in the block");
        Assert.Equal(60u, pair.Translated.Cpu.R[1]);
        Assert.Equal(60u * 61 / 2, pair.Translated.Cpu.R[7]);
        var counters = pair.TranslatedCaches!.DataCache!.Counters;
        Assert.True(counters.Evictions > 200 && counters.WriteBacks > 20, $"evictions {counters.Evictions}, write-backs {counters.WriteBacks}");
        Assert.True(counters.ReadHits > 30, $"read hits {counters.ReadHits}");
    }

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void StoreHitsAfterACp15Clean_MakeTheLineDirtyAgain_AndAHitAfterAnInvalidateMisses(string name)
    {
        // In one block: a load (a hit once remembered), a store hit to the line's high half
        // (dirty), DCCMVAC (c7, c10, 1: written back, clean, still valid: still remembered), a
        // store hit again (dirty again, or the next clean writes nothing back), DCCIMVAC
        // (c7, c14, 1: written back and gone), and a load of the line (a miss, not the
        // remembered line). Counters, RAM and registers must be the interpreter's.
        using var pair = NewPair(name, """
                mov r12, #50
                ldr r0, =0x80040
            1:  ldr r1, [r0, #20]
                add r1, r1, #1
                str r1, [r0, #20]
                mcr p15, 0, r0, c7, c10, 1
                add r2, r1, #0x100
                str r2, [r0, #24]
                ldr r3, [r0, #4]
                mcr p15, 0, r0, c7, c14, 1
                ldr r4, [r0, #24]
                add r5, r5, r4
                str r5, [r0, #8]
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        Run(pair, "maintenance in the block");
        Assert.Equal(50u, pair.Translated.Cpu.R[1]);
        var counters = pair.TranslatedCaches!.DataCache!.Counters;
        Assert.True(counters.WriteBacks >= 100, $"two write-backs an iteration: {counters.WriteBacks}");
        Assert.True(counters.WriteHits >= 100 && counters.ReadMisses >= 50, $"write hits {counters.WriteHits}, read misses {counters.ReadMisses}");
        // What a load sees there now is what the last clean wrote back (the line is gone).
        var word = new byte[4];
        Assert.True(pair.TranslatedCaches.Peek(0x80058, 0x80058, word));
        Assert.Equal(50u + 0x100, BitConverter.ToUInt32(word));
    }

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void HitsAfterACacheflushLikeSystemCall_AskTheModelAgain(string name)
    {
        // A store hit makes the line dirty; the SVC's handler cleans and invalidates the whole
        // D-cache, as Linux's cacheflush does on these cores; the load after it is a miss that
        // reads what the clean wrote back. Then the line is remembered again and hits.
        using var pair = NewPair(name, """
                mov r12, #40
                ldr r0, =0x80100
            1:  ldr r1, [r0]
                add r1, r1, #3
                str r1, [r0]
                ldr r2, [r0, #4]
                add r2, r2, r1
                str r2, [r0, #4]
                cmp r12, #20
                svcle #0
                ldr r3, [r0]
                add r4, r4, r3
                subs r12, r12, #1
                bne 1b
                b 0x800
                .ltorg
            """);
        var caches = new[] { pair.InterpretedCaches!, pair.TranslatedCaches! };
        int k = 0;
        pair.Each(cpu =>
        {
            var c = caches[k++];
            cpu.ExceptionHandler = (Cpu _, in CpuException e) =>
            {
                Assert.Equal(ExceptionKind.SupervisorCall, e.Kind);
                while (!c.TestCleanAndInvalidateDataCache()) { }
                c.DrainWriteBuffer();
                return ExceptionDisposition.Resume;
            };
        });
        Run(pair, "cacheflush in the loop");
        Assert.Equal(120u, pair.Translated.Cpu.R[1]);
        var counters = pair.TranslatedCaches!.DataCache!.Counters;
        Assert.True(counters.ReadMisses >= 20 && counters.WriteBacks >= 20, $"misses {counters.ReadMisses}, write-backs {counters.WriteBacks}");
    }

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void LoadAndStoreMultiple_WithinALineAndAcrossTwo_CountAndDirtyAsTheInterpreter(string name)
    {
        // Four words from an address that steps by 40 bytes (8 mod 32): LDM/STM that lie in one
        // 32-byte line (the inline path), in both halves of it, and across two lines (the port's
        // multiple-word hit path); the lines are brought in first by loads so the stores hit, and
        // each STM is done again after a clean of its first line (the line still valid and
        // remembered), so that its dirty halves are its own. A clean and invalidate of every line
        // at the end writes back exactly the dirty halves: a half left clean would lose its
        // words, seen in what loads see after.
        using var pair = NewPair(name, """
                mov r12, #24
                ldr r0, =0x80200
                mov r1, #1
                mov r2, #2
                mov r3, #3
                mov r4, #4
            1:  ldr r9, [r0]
                ldr r9, [r0, #16]
                ldr r9, [r0, #32]
                stmia r0, {r1-r4}
                mcr p15, 0, r0, c7, c10, 1
                add r1, r1, #1
                add r2, r2, #1
                add r3, r3, #1
                add r4, r4, #1
                stmia r0, {r1-r4}
                ldmia r0, {r5-r8}
                add r1, r1, r5
                add r2, r2, r6
                add r3, r3, r7
                add r4, r4, r8
                stmdb r0, {r1, r2}
                ldmdb r0, {r10, r11}
                add r0, r0, #40
                subs r12, r12, #1
                bne 1b
                ldr r0, =0x801e0
                mov r12, #33
            2:  mcr p15, 0, r0, c7, c14, 1
                add r0, r0, #32
                subs r12, r12, #1
                bne 2b
                b 0x800
                .ltorg
            """);
        Run(pair, "LDM/STM in one line and across two");
        var counters = pair.TranslatedCaches!.DataCache!.Counters;
        Assert.True(counters.WriteHits >= 24 * 10 - 2 && counters.WriteBacks >= 24, $"write hits {counters.WriteHits}, write-backs {counters.WriteBacks}");
    }

    [Theory]
    [MemberData(nameof(CacheModels))]
    public void Misses_OfLoadsStoresAndMultiples_CalledFromTheBlock_CountAsTheInterpreter(string name)
    {
        // A walk through 80 KiB (five times the D-cache) in steps of 292 bytes: most accesses miss.
        // A failed inline check on a page the port remembers as cacheable goes to the port's
        // remembered-page path (MemoryPort.ReadRemembered/WriteRemembered: a hit looked up, or a
        // miss to the model), and an LDM/STM that is not all hits has its misses done in one call
        // (TryReadMultiple/TryWriteMultiple): STM across two lines to the write buffer (a write
        // miss), LDM across two lines (fills, evictions of dirty lines: write-backs), single
        // word and byte loads and stores, some hitting a line just filled. Every counter, the
        // write buffer's included, and every register must be the interpreter's.
        using var pair = NewPair(name, """
                mov r12, #280
                ldr r0, =0x80000
                mov r1, #1
                mov r2, #2
                mov r3, #3
                mov r4, #4
            1:  stmia r0, {r1-r4, r6-r9}
                ldr r6, [r0, #36]
                ldrb r7, [r0, #9]
                str r6, [r0, #44]
                add r10, r0, #0x2000
                ldmia r10, {r1-r4}
                strb r1, [r10, #3]
                ldr r8, [r10, #-64]
                add r9, r9, r8
                add r1, r1, r12
                add r0, r0, #0x124
                subs r12, r12, #1
                bne 1b
                ldr r0, =0x80000
                ldmia r0, {r1-r11}
                b 0x800
                .ltorg
            """);
        Run(pair, "misses called from the block");
        var (x, y) = (pair.InterpretedCaches!, pair.TranslatedCaches!);
        Assert.Equal((x.WriteBuffer.Writes, x.WriteBuffer.Drains, x.WriteBuffer.Stalls), (y.WriteBuffer.Writes, y.WriteBuffer.Drains, y.WriteBuffer.Stalls));
        var counters = y.DataCache!.Counters;
        Assert.True(counters.ReadMisses > 500 && counters.WriteMisses + counters.WriteHits > 1000 && counters.Evictions > 200,
                    $"read misses {counters.ReadMisses}, write misses {counters.WriteMisses}, evictions {counters.Evictions}");
    }
}
