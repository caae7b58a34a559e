using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ArmEmu.TestSupport;
using RunResult = ArmEmu.TestSupport.IsolatedRunResult;

namespace ArmEmu.GuestTests.BareMetal;

/// <summary>
/// The bare-metal programs of guest-tests/system, run on the oracle and on `armemu system`:
/// the Versatile PB programs (guest-tests/system/programs, qemu-system-arm -M versatilepb -cpu
/// arm926) and the Versatile Express ones (guest-tests/system/vexpress-a9/programs,
/// qemu-system-arm -M vexpress-a9 -cpu cortex-a9), each through its board's run-qemu.sh. Each
/// program's stdout and exit status are committed beside it (NAME.expected, NAME.status, made
/// by update-expected.sh); QEMU must still produce them, and armemu must produce exactly what
/// QEMU does.
/// </summary>
public class BareMetalTests
{
    private static readonly string SystemDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "system");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The boards with programs: the directory holding build.sh, run-qemu.sh and programs/, and the fewest programs it must have.</summary>
    private static readonly (string Board, string Dir, int MinimumPrograms)[] Boards =
    [
        ("versatilepb", SystemDir, 16),
        ("vexpress-a9", Path.Combine(SystemDir, "vexpress-a9"), 1),
    ];

    private static string BoardDir(string board) => Boards.Single(b => b.Board == board).Dir;

    private static string ProgramsDir(string board) => Path.Combine(BoardDir(board), "programs");

    public static TheoryData<string, string> Programs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (board, _, _) in Boards)
            foreach (string name in ProgramNames(board)) data.Add(board, name);
        return data;
    }

    [Fact]
    public void EveryProgramHasItsExpectations()
    {
        foreach (var (board, dir, minimum) in Boards)
        {
            var names = ProgramNames(board);
            string programs = ProgramsDir(board), update = Path.GetRelativePath(RepositoryRoot.Path, Path.Combine(dir, "update-expected.sh"));
            Assert.True(names.Count >= minimum, $"only {names.Count} programs in {programs}");
            foreach (string name in names)
            {
                Assert.True(File.Exists(Path.Combine(programs, name + ".expected")), $"{name}.expected is missing: run {update} {name}");
                Assert.True(File.Exists(Path.Combine(programs, name + ".status")), $"{name}.status is missing: run {update} {name}");
            }
            foreach (string expected in Directory.GetFiles(programs, "*.expected"))
                Assert.Contains(Path.GetFileNameWithoutExtension(expected), names);
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void QemuProducesTheCommittedExpectation(string board, string name)
    {
        var qemu = QemuRun(board, name);
        Assert.False(qemu.TimedOut, $"QEMU did not finish {name} within {Timeout.TotalSeconds} s; stdout so far:\n{qemu.Stdout}");
        Assert.True(ExpectedStdout(board, name) == qemu.Stdout,
            $"QEMU's output for {name} differs from {name}.expected (stderr: {qemu.Stderr}):\n{Diff(ExpectedStdout(board, name), qemu.Stdout)}");
        Assert.True(ExpectedStatus(board, name) == qemu.ExitCode, $"QEMU's exit status for {name} is {qemu.ExitCode}, {name}.status says {ExpectedStatus(board, name)}");
        Assert.True(qemu.LeftFiles.Length == 0, $"{name} left files in its working directory: {string.Join(", ", qemu.LeftFiles)}");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void ArmEmuSystemMatchesQemu(string board, string name)
    {
        var qemu = QemuRun(board, name);
        var armemu = Run(ArmEmuCli.Path, ["system", "--machine", board, Build(board, name)]);
        Assert.False(armemu.TimedOut, $"armemu system did not finish {name} within {Timeout.TotalSeconds} s; stdout so far:\n{armemu.Stdout}");
        Assert.True(qemu.Stdout == armemu.Stdout,
            $"armemu system's output for {name} differs from QEMU's (armemu stderr: {armemu.Stderr}):\n{Diff(qemu.Stdout, armemu.Stdout)}");
        Assert.True(qemu.ExitCode == armemu.ExitCode,
            $"armemu system's exit status for {name} is {armemu.ExitCode}, QEMU's {qemu.ExitCode} (armemu stderr: {armemu.Stderr})");
        Assert.Equal(ExpectedStdout(board, name), armemu.Stdout);
        Assert.Equal(ExpectedStatus(board, name), armemu.ExitCode);
        Assert.True(armemu.LeftFiles.Length == 0, $"{name} left files in armemu's working directory: {string.Join(", ", armemu.LeftFiles)}");
    }

    // ---- programs --------------------------------------------------------------------------

    private static List<string> ProgramNames(string board) =>
        Directory.GetFiles(ProgramsDir(board))
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".S", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string ExpectedStdout(string board, string name) => Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(ProgramsDir(board), name + ".expected")));

    private static int ExpectedStatus(string board, string name) => int.Parse(File.ReadAllText(Path.Combine(ProgramsDir(board), name + ".status")).Trim());

    private static readonly Lazy<string> CompilerVersion = new(() =>
        GnuToolchain.Run("arm-none-eabi-gcc", "--version", "gcc-arm-none-eabi"));

    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();

    /// <summary>
    /// The program's ELF image (programs/NAME or armemu-only/NAME), built by build.sh and cached under a hash of everything that
    /// goes into it: the script (which holds the flags), the common runtime, the program and
    /// the compiler's version. A board's build.sh may use guest-tests/system/common too.
    /// </summary>
    internal static string Build(string board, string name) => Builds.GetOrAdd(board + "/" + name, _ => new Lazy<string>(() => BuildUncached(board, name))).Value;

    private static string BuildUncached(string board, string name)
    {
        string dir = BoardDir(board);
        var inputs = new StringBuilder();
        inputs.Append(CompilerVersion.Value).Append('\0').Append(board);
        var files = new List<string> { Path.Combine(dir, "build.sh") };
        files.AddRange(Directory.GetFiles(Path.Combine(SystemDir, "common")).Order(StringComparer.Ordinal));
        if (dir != SystemDir) files.AddRange(Directory.GetFiles(Path.Combine(dir, "common")).Order(StringComparer.Ordinal));
        string armemuOnly = Path.Combine(dir, "armemu-only"); // programs without a QEMU comparison (build.sh finds them there)
        foreach (string programs in new[] { ProgramsDir(board), armemuOnly }.Where(Directory.Exists))
            files.AddRange(Directory.GetFiles(programs, name + ".*")
                .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".S", StringComparison.Ordinal)));
        foreach (string file in files)
            inputs.Append('\0').Append(Path.GetRelativePath(SystemDir, file)).Append('\0').Append(File.ReadAllText(file));

        string cache = Path.Combine(Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"), "system", board);
        string elf = Path.Combine(cache, $"{name}-{GnuToolchain.Hash(inputs.ToString())}.elf");
        if (File.Exists(elf)) return elf;

        Directory.CreateDirectory(cache);
        string work = Path.Combine(cache, $"build-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            GnuToolchain.Run("bash", $"{Quote(Path.Combine(dir, "build.sh"))} {Quote(work)} {name}", "gcc-arm-none-eabi");
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
    private static RunResult QemuRun(string board, string name) =>
        QemuRuns.GetOrAdd(board + "/" + name, _ => new Lazy<RunResult>(() => Run("bash", [Path.Combine(BoardDir(board), "run-qemu.sh"), Build(board, name)]))).Value;

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
