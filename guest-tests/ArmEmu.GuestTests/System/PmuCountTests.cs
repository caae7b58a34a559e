using System.Text.Json;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.BareMetal;

/// <summary>
/// The Cortex-A9 PMU's counts against armemu's own statistics: guest-tests/system/vexpress-a9/
/// armemu-only/pmu_counts.c counts L1 D accesses and refills, L1 I refills, instructions (0x08
/// and the A9's 0x68), exceptions and cycles from before its caches go on until after they are
/// off, and prints them; the caches can only count while on, so its L1 numbers must be exactly
/// --stats-json's totals for the run. Without the cache model the cache events count nothing
/// and the rest is unchanged. (The PMU's registers are compared with QEMU by programs/pmu.c;
/// QEMU's cortex-a9 counts nothing, so the counts have no oracle but the cache model.)
/// </summary>
public class PmuCountTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static (Dictionary<string, ulong> Counts, JsonElement Stats) Run(params string[] options)
    {
        string elf = BareMetalTests.Build("vexpress-a9", "pmu_counts");
        string json = Path.Combine(Path.GetTempPath(), $"armemu-pmu-{Guid.NewGuid():N}.json");
        try
        {
            var tool = ArmEmuCli.RunTool(ArmEmuCli.Path, ["system", "--machine", "vexpress-a9", .. options, "--stats-json", json, elf],
                Path.GetTempPath(), environment: null, stdinPath: null, Timeout);
            Assert.True(tool.ExitCode == 0, $"pmu_counts: {tool}");
            var lines = tool.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("checksum 39650000 svcs 2", lines[0]);
            var counts = lines.Skip(1).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => ulong.Parse(p[1]));
            using var stats = JsonDocument.Parse(File.ReadAllText(json));
            return (counts, stats.RootElement.Clone());
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static ulong Stat(JsonElement stats, string cache, string counter) =>
        stats.GetProperty("caches").GetProperty(cache).GetProperty(counter).GetUInt64();

    [Fact]
    public void CacheEventsAreExactlyTheCacheModelsStatistics()
    {
        var (counts, stats) = Run();
        Assert.Equal(Stat(stats, "dcache", "reads") + Stat(stats, "dcache", "writes"), counts["l1d-access"]);
        Assert.Equal(Stat(stats, "dcache", "lineFills"), counts["l1d-refill"]);
        Assert.Equal(Stat(stats, "icache", "lineFills"), counts["l1i-refill"]);
        // By hand: 4096 stores and 2 x 4096 loads of the 16 KiB array, each 32-byte line filled at least once.
        Assert.InRange(counts["l1d-access"], 3 * 4096UL, 3 * 4096UL + 200);
        Assert.InRange(counts["l1d-refill"], 16384UL / 32, 2 * 16384UL / 32 + 100);
        Assert.InRange(counts["l1i-refill"], 1UL, 64UL);
        // One instruction a cycle on the virtual clock, no WFI: the three agree; two SVCs taken.
        Assert.Equal(counts["instructions"], counts["instructions-a9"]);
        Assert.Equal(counts["instructions"], counts["cycles"]);
        Assert.InRange(counts["instructions"], 1UL, stats.GetProperty("instructions").GetUInt64());
        Assert.Equal(2UL, counts["exceptions"]);
    }

    [Fact]
    public void WithoutTheCacheModelOnlyTheCacheEventsStayAtZero()
    {
        var (withCaches, _) = Run();
        var (counts, _) = Run("--no-cache");
        Assert.Equal(0UL, counts["l1d-access"]);
        Assert.Equal(0UL, counts["l1d-refill"]);
        Assert.Equal(0UL, counts["l1i-refill"]);
        Assert.Equal(withCaches["instructions"], counts["instructions"]);
        Assert.Equal(2UL, counts["exceptions"]);
    }
}
