using System.Text.Json;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Translator;

/// <summary>
/// Whole guest programs under both engines: the bench kernels (guest-tests/bench) built static
/// for armel (ARM, and Thumb-2 and 16-bit Thumb), run by <c>armemu run --engine interpreter</c> and <c>--engine translator</c>
/// (with every address translated at once, ARMEMU_TRANSLATOR_THRESHOLD=1, and with the default
/// threshold), must print the same output and execute exactly the same number of instructions;
/// the translator must really have run them.
/// </summary>
public sealed class TranslatorProgramTests
{
    private static readonly string BenchDirectory = Path.Combine(RepositoryRoot.Path, "guest-tests", "bench");

    /// <summary>The kernel built for armel: ARMv5TE ARM code, or with <paramref name="flags"/> (the Thumb builds).</summary>
    internal static string Build(string name, string flags = "")
    {
        string source = Path.Combine(BenchDirectory, name + ".c");
        string key = GnuToolchain.Hash($"translator|{flags}|{File.ReadAllText(source)}|{File.ReadAllText(Path.Combine(BenchDirectory, "integer_kernel.h"))}");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, $"translator-{key}");
        string binary = Path.Combine(directory, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = binary + "." + Environment.ProcessId;
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O2 -static {flags} -I{BenchDirectory} -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }

    private static (string Output, ulong Instructions, string Stderr, string Caches) Run(string engine, string? threshold, string binary, string argument,
                                                                         bool cacheModel = false)
    {
        string json = Path.Combine(Path.GetTempPath(), $"armemu-engine-{Guid.NewGuid():N}.json");
        try
        {
            var environment = new List<KeyValuePair<string, string>> { new("PATH", "/usr/bin:/bin") };
            // Named always, so that the suite's own setting (EngineUnderTest) does not replace the default.
            environment.Add(new("ARMEMU_TRANSLATOR_THRESHOLD", threshold ?? ArmEmu.Cpu.Engines.Translator.TranslatorEngine.DefaultThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            string[] arguments = ["run", .. cacheModel ? Array.Empty<string>() : ["--no-cache"], "--stats", "--engine", engine, "--stats-json", json, binary, argument];
            var r = ArmEmuCli.RunTool(ArmEmuCli.Path, arguments,
                                      RepositoryRoot.Path, environment, null, TimeSpan.FromMinutes(5));
            Assert.True(r.ExitCode == 0, r.ToString());
            using var stats = JsonDocument.Parse(File.ReadAllText(json));
            string caches = stats.RootElement.TryGetProperty("caches", out var c) ? c.GetRawText() : "";
            return (r.StdoutText, stats.RootElement.GetProperty("instructions").GetUInt64(), r.StderrText, caches);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("integer", "300", null)]
    [InlineData("integer", "300", "1")]
    [InlineData("sort", "3000", null)]
    [InlineData("sort", "3000", "1")]
    [InlineData("strings", "3000", null)]
    [InlineData("strings", "3000", "1")]
    [InlineData("sha256", "20", null)]
    [InlineData("sha256", "20", "1")]
    [InlineData("matmul", "2", null)]
    [InlineData("matmul", "2", "1")]
    [InlineData("chase", "40", null)]
    [InlineData("chase", "40", "1")]
    [InlineData("softfloat", "24", null)]
    [InlineData("softfloat", "24", "1")]
    public void BenchKernels_GiveTheSameOutputAndInstructionCount_WithBothEngines(string name, string argument, string? threshold) =>
        _ = AssertSameWithBothEngines(Build(name), argument, threshold);

    /// <summary>
    /// The Thumb builds: Thumb-2 (-march=armv7-a -mthumb, run on the Cortex-A9 the ELF asks for:
    /// IT blocks, CBZ, TBB/TBH, T32 loads and stores) and 16-bit Thumb (-march=armv5te -mthumb,
    /// the ARM926; the C library stays ARM, so calls interwork).
    /// </summary>
    [Theory]
    [InlineData("integer", "300", "v7", null)]
    [InlineData("integer", "300", "v7", "1")]
    [InlineData("sort", "3000", "v7", null)]
    [InlineData("sort", "3000", "v7", "1")]
    [InlineData("strings", "3000", "v7", "1")]
    [InlineData("sha256", "20", "v7", "1")]
    [InlineData("matmul", "2", "v7", "1")]
    [InlineData("chase", "40", "v7", "1")]
    [InlineData("softfloat", "24", "v7", null)]
    [InlineData("softfloat", "24", "v7", "1")]
    [InlineData("integer", "300", "v5", "1")]
    [InlineData("sort", "3000", "v5", "1")]
    [InlineData("softfloat", "24", "v5", "1")]
    public void ThumbBenchKernels_GiveTheSameOutputAndInstructionCount_WithBothEngines(string name, string argument, string arch, string? threshold) =>
        Assert.Matches(@"armemu: translator: \d+ blocks \([1-9]\d* Thumb;",
                       AssertSameWithBothEngines(Build(name, arch == "v7" ? "-march=armv7-a -mthumb" : "-march=armv5te -mthumb"), argument, threshold));

    /// <summary>Runs both engines and compares them; returns the translator's standard error (its statistics).</summary>
    private static string AssertSameWithBothEngines(string binary, string argument, string? threshold)
    {
        // The same environment for both (the guest sees it: its size changes the start-up's instruction count).
        var interpreted = Run("interpreter", threshold, binary, argument);
        var translated = Run("translator", threshold, binary, argument);
        Assert.Equal(interpreted.Output, translated.Output);
        Assert.Equal(interpreted.Instructions, translated.Instructions);
        Assert.False(string.IsNullOrWhiteSpace(translated.Output));
        Assert.Matches(@"armemu: translator: [1-9]\d* blocks .* [1-9]\d* instructions run in blocks", translated.Stderr);
        return translated.Stderr;
    }

    /// <summary>
    /// With the cache model on (the ARM926's caches, as <c>armemu run</c> has them by default) the
    /// translator runs the code from the I-cache's resident lines and its loads and stores through
    /// the D-cache: every cache statistic (accesses, hits, misses, fills, write-backs, evictions,
    /// per level) must be the interpreter's, as well as the output and the instruction count.
    /// </summary>
    [Theory]
    [InlineData("integer", "300", null)]
    [InlineData("sort", "3000", null)]
    [InlineData("sort", "3000", "1")]
    [InlineData("strings", "3000", "1")]
    [InlineData("sha256", "20", null)]
    [InlineData("matmul", "2", "1")]
    [InlineData("chase", "40", null)]
    [InlineData("softfloat", "24", "1")]
    public void BenchKernels_WithTheCacheModel_GiveTheSameCacheStatistics_WithBothEngines(string name, string argument, string? threshold) =>
        AssertSameCacheStatistics(Build(name), argument, threshold);

    /// <summary>The same for the Thumb-2 builds on the Cortex-A9 (Thumb blocks from the I-cache's lines).</summary>
    [Theory]
    [InlineData("sort", "3000", null)]
    [InlineData("strings", "3000", "1")]
    [InlineData("softfloat", "24", "1")]
    public void ThumbBenchKernels_WithTheCacheModel_GiveTheSameCacheStatistics_WithBothEngines(string name, string argument, string? threshold) =>
        Assert.Matches(@"armemu: translator: \d+ blocks \([1-9]\d* Thumb;", AssertSameCacheStatistics(Build(name, "-march=armv7-a -mthumb"), argument, threshold));

    private static string AssertSameCacheStatistics(string binary, string argument, string? threshold)
    {
        var interpreted = Run("interpreter", threshold, binary, argument, cacheModel: true);
        var translated = Run("translator", threshold, binary, argument, cacheModel: true);
        Assert.Equal(interpreted.Output, translated.Output);
        Assert.Equal(interpreted.Instructions, translated.Instructions);
        Assert.Contains("\"hits\"", interpreted.Caches);
        Assert.Equal(interpreted.Caches, translated.Caches);
        Assert.Matches(@"armemu: translator: [1-9]\d* blocks .* [1-9]\d* instructions run in blocks", translated.Stderr);
        return translated.Stderr;
    }
}
