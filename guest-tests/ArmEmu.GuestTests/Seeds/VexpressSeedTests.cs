using System.Collections.Concurrent;
using System.Text;
using ArmEmu.TestSupport;
using RunResult = ArmEmu.TestSupport.IsolatedRunResult;

namespace ArmEmu.GuestTests.Seeds;

/// <summary>
/// The seed scenarios of guest-tests/seeds/vexpress-a9 on the Cortex-A9 board with its outer
/// cache: each variant runs under `armemu system --machine vexpress-a9` with the cache model
/// (NAME.expected), with --no-cache and under QEMU (both NAME.coherent.expected where the
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
