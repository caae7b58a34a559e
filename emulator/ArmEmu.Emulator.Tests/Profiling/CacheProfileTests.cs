using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Profiling;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Profiling;

/// <summary>
/// Cache events charged per instruction on the bare-metal board: write-backs by CP15 clean
/// operations go to the MCR (or the test-and-clean MRC) that did them, misses to the access.
/// </summary>
public sealed class CacheProfileTests
{
    private const uint Code = 0x8000, Table = 0x4000, Data = 0x2_0000;

    // Instruction indices (4 bytes each from Code) of the instructions the test looks at.
    private const int FirstLoad = 9, Store = 10, Clean = 11, SecondStore = 12, TestAndClean = 13, Done = 15;

    // MMU on with one section (the first MiB, C=1 B=1: write-back) and the caches on; then a load
    // that misses, a store that dirties the line, a clean of it by MVA (c7,c10,1), a store that
    // dirties it again and Linux's test-and-clean loop (c7,c10,3; ARM926EJ-S TRM 2.3.8), which
    // writes the line back on its first pass and finds the cache clean on its second.
    private const string Source = """
            mov r0, #0x4000
            mcr p15, 0, r0, c2, c0, 0       @ TTBR
            mov r0, #3
            mcr p15, 0, r0, c3, c0, 0       @ DACR: domain 0 manager
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x1000             @ I
            orr r0, r0, #0x5                @ M, C
            mcr p15, 0, r0, c1, c0, 0
            mov r1, #0x20000                @ 8
            ldr r2, [r1]                    @ 9: miss
            str r2, [r1]                    @ 10: hit, dirty
            mcr p15, 0, r1, c7, c10, 1      @ 11: clean: one write-back
            str r2, [r1, #4]                @ 12: hit, dirty again
        1:  mrc p15, 0, r15, c7, c10, 3     @ 13: test and clean: one write-back, then clean
            bne 1b
            b .                             @ 15
        """;

    [Fact]
    public void WriteBacksByCleansGoToTheMaintenanceInstructionAndMissesToTheAccess()
    {
        using var board = new VersatilePb(new VersatilePbOptions());
        // Section 0: PA 0, AP = 3, domain 0, C and B (ARM ARM B4.3, first-level descriptor).
        board.Memory.DebugWrite(Table, BitConverter.GetBytes(0x0000_0C1Eu));
        board.LoadRaw(GnuToolchain.Assemble(Source, Code), Code, Code);
        var session = new ProfilingSession(board.Cpu, new CodeMap(), board.Caches);
        board.Run(40);
        Assert.Equal(Code + 4 * Done, board.Cpu.PC);

        var cache = session.Cache!;
        uint At(int index) => Code + 4u * (uint)index;
        Assert.Equal(1UL, cache.CostAt(At(Clean), CacheProfile.WriteBacks));
        Assert.Equal(1UL, cache.CostAt(At(TestAndClean), CacheProfile.WriteBacks));
        Assert.Equal(1UL, cache.CostAt(At(FirstLoad), CacheProfile.DataReadMisses));
        Assert.Equal(0UL, cache.CostAt(At(Store), CacheProfile.DataWriteMisses));
        Assert.Equal(0UL, cache.CostAt(At(Store), CacheProfile.WriteBacks));

        // The totals are the counters, event by event.
        var i = board.Caches!.InstructionCache!.Counters;
        var d = board.Caches.DataCache!.Counters;
        Assert.Equal((2UL, 1UL, 0UL), (d.WriteBacks, d.ReadMisses, d.WriteMisses));
        Assert.Equal(new[] { i.ReadMisses, d.ReadMisses, d.WriteMisses, d.WriteBacks, d.Reads, d.Writes, i.ReadMisses, d.ReadMisses, d.WriteMisses },
                     Enumerable.Range(0, CacheProfile.Count).Select(cache.Total));
        Assert.True(i.ReadMisses > 0);
        var report = session.Report();
        Assert.Equal(new[] { i.ReadMisses, d.ReadMisses, d.WriteMisses, d.WriteBacks, d.Reads, d.Writes, i.ReadMisses, d.ReadMisses, d.WriteMisses }, report.EventTotals);
        // The store hits: one D1 write, no write miss (Dr, Dw per instruction).
        Assert.Equal((0UL, 1UL), (cache.CostAt(At(Store), CacheProfile.DataReads), cache.CostAt(At(Store), CacheProfile.DataWrites)));
        Assert.Equal(1UL, cache.CostAt(At(FirstLoad), CacheProfile.DataReads));
    }

    [Fact]
    public void ObserversCombineAndComeApartAgain()
    {
        var a = new Recorder();
        var b = new Recorder();
        var both = ICacheObserver.Combine(a, b)!;
        both.OnDataRead(0x100, hit: false);
        both.OnWriteBack(0x200);
        Assert.Equal(["R 100 miss", "WB 200"], a.Seen);
        Assert.Equal(a.Seen, b.Seen);
        Assert.Same(a, ICacheObserver.Remove(both, b));
        Assert.Same(b, ICacheObserver.Remove(both, a));
        Assert.Null(ICacheObserver.Remove(a, a));
        Assert.Same(a, ICacheObserver.Combine(null, a));
    }

    private sealed class Recorder : ICacheObserver
    {
        public List<string> Seen { get; } = [];

        public void OnFetch(uint va, bool hit) => Seen.Add($"F {va:x} {(hit ? "hit" : "miss")}");

        public void OnDataRead(uint va, bool hit) => Seen.Add($"R {va:x} {(hit ? "hit" : "miss")}");

        public void OnDataWrite(uint va, bool hit) => Seen.Add($"W {va:x} {(hit ? "hit" : "miss")}");

        public void OnWriteBack(uint pa) => Seen.Add($"WB {pa:x}");
    }
}
