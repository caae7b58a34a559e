using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ArmEmu.TestSupport;
using RunResult = ArmEmu.TestSupport.IsolatedRunResult;

namespace ArmEmu.GuestTests.BareMetal;

/// <summary>
/// The bare-metal programs of guest-tests/system, run on the oracle
/// (qemu-system-arm -M versatilepb -cpu arm926, through run-qemu.sh) and on
/// `armemu system`. Each program's stdout and exit status are committed beside
/// it (NAME.expected, NAME.status, made by update-expected.sh); QEMU must still
/// produce them, and armemu must produce exactly what QEMU does.
/// </summary>
public class BareMetalTests
{
    private static readonly string SystemDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "system");
    private static readonly string ProgramsDir = Path.Combine(SystemDir, "programs");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (string name in ProgramNames()) data.Add(name);
        return data;
    }

    [Fact]
    public void EveryProgramHasItsExpectations()
    {
        var names = ProgramNames();
        Assert.True(names.Count >= 16, $"only {names.Count} programs in {ProgramsDir}");
        foreach (string name in names)
        {
            Assert.True(File.Exists(Path.Combine(ProgramsDir, name + ".expected")), $"{name}.expected is missing: run guest-tests/system/update-expected.sh {name}");
            Assert.True(File.Exists(Path.Combine(ProgramsDir, name + ".status")), $"{name}.status is missing: run guest-tests/system/update-expected.sh {name}");
        }
        foreach (string expected in Directory.GetFiles(ProgramsDir, "*.expected"))
            Assert.Contains(Path.GetFileNameWithoutExtension(expected), names);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void QemuProducesTheCommittedExpectation(string name)
    {
        var qemu = QemuRun(name);
        Assert.False(qemu.TimedOut, $"QEMU did not finish {name} within {Timeout.TotalSeconds} s; stdout so far:\n{qemu.Stdout}");
        Assert.True(ExpectedStdout(name) == qemu.Stdout,
            $"QEMU's output for {name} differs from {name}.expected (stderr: {qemu.Stderr}):\n{Diff(ExpectedStdout(name), qemu.Stdout)}");
        Assert.True(ExpectedStatus(name) == qemu.ExitCode, $"QEMU's exit status for {name} is {qemu.ExitCode}, {name}.status says {ExpectedStatus(name)}");
        Assert.True(qemu.LeftFiles.Length == 0, $"{name} left files in its working directory: {string.Join(", ", qemu.LeftFiles)}");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void ArmEmuSystemMatchesQemu(string name)
    {
        var qemu = QemuRun(name);
        var armemu = Run(ArmEmuCli.Path, ["system", Build(name)]);
        Assert.False(armemu.TimedOut, $"armemu system did not finish {name} within {Timeout.TotalSeconds} s; stdout so far:\n{armemu.Stdout}");
        Assert.True(qemu.Stdout == armemu.Stdout,
            $"armemu system's output for {name} differs from QEMU's (armemu stderr: {armemu.Stderr}):\n{Diff(qemu.Stdout, armemu.Stdout)}");
        Assert.True(qemu.ExitCode == armemu.ExitCode,
            $"armemu system's exit status for {name} is {armemu.ExitCode}, QEMU's {qemu.ExitCode} (armemu stderr: {armemu.Stderr})");
        Assert.Equal(ExpectedStdout(name), armemu.Stdout);
        Assert.Equal(ExpectedStatus(name), armemu.ExitCode);
        Assert.True(armemu.LeftFiles.Length == 0, $"{name} left files in armemu's working directory: {string.Join(", ", armemu.LeftFiles)}");
    }

    // ---- programs --------------------------------------------------------------------------

    private static List<string> ProgramNames() =>
        Directory.GetFiles(ProgramsDir)
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".S", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string ExpectedStdout(string name) => Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(ProgramsDir, name + ".expected")));

    private static int ExpectedStatus(string name) => int.Parse(File.ReadAllText(Path.Combine(ProgramsDir, name + ".status")).Trim());

    private static readonly Lazy<string> CompilerVersion = new(() =>
        GnuToolchain.Run("arm-none-eabi-gcc", "--version", "gcc-arm-none-eabi"));

    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();

    /// <summary>
    /// The program's ELF image, built by build.sh and cached under a hash of everything that
    /// goes into it: the script (which holds the flags), the common runtime, the program and
    /// the compiler's version.
    /// </summary>
    private static string Build(string name) => Builds.GetOrAdd(name, n => new Lazy<string>(() => BuildUncached(n))).Value;

    private static string BuildUncached(string name)
    {
        var inputs = new StringBuilder();
        inputs.Append(CompilerVersion.Value);
        var files = new List<string> { Path.Combine(SystemDir, "build.sh") };
        files.AddRange(Directory.GetFiles(Path.Combine(SystemDir, "common")).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetFiles(ProgramsDir, name + ".*")
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".S", StringComparison.Ordinal)));
        foreach (string file in files)
            inputs.Append('\0').Append(Path.GetRelativePath(SystemDir, file)).Append('\0').Append(File.ReadAllText(file));

        string cache = Path.Combine(Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"), "system");
        string elf = Path.Combine(cache, $"{name}-{GnuToolchain.Hash(inputs.ToString())}.elf");
        if (File.Exists(elf)) return elf;

        Directory.CreateDirectory(cache);
        string work = Path.Combine(cache, $"build-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            GnuToolchain.Run("bash", $"{Quote(Path.Combine(SystemDir, "build.sh"))} {Quote(work)} {name}", "gcc-arm-none-eabi");
            File.Move(Path.Combine(work, name + ".elf"), elf, overwrite: true);
            return elf;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    // ---- running ---------------------------------------------------------------------------


    private static readonly ConcurrentDictionary<string, Lazy<RunResult>> QemuRuns = new();

    /// <summary>QEMU's run of the program, once per test process (both theories compare against it).</summary>
    private static RunResult QemuRun(string name) =>
        QemuRuns.GetOrAdd(name, n => new Lazy<RunResult>(() => Run("bash", [Path.Combine(SystemDir, "run-qemu.sh"), Build(n)]))).Value;

    private static RunResult Run(string program, string[] arguments) => IsolatedRun.InFreshDirectory(program, arguments, Timeout);


    /// <summary>Quoting for ProcessStartInfo's single argument string (double quotes, as .NET parses it).</summary>
    private static string Quote(string path) => "\"" + path.Replace("\"", "\\\"") + "\"";

    /// <summary>The first differing line of two outputs, for failure messages.</summary>
    private static string Diff(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of output>", al = i < a.Length ? a[i] : "<end of output>";
            if (el != al) return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}\nactual output:\n{actual}";
        }
        return "(no line differs)";
    }
}
