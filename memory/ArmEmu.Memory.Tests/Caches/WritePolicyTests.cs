using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Write-back, write-through, and the ARM926's per-page choice from the C and B bits (TRM
/// table 4-1: C=1 B=1 write-back, C=1 B=0 write-through, C=0 not cached), through the
/// <see cref="CacheSystem"/> on a small bus: RAM shows a write-back store only after a clean
/// or an eviction, a write-through store as soon as the write buffer drains.
/// </summary>
public class WritePolicyTests
{
    [Theory]
    [InlineData(WritePolicy.PerPage, true, true)]        // C=1 B=1: write-back
    [InlineData(WritePolicy.PerPage, false, false)]      // C=1 B=0: write-through
    [InlineData(WritePolicy.WriteBack, true, true)]      // forced: the B bit does not matter
    [InlineData(WritePolicy.WriteBack, false, true)]
    [InlineData(WritePolicy.WriteThrough, true, false)]
    [InlineData(WritePolicy.WriteThrough, false, false)]
    public void WriteHit_FollowsPolicy(WritePolicy policy, bool bufferable, bool writesBack)
    {
        using var rig = new CacheRig(CacheRig.Arm926RoundRobin with { WritePolicy = policy });
        var page = new PageAttributes(true, bufferable);
        rig.SetRam32(0x200, 0x0101_0101);
        rig.Read32(0x200, page);

        rig.Write32(0x200, 0x0202_0202, page);

        Assert.Equal(0x0202_0202u, rig.Read32(0x200, page));       // the cache has it either way
        Assert.Equal(writesBack, rig.D.IsDirty(rig.DataLine(0x200)));
        Assert.Equal(0x0101_0101u, rig.Ram32(0x200));              // nothing reached RAM yet
        rig.System.DrainWriteBuffer();
        Assert.Equal(writesBack ? 0x0101_0101u : 0x0202_0202u, rig.Ram32(0x200));
        rig.System.CleanDataLine(0x200);
        rig.System.DrainWriteBuffer();
        Assert.Equal(0x0202_0202u, rig.Ram32(0x200));              // after a clean, RAM has it in both
    }

    [Fact]
    public void WriteBack_RamShowsOldValueUntilEviction()
    {
        using var rig = new CacheRig(new CacheConfig(1024, 1, 32)); // direct-mapped: 0x100 and 0x500 share a set
        rig.SetRam32(0x100, 0x0101_0101);
        rig.Read32(0x100);
        rig.Write32(0x100, 0x0202_0202);
        rig.System.DrainWriteBuffer();
        Assert.Equal(0x0101_0101u, rig.Ram32(0x100));

        rig.Read32(0x500); // evicts the dirty line; its write-back drains before the fill

        Assert.Equal(0x0202_0202u, rig.Ram32(0x100));
        Assert.Equal(0x0202_0202u, rig.Read32(0x100)); // refetched from RAM
    }

    [Fact]
    public void WriteThrough_CleanLineIsDroppedOnEvictionWithoutWriteBack()
    {
        using var rig = new CacheRig(new CacheConfig(1024, 1, 32));
        rig.Read32(0x100, CacheRig.WriteThroughPage);
        rig.Write32(0x100, 0x0303_0303, CacheRig.WriteThroughPage);

        rig.Read32(0x500, CacheRig.WriteThroughPage);

        Assert.Equal(0UL, rig.D.Counters.WriteBacks);
        Assert.Equal(new[] { (0x100u, 4) }, rig.Drained); // only the write-through store itself
        Assert.Equal(0x0303_0303u, rig.Ram32(0x100));
    }

    [Fact]
    public void WriteThrough_StoresDrainInProgramOrder()
    {
        using var rig = new CacheRig();
        rig.Read32(0x200, CacheRig.WriteThroughPage);
        rig.Write32(0x200, 1, CacheRig.WriteThroughPage);
        rig.Write32(0x208, 2, CacheRig.WriteThroughPage);
        rig.Write32(0x200, 3, CacheRig.WriteThroughPage);

        rig.System.DrainWriteBuffer();

        Assert.Equal(new[] { (0x200u, 4), (0x208u, 4), (0x200u, 4) }, rig.Drained);
        Assert.Equal(3u, rig.Ram32(0x200));
        Assert.Equal(2u, rig.Ram32(0x208));
    }

    [Fact]
    public void BufferablePage_IsNotCachedButWaitsInTheWriteBuffer()
    {
        using var rig = new CacheRig();
        rig.Write32(0x300, 0x0404_0404, CacheRig.BufferablePage);

        Assert.Equal(0, rig.ValidLines(rig.D));
        Assert.Equal(0u, rig.Ram32(0x300));
        rig.System.DrainWriteBuffer();
        Assert.Equal(0x0404_0404u, rig.Ram32(0x300));
        Assert.Equal(0UL, rig.D.Counters.Writes); // uncached accesses are not cache accesses
    }

    [Fact]
    public void NcnbPage_WritesRamImmediately()
    {
        using var rig = new CacheRig();
        rig.Write32(0x300, 0x0505_0505, CacheRig.NcnbPage);

        Assert.Equal(0x0505_0505u, rig.Ram32(0x300));
        Assert.Equal(0, rig.ValidLines(rig.D));
        Assert.True(rig.Buffer.IsEmpty);
    }

    [Fact]
    public void DataCacheDisabled_CacheablePageBehavesAsUncached()
    {
        using var rig = new CacheRig();
        rig.System.DataCacheEnabled = false; // SCTLR.C clear
        rig.SetRam32(0x400, 7);

        Assert.Equal(7u, rig.Read32(0x400));
        rig.Write32(0x400, 8); // B=1: still buffered
        Assert.Equal(7u, rig.Ram32(0x400));
        rig.System.DrainWriteBuffer();

        Assert.Equal(8u, rig.Ram32(0x400));
        Assert.Equal(0, rig.ValidLines(rig.D));
    }

    [Fact]
    public void DeviceAddress_IsNeverCached_EvenOnACacheablePage()
    {
        using var rig = new CacheRig();

        Assert.Equal(0x5A5A_5A5Au, rig.Read32(CacheRig.DeviceBase + 8));
        rig.Read32(CacheRig.DeviceBase + 8);

        Assert.Equal(2, rig.Device.Reads);
        Assert.Equal(0, rig.ValidLines(rig.D));
    }

    [Fact]
    public void UnmappedUncachedAccess_IsABusError()
    {
        using var rig = new CacheRig();
        var error = Assert.Throws<BusError>(() => rig.Read32(0x2000_0000, CacheRig.NcnbPage));
        Assert.Equal(0x2000_0000u, error.PhysicalAddress);
        Assert.Throws<BusError>(() => rig.Write32(0x2000_0000, 1, CacheRig.NcnbPage));
    }

    [Theory]
    [InlineData(1, 0x0000_00EEu, 0xA0A0_A0EEu)]
    [InlineData(2, 0x0000_BEEFu, 0xA0A0_BEEFu)]
    [InlineData(4, 0xDEAD_BEEFu, 0xDEAD_BEEFu)]
    public void WriteHit_OfEachSizeIsLittleEndianInTheLine(int size, uint value, uint word)
    {
        using var rig = new CacheRig();
        rig.SetRam32(0x600, 0xA0A0_A0A0);
        rig.Read32(0x600);

        rig.System.Write(0x600, 0x600, size, value, CacheRig.WriteBackPage);

        Assert.Equal(word, rig.Read32(0x600));
        Assert.Equal(value, rig.System.Read(0x600, 0x600, size, CacheRig.WriteBackPage));
    }
}
