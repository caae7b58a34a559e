using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Round-robin (ARM926 with SCTLR.RR, TRM 4.1): one victim counter per cache, stepping through the ways.</summary>
public class RoundRobinReplacementTests
{
    private static Cache NewCache(int ways = 4) => new(new CacheConfig(16 * 1024, ways, 32, Replacement: ReplacementPolicy.RoundRobin), "rr");

    [Fact]
    public void ChooseVictim_StepsThroughWaysInOrderAndWraps()
    {
        var cache = NewCache();

        var ways = Enumerable.Range(0, 9).Select(_ => cache.WayOfLine(cache.ChooseVictim(0x40))).ToArray();

        Assert.Equal(new[] { 0, 1, 2, 3, 0, 1, 2, 3, 0 }, ways);
    }

    [Fact]
    public void ChooseVictim_OneCounterForTheWholeCache_SharedBetweenSets()
    {
        var cache = NewCache();

        int a = cache.ChooseVictim(0x000); // set 0
        int b = cache.ChooseVictim(0x020); // set 1
        int c = cache.ChooseVictim(0x040); // set 2

        Assert.Equal((0, 0), (cache.SetOfLine(a), cache.WayOfLine(a)));
        Assert.Equal((1, 1), (cache.SetOfLine(b), cache.WayOfLine(b)));
        Assert.Equal((2, 2), (cache.SetOfLine(c), cache.WayOfLine(c)));
    }

    [Fact]
    public void ChooseVictim_IgnoresInvalidWays_AsTheVictimCounterDoes()
    {
        var cache = NewCache();
        var data = new byte[32];
        for (int i = 0; i < 4; i++) cache.Fill(cache.ChooseVictim(0), (uint)i * 0x1000, (uint)i * 0x1000, (uint)i * 0x1000, data);
        cache.Invalidate(cache.Find(0x2000, 0x2000)); // way 2 empty

        Assert.Equal(0, cache.WayOfLine(cache.ChooseVictim(0)));
    }

    [Fact]
    public void ChooseVictim_SkipsLockedWays()
    {
        var cache = NewCache();
        cache.LockdownMask = 0b0101;

        var ways = Enumerable.Range(0, 6).Select(_ => cache.WayOfLine(cache.ChooseVictim(0))).ToArray();

        Assert.Equal(new[] { 1, 3, 1, 3, 1, 3 }, ways);
    }

    [Fact]
    public void DirectMapped_AlwaysChoosesWayZero()
    {
        var cache = NewCache(ways: 1);
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(3, cache.ChooseVictim(0x60)));
    }

    [Fact]
    public void ThroughCacheSystem_FifthLineInASetEvictsTheFirst()
    {
        using var rig = new CacheRig();
        for (uint i = 0; i < 5; i++) rig.Read32(0x1000 * i); // five lines of set 0

        Assert.Equal(-1, rig.DataLine(0x0000));
        Assert.All(new uint[] { 0x1000, 0x2000, 0x3000, 0x4000 }, a => Assert.True(rig.DataLine(a) >= 0));
        Assert.Equal(0, rig.D.WayOfLine(rig.DataLine(0x4000)));
        Assert.Equal(1UL, rig.D.Counters.Evictions);
    }
}
