using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>PIPT: set and tag from the physical address; every virtual address of a line shares it, so no aliases.</summary>
public class PiptIndexingTests : IDisposable
{
    private readonly CacheRig _rig = new(new CacheConfig(16 * 1024, 4, 32, CacheIndexing.Pipt, Replacement: ReplacementPolicy.RoundRobin));

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Read_FillsLineInSetOfPhysicalAddress_TaggedByPhysicalAddress()
    {
        _rig.System.Read(0x1024, 0x8024, 4, CacheRig.WriteBackPage);

        int line = _rig.D.Find(0x8024, 0x8024);
        Assert.True(line >= 0);
        Assert.Equal(1, _rig.D.SetOfLine(line));        // PA 0x8024: bits [11:5] = 1
        Assert.Equal(0x8020u, _rig.D.IndexAddress(line));
        Assert.Equal(0x8020u, _rig.D.TagAddress(line));
        Assert.Equal(-1, _rig.D.Find(0x1024, 0x1024));
    }

    [Fact]
    public void Read_UsesPhysicalSetEvenWhenVirtualSetDiffers()
    {
        _rig.System.Read(0x1040, 0x8020, 4, CacheRig.WriteBackPage); // VA set 2, PA set 1

        int line = _rig.D.Find(0x8020, 0x8020);
        Assert.Equal(1, _rig.D.SetOfLine(line));
    }

    [Fact]
    public void TwoVirtualAddressesOfOnePhysicalLine_ShareOneLine()
    {
        _rig.SetRam32(0x8000, 0x1111_1111);
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x2020, 0x8000, 4, 0x2222_2222, CacheRig.WriteBackPage);

        Assert.Equal(0x2222_2222u, _rig.System.Read(0x3040, 0x8000, 4, CacheRig.WriteBackPage));
        Assert.Equal(1UL, _rig.D.Counters.LineFills);
        Assert.Equal(1, _rig.ValidLines(_rig.D));
    }

    [Fact]
    public void MaintenanceByMva_FindsLineThroughTranslation()
    {
        _rig.System.TranslateForMaintenance = mva => mva + 0x7000;
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x1000, 0x8000, 4, 0x5555_5555, CacheRig.WriteBackPage);

        _rig.System.CleanAndInvalidateDataLine(0x1000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(-1, _rig.D.Find(0x8000, 0x8000));
        Assert.Equal(0x5555_5555u, _rig.Ram32(0x8000));
    }
}
