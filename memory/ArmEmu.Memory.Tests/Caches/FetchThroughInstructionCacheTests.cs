using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Which I-cache hits the CPU may serve from its decoded instructions without asking the
/// memory port: not when every fetch must be seen (an LRU I-cache, a coherence monitor).
/// </summary>
public unsafe class FetchThroughInstructionCacheTests
{
    private static bool CpuMayServeHits(ReplacementPolicy replacement, bool monitor)
    {
        using var bus = new PhysicalBus();
        bus.AddRam(0, 0x1_0000);
        var flat = new FlatTranslation();
        flat.Map(0, 0x1_0000, Permission.All);
        using var port = new MemoryPort(bus, flat);
        var caches = new CacheSystem(bus, new Cache(new CacheConfig(Replacement: replacement), "I"), new Cache(new CacheConfig(), "D"), () => 0);
        port.Caches = caches;
        if (monitor) _ = new CoherenceMonitor(caches, bus, () => 0, () => 0, null);
        byte* host = port.FetchPage(0x1000, out bool through);
        Assert.True(host == null); // an I-cached page never has a host pointer
        return through;
    }

    [Theory]
    [InlineData(ReplacementPolicy.Random, true)]
    [InlineData(ReplacementPolicy.RoundRobin, true)]
    [InlineData(ReplacementPolicy.Lru, false)] // every hit must update the replacement order
    public void LruSeesEveryFetch(ReplacementPolicy replacement, bool mayServe) =>
        Assert.Equal(mayServe, CpuMayServeHits(replacement, monitor: false));

    [Fact]
    public void ACoherenceMonitorSeesEveryFetch() => Assert.False(CpuMayServeHits(ReplacementPolicy.Random, monitor: true));
}
