using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The ARM926 D-cache keeps one dirty bit per half line (TRM 4.1): a clean or eviction writes
/// back only the dirty halves -- 16 bytes when one half of a 32-byte line was written.
/// </summary>
public class HalfLineDirtyTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public HalfLineDirtyTests()
    {
        _rig.FillRam(0x100, 8, 0xA000_0000);
        _rig.Read32(0x100); // fill the line 0x100..0x11F, clean
    }

    public void Dispose() => _rig.Dispose();

    private int Line => _rig.DataLine(0x100);

    [Fact]
    public void WritingOnlyLowHalf_CleanWritesBackOnly16BytesAtLineStart()
    {
        _rig.Write32(0x104, 0x1111_1111);
        _rig.SetRam32(0x114, 0xD0D0_D0D0); // another master changes the high half behind the cache

        Assert.Equal(1, _rig.D.DirtyHalves(Line));
        _rig.System.CleanDataLine(0x100);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(new[] { (0x100u, 16) }, _rig.Drained);
        Assert.Equal(0x1111_1111u, _rig.Ram32(0x104));
        Assert.Equal(0xD0D0_D0D0u, _rig.Ram32(0x114)); // the clean high half was not written over it
    }

    [Fact]
    public void WritingOnlyHighHalf_CleanWritesBackOnly16BytesAtMidLine()
    {
        _rig.Write32(0x11C, 0x2222_2222);
        _rig.SetRam32(0x100, 0xD0D0_D0D0);

        Assert.Equal(2, _rig.D.DirtyHalves(Line));
        _rig.System.CleanDataLine(0x100);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(new[] { (0x110u, 16) }, _rig.Drained);
        Assert.Equal(0x2222_2222u, _rig.Ram32(0x11C));
        Assert.Equal(0xD0D0_D0D0u, _rig.Ram32(0x100));
    }

    [Fact]
    public void WritingBothHalves_CleanWritesBackTheWholeLine()
    {
        _rig.Write32(0x104, 0x1111_1111);
        _rig.Write32(0x118, 0x2222_2222);

        Assert.Equal(3, _rig.D.DirtyHalves(Line));
        _rig.System.CleanDataLine(0x100);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(new[] { (0x100u, 32) }, _rig.Drained);
        Assert.Equal(0xA000_0000u, _rig.Ram32(0x100));
        Assert.Equal(0x1111_1111u, _rig.Ram32(0x104));
        Assert.Equal(0x2222_2222u, _rig.Ram32(0x118));
        Assert.Equal(1UL, _rig.D.Counters.WriteBacks);
    }

    [Fact]
    public void CleaningACleanLine_WritesNothing()
    {
        _rig.System.CleanDataLine(0x100);
        _rig.System.DrainWriteBuffer();

        Assert.Empty(_rig.Drained);
        Assert.Equal(0UL, _rig.D.Counters.WriteBacks);
    }

    [Fact]
    public void CleaningTwice_WritesBackOnce()
    {
        _rig.Write32(0x104, 0x1111_1111);
        _rig.System.CleanDataLine(0x100);
        _rig.System.CleanDataLine(0x100);
        _rig.System.DrainWriteBuffer();

        Assert.Single(_rig.Drained);
        Assert.False(_rig.D.IsDirty(Line));
        Assert.True(_rig.D.IsValid(Line));
    }

    [Fact]
    public void EvictingALineWithOneDirtyHalf_WritesBackOnlyThatHalf()
    {
        using var rig = new CacheRig(new CacheConfig(1024, 1, 32)); // direct-mapped: 0x100 and 0x500 share a set
        rig.Read32(0x100);
        rig.Write32(0x110, 0x3333_3333);
        rig.SetRam32(0x100, 0xD0D0_D0D0);

        rig.Read32(0x500);

        Assert.Equal(new[] { (0x110u, 16) }, rig.Drained); // drained before the fill (write-back buffer)
        Assert.Equal(0x3333_3333u, rig.Ram32(0x110));
        Assert.Equal(0xD0D0_D0D0u, rig.Ram32(0x100));
        Assert.Equal(1UL, rig.D.Counters.Evictions);
        Assert.Equal(1UL, rig.D.Counters.WriteBacks);
    }

    [Theory]
    [InlineData(32, 0u, 4, 1)]
    [InlineData(32, 12u, 4, 1)]
    [InlineData(32, 15u, 1, 1)]
    [InlineData(32, 14u, 2, 1)]
    [InlineData(32, 16u, 1, 2)]
    [InlineData(32, 16u, 4, 2)]
    [InlineData(32, 28u, 4, 2)]
    [InlineData(32, 15u, 2, 3)]  // a store straddling the middle dirties both halves
    [InlineData(64, 28u, 4, 1)]  // 64-byte lines: halves of 32 bytes
    [InlineData(64, 32u, 4, 2)]
    [InlineData(8, 0u, 4, 1)]    // 8-byte lines: halves of 4 bytes
    [InlineData(8, 4u, 4, 2)]
    public void MarkDirty_SetsTheHalvesTheStoreCovers(int lineBytes, uint offset, int size, int halves)
    {
        var cache = new Cache(new CacheConfig(4096, 2, lineBytes), "d");
        int line = cache.ChooseVictim(0);
        cache.Fill(line, 0, 0, 0, new byte[lineBytes]);

        cache.MarkDirty(line, offset, size);

        Assert.Equal(halves, cache.DirtyHalves(line));
        Assert.Equal(halves, cache.Clean(line));
        Assert.Equal(0, cache.DirtyHalves(line));
    }

    [Theory]
    [InlineData(0x100u, 0x100u, 32)] // low half of a 64-byte line
    [InlineData(0x120u, 0x120u, 32)] // high half
    public void SixtyFourByteLines_WriteBackHalvesOf32Bytes(uint written, uint expectedAddress, int expectedBytes)
    {
        using var rig = new CacheRig(new CacheConfig(4096, 2, 64, Replacement: ReplacementPolicy.RoundRobin));
        rig.Read32(0x100);
        rig.Write32(written, 0x4444_4444);

        rig.System.CleanDataLine(0x100);
        rig.System.DrainWriteBuffer();

        Assert.Equal(new[] { (expectedAddress, expectedBytes) }, rig.Drained);
    }
}
