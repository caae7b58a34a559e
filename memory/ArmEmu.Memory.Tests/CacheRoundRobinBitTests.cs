using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests;

/// <summary>SCTLR.RR as the board applies it to a cache: round-robin over the configured policy (ARM926EJ-S TRM, c1 bit 14).</summary>
public class CacheRoundRobinBitTests
{
    [Fact]
    public void RoundRobinSelectedOverridesRandomReplacement()
    {
        var cache = new Cache(new CacheConfig() with { Replacement = ReplacementPolicy.Random }, "D-cache");
        cache.RoundRobinSelected = true;
        // One counter per cache, stepping on every choice, whatever the set (TRM 4.2: the round-robin counter).
        var ways = Enumerable.Range(0, 8).Select(i => cache.WayOfLine(cache.ChooseVictim((uint)i * 0x20))).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 3, 0, 1, 2, 3 }, ways);
    }

    [Fact]
    public void ClearedRoundRobinBitKeepsTheConfiguredSeededRandomSequence()
    {
        var a = new Cache(new CacheConfig() with { Replacement = ReplacementPolicy.Random }, "D-cache");
        var b = new Cache(new CacheConfig() with { Replacement = ReplacementPolicy.Random }, "D-cache");
        b.RoundRobinSelected = true;
        b.RoundRobinSelected = false;
        var fromA = Enumerable.Range(0, 32).Select(_ => a.WayOfLine(a.ChooseVictim(0))).ToArray();
        var fromB = Enumerable.Range(0, 32).Select(_ => b.WayOfLine(b.ChooseVictim(0))).ToArray();
        Assert.Equal(fromA, fromB);
        Assert.NotEqual(new[] { 0, 1, 2, 3 }, fromA.Take(4).ToArray()); // not round-robin (seeded sequence)
    }
}
