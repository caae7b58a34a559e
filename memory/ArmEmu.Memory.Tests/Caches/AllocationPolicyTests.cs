using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Read-allocate (the ARM926, TRM 4.1: only read misses fill) against write-allocate (a write
/// miss fills the line first), under each write policy.
/// </summary>
public class AllocationPolicyTests
{
    [Theory]
    [InlineData(AllocationPolicy.ReadAllocate, WritePolicy.WriteBack, false, false, true)]
    [InlineData(AllocationPolicy.ReadAllocate, WritePolicy.WriteThrough, false, false, true)]
    [InlineData(AllocationPolicy.WriteAllocate, WritePolicy.WriteBack, true, true, false)]
    [InlineData(AllocationPolicy.WriteAllocate, WritePolicy.WriteThrough, true, false, true)]
    public void WriteMiss_AllocatesOnlyUnderWriteAllocate(AllocationPolicy allocation, WritePolicy policy, bool allocates, bool dirty, bool ramAfterDrain)
    {
        using var rig = new CacheRig(CacheRig.Arm926RoundRobin with { Allocation = allocation, WritePolicy = policy });
        rig.SetRam32(0x704, 0x0707_0707);

        rig.Write32(0x700, 0x0909_0909);

        Assert.Equal(1UL, rig.D.Counters.WriteMisses);
        Assert.Equal(allocates ? 1UL : 0UL, rig.D.Counters.LineFills);
        int line = rig.DataLine(0x700);
        Assert.Equal(allocates, line >= 0);
        if (allocates) Assert.Equal(dirty, rig.D.IsDirty(line));
        Assert.Equal(0u, rig.Ram32(0x700));
        rig.System.DrainWriteBuffer();
        Assert.Equal(ramAfterDrain ? 0x0909_0909u : 0u, rig.Ram32(0x700));
        // Whatever happened, a load sees the store.
        Assert.Equal(0x0909_0909u, rig.Read32(0x700));
    }

    [Fact]
    public void WriteAllocate_FilledLineHoldsTheRestOfTheLineFromRam()
    {
        using var rig = new CacheRig(CacheRig.Arm926RoundRobin with { Allocation = AllocationPolicy.WriteAllocate });
        rig.FillRam(0x700, 8, 0x7000_0000);

        rig.Write32(0x708, 0xFFFF_FFFF);

        Assert.Equal(0x7000_0001u, rig.Read32(0x704));
        Assert.Equal(0xFFFF_FFFFu, rig.Read32(0x708));
        Assert.Equal(0x7000_0007u, rig.Read32(0x71C));
        Assert.Equal(3UL, rig.D.Counters.ReadHits);
    }

    [Fact]
    public void WriteAllocate_FillDrainsPendingWritesFirst()
    {
        using var rig = new CacheRig(CacheRig.Arm926RoundRobin with { Allocation = AllocationPolicy.WriteAllocate });
        rig.Write32(0x704, 0x1234_5678, CacheRig.BufferablePage); // pending in the write buffer

        rig.Write32(0x700, 0x0000_0001);

        Assert.True(rig.Buffer.IsEmpty);
        Assert.Equal(0x1234_5678u, rig.Read32(0x704)); // the line was filled after the drain
    }

    [Theory]
    [InlineData(AllocationPolicy.ReadAllocate)]
    [InlineData(AllocationPolicy.WriteAllocate)]
    public void ReadMiss_AllocatesUnderBothPolicies(AllocationPolicy allocation)
    {
        using var rig = new CacheRig(CacheRig.Arm926RoundRobin with { Allocation = allocation });
        rig.SetRam32(0x800, 0x0808_0808);

        Assert.Equal(0x0808_0808u, rig.Read32(0x800));

        Assert.True(rig.DataLine(0x800) >= 0);
        Assert.Equal(1UL, rig.D.Counters.ReadMisses);
        Assert.Equal(1UL, rig.D.Counters.LineFills);
    }

    [Fact]
    public void ReadAllocate_ReadAfterWriteMissFillsWithTheStoredValue()
    {
        using var rig = new CacheRig();
        rig.Write32(0x900, 0xAAAA_5555);   // miss: goes to the write buffer

        Assert.Equal(0xAAAA_5555u, rig.Read32(0x900)); // the fill drains first, so it reads the store

        Assert.Equal(0xAAAA_5555u, rig.Ram32(0x900));
        Assert.False(rig.D.IsDirty(rig.DataLine(0x900)));
    }
}
