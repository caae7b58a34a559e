using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The outer L2 (the PL310 model) below a Cortex-A9 L1. Geometry, so every expectation can be
/// worked out by hand: L1 D 16 KiB, 4-way, 32-byte lines, PIPT, round-robin; L2 128 KiB,
/// 8 ways of 16 KiB (512 sets: set = PA[13:5]), 32-byte lines, round-robin (one victim
/// counter stepping on every fill), write-allocate. The write buffer drains only when told.
/// </summary>
public class OuterCacheTests : IDisposable
{
    private readonly CacheRig _rig = new(CacheRig.CortexA9DataRoundRobin, CacheRig.CortexA9InstructionRoundRobin, Pl310Geometry.Default);

    public void Dispose() => _rig.Dispose();

    private OuterCache L2 => _rig.L2;

    private int L2Line(uint pa) => L2.Cache.Find(pa, pa);

    private uint L2Word(uint pa) => BitConverter.ToUInt32(L2.Cache.Data(L2Line(pa))[(int)(pa & 31)..]);

    [Fact]
    public void CleaningAnL1Line_WritesItIntoL2_NotIntoRam()
    {
        L2.Enabled = true;
        _rig.SetRam32(0x1000, 0x1111_1111);
        Assert.Equal(0x1111_1111u, _rig.Read32(0x1000)); // L1 and L2 both fill
        _rig.Write32(0x1000, 0xAAAA_0001);                // L1 write hit: dirty in L1 only

        _rig.System.CleanDataByMva(0x1000, toUnification: false);
        _rig.System.DataSynchronizationBarrier();

        Assert.False(_rig.D.IsDirty(_rig.DataLine(0x1000)));
        Assert.True(L2.Cache.IsDirty(L2Line(0x1000)));
        Assert.Equal(0xAAAA_0001u, L2Word(0x1000));
        Assert.Equal(0x1111_1111u, _rig.Ram32(0x1000)); // what a bus master sees
        Assert.Empty(_rig.Drained);
        var c = L2.Counters;
        Assert.Equal((1ul, 0ul, 1ul, 1ul), (c.Reads, c.ReadHits, c.ReadMisses, c.LineFills));
        Assert.Equal((1ul, 1ul, 0ul), (c.Writes, c.WriteHits, c.WriteMisses));

        L2.ByPhysicalAddress(0x1000, OuterCache.Operation.Clean);
        L2.Synchronize();

        Assert.Equal(0xAAAA_0001u, _rig.Ram32(0x1000));
        Assert.Equal([(0x1000u, 32)], _rig.Drained); // one dirty bit per line: the whole line
        Assert.False(L2.Cache.IsDirty(L2Line(0x1000)));
        Assert.Equal(1ul, c.WriteBacks);
        Assert.Equal(1ul, c.Maintenance);
    }

    [Fact]
    public void WhileOff_FillsAndWriteBacksPassThroughUntouched()
    {
        _rig.SetRam32(0x1000, 0x1111_1111);
        _rig.Read32(0x1000);
        _rig.Write32(0x1000, 0xAAAA_0001);

        _rig.System.CleanDataByMva(0x1000, toUnification: false);
        _rig.System.DataSynchronizationBarrier();

        Assert.Equal(0xAAAA_0001u, _rig.Ram32(0x1000));
        Assert.Equal([(0x1000u, 32)], _rig.Drained); // the Cortex-A9 L1 writes back whole lines (the ARM926 would write 16 bytes)
        Assert.Equal(0, _rig.ValidLines(L2.Cache));
        Assert.Equal(0ul, L2.Counters.Reads + L2.Counters.Writes + L2.Counters.LineFills);
    }

    [Fact]
    public void UncachedAccesses_BypassBothLevels()
    {
        L2.Enabled = true;
        _rig.SetRam32(0x2000, 0x2222_2222);
        // A write miss on a write-back page without write-allocate: L1 does not allocate, the
        // store goes to L2, which write-allocates (filling 0x2000..0x201f from RAM) and keeps it dirty.
        _rig.Write32(0x2000, 0xBBBB_0002);
        Assert.Equal(-1, _rig.DataLine(0x2000));
        Assert.True(L2.Cache.IsDirty(L2Line(0x2000)));

        uint uncached = _rig.Read32(0x2000, CacheRig.NcnbPage);
        _rig.Write32(0x2004, 0x4444_4444, CacheRig.NcnbPage);

        Assert.Equal(0x2222_2222u, uncached);           // RAM, not the L2 copy
        Assert.Equal(0x4444_4444u, _rig.Ram32(0x2004));
        Assert.Equal(0u, L2Word(0x2004));               // the L2 line was not updated
        Assert.Equal((0ul, 1ul, 1ul), (L2.Counters.Reads, L2.Counters.Writes, L2.Counters.LineFills));
        Assert.Equal(0ul, _rig.D.Counters.Reads);
    }

    [Fact]
    public void WriteThroughPages_AreNotCachedInL1OrL2()
    {
        L2.Enabled = true;

        _rig.Write32(0x3000, 0x3333_3333, CacheRig.WriteThroughPage);
        uint read = _rig.Read32(0x3000, CacheRig.WriteThroughPage);

        Assert.Equal(0x3333_3333u, read);
        Assert.Equal(0x3333_3333u, _rig.Ram32(0x3000));
        Assert.Equal(-1, _rig.DataLine(0x3000));
        Assert.Equal(0, _rig.ValidLines(L2.Cache));
        Assert.Equal(0ul, _rig.D.Counters.Reads + _rig.D.Counters.Writes);
    }

    [Fact]
    public void WriteAllocatePages_AllocateInL1()
    {
        var wbwa = CacheRig.WriteBackPage with { WriteAllocate = true };

        _rig.System.Write(0x5000, 0x5000, 4, 7, wbwa);

        int line = _rig.DataLine(0x5000);
        Assert.True(line >= 0);
        Assert.True(_rig.D.IsDirty(line));
        Assert.Equal(0u, _rig.Ram32(0x5000));
    }

    [Fact]
    public void ByPhysicalAddress_InvalidateLosesDirtyData_CleanAndInvalidateWritesItFirst()
    {
        L2.Enabled = true;
        _rig.SetRam32(0x1000, 0x1111_1111);
        _rig.Write32(0x1000, 0xAAAA_0001); // dirty in L2

        L2.ByPhysicalAddress(0x1004, OuterCache.Operation.Invalidate); // any byte of the line names it
        L2.Synchronize();
        Assert.Equal(-1, L2Line(0x1000));
        Assert.Equal(0x1111_1111u, _rig.Ram32(0x1000));
        Assert.Empty(_rig.Drained);

        _rig.Write32(0x1000, 0xAAAA_0002);
        L2.ByPhysicalAddress(0x101C, OuterCache.Operation.CleanAndInvalidate);
        L2.Synchronize();
        Assert.Equal(-1, L2Line(0x1000));
        Assert.Equal(0xAAAA_0002u, _rig.Ram32(0x1000));
        Assert.Equal(2ul, L2.Counters.Maintenance);
    }

    [Fact]
    public void ByIndexWay_NamesWayInBits31To28AndIndexInBits13To5()
    {
        L2.Enabled = true;
        _rig.Write32(0x0100, 1);          // fill 1: set 8, way 0
        _rig.Write32(0x2_0040, 0xC0DE);   // fill 2: set 0x1002 & 0x1ff = 2, way 1
        int target = L2Line(0x2_0040);
        Assert.Equal((2, 1), (L2.Cache.SetOfLine(target), L2.Cache.WayOfLine(target)));

        L2.ByIndexWay(0x0000_0040, OuterCache.Operation.CleanAndInvalidate); // way 0 of set 2: empty
        Assert.True(L2.Cache.IsValid(target));

        L2.ByIndexWay(0x1000_0040, OuterCache.Operation.CleanAndInvalidate);
        L2.Synchronize();

        Assert.Equal(-1, L2Line(0x2_0040));
        Assert.Equal(0xC0DEu, _rig.Ram32(0x2_0040));
        Assert.True(L2.Cache.IsDirty(L2Line(0x0100))); // the other line is untouched
        Assert.Equal(0u, _rig.Ram32(0x0100));
    }

    [Fact]
    public void ByWay_ActsOnEveryLineOfTheMaskedWays()
    {
        L2.Enabled = true;
        _rig.Write32(0x0100, 1); // set 8, way 0
        _rig.Write32(0x4100, 2); // set 0x208 & 0x1ff = 8, way 1

        L2.ByWay(0b10, OuterCache.Operation.Clean);
        L2.Synchronize();
        Assert.Equal(2u, _rig.Ram32(0x4100));
        Assert.Equal(0u, _rig.Ram32(0x0100));
        Assert.False(L2.Cache.IsDirty(L2Line(0x4100)));
        Assert.True(L2.Cache.IsDirty(L2Line(0x0100)));

        L2.ByWay(0xFF, OuterCache.Operation.Invalidate);
        L2.Synchronize();
        Assert.Equal(0, _rig.ValidLines(L2.Cache));
        Assert.Equal(0u, _rig.Ram32(0x0100)); // invalidated, never written
    }

    [Fact]
    public void LockdownByWay_KeepsDataAndInstructionAllocationsOutOfLockedWays()
    {
        L2.Enabled = true;
        L2.DataLockdown = 0xFE;        // data may only use way 0
        L2.InstructionLockdown = 0x7F; // instructions only way 7

        _rig.Write32(0x0100, 1); // set 8 -> way 0
        _rig.Write32(0x4100, 2); // set 8 -> way 0 again: evicts the dirty 0x100 line
        _rig.System.Fetch(0x8000, 0x8000, 4);
        L2.Synchronize();

        Assert.Equal(-1, L2Line(0x0100));
        Assert.Equal(1u, _rig.Ram32(0x0100));
        Assert.Equal(0, L2.Cache.WayOfLine(L2Line(0x4100)));
        Assert.Equal(7, L2.Cache.WayOfLine(L2Line(0x8000)));
    }

    [Fact]
    public void DebugControl_DclStopsLineFills_DwbMakesItWriteThrough()
    {
        L2.Enabled = true;
        L2.LineFillsDisabled = true;
        _rig.SetRam32(0x1000, 0x1111_1111);
        Assert.Equal(0x1111_1111u, _rig.Read32(0x1000)); // L1 fills through a missing L2
        Assert.Equal(0, _rig.ValidLines(L2.Cache));
        Assert.Equal((1ul, 0ul), (L2.Counters.ReadMisses, L2.Counters.LineFills));

        L2.LineFillsDisabled = false;
        L2.WriteBackDisabled = true;
        _rig.Write32(0x2000, 0x2222_0002); // L1 does not allocate; L2 allocates, updates, and passes it on
        L2.Synchronize();

        Assert.Equal(0x2222_0002u, _rig.Ram32(0x2000));
        Assert.Equal(0x2222_0002u, L2Word(0x2000));
        Assert.False(L2.Cache.IsDirty(L2Line(0x2000)));
    }

    [Fact]
    public void InstructionFills_ComeThroughL2_AndSeeWhatL1DataWroteBackThere()
    {
        L2.Enabled = true;
        _rig.SetRam32(0x6000, 0xE1A0_0000);             // mov r0, r0
        _rig.Read32(0x6000);
        _rig.Write32(0x6000, 0xE3A0_0001);              // mov r0, #1, dirty in L1 D
        _rig.System.CleanDataByMva(0x6000, toUnification: true); // DCCMVAU: into L2

        uint fetched = _rig.System.Fetch(0x6000, 0x6000, 4);

        Assert.Equal(0xE3A0_0001u, fetched); // the L2 is unified: the I fill sees the cleaned data
        Assert.Equal(0xE1A0_0000u, _rig.Ram32(0x6000));
    }

    [Fact]
    public void Reconfigure_GivesAnEmptyCacheOfTheNewGeometry_KeepingTheCounters()
    {
        L2.Enabled = true;
        _rig.Read32(0x1000);

        L2.Reconfigure(Pl310Geometry.FromAuxiliaryControl(1u << 16 | 3u << 17)); // 16 ways of 64 KiB

        Assert.Equal((16, 2048, 1024 * 1024), (L2.Cache.Ways, L2.Cache.Sets, L2.Cache.Config.SizeBytes));
        Assert.Equal(0, _rig.ValidLines(L2.Cache));
        Assert.Equal(1ul, L2.Counters.LineFills);
    }

    [Fact]
    public void DebugViews_SeeTheL2Copy()
    {
        L2.Enabled = true;
        _rig.SetRam32(0x2000, 0x2222_2222);
        _rig.Write32(0x2000, 0xBBBB_0002); // in L2 only

        Span<byte> peeked = stackalloc byte[4];
        Assert.True(_rig.System.Peek(0x2000, 0x2000, peeked));
        Assert.Equal(0xBBBB_0002u, BitConverter.ToUInt32(peeked));

        Assert.True(_rig.Bus.TryWrite(0x2000, 1, 0x77)); // a debugger's poke: RAM first, then the cached copies
        _rig.System.Poke(0x2000, 0x2000, 0x77);
        Assert.Equal(0xBBBB_0077u, L2Word(0x2000));
    }
}
