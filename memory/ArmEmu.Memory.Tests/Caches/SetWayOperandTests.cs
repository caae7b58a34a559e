using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The set/way operand of the c7 index operations in the ARM926 format (TRM 2.3.8; ARM ARM
/// B6.6.5): the way in the top log2(ways) bits, the set in the bits just above the line
/// offset; everything else is ignored. Operands here are written out by hand.
/// </summary>
public class SetWayOperandTests
{
    [Theory]
    // ARM926 16 KiB, 4-way, 32 B: way [31:30], set [11:5]
    [InlineData(16 * 1024, 4, 32, 0x0000_0000u, 0, 0)]
    [InlineData(16 * 1024, 4, 32, 0x4000_00A0u, 5, 1)]
    [InlineData(16 * 1024, 4, 32, 0xC000_0FE0u, 127, 3)]
    // ARM926 4 KiB, 4-way: set [9:5]
    [InlineData(4 * 1024, 4, 32, 0xC000_03E0u, 31, 3)]
    // ARM926 32 KiB, 4-way: set [12:5]
    [InlineData(32 * 1024, 4, 32, 0x8000_1900u, 200, 2)]
    // direct-mapped 4 KiB, 32 B: no way field, set [11:5]
    [InlineData(4 * 1024, 1, 32, 0x0000_0060u, 3, 0)]
    [InlineData(4 * 1024, 1, 32, 0x0000_0FE0u, 127, 0)]
    // 64-way 16 KiB, 32 B: way [31:26], set [7:5]
    [InlineData(16 * 1024, 64, 32, 0x8000_0000u, 0, 32)]
    [InlineData(16 * 1024, 64, 32, 0x0400_0040u, 2, 1)]
    [InlineData(16 * 1024, 64, 32, 0xFC00_00E0u, 7, 63)]
    // 8-way 8 KiB, 16 B lines: way [31:29], set [9:4]
    [InlineData(8 * 1024, 8, 16, 0xA000_0210u, 33, 5)]
    public void LineFromSetWay_DecodesWayFromTopBitsAndSetAboveLineOffset(int size, int ways, int line, uint operand, int set, int way)
    {
        var cache = new Cache(new CacheConfig(size, ways, line), "test");

        int decoded = cache.LineFromSetWay(operand);

        Assert.Equal(set * ways + way, decoded);
        Assert.Equal(set, cache.SetOfLine(decoded));
        Assert.Equal(way, cache.WayOfLine(decoded));
    }

    [Theory]
    [InlineData(16 * 1024, 4, 32, 0x0000_F01Fu)]  // bits [29:12] and the line offset
    [InlineData(4 * 1024, 1, 32, 0xFFFF_F01Fu)]   // direct-mapped: no way bits at all
    [InlineData(16 * 1024, 64, 32, 0x03FF_FF1Fu)] // bits [25:8] and the line offset
    public void LineFromSetWay_IgnoresBitsOutsideSetAndWayFields(int size, int ways, int line, uint ignored)
    {
        var cache = new Cache(new CacheConfig(size, ways, line), "test");

        Assert.Equal(0, cache.LineFromSetWay(ignored));
        Assert.Equal(cache.LineCount - 1, cache.LineFromSetWay(0xFFFF_FFFF));
    }

    [Theory]
    [InlineData(4 * 1024, 1, 32, 32)]    // direct-mapped: no way bits
    [InlineData(16 * 1024, 4, 32, 30)]   // way in [31:30]
    [InlineData(16 * 1024, 64, 32, 26)]  // way in [31:26]
    public void SetWayOfAFilledLine_NamesThatLineForCleanAndInvalidate(int size, int ways, int line, int wayShift)
    {
        using var rig = new CacheRig(new CacheConfig(size, ways, line, Replacement: ReplacementPolicy.RoundRobin));
        uint wayBytes = (uint)(size / ways);
        // Fill every way of the set of 0x40; the target is the line in the middle way (way 0 when direct-mapped).
        for (uint i = 0; i < (uint)ways; i++) rig.Read32(0x40 + i * wayBytes);
        uint target = 0x40 + (uint)(ways / 2) * wayBytes;
        rig.Write32(target, 0xFEED_BEEF);
        int filled = rig.DataLine(target);
        Assert.Equal(ways / 2, rig.D.WayOfLine(filled));
        uint operand = (wayShift == 32 ? 0 : (uint)rig.D.WayOfLine(filled) << wayShift) | (uint)rig.D.SetOfLine(filled) << 5;
        int othersBefore = rig.ValidLines(rig.D) - 1;

        rig.System.CleanAndInvalidateDataLineBySetWay(operand);
        rig.System.DrainWriteBuffer();

        Assert.Equal(-1, rig.DataLine(target));
        Assert.Equal(othersBefore, rig.ValidLines(rig.D));
        Assert.Equal(0xFEED_BEEFu, rig.Ram32(target));
    }
}
