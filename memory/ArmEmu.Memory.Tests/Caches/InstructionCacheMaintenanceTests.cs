using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// I-cache operations of CP15 c7 (ARM926EJ-S TRM 2.3.8, table 2-18): invalidate all (c7,c5,0),
/// by MVA (c7,c5,1), by set/way (c7,c5,2), prefetch line (c7,c13,1). An instruction fetch
/// returns what the I-cache holds, stale or not.
/// </summary>
public class InstructionCacheMaintenanceTests : IDisposable
{
    private const uint OldCode = 0xE1A0_0000, NewCode = 0xE3A0_0001; // mov r0,r0 / mov r0,#1
    private readonly CacheRig _rig = new();

    public InstructionCacheMaintenanceTests()
    {
        _rig.SetRam32(0x1000, OldCode);
        _rig.SetRam32(0x2000, OldCode);
        _rig.System.Fetch(0x1000, 0x1000, 4);
        _rig.System.Fetch(0x2000, 0x2000, 4);
        _rig.SetRam32(0x1000, NewCode); // code rewritten behind the I-cache (DMA, or a cleaned D-cache)
        _rig.SetRam32(0x2000, NewCode);
    }

    public void Dispose() => _rig.Dispose();

    private uint Fetch(uint address) => _rig.System.Fetch(address, address, 4);

    [Fact]
    public void Fetch_WithoutMaintenance_ReturnsTheStaleInstruction()
    {
        Assert.Equal(OldCode, Fetch(0x1000));
        Assert.Equal(OldCode, Fetch(0x2000));
    }

    [Fact]
    public void InvalidateAll_MakesEveryLineRefetch()
    {
        _rig.System.InvalidateInstructionCache();

        Assert.Equal(0, _rig.ValidLines(_rig.I));
        Assert.Equal(NewCode, Fetch(0x1000));
        Assert.Equal(NewCode, Fetch(0x2000));
    }

    [Fact]
    public void InvalidateByMva_DropsOnlyThatLine()
    {
        _rig.System.InvalidateInstructionLine(0x101C); // any address within the line

        Assert.Equal(NewCode, Fetch(0x1000));
        Assert.Equal(OldCode, Fetch(0x2000));
    }

    [Fact]
    public void InvalidateBySetWay_DropsOnlyThatLine()
    {
        int line = _rig.InstructionLine(0x2000);
        uint operand = (uint)_rig.I.WayOfLine(line) << 30 | (uint)_rig.I.SetOfLine(line) << 5;

        _rig.System.InvalidateInstructionLineBySetWay(operand);

        Assert.Equal(OldCode, Fetch(0x1000));
        Assert.Equal(NewCode, Fetch(0x2000));
    }

    [Fact]
    public void InstructionInvalidation_LeavesTheDataCacheAlone()
    {
        _rig.Read32(0x3000);
        _rig.Write32(0x3000, 0x1234);

        _rig.System.InvalidateInstructionCache();
        _rig.System.InvalidateInstructionLine(0x3000);

        Assert.True(_rig.D.IsDirty(_rig.DataLine(0x3000)));
    }

    [Fact]
    public void CodeWrittenThroughTheDataCache_RunsAfterCleanInvalidateAndDrain()
    {
        // Linux's arm926_coherent_user_range (arch/arm/mm/proc-arm926.S), the cacheflush syscall's
        // work: clean the D line (c7,c10,1), invalidate the I line (c7,c5,1), then drain (c7,c10,4).
        _rig.SetRam32(0x4000, OldCode);
        Assert.Equal(OldCode, Fetch(0x4000));
        _rig.Read32(0x4000);
        _rig.Write32(0x4000, NewCode);   // the JIT's store, dirty in the D-cache

        _rig.System.CleanDataLine(0x4000);
        _rig.System.InvalidateInstructionLine(0x4000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(NewCode, Fetch(0x4000));
    }

    [Fact]
    public void CodeWrittenThroughTheDataCache_InvalidatingTheICacheAloneRunsOldCode()
    {
        _rig.SetRam32(0x4000, OldCode);
        Fetch(0x4000);
        _rig.Read32(0x4000);
        _rig.Write32(0x4000, NewCode);

        _rig.System.InvalidateInstructionLine(0x4000);

        Assert.Equal(OldCode, Fetch(0x4000)); // the I-fill reads RAM; the new code is still in the D-cache
    }

    [Fact]
    public void CodeWrittenThroughTheDataCache_WithoutTheDrainRunsOldCode()
    {
        _rig.SetRam32(0x4000, OldCode);
        Fetch(0x4000);
        _rig.Read32(0x4000);
        _rig.Write32(0x4000, NewCode);

        _rig.System.CleanDataLine(0x4000);
        _rig.System.InvalidateInstructionLine(0x4000);

        Assert.Equal(OldCode, Fetch(0x4000)); // the cleaned line still waits in the write-back buffer
    }

    [Fact]
    public void Prefetch_FillsTheLineOnce()
    {
        _rig.SetRam32(0x5004, NewCode);

        _rig.System.PrefetchInstructionLine(0x5000);
        _rig.System.PrefetchInstructionLine(0x5010);

        Assert.True(_rig.InstructionLine(0x5000) >= 0);
        Assert.Equal(3UL, _rig.I.Counters.LineFills);
        _rig.SetRam32(0x5004, OldCode);
        Assert.Equal(NewCode, Fetch(0x5004)); // served from the prefetched line
    }

    [Fact]
    public void Prefetch_WhenMvaDoesNotTranslateOrIsNotRam_DoesNothing()
    {
        _rig.System.TranslateForMaintenance = mva => mva == 0x6000 ? null : mva;

        _rig.System.PrefetchInstructionLine(0x6000);
        _rig.System.PrefetchInstructionLine(CacheRig.DeviceBase);

        Assert.Equal(2UL, _rig.I.Counters.LineFills);
        Assert.Equal(0, _rig.Device.Reads);
    }

    [Fact]
    public void Prefetch_OfACachedPiptLine_ChangesNothing()
    {
        // PIPT: the MVA's set (2) differs from the PA's (1); prefetch must look in the PA's.
        using var rig = new CacheRig(instruction: new CacheConfig(16 * 1024, 4, 32, CacheIndexing.Pipt, Replacement: ReplacementPolicy.RoundRobin));
        rig.System.TranslateForMaintenance = mva => mva + 0x7FE0; // 0x1040 -> 0x9020
        rig.System.Fetch(0x1040, 0x9020, 4);
        ulong reads = rig.I.Counters.Reads;

        rig.System.PrefetchInstructionLine(0x1040);

        Assert.Equal(1UL, rig.I.Counters.LineFills);
        Assert.Equal(reads, rig.I.Counters.Reads);
        Assert.Equal(1, rig.ValidLines(rig.I));
    }

    [Fact]
    public void EachOperation_CountsOneMaintenanceOnTheInstructionCache()
    {
        _rig.System.InvalidateInstructionCache();
        _rig.System.InvalidateInstructionLine(0x1000);
        _rig.System.InvalidateInstructionLineBySetWay(0);
        _rig.System.PrefetchInstructionLine(0x1000);

        Assert.Equal(4UL, _rig.I.Counters.Maintenance);
        Assert.Equal(0UL, _rig.D.Counters.Maintenance);
    }
}
