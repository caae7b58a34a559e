using System.Text;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// Exit status 125 means a bug in armemu, so guest input must never produce it: a seeded,
/// bounded fuzz run (well under two minutes) of every system call number and every
/// semihosting operation with random arguments from a guest program
/// (guest-tests/fuzz/fuzz_syscalls.c, which keeps its paths inside a fresh directory), and of
/// mutated ELF files given to <c>armemu run</c> and <c>armemu system</c>. Every run must end
/// cleanly: the guest's own status or signal, or armemu's one-line refusal, never status 125,
/// never a .NET crash or stack trace, never a hang (each run has a time limit). The seeds are
/// fixed, so a failure reproduces; ARMEMU_FUZZ_SEEDS=N runs N seeds instead of the default.
/// </summary>
public sealed class FuzzTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);

    private static int Seeds(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("ARMEMU_FUZZ_SEEDS"), out int n) && n > 0 ? n : normal;

    private static string BuildProgram(string source, string name, string flags)
    {
        string text = File.ReadAllText(source);
        string key = GnuToolchain.Hash($"arm-linux-gnueabi-gcc|{flags}|{text}");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, $"fuzz-{key}");
        string binary = Path.Combine(directory, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string partial = $"{binary}.{Environment.ProcessId}.tmp";
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"{flags} -o {partial} {source}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }

    private static string FuzzProgram => BuildProgram(Path.Combine(RepositoryRoot.Path, "guest-tests", "fuzz", "fuzz_syscalls.c"), "fuzz_syscalls", "-O2 -static -marm");

    private static string HelloProgram => BuildProgram(Path.Combine(RepositoryRoot.Path, "guest-tests", "linux", "hello.c"), "hello", "-O2 -static");

    /// <summary>Runs armemu in a fresh armemu-fuzz-* directory (removed afterwards) and checks that it ended cleanly.</summary>
    private static ToolResult RunClean(IReadOnlyList<string> arguments, string what)
    {
        string root = Directory.CreateTempSubdirectory("armemu-fuzz-").FullName;
        try
        {
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Where(e => ((string)e.Key).StartsWith("DOTNET_", StringComparison.Ordinal) || (string)e.Key == "PATH")
                .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? "")).ToList();
            ToolResult result;
            try
            {
                result = ArmEmuCli.RunTool(ArmEmuCli.Path, arguments, root, environment, stdinPath: null, RunLimit);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{what}: armemu still running after {RunLimit.TotalSeconds} s (a hang)");
                throw;
            }
            string stderr = result.StderrText;
            Assert.True(result.ExitCode != 125, $"{what}: status 125 (internal error)\n{stderr}");
            Assert.DoesNotContain("Unhandled exception", stderr);
            Assert.DoesNotContain("Fatal error", stderr);
            Assert.DoesNotContain("   at ArmEmu.", stderr);
            Assert.DoesNotContain("   at System.", stderr);
            return result;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A mode the fuzz run set on a file it made: the directory stays for the next clean of /tmp.
            }
        }
    }

    [Fact]
    public void RandomSystemCallsAndSemihostingCallsEndCleanly()
    {
        string program = FuzzProgram;
        int seeds = Seeds(6);
        for (int seed = 1; seed <= seeds; seed++)
        {
            var result = RunClean(["run", "--max-insns", "200000000", program, seed.ToString(), "16", "150"], $"seed {seed}");
            // The parent survives every batch: its summary line is the proof that the run got to the end.
            Assert.True(result.ExitCode == 0, $"seed {seed}: {result}");
            Assert.Matches($@"^seed {seed}: \d+ batches exited, \d+ ended by a signal\n$", result.StdoutText);
        }
    }

    [Fact]
    public void FuzzProgramRefusesToRunOutsideAFuzzDirectory()
    {
        var result = ArmEmuCli.RunTool(ArmEmuCli.Path, ["run", FuzzProgram, "1", "1", "1"], Path.GetTempPath(), null, null, RunLimit);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("run me only in a fresh directory", result.StderrText);
    }

    /// <summary>Mutants of a small static program: bytes of the headers and program headers changed, the file cut short, or a header field set to an extreme.</summary>
    private static IEnumerable<byte[]> Mutants(byte[] original, int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            byte[] m = (byte[])original.Clone();
            switch (random.Next(4))
            {
                case 0: // a few bytes anywhere in the first 4 KiB (headers, program headers, start of text)
                    for (int k = random.Next(1, 6); k > 0; k--) m[random.Next(Math.Min(4096, m.Length))] = (byte)random.Next(256);
                    break;
                case 1: // one ELF or program header word set to an extreme
                    int offset = random.Next(2) == 0 ? random.Next(0x18, 0x34) & ~3 : 0x34 + 32 * random.Next(8) + 4 * random.Next(8);
                    uint value = random.Next(4) switch { 0 => 0, 1 => 0xffffffff, 2 => 0x80000000, _ => (uint)random.Next() };
                    BitConverter.GetBytes(value).CopyTo(m, Math.Min(offset, m.Length - 4));
                    break;
                case 2: // cut short
                    Array.Resize(ref m, random.Next(m.Length));
                    break;
                default: // section header table damaged (binfmt_elf ignores it)
                    BitConverter.GetBytes((uint)random.Next()).CopyTo(m, 0x20);
                    break;
            }
            yield return m;
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("system")]
    public void MutatedElfFilesEndCleanly(string command)
    {
        byte[] original = File.ReadAllBytes(HelloProgram);
        string directory = Directory.CreateTempSubdirectory("armemu-mutants-").FullName;
        try
        {
            int index = 0;
            var statuses = new Dictionary<int, int>();
            foreach (byte[] mutant in Mutants(original, command == "run" ? 18 : 19, Seeds(40)))
            {
                string path = Path.Combine(directory, $"mutant{index++}");
                File.WriteAllBytes(path, mutant);
                var result = RunClean([command, "--max-insns", "2000000", path], $"{command} {path} (mutant {index - 1})");
                statuses[result.ExitCode] = statuses.GetValueOrDefault(result.ExitCode) + 1;
                // armemu's own refusals are one line.
                if (result.ExitCode is 1 or 2)
                    Assert.True(result.StderrText.TrimEnd('\n').Split('\n').Length == 1 && result.StderrText.StartsWith("armemu: ", StringComparison.Ordinal),
                                $"mutant {index - 1}: {result}");
            }
            Assert.True(statuses.Count > 1, $"every mutant ended the same way: {string.Join(", ", statuses)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
