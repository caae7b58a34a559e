using System.Globalization;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// What the decoded-instruction store costs the host, from whole guest programs
/// (guest-tests/memory): a program running through tens of MiB of code stays within the
/// store's bound and a fixed RSS allowance (the store used to cost ~14 bytes of host memory
/// per byte of code executed), and code pages unmapped as they go never make it evict.
/// Read from the "decoded instructions" line of <c>armemu run --stats</c>.
/// </summary>
public sealed partial class DecodedStoreMemoryTests
{
    private static readonly string ProgramDirectory = Path.Combine(RepositoryRoot.Path, "guest-tests", "memory");

    /// <summary>The store's bound (CodeCache.DefaultCapacity), in MiB.</summary>
    private const double StoreBoundMib = 64;

    private sealed record StoreStats(int PagesHeld, double PeakMib, double BoundMib, long Evicted, double HostPeakRssMib);

    [GeneratedRegex(@"armemu: decoded instructions: (\d+) pages held, peak ([\d.]+) MiB of ([\d.]+) MiB, (\d+) pages evicted; host peak RSS ([\d.]+) MiB")]
    private static partial Regex StatsLine();

    private static string Build(string source, string flags)
    {
        string path = Path.Combine(ProgramDirectory, source);
        string key = GnuToolchain.Hash($"memory|{flags}|{File.ReadAllText(path)}");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, $"memory-{key}");
        string binary = Path.Combine(directory, Path.GetFileNameWithoutExtension(source));
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = binary + "." + Environment.ProcessId;
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O2 -static {flags} -o {temporary} {path}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }

    private static (ToolResult Result, StoreStats Stats) Run(string binary, params string[] options)
    {
        // The translator at its default threshold, whatever the suite's pass sets (tools/test.sh): this
        // test bounds the code store's memory, and at a test threshold the .NET JIT's own memory for
        // the straight-line code's few huge blocks (~40 MiB) would be counted against the store.
        string threshold = ArmEmu.Cpu.Engines.Translator.TranslatorEngine.DefaultThreshold.ToString(CultureInfo.InvariantCulture);
        var r = ArmEmuCli.RunTool(ArmEmuCli.Path, ["run", "--stats", .. options, binary], RepositoryRoot.Path,
                                  [new("PATH", "/usr/bin:/bin"), new("ARMEMU_TRANSLATOR_THRESHOLD", threshold)], null, TimeSpan.FromMinutes(3));
        var m = StatsLine().Match(r.StderrText);
        Assert.True(m.Success, $"no decoded-instructions line in --stats:\n{r}");
        double Mib(int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        return (r, new StoreStats(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Mib(2), Mib(3),
                                  long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), Mib(5)));
    }

    private static string Expected(string name, string extension) => File.ReadAllText(Path.Combine(ProgramDirectory, name + extension));

    [Theory]
    [InlineData("interpreter")]
    [InlineData("translator")]
    public void ThirtyTwoMibOfStraightLineCode_RunsWithinTheStoresBoundAndAFixedRssAllowance(string engine)
    {
        const int codeMib = 32;
        // WORDS & 255 is the exit status: 42 for both builds.
        string big = Build("straight_line.S", $"-DWORDS={codeMib * 1024 * 1024 / 4 + 42}");
        string tiny = Build("straight_line.S", "-DWORDS=42");
        var (baseline, tinyStats) = Run(tiny, "--no-cache", "--engine", engine);
        Assert.Equal(int.Parse(Expected("straight_line", ".status").Trim(), CultureInfo.InvariantCulture), baseline.ExitCode);

        var (result, stats) = Run(big, "--no-cache", "--engine", engine);
        Assert.True(result.ExitCode == 42, result.ToString());
        Assert.Equal(Expected("straight_line", ".expected"), result.StdoutText);
        Assert.Equal(StoreBoundMib, stats.BoundMib);
        Assert.True(stats.PeakMib <= stats.BoundMib, $"store peak {stats.PeakMib} MiB over its bound {stats.BoundMib} MiB");
        // 8192 code pages went through a store that holds under 4,000 of them.
        Assert.True(stats.Evicted >= codeMib * 256 - 4096, $"{stats.Evicted} pages evicted");
        // The host holds the guest's code (its RAM frames; the loader's copy of the file, for now twice)
        // and the store: a fixed allowance over the tiny build, where the old store alone took 14x the code.
        double allowance = 4 * codeMib + StoreBoundMib;
        Assert.True(stats.HostPeakRssMib <= tinyStats.HostPeakRssMib + allowance,
            $"host peak RSS {stats.HostPeakRssMib} MiB; the tiny build {tinyStats.HostPeakRssMib} MiB + {allowance} MiB allowed");
    }

    [Fact]
    public void CodePagesUnmappedAsTheyGo_AreGivenBack_SoTheStoreNeverEvicts()
    {
        string binary = Build("code_churn.c", "");
        var (result, stats) = Run(binary);
        Assert.True(result.ExitCode == int.Parse(Expected("code_churn", ".status").Trim(), CultureInfo.InvariantCulture), result.ToString());
        Assert.Equal(Expected("code_churn", ".expected"), result.StdoutText);
        // 16,000 code pages ran; the C library's few stay, the rest went with their munmap.
        Assert.Equal(0, stats.Evicted);
        Assert.True(stats.PagesHeld < 200, $"{stats.PagesHeld} pages held at exit");
        Assert.True(stats.PeakMib < 8, $"store peak {stats.PeakMib} MiB");
    }
}
