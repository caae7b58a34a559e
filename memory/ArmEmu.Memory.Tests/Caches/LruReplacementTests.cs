using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>LRU: an invalid way first (lowest number), else the least recently filled or hit line of the set.</summary>
public class LruReplacementTests
{
    private readonly Cache _cache = new(new CacheConfig(16 * 1024, 4, 32, Replacement: ReplacementPolicy.Lru), "lru");
    private readonly byte[] _line = new byte[32];

    private int FillSetZero(uint address)
    {
        int victim = _cache.ChooseVictim(address);
        _cache.Fill(victim, address, address, address, _line);
        return victim;
    }

    [Fact]
    public void GetVictim_WhenWaysAreInvalid_ReturnsTheLowestInvalidWay()
    {
        Assert.Equal(0, _cache.WayOfLine(FillSetZero(0x0000)));
        Assert.Equal(1, _cache.WayOfLine(FillSetZero(0x1000)));
        Assert.Equal(2, _cache.WayOfLine(FillSetZero(0x2000)));
        Assert.Equal(3, _cache.WayOfLine(FillSetZero(0x3000)));
    }

    [Fact]
    public void GetVictim_WhenSetIsFull_ReturnsLeastRecentlyFilled()
    {
        for (uint i = 0; i < 4; i++) FillSetZero(i * 0x1000);

        Assert.Equal(0, _cache.WayOfLine(_cache.ChooseVictim(0)));
        Assert.Equal(0, _cache.WayOfLine(_cache.ChooseVictim(0))); // choosing does not change the order
    }

    [Fact]
    public void Touch_MakesALineMostRecentlyUsed()
    {
        for (uint i = 0; i < 4; i++) FillSetZero(i * 0x1000);

        _cache.Touch(_cache.Find(0, 0));
        Assert.Equal(1, _cache.WayOfLine(_cache.ChooseVictim(0)));
        _cache.Touch(_cache.Find(0x1000, 0x1000));
        Assert.Equal(2, _cache.WayOfLine(_cache.ChooseVictim(0)));
    }

    [Fact]
    public void GetVictim_WhenOneWayInvalid_ReturnsInvalidWay()
    {
        for (uint i = 0; i < 4; i++) FillSetZero(i * 0x1000);
        _cache.Invalidate(_cache.Find(0x2000, 0x2000));

        Assert.Equal(2, _cache.WayOfLine(_cache.ChooseVictim(0)));
    }

    [Fact]
    public void GetVictim_VictimOrderFollowsUseAcrossRefills()
    {
        for (uint i = 0; i < 4; i++) FillSetZero(i * 0x1000);   // ways 0..3 in order
        _cache.Touch(_cache.Find(0x2000, 0x2000));              // use order: 0 1 3 2
        _cache.Touch(_cache.Find(0x0000, 0x0000));              // use order: 1 3 2 0

        var order = new List<int>();
        for (uint i = 4; i < 8; i++) order.Add(_cache.WayOfLine(FillSetZero(i * 0x1000)));

        Assert.Equal(new[] { 1, 3, 2, 0 }, order);
    }

    [Fact]
    public void GetVictim_SkipsLockedLeastRecentlyUsedWay()
    {
        for (uint i = 0; i < 4; i++) FillSetZero(i * 0x1000);
        _cache.LockdownMask = 0b0001;

        Assert.Equal(1, _cache.WayOfLine(_cache.ChooseVictim(0)));
    }

    [Fact]
    public void ThroughCacheSystem_ReadHitProtectsTheLineFromEviction()
    {
        using var rig = new CacheRig(new CacheConfig(Replacement: ReplacementPolicy.Lru));
        for (uint i = 0; i < 4; i++) rig.Read32(i * 0x1000);
        rig.Read32(0x0000);           // hit: 0x0000 is now the most recent
        rig.Write32(0x1000, 1);       // write hit counts as a use too

        rig.Read32(0x4000);           // evicts 0x2000, the least recently used

        Assert.Equal(-1, rig.DataLine(0x2000));
        Assert.True(rig.DataLine(0x0000) >= 0);
        Assert.True(rig.DataLine(0x1000) >= 0);
        Assert.True(rig.DataLine(0x3000) >= 0);
    }
}
