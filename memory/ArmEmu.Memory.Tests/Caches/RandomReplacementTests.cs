using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Pseudo-random replacement (ARM926 with SCTLR.RR clear), seeded so a run repeats exactly.</summary>
public class RandomReplacementTests
{
    private static int[] Victims(ulong seed, int ways = 4, int count = 64, uint lockdown = 0)
    {
        var cache = new Cache(new CacheConfig(16 * 1024, ways, 32, Replacement: ReplacementPolicy.Random, Seed: seed), "random") { LockdownMask = lockdown };
        return Enumerable.Range(0, count).Select(_ => cache.WayOfLine(cache.ChooseVictim(0x80))).ToArray();
    }

    [Fact]
    public void SameSeed_GivesTheSameVictimSequence()
    {
        Assert.Equal(Victims(42), Victims(42));
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentVictimSequences()
    {
        Assert.NotEqual(Victims(42), Victims(43));
        Assert.NotEqual(Victims(1), Victims(2));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(64)]
    public void Victims_StayInTheSetAndUseEveryWay(int ways)
    {
        var cache = new Cache(new CacheConfig(16 * 1024, ways, 32, Replacement: ReplacementPolicy.Random, Seed: 9), "random");
        var seen = new HashSet<int>();
        for (int i = 0; i < ways * 40; i++)
        {
            int line = cache.ChooseVictim(0x20);
            Assert.Equal(cache.SetOf(0x20), cache.SetOfLine(line));
            seen.Add(cache.WayOfLine(line));
        }
        Assert.Equal(ways, seen.Count);
    }

    [Fact]
    public void SeedZero_StillProducesAVaryingSequence()
    {
        // xorshift has a fixed point at 0; the cache substitutes a non-zero state.
        Assert.True(Victims(0).Distinct().Count() > 1);
        Assert.Equal(Victims(0), Victims(0));
    }

    [Fact]
    public void LockedWays_AreNeverChosen()
    {
        Assert.All(Victims(5, lockdown: 0b1011), way => Assert.Equal(2, way));
    }

    [Fact]
    public void ThroughCacheSystem_SameSeedAndAccesses_LeaveIdenticalCaches()
    {
        string Run(ulong seed)
        {
            using var rig = new CacheRig(new CacheConfig(Replacement: ReplacementPolicy.Random, Seed: seed));
            for (uint i = 0; i < 40; i++) rig.Read32((i * 0x1000 + (i % 3) * 0x20) % 0x4_0000);
            return string.Join(",", Enumerable.Range(0, rig.D.LineCount).Select(l => rig.D.IsValid(l) ? rig.D.TagAddress(l).ToString("x") : "-"));
        }

        Assert.Equal(Run(1234), Run(1234));
        Assert.NotEqual(Run(1234), Run(4321));
    }
}
