using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// D-cache operations of CP15 c7 (ARM926EJ-S TRM 2.3.8, table 2-18): invalidate all (c7,c6,0,
/// dirty data lost), by MVA (c7,c6,1), by set/way (c7,c6,2); clean by MVA (c7,c10,1) and
/// set/way (c7,c10,2); clean and invalidate by MVA (c7,c14,1) and set/way (c7,c14,2).
/// Cleaned data goes to the write-back buffer, so RAM has it after the drain (c7,c10,4).
/// </summary>
public class DataCacheMaintenanceTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public DataCacheMaintenanceTests()
    {
        _rig.SetRam32(0x1000, 0x0000_1000);
        _rig.SetRam32(0x2040, 0x0000_2040);
        _rig.Read32(0x1000);
        _rig.Read32(0x2040);
        _rig.Write32(0x1000, 0xD1D1_D1D1); // both lines dirty
        _rig.Write32(0x2040, 0xD2D2_D2D2);
    }

    public void Dispose() => _rig.Dispose();

    private uint SetWayOf(uint address)
    {
        int line = _rig.DataLine(address);
        return (uint)_rig.D.WayOfLine(line) << 30 | (uint)_rig.D.SetOfLine(line) << 5;
    }

    [Fact]
    public void InvalidateAll_DropsDirtyDataWithoutWritingIt()
    {
        _rig.System.InvalidateDataCache();
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0, _rig.ValidLines(_rig.D));
        Assert.Equal(0x0000_1000u, _rig.Read32(0x1000));
        Assert.Equal(0x0000_2040u, _rig.Ram32(0x2040));
        Assert.Equal(0UL, _rig.D.Counters.WriteBacks);
    }

    [Fact]
    public void InvalidateByMva_DropsOnlyThatLine()
    {
        _rig.System.InvalidateDataLine(0x1010);

        Assert.Equal(-1, _rig.DataLine(0x1000));
        Assert.True(_rig.D.IsDirty(_rig.DataLine(0x2040)));
        Assert.Equal(0x0000_1000u, _rig.Read32(0x1000));
    }

    [Fact]
    public void InvalidateBySetWay_DropsOnlyThatLine()
    {
        _rig.System.InvalidateDataLineBySetWay(SetWayOf(0x2040));

        Assert.Equal(-1, _rig.DataLine(0x2040));
        Assert.True(_rig.DataLine(0x1000) >= 0);
        Assert.Equal(0x0000_2040u, _rig.Read32(0x2040));
    }

    [Fact]
    public void CleanByMva_WritesBackAndKeepsTheLineValidAndClean()
    {
        _rig.System.CleanDataLine(0x1004);
        Assert.Equal(0x0000_1000u, _rig.Ram32(0x1000)); // in the write-back buffer
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xD1D1_D1D1u, _rig.Ram32(0x1000));
        int line = _rig.DataLine(0x1000);
        Assert.True(_rig.D.IsValid(line));
        Assert.False(_rig.D.IsDirty(line));
        Assert.True(_rig.D.IsDirty(_rig.DataLine(0x2040)));
        Assert.Equal(0x0000_2040u, _rig.Ram32(0x2040));
    }

    [Fact]
    public void CleanBySetWay_WritesBackThatLineOnly()
    {
        _rig.System.CleanDataLineBySetWay(SetWayOf(0x2040));
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xD2D2_D2D2u, _rig.Ram32(0x2040));
        Assert.False(_rig.D.IsDirty(_rig.DataLine(0x2040)));
        Assert.Equal(0x0000_1000u, _rig.Ram32(0x1000));
    }

    [Fact]
    public void CleanAndInvalidateByMva_WritesBackAndDropsTheLine()
    {
        _rig.System.CleanAndInvalidateDataLine(0x1000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xD1D1_D1D1u, _rig.Ram32(0x1000));
        Assert.Equal(-1, _rig.DataLine(0x1000));
        Assert.True(_rig.DataLine(0x2040) >= 0);
    }

    [Fact]
    public void CleanAndInvalidateBySetWay_WritesBackAndDropsTheLine()
    {
        _rig.System.CleanAndInvalidateDataLineBySetWay(SetWayOf(0x2040));
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xD2D2_D2D2u, _rig.Ram32(0x2040));
        Assert.Equal(-1, _rig.DataLine(0x2040));
        Assert.True(_rig.DataLine(0x1000) >= 0);
    }

    [Fact]
    public void ByMva_WhenAddressIsNotCached_DoesNothing()
    {
        _rig.System.CleanDataLine(0x3000);
        _rig.System.CleanAndInvalidateDataLine(0x3000);
        _rig.System.InvalidateDataLine(0x3000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(2, _rig.ValidLines(_rig.D));
        Assert.Empty(_rig.Drained);
    }

    [Fact]
    public void BySetWay_WhenLineIsInvalid_DoesNothing()
    {
        uint emptyWay = 3u << 30 | 0x7Fu << 5;

        _rig.System.CleanDataLineBySetWay(emptyWay);
        _rig.System.CleanAndInvalidateDataLineBySetWay(emptyWay);
        _rig.System.InvalidateDataLineBySetWay(emptyWay);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(2, _rig.ValidLines(_rig.D));
        Assert.Empty(_rig.Drained);
    }

    [Fact]
    public void CleanEveryLineBySetWay_IsLinuxsFlushLoop()
    {
        // Walk every set and way, as a set/way flush loop does; each dirty line is written once.
        for (uint set = 0; set < 128; set++)
            for (uint way = 0; way < 4; way++)
                _rig.System.CleanAndInvalidateDataLineBySetWay(way << 30 | set << 5);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0, _rig.ValidLines(_rig.D));
        Assert.Equal(0xD1D1_D1D1u, _rig.Ram32(0x1000));
        Assert.Equal(0xD2D2_D2D2u, _rig.Ram32(0x2040));
        Assert.Equal(2UL, _rig.D.Counters.WriteBacks);
        Assert.Equal(512UL, _rig.D.Counters.Maintenance);
    }

    [Fact]
    public void DataOperations_WorkWhileTheDataCacheIsDisabled()
    {
        _rig.System.DataCacheEnabled = false; // SCTLR.C cleared with dirty lines still inside

        _rig.System.CleanDataLine(0x1000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xD1D1_D1D1u, _rig.Ram32(0x1000));
    }

    [Fact]
    public void EachOperation_CountsOneMaintenanceOnTheDataCache()
    {
        _rig.System.InvalidateDataLine(0x3000);
        _rig.System.InvalidateDataLineBySetWay(0);
        _rig.System.CleanDataLine(0x1000);
        _rig.System.CleanDataLineBySetWay(0);
        _rig.System.CleanAndInvalidateDataLine(0x1000);
        _rig.System.CleanAndInvalidateDataLineBySetWay(0);
        _rig.System.InvalidateDataCache();

        Assert.Equal(7UL, _rig.D.Counters.Maintenance);
        Assert.Equal(0UL, _rig.I.Counters.Maintenance);
    }

    [Fact]
    public void NoMaintenance_IsAlwaysCleanAndDoesNothing()
    {
        ICacheMaintenance none = NoCacheMaintenance.Instance;
        none.CleanDataLine(0);
        none.DrainWriteBuffer();
        Assert.True(none.TestAndCleanDataCache());
        Assert.True(none.TestCleanAndInvalidateDataCache());
    }
}
