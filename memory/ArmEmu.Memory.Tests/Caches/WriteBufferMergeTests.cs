using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Consecutive word stores merge into one address entry of up to 4 words (an STM burst); nothing else merges.</summary>
public class WriteBufferMergeTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void ConsecutiveWords_MergeIntoOneEntry()
    {
        for (uint i = 0; i < 4; i++) _rig.Buffer.Store(0x100 + 4 * i, 4, i);

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x100u, 16) }, _rig.Drained);
        for (uint i = 0; i < 4; i++) Assert.Equal(i, _rig.Ram32(0x100 + 4 * i));
    }

    [Fact]
    public void MergedEntry_TakesOnlyOneOfTheFourAddresses()
    {
        for (uint i = 0; i < 4; i++) _rig.Buffer.Store(0x100 + 4 * i, 4, i); // 1 address, 4 words
        _rig.Buffer.Store(0x200, 4, 5);
        _rig.Buffer.Store(0x300, 4, 6);
        _rig.Buffer.Store(0x400, 4, 7);

        Assert.Equal(0UL, _rig.Buffer.Stalls);
        Assert.Empty(_rig.Drained);
    }

    [Fact]
    public void FifthConsecutiveWord_StartsANewEntry()
    {
        for (uint i = 0; i < 5; i++) _rig.Buffer.Store(0x100 + 4 * i, 4, i);

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x100u, 16), (0x110u, 4) }, _rig.Drained);
    }

    [Fact]
    public void NonConsecutiveWords_DoNotMerge()
    {
        _rig.Buffer.Store(0x100, 4, 1);
        _rig.Buffer.Store(0x108, 4, 2); // a gap
        _rig.Buffer.Store(0x104, 4, 3); // descending

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x100u, 4), (0x108u, 4), (0x104u, 4) }, _rig.Drained);
    }

    [Fact]
    public void ByteAndHalfwordStores_DoNotMerge()
    {
        _rig.Buffer.Store(0x100, 1, 1);
        _rig.Buffer.Store(0x101, 1, 2);
        _rig.Buffer.Store(0x102, 2, 3);
        _rig.Buffer.Store(0x104, 4, 4); // a word after a halfword does not join it either

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x100u, 1), (0x101u, 1), (0x102u, 2), (0x104u, 4) }, _rig.Drained);
    }

    [Fact]
    public void WordAfterAWriteBackLine_DoesNotJoinIt()
    {
        _rig.Buffer.WriteBack(0x100, new byte[16]);
        _rig.Buffer.Store(0x110, 4, 1);

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x100u, 16), (0x110u, 4) }, _rig.Drained);
    }

    [Fact]
    public void WriteThroughStoreMultiple_MergesThroughCacheSystem()
    {
        _rig.Read32(0x100, CacheRig.WriteThroughPage);
        for (uint i = 0; i < 4; i++) _rig.Write32(0x100 + 4 * i, i, CacheRig.WriteThroughPage);

        _rig.System.DrainWriteBuffer();

        Assert.Equal(new[] { (0x100u, 16) }, _rig.Drained);
    }
}
