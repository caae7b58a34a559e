using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The decoded-instruction store (<see cref="CodeCache"/>): slots made per page and per state
/// only when code runs there, a bound on its host memory kept by evicting pages, pages forgotten
/// when their code goes away, and results that never depend on any of it. The byte counts are
/// the interpreter's (slots only): every CPU here runs with it, whatever the process's default
/// engine, because the translator adds its own page data (<c>TranslationPage</c>) to the store's
/// count and takes ARM slots for every page it enters.
/// </summary>
public class CodeStoreTests
{
    private const uint Page = PhysicalBus.PageSize;

    /// <summary>The smallest store the constructor allows: room for two pages of ARM slots, not three.</summary>
    private const long TwoArmPages = CodeCache.PageHeaderBytes + CodeCache.ArmPageBytes + CodeCache.ThumbPageBytes;

    /// <summary>
    /// <paramref name="pages"/> pages from CodeBase, each adding its number to r0 and branching to
    /// the next; the last one branches back to the first while r1 counts down.
    /// </summary>
    private static uint LoadPageChain(CpuHarness h, int pages)
    {
        for (int i = 0; i < pages; i++)
        {
            uint at = CpuHarness.CodeBase + (uint)i * Page;
            string next = i + 1 < pages ? $"b . + 0x{Page - 4:x}" : $"subs r1, r1, #1\n bne . - 0x{(uint)(pages - 1) * Page + 8:x}\n b .";
            h.Load($"add r0, r0, #{i + 1}\n{next}", at);
        }
        return CpuHarness.CodeBase + (uint)(pages - 1) * Page + 12; // the final "b ."
    }

    private static Cpu CpuWithStore(CpuHarness h, long capacity, CpuModel? model = null) =>
        new(model ?? CpuModel.Arm926, h.Port, new CodeCache(model ?? CpuModel.Arm926, capacity)) { Engine = new Engines.InterpreterEngine() };

    /// <summary>A harness whose CPU runs with the interpreter.</summary>
    private static CpuHarness Interpreted()
    {
        var h = new CpuHarness();
        h.Cpu.Engine = new Engines.InterpreterEngine();
        return h;
    }

    [Fact]
    public void APageExecuted_HoldsSlotsOnlyForTheStateItRanIn()
    {
        using var h = Interpreted();
        h.Load("mov r0, #1\n add r0, r0, #2");
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(2);
        var page = h.Cpu.Code.Find(CpuHarness.CodeBase >> PhysicalBus.PageBits)!;
        Assert.True(page.HasArm);
        Assert.False(page.HasThumb);
        Assert.Equal(CodeCache.PageHeaderBytes + CodeCache.ArmPageBytes, h.Cpu.Code.ResidentBytes);
        Assert.Equal(3u, h[0]);
    }

    [Fact]
    public void AThumbPage_HoldsOnlyThumbSlots_AndAPageRunInBothStatesHoldsBoth()
    {
        using var h = Interpreted();
        // ARM at the start of the page switches to Thumb further on the same page.
        h.Load("""
                .syntax unified
                mov r0, #5
                add r1, pc, #1
                bx r1
                .thumb
                adds r0, r0, #2
                b .
            """);
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(4);
        Assert.Equal(7u, h[0]);
        Assert.True(h.Cpu.T);
        var page = h.Cpu.Code.Find(CpuHarness.CodeBase >> PhysicalBus.PageBits)!;
        Assert.True(page.HasArm);
        Assert.True(page.HasThumb);
        Assert.Equal(CodeCache.PageHeaderBytes + CodeCache.ArmPageBytes + CodeCache.ThumbPageBytes, h.Cpu.Code.ResidentBytes);

        using var t = Interpreted();
        t.Load(".syntax unified\n.thumb\n movs r0, #9\n adds r0, r0, #1");
        t.Cpu.T = true;
        t.Cpu.PC = CpuHarness.CodeBase;
        t.Cpu.Run(2);
        Assert.Equal(10u, t[0]);
        var thumbPage = t.Cpu.Code.Find(CpuHarness.CodeBase >> PhysicalBus.PageBits)!;
        Assert.False(thumbPage.HasArm);
        Assert.True(thumbPage.HasThumb);
    }

    [Fact]
    public void ZeroWords_RunFromTheSharedPlaceholder_WithoutSlotsOfTheirOwn()
    {
        using var h = Interpreted();
        // Word 0 is ANDEQ r0, r0, r0: the placeholder's decoding is that word's, so it runs as it is.
        h.Cpu.PC = CpuHarness.CodeBase + 5 * Page;
        h.Cpu.Z = true;
        h.Cpu.R[0] = 0xF0;
        Assert.Equal(StopReason.InstructionLimit, h.Cpu.Run(16));
        Assert.Equal(CpuHarness.CodeBase + 5 * Page + 64, h.Cpu.PC);
        Assert.Equal(0xF0u, h[0]);
        var page = h.Cpu.Code.Find((CpuHarness.CodeBase >> PhysicalBus.PageBits) + 5)!;
        Assert.False(page.HasArm);
        Assert.Equal(CodeCache.PageHeaderBytes, h.Cpu.Code.ResidentBytes);
        // A non-zero word written there now is decoded into slots of the page's own.
        h.Load("mov r0, #3", CpuHarness.CodeBase + 5 * Page + 64);
        h.Cpu.Run(1);
        Assert.Equal(3u, h[0]);
        Assert.True(page.HasArm);
    }

    [Fact]
    public void ThumbZeroHalfwords_RunFromThePlaceholder_WhichBuildsTheThumbTableOnlyThen()
    {
        using var h = Interpreted();
        h.Load("mov r0, #1\n add r0, r0, #2");
        var code = new CodeCache(CpuModel.Arm926);
        var cpu = new Cpu(CpuModel.Arm926, h.Port, code) { Engine = new Engines.InterpreterEngine() };
        cpu.PC = CpuHarness.CodeBase;
        cpu.Run(2);
        Assert.Equal(3u, cpu.R[0]);
        Assert.False(code.HasThumbTable);   // ARM code alone never builds it
        // Halfword 0 is MOVS r0, r0 (LSL #0): N and Z from r0, C kept, as its own slot runs it.
        cpu.PC = CpuHarness.CodeBase + 6 * Page;
        cpu.T = true;
        cpu.R[0] = 0x8000_0000;
        cpu.Z = true;
        cpu.C = true;
        Assert.Equal(StopReason.InstructionLimit, cpu.Run(4));
        Assert.Equal(CpuHarness.CodeBase + 6 * Page + 8, cpu.PC);
        Assert.True(cpu.N);
        Assert.False(cpu.Z);
        Assert.True(cpu.C);
        Assert.Equal(0x8000_0000u, cpu.R[0]);
        Assert.True(code.HasThumbTable);
        Assert.False(code.Find((CpuHarness.CodeBase >> PhysicalBus.PageBits) + 6)!.HasThumb);
    }

    [Fact]
    public void ThePeakStaysWithinTheCapacity_AndEvictionNeverChangesResults()
    {
        using var h = Interpreted();
        uint end = LoadPageChain(h, 6);
        var cpu = CpuWithStore(h, TwoArmPages);
        cpu.PC = CpuHarness.CodeBase;
        cpu.R[1] = 50;
        Assert.Equal(StopReason.Address, cpu.Run(10_000, end));
        Assert.Equal(50u * (1 + 2 + 3 + 4 + 5 + 6), cpu.R[0]);
        Assert.True(cpu.Code.PeakResidentBytes <= TwoArmPages, $"peak {cpu.Code.PeakResidentBytes} > {TwoArmPages}");
        Assert.True(cpu.Code.Evictions >= 50 * 6 - 2, $"{cpu.Code.Evictions} evictions");
        Assert.InRange(cpu.Code.PageCount, 1, 2);

        // The same run on a store that holds everything: same registers, no eviction.
        var roomy = CpuWithStore(h, CodeCache.DefaultCapacity);
        roomy.PC = CpuHarness.CodeBase;
        roomy.R[1] = 50;
        roomy.Run(10_000, end);
        Assert.Equal(cpu.R[0], roomy.R[0]);
        Assert.Equal(0, roomy.Code.Evictions);
        Assert.Equal(6, roomy.Code.PageCount);
    }

    [Fact]
    public void TheClock_KeepsAPageEnteredAgainAndAgain()
    {
        using var h = Interpreted();
        // A loop on page 0 calling a subroutine on each of pages 1..4 in turn: page 0 is entered
        // after every call, so the clock's second chance keeps it while the callees come and go.
        h.Load("""
                mov r4, #0
            1:  add r5, r4, #1
                mov r5, r5, lsl #12
                add r5, r5, #0x1000
                blx r5
                add r4, r4, #1
                and r4, r4, #3
                subs r1, r1, #1
                bne 1b
                b .
            """);
        for (uint i = 1; i <= 4; i++) h.Load($"add r0, r0, #{i}\n bx lr", CpuHarness.CodeBase + i * Page);
        var cpu = CpuWithStore(h, TwoArmPages);
        cpu.PC = CpuHarness.CodeBase;
        cpu.R[1] = 40;
        cpu.Run(1000, CpuHarness.CodeBase + 9 * 4);
        Assert.Equal(10u * (1 + 2 + 3 + 4), cpu.R[0]);
        // One eviction a call (the previous callee) after the first two pages fill the store;
        // evicting the loop's own page as well would make it about two a call.
        Assert.Equal(40 - 1, cpu.Code.Evictions);
    }

    [Fact]
    public void Forget_DropsThePagesOfARange_AndTheCodeRunsAgainAfterwards()
    {
        using var h = Interpreted();
        uint end = LoadPageChain(h, 4);
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[1] = 1;
        h.Cpu.Run(100, end);
        Assert.Equal(4, h.Cpu.Code.PageCount);
        long before = h.Cpu.Code.ResidentBytes;

        h.Cpu.Code.Forget(CpuHarness.CodeBase + Page, 2 * Page);
        Assert.Equal(2, h.Cpu.Code.PageCount);
        Assert.Null(h.Cpu.Code.Find((CpuHarness.CodeBase >> PhysicalBus.PageBits) + 1));
        Assert.Null(h.Cpu.Code.Find((CpuHarness.CodeBase >> PhysicalBus.PageBits) + 2));
        Assert.NotNull(h.Cpu.Code.Find((CpuHarness.CodeBase >> PhysicalBus.PageBits) + 3));
        Assert.Equal(before - 2 * (CodeCache.PageHeaderBytes + CodeCache.ArmPageBytes), h.Cpu.Code.ResidentBytes);

        // The whole address space, as exit or execve forget it.
        h.Cpu.Code.Forget(0, 1UL << 32);
        Assert.Equal(0, h.Cpu.Code.PageCount);
        Assert.Equal(0, h.Cpu.Code.ResidentBytes);

        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[0] = 0;
        h.Cpu.R[1] = 1;
        Assert.Equal(StopReason.Address, h.Cpu.Run(100, end));
        Assert.Equal(10u, h[0]);
        Assert.Equal(4, h.Cpu.Code.PageCount);
    }

    [Fact]
    public void Forget_WhileTheEngineIsOnThePage_MakesItEnterThePageAfresh()
    {
        using var h = Interpreted();
        h.Load("mov r0, #1\n mov r0, #2\n mov r0, #3\n mov r0, #4");
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(2);
        var old = h.Cpu.Code.Find(CpuHarness.CodeBase >> PhysicalBus.PageBits)!;
        h.Cpu.Code.Forget(CpuHarness.CodeBase, Page);
        Assert.False(old.HasArm); // its slots went back to the store
        h.Load("mov r0, #7", CpuHarness.CodeBase + 8);
        h.Cpu.Run(1);
        Assert.Equal(7u, h[0]);
        var again = h.Cpu.Code.Find(CpuHarness.CodeBase >> PhysicalBus.PageBits);
        Assert.NotNull(again);
        Assert.NotSame(old, again);
    }

    [Fact]
    public void AWriteToDecodedCode_RunsTheNewInstruction_AfterEvictionAndReuseToo()
    {
        using var h = Interpreted();
        uint end = LoadPageChain(h, 5);
        var cpu = CpuWithStore(h, TwoArmPages);
        cpu.PC = CpuHarness.CodeBase;
        cpu.R[1] = 3;
        cpu.Run(1000, end);
        Assert.Equal(3u * 15, cpu.R[0]);
        // Every page's first instruction rewritten (add 10 more); the reused slots hold other words.
        for (int i = 0; i < 5; i++) h.Load($"add r0, r0, #{i + 11}", CpuHarness.CodeBase + (uint)i * Page);
        cpu.PC = CpuHarness.CodeBase;
        cpu.R[0] = 0;
        cpu.R[1] = 3;
        cpu.Run(1000, end);
        Assert.Equal(3u * (15 + 50), cpu.R[0]);
    }

    [Fact]
    public void TwoCpusOnOneStore_EvictingEachOthersPages_KeepTheirResults()
    {
        using var h = Interpreted();
        uint end = LoadPageChain(h, 5);
        var code = new CodeCache(CpuModel.Arm926, TwoArmPages);
        var a = new Cpu(CpuModel.Arm926, h.Port, code);
        var b = new Cpu(CpuModel.Arm926, h.Port, code);
        a.PC = b.PC = CpuHarness.CodeBase;
        a.R[1] = b.R[1] = 20;
        // Interleaved in short runs, so that each resumes on a page the other may have evicted.
        for (int i = 0; i < 200 && (a.PC != end || b.PC != end); i++)
        {
            if (a.PC != end) a.Run(3, end);
            if (b.PC != end) b.Run(5, end);
        }
        Assert.Equal(20u * 15, a.R[0]);
        Assert.Equal(20u * 15, b.R[0]);
        Assert.True(code.Evictions > 0);
    }

    [Fact]
    public void TheTranslatorsBlocks_LiveWithTheirPage_WithinTheSameBound()
    {
        using var h = Interpreted();
        uint end = LoadPageChain(h, 6);
        var cpu = CpuWithStore(h, TwoArmPages);
        cpu.Engine = new Engines.Translator.TranslatorEngine(threshold: 2);
        cpu.PC = CpuHarness.CodeBase;
        cpu.R[1] = 30;
        Assert.Equal(StopReason.Address, cpu.Run(10_000, end));
        Assert.Equal(30u * 21, cpu.R[0]);
        Assert.True(cpu.Code.PeakResidentBytes <= TwoArmPages, $"peak {cpu.Code.PeakResidentBytes} > {TwoArmPages}");
        Assert.True(cpu.Code.Evictions > 0);
        var last = cpu.Code.Find((CpuHarness.CodeBase >> PhysicalBus.PageBits) + 5)!;
        Assert.NotNull(last.EngineData);

        // With room for every page, the blocks stay and the loop runs in them.
        var roomy = CpuWithStore(h, CodeCache.DefaultCapacity);
        var translator = new Engines.Translator.TranslatorEngine(threshold: 2);
        roomy.Engine = translator;
        roomy.PC = CpuHarness.CodeBase;
        roomy.R[1] = 30;
        roomy.Run(10_000, end);
        Assert.Equal(cpu.R[0], roomy.R[0]);
        Assert.True(translator.Statistics.InstructionsInBlocks > 300, $"{translator.Statistics.InstructionsInBlocks} in blocks");
        roomy.FlushDecodedInstructions();
        Assert.Equal(0, roomy.Code.ResidentBytes);
    }

    [Fact]
    public void ACpuStillOnThePlaceholder_OfAPageAnotherCpuGaveSlots_NeverWritesThePlaceholder()
    {
        using var h = Interpreted();
        uint page = CpuHarness.CodeBase + 7 * Page;
        h.Load("mov r0, #5\n mov r0, #6", page + 4); // word 0 at page+0 runs from the placeholder
        var code = new CodeCache(CpuModel.Arm926);
        var a = new Cpu(CpuModel.Arm926, h.Port, code);
        var b = new Cpu(CpuModel.Arm926, h.Port, code);
        a.PC = page;
        a.Run(1); // A enters the page reading through the placeholder
        b.PC = page + 4;
        b.Run(1); // B gives the page ARM slots of its own
        a.Run(2); // A meets a word the placeholder does not hold
        Assert.Equal(6u, a.R[0]);
        Assert.Equal(5u, b.R[0]);
        var fresh = code.GetOrCreate((page >> PhysicalBus.PageBits) + 1);
        Assert.False(fresh.HasArm);
        Assert.All(fresh.ArmSlots, s => Assert.Equal(0u, s.Opcode));
    }

    [Fact]
    public void ACapacityBelowOnePageOfBothStates_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CodeCache(CpuModel.Arm926, TwoArmPages - 1));
    }
}
