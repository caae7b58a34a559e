using ArmEmu.Emulator.Linux;

namespace ArmEmu.Emulator.Tests.Linux;

/// <summary>The side table /proc/PID/maps reads names from: setting, cutting and moving named ranges.</summary>
public sealed class MappingNamesTests
{
    [Fact]
    public void RemovingTheMiddleOfARangeKeepsBothEndsWithTheirOffsets()
    {
        var names = new MappingNames();
        names.Set(0x10000, 0x20000, "/bin/x", offset: 0x3000, device: 0xfe00, inode: 7);
        names.Remove(0x14000, 0x18000);
        Assert.Equal(2, names.Ranges.Count);
        Assert.Equal(new MappingNames.Range(0x10000, 0x14000, "/bin/x", 0x3000, 0xfe00, 7), names.Ranges[0]);
        Assert.Equal(new MappingNames.Range(0x18000, 0x20000, "/bin/x", 0x3000 + 0x8000, 0xfe00, 7), names.Ranges[1]);
        Assert.Null(names.At(0x15000));
        Assert.Equal("/bin/x", names.At(0x1ffff)!.Name);
    }

    [Fact]
    public void SettingOverAnotherRangeReplacesItsOverlapAndKeepsOrder()
    {
        var names = new MappingNames();
        names.Set(0x30000, 0x40000, "b");
        names.Set(0x10000, 0x20000, "a");
        names.Set(0x1c000, 0x34000, "c");
        Assert.Equal(["a", "c", "b"], names.Ranges.Select(r => r.Name));
        Assert.Equal((0x10000u, 0x1c000u), (names.Ranges[0].Start, names.Ranges[0].End));
        Assert.Equal((0x34000u, 0x40000u), (names.Ranges[2].Start, names.Ranges[2].End));
        Assert.Equal(0x4000ul, names.Ranges[2].Offset);
    }

    [Fact]
    public void MoveTakesTheNamesToTheNewPlaceOnly()
    {
        var names = new MappingNames();
        names.Set(0x10000, 0x12000, "f", offset: 0x1000);
        names.Move(0x10000, 0x50000, 0x2000);
        Assert.Null(names.At(0x10000));
        Assert.Equal(new MappingNames.Range(0x50000, 0x52000, "f", 0x1000, 0, 0), names.At(0x51000));
    }

    [Fact]
    public void ARangeReachingTheTopOfTheAddressSpaceIsCut()
    {
        var names = new MappingNames();
        names.Set(0xffff0000, 0xffff1000, "[vectors]");
        names.Remove(0xffff0000, 1UL << 32);
        Assert.Empty(names.Ranges);
    }
}
