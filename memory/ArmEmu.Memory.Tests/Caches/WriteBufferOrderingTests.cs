using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>The write buffer holds writes in the order they were made and drains them in that order (ARM926EJ-S TRM 4.1, 8).</summary>
public class WriteBufferOrderingTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Drain_WritesEntriesOldestFirst_AcrossMainAndWriteBackBuffers()
    {
        _rig.Buffer.Store(0x100, 4, 1);
        _rig.Buffer.WriteBack(0x200, new byte[32]);
        _rig.Buffer.Store(0x300, 2, 3);
        _rig.Buffer.Store(0x400, 1, 4);

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x100u, 4), (0x200u, 32), (0x300u, 2), (0x400u, 1) }, _rig.Drained);
        Assert.True(_rig.Buffer.IsEmpty);
    }

    [Fact]
    public void Drain_WhenOneAddressIsWrittenTwice_LeavesTheNewerValue()
    {
        _rig.Buffer.Store(0x100, 4, 0x1111_1111);
        _rig.Buffer.Store(0x200, 4, 0x2222_2222);
        _rig.Buffer.Store(0x100, 4, 0x3333_3333);

        _rig.Buffer.Drain();

        Assert.Equal(0x3333_3333u, _rig.Ram32(0x100));
    }

    [Fact]
    public void Drain_ToADevice_WritesEachStoreWithItsOwnSizeInOrder()
    {
        // A device behind a bufferable page (Linux maps ARMv5 devices C=0 B=1): each store
        // reaches the device as the access it was, so a 16-bit register sees one 16-bit write.
        uint dev = CacheRig.DeviceBase;
        _rig.Buffer.Store(dev + 0x10, 4, 0xAABB_CCDD);
        _rig.Buffer.Store(dev + 0x22, 2, 0xBEEF);
        _rig.Buffer.Store(dev + 0x31, 1, 0x5A);

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0x10u, 4, 0xAABB_CCDDu), (0x22u, 2, 0xBEEFu), (0x31u, 1, 0x5Au) }, _rig.Device.Writes);
    }

    [Fact]
    public void Drain_MergedWordsToADevice_ArriveAsWordWritesInAddressOrder()
    {
        uint dev = CacheRig.DeviceBase;
        for (uint i = 0; i < 3; i++) _rig.Buffer.Store(dev + 4 * i, 4, 0x100 + i);

        _rig.Buffer.Drain();

        Assert.Equal(new[] { (0u, 4, 0x100u), (4u, 4, 0x101u), (8u, 4, 0x102u) }, _rig.Device.Writes);
    }

    [Fact]
    public void Stores_OfEachSize_AreLittleEndianInRam()
    {
        _rig.Buffer.Store(0x100, 4, 0x4433_2211);
        _rig.Buffer.Store(0x104, 2, 0x6655);
        _rig.Buffer.Store(0x106, 1, 0x77);

        _rig.Buffer.Drain();

        Assert.Equal(0x4433_2211u, _rig.Ram32(0x100));
        Assert.Equal(0x0077_6655u, _rig.Ram32(0x104));
    }

    [Fact]
    public void TryPeekByte_ReturnsTheNewestPendingValue()
    {
        _rig.Buffer.Store(0x100, 4, 0x1111_1111);
        _rig.Buffer.Store(0x100, 1, 0x22);

        Assert.True(_rig.Buffer.TryPeekByte(0x100, out byte low));
        Assert.True(_rig.Buffer.TryPeekByte(0x101, out byte next));
        Assert.False(_rig.Buffer.TryPeekByte(0x104, out _));
        Assert.Equal(0x22, low);
        Assert.Equal(0x11, next);
    }

    [Fact]
    public void Covers_IsTrueForAnyOverlappingByte()
    {
        _rig.Buffer.Store(0x102, 2, 0xFFFF);

        Assert.True(_rig.Buffer.Covers(0x100, 4));
        Assert.True(_rig.Buffer.Covers(0x103, 1));
        Assert.False(_rig.Buffer.Covers(0x100, 2));
        Assert.False(_rig.Buffer.Covers(0x104, 4));
    }
}
