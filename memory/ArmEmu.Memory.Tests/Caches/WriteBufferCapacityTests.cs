using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Capacity (ARM926EJ-S TRM 4.1): the main buffer holds 4 addresses and 16 words, the
/// write-back buffer 8 words (one line). A write that does not fit stalls, draining the
/// oldest entries until it does.
/// </summary>
public class WriteBufferCapacityTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void FifthAddress_StallsAndDrainsOnlyTheOldest()
    {
        for (uint i = 1; i <= 4; i++) _rig.Buffer.Store(0x100 * i, 4, i);
        Assert.Equal(0UL, _rig.Buffer.Stalls);
        Assert.Empty(_rig.Drained);

        _rig.Buffer.Store(0x500, 4, 5);

        Assert.Equal(1UL, _rig.Buffer.Stalls);
        Assert.Equal(new[] { (0x100u, 4) }, _rig.Drained);
        Assert.Equal(1u, _rig.Ram32(0x100));
        Assert.Equal(0u, _rig.Ram32(0x200));
    }

    [Fact]
    public void SeventeenthWord_Stalls()
    {
        for (uint i = 0; i < 16; i++) _rig.Buffer.Store(0x100 + 4 * i, 4, i + 1); // 4 entries of 4 words
        Assert.Equal(0UL, _rig.Buffer.Stalls);

        _rig.Buffer.Store(0x140, 4, 17);

        Assert.Equal(1UL, _rig.Buffer.Stalls);
        Assert.Equal(new[] { (0x100u, 16) }, _rig.Drained);
        Assert.Equal(4u, _rig.Ram32(0x10C));
        Assert.Equal(0u, _rig.Ram32(0x110));
    }

    [Fact]
    public void WriteBackBuffer_HoldsOneLine_SecondLineStalls()
    {
        _rig.Buffer.WriteBack(0x100, Enumerable.Repeat((byte)0x11, 32).ToArray());
        Assert.Equal(0UL, _rig.Buffer.Stalls);

        _rig.Buffer.WriteBack(0x200, Enumerable.Repeat((byte)0x22, 32).ToArray());

        Assert.Equal(1UL, _rig.Buffer.Stalls);
        Assert.Equal(0x1111_1111u, _rig.Ram32(0x11C));
        Assert.Equal(0u, _rig.Ram32(0x200));
    }

    [Fact]
    public void WriteBackBuffer_HoldsTwoHalfLines_ThirdStalls()
    {
        _rig.Buffer.WriteBack(0x100, new byte[16]);
        _rig.Buffer.WriteBack(0x210, new byte[16]);
        Assert.Equal(0UL, _rig.Buffer.Stalls);

        _rig.Buffer.WriteBack(0x300, new byte[16]);

        Assert.Equal(1UL, _rig.Buffer.Stalls);
        Assert.Equal(new[] { (0x100u, 16) }, _rig.Drained);
    }

    [Fact]
    public void MainAndWriteBackBuffers_HaveSeparateCapacity()
    {
        for (uint i = 1; i <= 4; i++) _rig.Buffer.Store(0x100 * i, 4, i);
        _rig.Buffer.WriteBack(0x1000, new byte[32]);

        Assert.Equal(0UL, _rig.Buffer.Stalls);
        Assert.Empty(_rig.Drained);
    }

    [Fact]
    public void Stall_DrainsInOrder_AndCountsOncePerStalledWrite()
    {
        // The oldest entry is a write-back line: freeing a main-buffer address means draining
        // it first, then the oldest store -- one stall for the one store that waited.
        _rig.Buffer.WriteBack(0x1000, new byte[32]);
        for (uint i = 1; i <= 4; i++) _rig.Buffer.Store(0x100 * i, 4, i);

        _rig.Buffer.Store(0x500, 4, 5);

        Assert.Equal(new[] { (0x1000u, 32), (0x100u, 4) }, _rig.Drained);
        Assert.Equal(1UL, _rig.Buffer.Stalls);
    }

    [Fact]
    public void Stall_IsNotCountedAsADrain()
    {
        for (uint i = 1; i <= 5; i++) _rig.Buffer.Store(0x100 * i, 4, i);

        Assert.Equal(0UL, _rig.Buffer.Drains);
        _rig.Buffer.Drain();
        Assert.Equal(1UL, _rig.Buffer.Drains);
        _rig.Buffer.Drain(); // empty: nothing to count
        Assert.Equal(1UL, _rig.Buffer.Drains);
        Assert.Equal(5UL, _rig.Buffer.Writes);
    }

    [Fact]
    public void DirtyLinesCleanedBackToBack_StallOnTheWriteBackBuffer()
    {
        _rig.Read32(0x100);
        _rig.Read32(0x200);
        _rig.Write32(0x100, 1);
        _rig.Write32(0x11C, 1); // whole line dirty
        _rig.Write32(0x200, 2);
        _rig.Write32(0x21C, 2);

        _rig.System.CleanDataLine(0x100);
        _rig.System.CleanDataLine(0x200);

        Assert.Equal(1UL, _rig.Buffer.Stalls);
        Assert.Equal(1u, _rig.Ram32(0x100));
        Assert.Equal(0u, _rig.Ram32(0x200));
    }
}
