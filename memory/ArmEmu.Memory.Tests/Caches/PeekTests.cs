using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Peek shows what a load would return -- a cached line, else a pending write, else RAM -- and changes nothing.</summary>
public class PeekTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private uint Peek32(uint address)
    {
        var bytes = new byte[4];
        Assert.True(_rig.System.Peek(address, address, bytes));
        return BitConverter.ToUInt32(bytes);
    }

    [Fact]
    public void Peek_SeesADirtyLineThatRamDoesNot()
    {
        _rig.Read32(0x100);
        _rig.Write32(0x100, 0xD1D1_D1D1);

        Assert.Equal(0xD1D1_D1D1u, Peek32(0x100));
        Assert.Equal(0u, _rig.Ram32(0x100));
    }

    [Fact]
    public void Peek_SeesTheNewestPendingWrite()
    {
        _rig.Write32(0x200, 0x1111_1111, CacheRig.BufferablePage);
        _rig.System.Write(0x201, 0x201, 1, 0x22, CacheRig.BufferablePage);

        Assert.Equal(0x1111_2211u, Peek32(0x200));
        Assert.False(_rig.Buffer.IsEmpty);
    }

    [Fact]
    public void Peek_SeesAStaleCleanLineOverNewerRam()
    {
        _rig.SetRam32(0x300, 1);
        _rig.Read32(0x300);
        _rig.SetRam32(0x300, 2); // DMA wrote under the line

        Assert.Equal(1u, Peek32(0x300));
    }

    [Fact]
    public void Peek_WhenDataCacheDisabled_LooksPastTheLines()
    {
        _rig.SetRam32(0x300, 1);
        _rig.Read32(0x300);
        _rig.SetRam32(0x300, 2);
        _rig.System.DataCacheEnabled = false;

        Assert.Equal(2u, Peek32(0x300));
    }

    [Fact]
    public void Peek_MixesSourcesByteByByte()
    {
        _rig.Read32(0x3FC);                                              // line 0x3E0..0x3FF
        _rig.System.Write(0x3FF, 0x3FF, 1, 0xAA, CacheRig.WriteBackPage); // dirty byte in the line
        _rig.System.Write(0x400, 0x400, 1, 0xBB, CacheRig.BufferablePage); // pending byte
        _rig.SetRam32(0x400, 0x0000_CC00);                               // RAM byte at 0x401

        var bytes = new byte[3];
        Assert.True(_rig.System.Peek(0x3FF, 0x3FF, bytes));

        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, bytes);
    }

    [Fact]
    public void Peek_CountsNothingAndFillsNothing()
    {
        _rig.Read32(0x100);
        _rig.D.Counters.Reset();

        Peek32(0x100);
        Peek32(0x800);

        Assert.Equal(0UL, _rig.D.Counters.Reads);
        Assert.Equal(0UL, _rig.D.Counters.LineFills);
        Assert.Equal(-1, _rig.DataLine(0x800));
    }

    [Fact]
    public void Peek_OfUnmappedAddress_Fails()
    {
        Assert.False(_rig.System.Peek(0x2000_0000, 0x2000_0000, new byte[4]));
    }
}
