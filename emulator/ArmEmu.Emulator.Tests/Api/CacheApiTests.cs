using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>
/// The cache model through the facade, on a hand-computed scenario: ARM926 geometry (16 KiB,
/// 4 ways, 32-byte lines: 128 sets, so addresses 4 KiB apart share a set), round-robin
/// replacement so the victims are known, no MMU so every page is write-back memory.
/// </summary>
public class CacheApiTests
{
    private const uint Code = 0x1_0000, Data = 0x2000_0000;

    // ldr (miss, way 0), str (hit, dirties the low half), four more lines of set 0 (ways 1, 2, 3,
    // then way 0 again: the dirty line is written back and evicted), then a clean+invalidate by MVA
    // of the last line (c7, c14, 1).
    private const string Program = """
        ldr r1, [r0]
        str r2, [r0]
        add r3, r0, #0x1000
        ldr r1, [r3]
        add r3, r3, #0x1000
        ldr r1, [r3]
        add r3, r3, #0x1000
        ldr r1, [r3]
        add r3, r3, #0x1000
        ldr r1, [r3]
        mcr p15, 0, r3, c7, c14, 1
        """;

    private const uint AfterStore = Code + 8, End = Code + 44;

    private static Emulator Machine()
    {
        var emu = Emulator.Create("arm926");
        emu.EnableCaches(CacheModelOptions.Arm926 with { DataCache = new CacheConfig(Replacement: ReplacementPolicy.RoundRobin) });
        emu.MapMemory(Code, 0x1000);
        emu.MapMemory(Data, 0x8000);
        emu.WriteMemory(Code, emu.Assemble(Program, Code));
        emu.WriteWord(Data, 0x1111_1111);
        emu.WriteRegister("r0", Data);
        emu.WriteRegister("r2", 0xABCD_0123);
        return emu;
    }

    [Fact]
    public void LinesShowSetWayDirtinessAndDataAgainstMemory()
    {
        using var emu = Machine();
        Assert.True(emu.Run(Code, until: AfterStore).Ok);
        var line = emu.CacheLine(CacheLevel.L1Data, set: 0, way: 0);
        Assert.True(line.Valid);
        Assert.Equal((1, "D-cache", Data, Data), (line.Level, line.Cache, line.PhysicalAddress, line.IndexAddress));
        Assert.Equal(1, line.DirtyHalves);               // the store's word is in the low half
        Assert.Equal(0xABCD_0123u, BitConverter.ToUInt32(line.Data));
        Assert.Equal(0x1111_1111u, BitConverter.ToUInt32(line.Memory)); // RAM still has the old word
        Assert.True(line.DiffersFromMemory);
        Assert.Equal((0, 0), emu.FindCacheLine(CacheLevel.L1Data, Data + 4) is { } found ? (found.Set, found.Way) : (-1, -1));
        Assert.Null(emu.FindCacheLine(CacheLevel.L1Data, Data + 0x1000));
        Assert.Single(emu.CacheLines(), l => l.Cache == "D-cache");
        Assert.Equal(0xABCD_0123u, emu.ReadWord(Data)); // a debugger's read sees the cached copy
    }

    [Fact]
    public void CacheEventsFollowTheHandComputedSequence()
    {
        using var emu = Machine();
        var events = new List<string>();
        using var hook = emu.Hooks().Cache((_, e) =>
        {
            if (e.Cache.Name == "D-cache") events.Add($"{e.Kind} {e.Set}/{e.Way} {e.Address - Data:x}{(e.Maintenance ? " m" : "")}");
        });
        Assert.True(emu.Run(Code, until: End + 0).Ok);
        Assert.Equal(
        [
            "Miss 0/-1 0", "Fill 0/0 0",
            "Miss 0/-1 1000", "Fill 0/1 1000",
            "Miss 0/-1 2000", "Fill 0/2 2000",
            "Miss 0/-1 3000", "Fill 0/3 3000",
            "Miss 0/-1 4000", "WriteBack 0/0 0", "Eviction 0/0 0", "Fill 0/0 4000",
            "Invalidate 0/0 4000 m",
        ], events);
        var counters = emu.Cache(CacheLevel.L1Data).Counters;
        Assert.Equal((5ul, 1ul, 1ul, 1ul), (counters.ReadMisses, counters.WriteHits, counters.WriteBacks, counters.Evictions));
    }

    [Fact]
    public void ACleanByMvaWritesBackAsMaintenance()
    {
        using var emu = Machine();
        emu.WriteMemory(Code + 8, emu.Assemble("mcr p15, 0, r0, c7, c10, 1", Code + 8)); // clean D line by MVA
        var events = new List<CacheEvent>();
        using var hook = emu.Hooks().Cache((_, e) => { if (e.Cache.Name == "D-cache") events.Add(e); });
        Assert.True(emu.Run(Code, until: Code + 12).Ok);
        var writeBack = Assert.Single(events, e => e.Kind == CacheEventKind.WriteBack);
        Assert.True(writeBack.Maintenance);
        Assert.Equal((0, 0, Data), (writeBack.Set, writeBack.Way, writeBack.Address));
        Assert.False(emu.CacheLine(CacheLevel.L1Data, 0, 0).Dirty);
    }

    [Fact]
    public void ADmaReadOfTheDirtyLineIsReportedWithTheStore()
    {
        using var emu = Machine();
        var reports = new List<CoherenceReport>();
        using var hook = emu.Hooks().Coherence((_, r) => reports.Add(r));
        Assert.True(emu.Run(Code, until: AfterStore).Ok);
        byte[] seen = emu.ReadAsBusMaster(Data, 4);
        Assert.Equal(0x1111_1111u, BitConverter.ToUInt32(seen)); // the device gets stale RAM
        var report = Assert.Single(reports);
        Assert.Equal(CoherenceHazard.DmaReadOfDirtyLine, report.Hazard);
        Assert.Equal(Code + 4, report.Pc); // the str
        Assert.Equal(Data, report.PhysicalAddress);
    }

    [Fact]
    public void ResetEmptiesEveryLevelAndTheCounters()
    {
        using var emu = Machine();
        Assert.True(emu.Run(Code, until: AfterStore).Ok);
        Assert.NotEmpty(emu.CacheLines());
        emu.ResetCaches();
        Assert.Empty(emu.CacheLines());
        Assert.Equal(0ul, emu.Cache(CacheLevel.L1Data).Counters.Reads);
        // The dirty word was dropped, not written back: memory has the old value again.
        Assert.Equal(0x1111_1111u, emu.ReadWord(Data));
    }

    [Fact]
    public void AContextWithCachesBringsBackTheDirtyLine()
    {
        using var emu = Machine();
        Assert.True(emu.Run(Code, until: AfterStore).Ok);
        var context = emu.SaveContext(ContextParts.All);
        Assert.True(emu.Continue(until: End).Ok);
        Assert.False(emu.CacheLine(CacheLevel.L1Data, 0, 0).Dirty);
        emu.RestoreContext(context);
        var line = emu.CacheLine(CacheLevel.L1Data, 0, 0);
        Assert.True(line.Dirty);
        Assert.Equal(Data, line.PhysicalAddress);
        Assert.Equal(AfterStore, emu.Cpu.PC);
        // Running on repeats the same sequence: the same victim is written back.
        var events = new List<string>();
        using var hook = emu.Hooks().Cache((_, e) => { if (e.Cache.Name == "D-cache" && e.Kind == CacheEventKind.WriteBack) events.Add($"{e.Set}/{e.Way} {e.Address:x}"); });
        Assert.True(emu.Continue(until: End).Ok);
        Assert.Equal([$"0/0 {Data:x}"], events);
    }
}
