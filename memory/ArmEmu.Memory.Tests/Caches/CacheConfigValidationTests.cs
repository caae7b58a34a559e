using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Cache geometry: powers of two, 64 bytes to any size, 1..64 ways, 8..256-byte lines, at least one set.</summary>
public class CacheConfigValidationTests
{
    [Theory]
    [InlineData(16 * 1024, 4, 32, 128)]   // ARM926 default
    [InlineData(4 * 1024, 4, 32, 32)]     // smallest ARM926 cache (TRM 4.1: 4 KB..128 KB)
    [InlineData(128 * 1024, 4, 32, 1024)] // largest ARM926 cache
    [InlineData(4 * 1024, 1, 32, 128)]    // direct-mapped
    [InlineData(16 * 1024, 64, 32, 8)]    // 64 ways
    [InlineData(2048, 64, 32, 1)]         // fully associative: one set
    [InlineData(64, 1, 8, 8)]             // smallest cache, smallest line
    [InlineData(512, 2, 256, 1)]          // largest line
    public void Validated_WhenGeometryIsValid_KeepsItAndComputesSets(int size, int ways, int line, int sets)
    {
        var config = new CacheConfig(size, ways, line).Validated();

        Assert.Equal(sets, config.Sets);
        var cache = new Cache(config, "test");
        Assert.Equal(sets, cache.Sets);
        Assert.Equal(sets * ways, cache.LineCount);
        Assert.Equal((uint)line - 1, cache.LineMask);
    }

    [Theory]
    [InlineData(48, 1, 8, "48")]          // size not a power of two
    [InlineData(15 * 1024, 4, 32, "15360")]
    [InlineData(32, 1, 8, "32")]          // below 64 bytes
    [InlineData(0, 1, 8, "0")]
    [InlineData(-1024, 1, 8, "-1024")]
    [InlineData(16 * 1024, 3, 32, "3 ways")]
    [InlineData(16 * 1024, 0, 32, "0 ways")]
    [InlineData(16 * 1024, 128, 32, "128 ways")]
    [InlineData(16 * 1024, 4, 24, "24")]  // line not a power of two
    [InlineData(16 * 1024, 4, 4, "4")]    // line below 8 bytes
    [InlineData(16 * 1024, 4, 512, "512")] // line above 256 bytes
    [InlineData(64, 4, 32, "do not fit")] // 4 ways of 32 bytes > 64 bytes: no set
    public void Validated_WhenGeometryIsInvalid_ThrowsNamingTheProblem(int size, int ways, int line, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new CacheConfig(size, ways, line).Validated());
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Cache_WhenGeometryIsInvalid_RefusesToBuild()
    {
        Assert.Throws<ArgumentException>(() => new Cache(new CacheConfig(16 * 1024, 3, 32), "bad"));
    }

    [Fact]
    public void Arm926Defaults_Are16KFourWay32ByteVivtPerPageReadAllocate()
    {
        // ARM926EJ-S TRM 4.1; the defaults.
        foreach (var config in new[] { CacheModelOptions.Arm926.InstructionCache, CacheModelOptions.Arm926.DataCache })
        {
            Assert.Equal(16 * 1024, config.SizeBytes);
            Assert.Equal(4, config.Ways);
            Assert.Equal(32, config.LineBytes);
            Assert.Equal(128, config.Sets);
            Assert.Equal(CacheIndexing.Vivt, config.Indexing);
            Assert.Equal(WritePolicy.PerPage, config.WritePolicy);
            Assert.Equal(AllocationPolicy.ReadAllocate, config.Allocation);
        }
        Assert.True(CacheModelOptions.Arm926.Enabled);
        Assert.False(CacheModelOptions.Off.Enabled);
    }

    [Fact]
    public void ModelOptions_Build_GivesCachesWhenOnAndNothingWhenOff()
    {
        using var bus = new PhysicalBus();
        var on = CacheModelOptions.Arm926.Build(bus, () => 0);
        Assert.NotNull(on);
        Assert.Equal(128, on!.DataCache!.Sets);
        Assert.Equal(128, on.InstructionCache!.Sets);
        Assert.Null(CacheModelOptions.Off.Build(bus, () => 0));
    }
}
