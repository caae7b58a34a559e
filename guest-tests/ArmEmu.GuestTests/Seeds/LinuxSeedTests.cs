using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Seeds;

/// <summary>
/// The Linux user-mode seed scenarios of the cache model (guest-tests/seeds/linux/, see its
/// README): each program runs under <c>armemu run</c> with the cache model on (the phenomenon
/// appears), with <c>--no-cache</c> (it disappears) and under <c>qemu-arm</c> (QEMU models no
/// caches and does not reproduce it). Stdout must equal NAME.MODE.expected beside the program.
/// </summary>
public sealed class LinuxSeedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string SeedDirectory => Path.Combine(RepositoryRoot.Path, "guest-tests", "seeds", "linux");

    // ---- seed 000: the JIT that needs __clear_cache ------------------------------------------

    [Fact]
    public void ClearCache_WithoutTheFlushTheStaleCodeRuns()
    {
        var result = ArmEmu("clearcache", []);
        AssertOutput("clearcache.cache", result);
        Assert.Contains("no flush                     first run 1, after rewriting 1: STALE code", result.StdoutText);
    }

    [Fact]
    public void ClearCache_WithoutCacheModelTheNewCodeRuns()
    {
        var result = ArmEmu("clearcache", ["--no-cache"]);
        AssertOutput("clearcache.coherent", result);
        Assert.DoesNotContain("STALE", result.StdoutText);
    }

    [Fact]
    public void ClearCache_QemuDoesNotReproduceIt() => AssertOutput("clearcache.coherent", Qemu("clearcache", []));

    // ---- seed 003: make_coherent for several MAP_SHARED mappings of one page ------------------

    [Fact]
    public void MakeCoherent_AliasesSeeEachOther() =>
        WithScratch(dir => AssertOutput("make_coherent.coherent", ArmEmu("make_coherent", [], dir)));

    [Fact]
    public void MakeCoherent_TurnedOffTheAliasesDivergeAndAWriteIsLost() =>
        WithScratch(dir =>
        {
            var result = ArmEmu("make_coherent", ["--no-make-coherent"], dir);
            AssertOutput("make_coherent.no-make-coherent", result);
            Assert.Contains("DOES NOT see it", result.StdoutText);
            Assert.Contains("a write was LOST", result.StdoutText);
        });

    [Fact]
    public void MakeCoherent_WithoutCacheModelNothingDiverges() =>
        WithScratch(dir => AssertOutput("make_coherent.coherent", ArmEmu("make_coherent", ["--no-cache", "--no-make-coherent"], dir)));

    [Fact]
    public void MakeCoherent_QemuDoesNotReproduceTheDivergence() =>
        WithScratch(dir => AssertOutput("make_coherent.coherent", Qemu("make_coherent", [dir])));

    // ---- seed 002: MAP_SHARED vs MAP_PRIVATE seen by the DMA engine through /dev/mem -----------

    [Fact]
    public void DevMem_DmaSeesStaleDataWithoutACleanAndNeverSeesAPrivateCopy()
    {
        var result = ArmEmu("devmem_dma", []);
        AssertOutput("devmem_dma.cache", result);
        Assert.Matches(@"1\. MAP_SHARED, cacheable, no cacheflush .*DMA copied  0/64: STALE", result.StdoutText);
        Assert.Matches(@"3\. MAP_SHARED, cacheable, cacheflush .*DMA copied 64/64: correct", result.StdoutText);
    }

    [Fact]
    public void DevMem_WithoutCacheModelOnlyTheCopyOnWriteCaseStaysStale()
    {
        var result = ArmEmu("devmem_dma", ["--no-cache"]);
        AssertOutput("devmem_dma.no-cache", result);
        Assert.Matches(@"1\. MAP_SHARED, cacheable, no cacheflush .*DMA copied 64/64: correct", result.StdoutText);
        Assert.Matches(@"4\. MAP_PRIVATE, cacheflush .*DMA copied  0/64: STALE", result.StdoutText);
    }

    /// <summary>
    /// qemu-arm passes /dev/mem through to the host: there is no PL080 behind it, so QEMU cannot
    /// show the stale DMA at all. Where the host has no /dev/mem (containers) the open fails
    /// with ENOENT; where it has one and we could open it (root), the guest must not touch host
    /// physical memory, so qemu runs with -L over a directory whose dev/mem is an empty file:
    /// the open succeeds, and the first access to the mapped "registers" is beyond the end of
    /// that file (SIGBUS). Either way the program does not print what armemu prints.
    /// </summary>
    [Fact]
    public void DevMem_QemuDoesNotReproduceIt()
    {
        string armemuOutput = File.ReadAllText(Path.Combine(SeedDirectory, "devmem_dma.cache.expected"));
        string fakeRoot = Directory.CreateTempSubdirectory("armemu-seed-root-").FullName;
        try
        {
            List<string> guard = [];
            if (File.Exists("/dev/mem"))
            {
                Directory.CreateDirectory(Path.Combine(fakeRoot, "dev"));
                File.WriteAllBytes(Path.Combine(fakeRoot, "dev", "mem"), []);
                guard = ["-L", fakeRoot];
            }
            var result = Qemu("devmem_dma", [], guard);
            Assert.NotEqual(0, result.ExitCode);
            Assert.NotEqual(armemuOutput, result.StdoutText);
            Assert.DoesNotContain("STALE", result.StdoutText);
            if (guard.Count == 0) Assert.Equal("open /dev/mem: No such file or directory\n", result.StdoutText);
        }
        finally
        {
            Directory.Delete(fakeRoot, recursive: true);
        }
    }

    [Fact]
    public void EveryProgramHasItsExpectedOutcomes()
    {
        var programs = Directory.EnumerateFiles(SeedDirectory, "*.c").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToArray();
        Assert.Equal(new[] { "clearcache", "devmem_dma", "make_coherent" }, programs);
        foreach (string name in programs)
            Assert.NotEmpty(Directory.EnumerateFiles(SeedDirectory, name + ".*.expected"));
    }

    // ---- running ---------------------------------------------------------------------------

    private static ToolResult ArmEmu(string program, IReadOnlyList<string> options, string? argument = null)
    {
        string binary = Build(program);
        // The guest's environment is empty, whatever the test runner's: its strings sit at the top of
        // the stack, so a different environment moves the stack -- and with it which cache sets the
        // stack's lines fall in, which decided whether an alias line was evicted between two accesses
        // (the run that "saw" the write through the other alias was one with another environment).
        // The .NET host keeps its DOTNET_ variables; -U takes them from the guest.
        var dotnet = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("DOTNET_", StringComparison.Ordinal))
            .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? "")).ToList();
        List<string> args = ["run", .. dotnet.SelectMany(v => new[] { "-U", v.Key }), .. options, binary];
        if (argument is not null) args.Add(argument);
        var result = ArmEmuCli.RunTool(ArmEmuCli.Path, args, Path.GetTempPath(), environment: dotnet, stdinPath: null, Timeout);
        Assert.True(result.ExitCode == 0, $"armemu {string.Join(' ', options)} {program}: {result}");
        return result;
    }

    private static ToolResult Qemu(string program, IReadOnlyList<string> arguments, IReadOnlyList<string>? options = null)
    {
        string binary = Build(program);
        try
        {
            return ArmEmuCli.RunTool("qemu-arm", ["-cpu", "arm926", .. options ?? [], binary, .. arguments], Path.GetTempPath(),
                environment: null, stdinPath: null, Timeout);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("cannot start", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("qemu-arm not found: install the Debian package qemu-user", e);
        }
    }

    private static void AssertOutput(string expectedName, ToolResult result)
    {
        string expected = File.ReadAllText(Path.Combine(SeedDirectory, expectedName + ".expected"));
        Assert.True(expected == result.StdoutText, $"{expectedName}.expected differs:\n--- expected ---\n{expected}--- got ---\n{result}");
    }

    private static void WithScratch(Action<string> test)
    {
        string dir = Directory.CreateTempSubdirectory("armemu-seed-").FullName;
        try
        {
            test(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>arm-linux-gnueabi-gcc -O2 -static, cached by a hash of compiler, flags and source.</summary>
    private static string Build(string program)
    {
        const string compiler = "arm-linux-gnueabi-gcc", flags = "-O2 -static -Wall";
        string source = Path.Combine(SeedDirectory, program + ".c");
        string key = GnuToolchain.Hash($"{compiler}|{flags}|{File.ReadAllText(source)}");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string binary = Path.Combine(cache, $"seed-linux-{key}", program);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        string partial = $"{binary}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        GnuToolchain.Run(compiler, $"{flags} -o {partial} {source}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }
}
