using System.Collections.Concurrent;
using System.Text;
using ArmEmu.TestSupport;
using RunResult = ArmEmu.TestSupport.IsolatedRunResult;

namespace ArmEmu.GuestTests.Seeds;

/// <summary>
/// The seed scenarios of guest-tests/seeds/vexpress-a9 on the Cortex-A9 board with its outer
/// cache (lcd_l2, flush_dcache_all, jit_code, pipt_alias, lookup_processor_type; the L2 ones
/// also with the PL310 left off: lcd_l2.l1nol2, flush_dcache_all.nol2, pipt_alias.nol2): each
/// variant runs under `armemu system --machine vexpress-a9` with the cache model (NAME.expected), with --no-cache and under QEMU (both NAME.coherent.expected where the
/// caches change the output, else NAME.expected: QEMU models no caches). The LCD scenario's
/// --screenshot is compared byte for byte with the committed pictures: lcd_l2.l1.png (the L1
/// cleaned, the PL310 not: stale lines) and lcd_l2.l1l2.png (the correct picture, which every
/// --no-cache run, the L1+L2 clean and the run with the PL310 off must show).
/// </summary>
public class VexpressSeedTests
{
    private static readonly string SeedsDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "seeds", "vexpress-a9");
    private static readonly string QemuScript = Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "vexpress-a9", "run-qemu.sh");
    private static readonly string GoodPicture = Path.Combine(SeedsDir, "lcd_l2.l1l2.png");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (string scenario in ScenarioNames()) data.Add(scenario);
        return data;
    }

    private static List<string> ScenarioNames()
    {
        var names = new List<string>();
        foreach (string v in Directory.GetFiles(SeedsDir, "*.variants").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(v);
            foreach (string line in File.ReadAllLines(v))
                if (line.Length > 0 && !line.StartsWith('#')) names.Add($"{name}.{line.Trim()}");
        }
        return names;
    }

    [Fact]
    public void TheL2ScenariosAreThereAndTheFailureShows()
    {
        var names = ScenarioNames();
        foreach (string required in new[] { "lcd_l2.noclean", "lcd_l2.l1", "lcd_l2.l1l2", "lcd_l2.l1nol2" }) Assert.Contains(required, names);
        Assert.NotEqual(Read("lcd_l2.l1.expected"), Read("lcd_l2.l1.coherent.expected"));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(SeedsDir, "lcd_l2.l1.png")), File.ReadAllBytes(GoodPicture));
        Assert.False(File.Exists(Path.Combine(SeedsDir, "lcd_l2.l1l2.coherent.expected")));
        Assert.False(File.Exists(Path.Combine(SeedsDir, "lcd_l2.l1nol2.coherent.expected")));
    }

    /// <summary>
    /// v7_flush_dcache_all (seed 001): the set/way walk leaves the lines dirty in the PL310 (RAM
    /// old, the CPU new), the invalidate-only walk loses the stores, the PL310 clean or the PL310
    /// left off make RAM right, which is then the same output as without caches.
    /// </summary>
    [Fact]
    public void TheFlushDcacheAllScenariosShowWhatTheWalkLeavesInTheL2()
    {
        var names = ScenarioNames();
        foreach (string variant in new[] { "inv", "l1", "l1l2", "nol2" }) Assert.Contains("flush_dcache_all." + variant, names);
        Assert.Contains("RAM (a bus master) holds: 0 of 1024 words new, 1024 old: the lines are still dirty in an outer cache", Read("flush_dcache_all.l1.expected"));
        Assert.Contains("the CPU reads: 1024 of 1024 words new", Read("flush_dcache_all.l1.expected"));
        Assert.Contains("the CPU reads: 0 of 1024 words new, 1024 old: the dirty lines were thrown away", Read("flush_dcache_all.inv.expected"));
        foreach (string scenario in new[] { "flush_dcache_all.l1", "flush_dcache_all.inv" })
            Assert.Contains("RAM (a bus master) holds: 1024 of 1024 words new, 0 old", Read(scenario + ".coherent.expected"));
        foreach (string scenario in new[] { "flush_dcache_all.l1l2", "flush_dcache_all.nol2" })
        {
            Assert.False(File.Exists(Path.Combine(SeedsDir, scenario + ".coherent.expected")));
            Assert.Contains("RAM (a bus master) holds: 1024 of 1024 words new, 0 old", Read(scenario + ".expected"));
        }
        Assert.Contains("PL310 off", Read("flush_dcache_all.nol2.expected"));
    }

    /// <summary>
    /// The JIT seed (000) on the A9: without ICIMVAU or without DCCMVAU the old code runs with the
    /// cache model, the new code without caches; with the whole sequence the new code everywhere.
    /// </summary>
    [Fact]
    public void TheJitScenariosRunStaleCodeWithoutTheWholeSequence()
    {
        foreach (string variant in new[] { "none", "dconly", "iconly" })
        {
            Assert.Contains("after rewriting 1: STALE code", Read($"jit_code.{variant}.expected"));
            Assert.Contains("after rewriting 2: new code", Read($"jit_code.{variant}.coherent.expected"));
        }
        Assert.Contains("after rewriting 2: new code", Read("jit_code.full.expected"));
        Assert.False(File.Exists(Path.Combine(SeedsDir, "jit_code.full.coherent.expected")));
    }

    /// <summary>
    /// The VIVT alias seed (003) on the A9: the PIPT D-cache makes every alias one line, so with
    /// the cache model the aliases agree (what the ARM926's vivt_alias shows DIVERGED); only RAM
    /// lags, until DCCMVAC (and, with the PL310 on, its clean by PA).
    /// </summary>
    [Fact]
    public void TheAliasesAgreeOnThePiptDataCache()
    {
        foreach (string variant in new[] { "l2", "nol2" })
        {
            string withCaches = Read($"pipt_alias.{variant}.expected");
            Assert.Equal(2, withCaches.Split("the aliases agree; memory holds 01d01d01").Length - 1);
            Assert.DoesNotContain("DIVERGED", withCaches);
        }
        Assert.Contains("after DCCMVAC on A: memory holds 01d01d01", Read("pipt_alias.l2.expected"));
        Assert.Contains("after the PL310 clean by PA and cache sync: memory holds a11a5b0b", Read("pipt_alias.l2.expected"));
        Assert.Contains("after DCCMVAC on A: memory holds a11a5b0b", Read("pipt_alias.nol2.expected"));
    }

    /// <summary>
    /// --check-coherence names the hazard the PL310 adds: with the L1 cleaned and the PL310 not,
    /// every report of the LCD's scan is a line dirty in L2 that L1 no longer holds, naming a
    /// store in draw(); with no cleaning, lines dirty in L1 are reported too; after the PL310
    /// clean, nothing.
    /// </summary>
    [Fact]
    public void CheckCoherenceNamesTheLinesThePl310HoldsDirty()
    {
        static List<string> Reports(RunResult run) =>
            run.Stderr.Split('\n').Where(l => l.StartsWith("armemu: coherence:", StringComparison.Ordinal)).ToList();
        var (l1, _) = RunArmEmu("lcd_l2.l1", "--machine", "vexpress-a9", "--check-coherence");
        var reports = Reports(l1);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Contains("DmaReadOfDirtyOuterLine at pc 0x", r));
        Assert.All(reports, r => Assert.Contains("dirty in the L2 cache (L1 no longer holds it;", r));
        var (draw, size) = FunctionStartingWith(Build("lcd_l2.l1"), "draw");
        Assert.All(reports, r =>
        {
            uint pc = Convert.ToUInt32(r.Split("at pc 0x")[1].Split(' ')[0], 16);
            Assert.InRange(pc, draw, draw + size - 1);
        });
        var noclean = Reports(RunArmEmu("lcd_l2.noclean", "--machine", "vexpress-a9", "--check-coherence").Run);
        Assert.Contains(noclean, r => r.Contains("DmaReadOfDirtyLine at pc", StringComparison.Ordinal));
        Assert.Contains(noclean, r => r.Contains("DmaReadOfDirtyOuterLine at pc", StringComparison.Ordinal));
        Assert.Empty(Reports(RunArmEmu("lcd_l2.l1l2", "--machine", "vexpress-a9", "--check-coherence").Run));
    }

    /// <summary>The address and size of the first function whose symbol starts with <paramref name="prefix"/> (GCC may suffix it, e.g. .constprop.0).</summary>
    private static (uint Address, uint Size) FunctionStartingWith(string elf, string prefix)
    {
        foreach (string line in GnuToolchain.Run("arm-none-eabi-nm", $"-S \"{elf}\"", "binutils-arm-none-eabi").Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 4 && f[2] is "t" or "T" && (f[3] == prefix || f[3].StartsWith(prefix + ".", StringComparison.Ordinal)))
                return (Convert.ToUInt32(f[0], 16), Convert.ToUInt32(f[1], 16));
        }
        throw new InvalidOperationException($"no function {prefix} in {elf}");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void WithTheCacheModel(string scenario)
    {
        var (run, picture) = RunArmEmu(scenario, "--machine", "vexpress-a9");
        Assert.True(run.ExitCode == 0 && !run.TimedOut, $"{scenario}: exit {run.ExitCode} (stderr: {run.Stderr})");
        Assert.Equal(Read(scenario + ".expected"), run.Stdout);
        if (!scenario.StartsWith("lcd_l2.", StringComparison.Ordinal)) return;
        string? reference = scenario switch
        {
            "lcd_l2.l1" => Path.Combine(SeedsDir, "lcd_l2.l1.png"),
            "lcd_l2.l1l2" or "lcd_l2.l1nol2" => GoodPicture,
            _ => null,
        };
        if (reference is not null) Assert.True(picture.SequenceEqual(File.ReadAllBytes(reference)), $"{scenario}: the screenshot differs from {Path.GetFileName(reference)}");
        else Assert.False(picture.SequenceEqual(File.ReadAllBytes(GoodPicture)), $"{scenario}: the screenshot shows the correct picture");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void WithoutTheCacheModel(string scenario)
    {
        var (run, picture) = RunArmEmu(scenario, "--machine", "vexpress-a9", "--no-cache");
        Assert.True(run.ExitCode == 0 && !run.TimedOut, $"{scenario}: exit {run.ExitCode} (stderr: {run.Stderr})");
        Assert.Equal(Coherent(scenario), run.Stdout);
        if (scenario.StartsWith("lcd_l2.", StringComparison.Ordinal))
            Assert.True(picture.SequenceEqual(File.ReadAllBytes(GoodPicture)), $"{scenario} --no-cache: the screenshot is not the correct picture");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void OnQemu(string scenario)
    {
        var run = IsolatedRun.InFreshDirectory("bash", [QemuScript, Build(scenario)], Timeout);
        Assert.False(run.TimedOut, $"QEMU did not finish {scenario}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Coherent(scenario), run.Stdout);
    }

    private static (RunResult Run, byte[] Picture) RunArmEmu(string scenario, params string[] options)
    {
        string png = Path.Combine(Path.GetTempPath(), $"armemu-vexpress-seed-{scenario}-{Guid.NewGuid():N}.png");
        try
        {
            var run = IsolatedRun.InFreshDirectory(ArmEmuCli.Path, ["system", .. options, "--screenshot", png, Build(scenario)], Timeout);
            return (run, File.Exists(png) ? File.ReadAllBytes(png) : []);
        }
        finally
        {
            if (File.Exists(png)) File.Delete(png);
        }
    }

    private static string Read(string file) => Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(SeedsDir, file)));

    private static string Coherent(string scenario) =>
        File.Exists(Path.Combine(SeedsDir, scenario + ".coherent.expected")) ? Read(scenario + ".coherent.expected") : Read(scenario + ".expected");

    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();

    /// <summary>The scenario's ELF, built by build.sh and cached under a hash of its inputs and the compiler's version.</summary>
    private static string Build(string scenario) => Builds.GetOrAdd(scenario, s => new Lazy<string>(() => BuildUncached(s))).Value;

    private static string BuildUncached(string scenario)
    {
        string system = Path.Combine(RepositoryRoot.Path, "guest-tests", "system");
        var inputs = new StringBuilder(GnuToolchain.Run("arm-none-eabi-gcc", "--version", "gcc-arm-none-eabi"));
        var files = new List<string> { Path.Combine(SeedsDir, "build.sh") };
        files.AddRange(Directory.GetFiles(SeedsDir, scenario.Split('.')[0] + ".*").Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".variants", StringComparison.Ordinal)));
        files.AddRange(Directory.GetFiles(SeedsDir, "*.h").Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetFiles(Path.Combine(system, "common")).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetFiles(Path.Combine(system, "vexpress-a9", "common")).Order(StringComparer.Ordinal));
        foreach (string file in files) inputs.Append('\0').Append(Path.GetFileName(file)).Append('\0').Append(File.ReadAllText(file));
        string cache = Path.Combine(Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"), "seeds-vexpress-a9");
        string elf = Path.Combine(cache, $"{scenario}-{GnuToolchain.Hash(inputs.ToString())}.elf");
        if (File.Exists(elf)) return elf;
        Directory.CreateDirectory(cache);
        string work = Path.Combine(cache, $"build-{scenario}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            GnuToolchain.Run("bash", $"\"{Path.Combine(SeedsDir, "build.sh")}\" \"{work}\" {scenario}", "gcc-arm-none-eabi");
            File.Move(Path.Combine(work, scenario + ".elf"), elf, overwrite: true);
            return elf;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
