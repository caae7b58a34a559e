using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>The command line's "SIZE,WAYS,LINE[,wb|wt][,ra|wa][,rr|random|lru]" (--icache, --dcache).</summary>
public class CacheConfigParseTests
{
    // Defaults that differ from every option, so each test shows what an option changed and what it kept.
    private static readonly CacheConfig Defaults = new(
        SizeBytes: 4096, Ways: 2, LineBytes: 16, Indexing: CacheIndexing.Vipt, WritePolicy: WritePolicy.PerPage,
        Allocation: AllocationPolicy.ReadAllocate, Replacement: ReplacementPolicy.Random, Seed: 77);

    [Fact]
    public void Parse_WhenOnlyGeometry_KeepsDefaultPolicies()
    {
        var config = CacheConfig.Parse("16K,4,32", Defaults);

        Assert.Equal(16 * 1024, config.SizeBytes);
        Assert.Equal(4, config.Ways);
        Assert.Equal(32, config.LineBytes);
        Assert.Equal(CacheIndexing.Vipt, config.Indexing);
        Assert.Equal(WritePolicy.PerPage, config.WritePolicy);
        Assert.Equal(AllocationPolicy.ReadAllocate, config.Allocation);
        Assert.Equal(ReplacementPolicy.Random, config.Replacement);
        Assert.Equal(77UL, config.Seed);
    }

    [Theory]
    [InlineData("16K,4,32,wb,ra,rr", 16384, 4, 32, WritePolicy.WriteBack, AllocationPolicy.ReadAllocate, ReplacementPolicy.RoundRobin)]
    [InlineData("8k,2,16,wt,wa,lru", 8192, 2, 16, WritePolicy.WriteThrough, AllocationPolicy.WriteAllocate, ReplacementPolicy.Lru)]
    [InlineData("1M,8,64,random", 1 << 20, 8, 64, WritePolicy.PerPage, AllocationPolicy.ReadAllocate, ReplacementPolicy.Random)]
    [InlineData("16M,16,256,wa", 1 << 24, 16, 256, WritePolicy.PerPage, AllocationPolicy.WriteAllocate, ReplacementPolicy.Random)]
    [InlineData("16384,4,32,lru,wt", 16384, 4, 32, WritePolicy.WriteThrough, AllocationPolicy.ReadAllocate, ReplacementPolicy.Lru)]
    [InlineData(" 32K , 64 , 32 , WB , RR ", 32768, 64, 32, WritePolicy.WriteBack, AllocationPolicy.ReadAllocate, ReplacementPolicy.RoundRobin)]
    [InlineData("4K,1,32,wt", 4096, 1, 32, WritePolicy.WriteThrough, AllocationPolicy.ReadAllocate, ReplacementPolicy.Random)]
    [InlineData("128K,4,32,ra,rr,wb", 131072, 4, 32, WritePolicy.WriteBack, AllocationPolicy.ReadAllocate, ReplacementPolicy.RoundRobin)]
    public void Parse_WhenStringIsValid_SetsGeometryAndEachOption(
        string text, int size, int ways, int line, WritePolicy write, AllocationPolicy allocation, ReplacementPolicy replacement)
    {
        var config = CacheConfig.Parse(text, Defaults);

        Assert.Equal(size, config.SizeBytes);
        Assert.Equal(ways, config.Ways);
        Assert.Equal(line, config.LineBytes);
        Assert.Equal(write, config.WritePolicy);
        Assert.Equal(allocation, config.Allocation);
        Assert.Equal(replacement, config.Replacement);
        Assert.Equal(CacheIndexing.Vipt, config.Indexing); // not on the command line: from the CPU model
        Assert.Equal(77UL, config.Seed);                   // --cache-seed sets it, not the string
    }

    [Theory]
    [InlineData("")]                      // nothing
    [InlineData("16K")]                   // too few fields
    [InlineData("16K,4")]
    [InlineData("16K,4,32,")]             // empty option
    [InlineData("16K,4,32,xx")]           // unknown option
    [InlineData("16K,4,32,wb,ra,rr,fifo")]
    [InlineData("16K,four,32")]           // ways not a number
    [InlineData("16K,4,0")]               // zero line
    [InlineData("16K,-4,32")]             // negative ways
    [InlineData("-16K,4,32")]             // negative size
    [InlineData("16KB,4,32")]             // unknown suffix
    [InlineData("K,4,32")]                // suffix without digits
    [InlineData("32M,4,32")]              // above 16 MiB
    [InlineData("15K,4,32")]              // parses, but not a power of two
    [InlineData("16K,3,32")]              // 3 ways
    [InlineData("16K,4,24")]              // 24-byte lines
    [InlineData("64,4,32")]               // no set fits
    [InlineData("16K;4;32")]              // wrong separator
    public void Parse_WhenStringIsInvalid_ThrowsArgumentException(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => CacheConfig.Parse(text, Defaults));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain('\n', error.Message); // one line for the command line to print
    }

    [Fact]
    public void Parse_WhenOptionIsUnknown_NamesItAndTheValidOptions()
    {
        var error = Assert.Throws<ArgumentException>(() => CacheConfig.Parse("16K,4,32,fifo", Defaults));
        Assert.Contains("'fifo'", error.Message);
        Assert.Contains("lru", error.Message);
    }

    [Fact]
    public void Parse_WhenFieldsAreMissing_ShowsTheExpectedForm()
    {
        var error = Assert.Throws<ArgumentException>(() => CacheConfig.Parse("16K,4", Defaults));
        Assert.Contains("SIZE,WAYS,LINE", error.Message);
    }
}
