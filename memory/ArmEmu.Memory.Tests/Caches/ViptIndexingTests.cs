using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// VIPT: the set comes from the virtual address, the tag from the physical one. With a way
/// larger than a page (here 16 KiB ways: set = VA[13:5]) two virtual addresses of one
/// physical line can land in different sets -- an alias; in the same set they share a line.
/// </summary>
public class ViptIndexingTests : IDisposable
{
    // 32 KiB, 2-way, 32-byte lines: 512 sets, 16 KiB per way.
    private readonly CacheRig _rig = new(new CacheConfig(32 * 1024, 2, 32, CacheIndexing.Vipt, Replacement: ReplacementPolicy.RoundRobin));

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Read_FillsLineInSetOfVirtualAddress_TaggedByPhysicalAddress()
    {
        _rig.SetRam32(0x8024, 0x0BAD_CAFE);

        Assert.Equal(0x0BAD_CAFEu, _rig.System.Read(0x1024, 0x8024, 4, CacheRig.WriteBackPage));

        int line = _rig.D.Find(0x1024, 0x8024);
        Assert.True(line >= 0);
        Assert.Equal(0x81, _rig.D.SetOfLine(line));        // VA 0x1024: bits [13:5] = 0x81 (PA's would be 1)
        Assert.Equal(0x1020u, _rig.D.IndexAddress(line));
        Assert.Equal(0x8020u, _rig.D.TagAddress(line));
        Assert.Equal(0x8020u, _rig.D.PhysicalAddress(line));
        Assert.Equal(-1, _rig.D.Find(0x8024, 0x8024));      // the PA's set holds nothing
    }

    [Fact]
    public void TwoVirtualAddressesInDifferentSets_AreAnAlias()
    {
        _rig.SetRam32(0x8000, 0x1111_1111);
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage); // set 0x80
        _rig.System.Read(0x2000, 0x8000, 4, CacheRig.WriteBackPage); // set 0x100

        _rig.System.Write(0x1000, 0x8000, 4, 0x2222_2222, CacheRig.WriteBackPage);

        int first = _rig.D.Find(0x1000, 0x8000), second = _rig.D.Find(0x2000, 0x8000);
        Assert.NotEqual(_rig.D.SetOfLine(first), _rig.D.SetOfLine(second));
        Assert.Equal(_rig.D.TagAddress(first), _rig.D.TagAddress(second));
        Assert.Equal(0x1111_1111u, _rig.System.Read(0x2000, 0x8000, 4, CacheRig.WriteBackPage));
    }

    [Fact]
    public void TwoVirtualAddressesInSameSet_ShareOneLine()
    {
        _rig.SetRam32(0x8000, 0x1111_1111);
        _rig.System.Read(0x0000_1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x0001_1000, 0x8000, 4, 0x3333_3333, CacheRig.WriteBackPage); // VA[13:5] equal: same set, same PA tag

        Assert.Equal(1, (int)_rig.D.Counters.LineFills);
        Assert.Equal(1, (int)_rig.D.Counters.WriteHits);
        Assert.Equal(0x3333_3333u, _rig.System.Read(0x0000_1000, 0x8000, 4, CacheRig.WriteBackPage));
    }

    [Fact]
    public void MaintenanceByMva_TranslatesForTheTag()
    {
        _rig.System.TranslateForMaintenance = mva => mva is >= 0x1000 and < 0x2000 ? mva + 0x7000 : null;
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x1000, 0x8000, 4, 0x4444_4444, CacheRig.WriteBackPage);

        _rig.System.CleanDataLine(0x1000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0x4444_4444u, _rig.Ram32(0x8000));
        Assert.False(_rig.D.IsDirty(_rig.D.Find(0x1000, 0x8000)));
    }

    [Fact]
    public void MaintenanceByMva_WhenMvaDoesNotTranslate_DoesNothing()
    {
        _rig.System.TranslateForMaintenance = _ => null;
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x1000, 0x8000, 4, 0x4444_4444, CacheRig.WriteBackPage);

        _rig.System.CleanAndInvalidateDataLine(0x1000);
        _rig.System.DrainWriteBuffer();

        int line = _rig.D.Find(0x1000, 0x8000);
        Assert.True(line >= 0);
        Assert.True(_rig.D.IsDirty(line));
        Assert.Equal(0u, _rig.Ram32(0x8000));
    }
}
