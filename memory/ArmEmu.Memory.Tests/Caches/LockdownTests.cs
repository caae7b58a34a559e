using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Lockdown by way (c9, format C, ARM926 TRM 2.3.9): locked ways are never replaced but still
/// hit and can still be invalidated; a set whose ways are all locked is not cached at all.
/// </summary>
public class LockdownTests
{
    [Theory]
    [InlineData(ReplacementPolicy.RoundRobin)]
    [InlineData(ReplacementPolicy.Random)]
    [InlineData(ReplacementPolicy.Lru)]
    public void ChooseVictim_NeverReturnsALockedWay(ReplacementPolicy policy)
    {
        var cache = new Cache(new CacheConfig(16 * 1024, 4, 32, Replacement: policy), "d") { LockdownMask = 0b0111 };
        var data = new byte[32];

        for (uint i = 0; i < 100; i++)
        {
            int victim = cache.ChooseVictim(0x40);
            Assert.Equal(3, cache.WayOfLine(victim));
            cache.Fill(victim, 0x40 + i * 0x1000, 0x40 + i * 0x1000, 0x40, data);
        }
    }

    [Theory]
    [InlineData(ReplacementPolicy.RoundRobin, 4, 0xFu)]
    [InlineData(ReplacementPolicy.Random, 4, 0xFu)]
    [InlineData(ReplacementPolicy.Lru, 4, 0xFFFF_FFFFu)]
    [InlineData(ReplacementPolicy.RoundRobin, 1, 1u)]
    public void ChooseVictim_WhenEveryWayIsLocked_ReturnsMinusOne(ReplacementPolicy policy, int ways, uint mask)
    {
        var cache = new Cache(new CacheConfig(16 * 1024, ways, 32, Replacement: policy), "d") { LockdownMask = mask };
        Assert.Equal(-1, cache.ChooseVictim(0));
    }

    [Fact]
    public void LockedLine_StaysAndStillHits_WhileOtherWaysChurn()
    {
        using var rig = new CacheRig();
        rig.SetRam32(0x0040, 0x600D_C0DE);
        rig.Read32(0x0040);                 // fills way 0 (round-robin starts at 0)
        Assert.Equal(0, rig.D.WayOfLine(rig.DataLine(0x0040)));
        rig.D.LockdownMask = 0b0001;        // lock way 0, as Linux-style lockdown code does after loading it

        for (uint i = 1; i <= 12; i++) rig.Read32(0x0040 + i * 0x1000); // twelve other lines of the same set
        ulong hitsBefore = rig.D.Counters.ReadHits;

        Assert.Equal(0x600D_C0DEu, rig.Read32(0x0040));
        Assert.Equal(hitsBefore + 1, rig.D.Counters.ReadHits);
        Assert.Equal(0, rig.D.WayOfLine(rig.DataLine(0x0040)));
    }

    [Fact]
    public void LockedLine_CanStillBeInvalidated()
    {
        using var rig = new CacheRig();
        rig.Read32(0x0040);
        rig.D.LockdownMask = 0b0001;

        rig.System.InvalidateDataLine(0x0040);

        Assert.Equal(-1, rig.DataLine(0x0040));
    }

    [Fact]
    public void AllWaysLocked_ReadMissGoesToMemoryUncached()
    {
        using var rig = new CacheRig();
        rig.D.LockdownMask = 0b1111;
        rig.SetRam32(0x0100, 0x1234_5678);

        Assert.Equal(0x1234_5678u, rig.Read32(0x0100));
        rig.SetRam32(0x0100, 0x8765_4321);
        Assert.Equal(0x8765_4321u, rig.Read32(0x0100)); // nothing was cached

        Assert.Equal(0UL, rig.D.Counters.LineFills);
        Assert.Equal(2UL, rig.D.Counters.ReadMisses);
        Assert.Equal(0, rig.ValidLines(rig.D));
    }

    [Fact]
    public void AllWaysLocked_UncachedReadSeesPendingWrite()
    {
        using var rig = new CacheRig();
        rig.D.LockdownMask = 0b1111;
        rig.Write32(0x0100, 0xAAAA_0001); // read-allocate: the miss goes to the write buffer

        Assert.Equal(0xAAAA_0001u, rig.Read32(0x0100));
        Assert.True(rig.Buffer.IsEmpty);
    }

    [Fact]
    public void AllWaysLocked_WriteAllocateMissGoesToWriteBuffer()
    {
        using var rig = new CacheRig(CacheRig.Arm926RoundRobin with { Allocation = AllocationPolicy.WriteAllocate });
        rig.D.LockdownMask = 0b1111;

        rig.Write32(0x0100, 0xBBBB_0002);

        Assert.Equal(0, rig.ValidLines(rig.D));
        Assert.Equal(0u, rig.Ram32(0x0100));
        rig.System.DrainWriteBuffer();
        Assert.Equal(0xBBBB_0002u, rig.Ram32(0x0100));
    }

    [Fact]
    public void AllWaysLocked_InstructionFetchReadsMemoryWithoutFilling()
    {
        using var rig = new CacheRig();
        rig.I.LockdownMask = 0b1111;
        rig.SetRam32(0x0200, 0xE1A0_0000);

        Assert.Equal(0xE1A0_0000u, rig.System.Fetch(0x0200, 0x0200, 4));
        rig.SetRam32(0x0200, 0xE320_F000);
        Assert.Equal(0xE320_F000u, rig.System.Fetch(0x0200, 0x0200, 4));
        Assert.Equal(0, rig.ValidLines(rig.I));
    }
}
