using System.Diagnostics;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Cli;

/// <summary>
/// The installable forms of armemu (the .NET tool package, the self-contained single-file
/// publish) run the bundled example; qemu-system-arm's spellings give what qemu-system-arm gives.
/// </summary>
public sealed class InstallAndSystemSpellingTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot.Path, "guest-tests", "examples", "jit-hello");

    private static string ExpectedExampleOutput => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "guest-tests", "examples", "jit-hello.expected"));

    private static List<KeyValuePair<string, string>> EnvironmentWithout(params string[] names) =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => !names.Contains((string)e.Key))
            .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? "")).ToList();

    [Fact]
    public void Tool_package_installs_into_a_tool_path_and_runs_the_example()
    {
        string dir = Directory.CreateTempSubdirectory("armemu-tool-").FullName;
        try
        {
            var install = ArmEmuCli.RunTool("bash", [Path.Combine(RepositoryRoot.Path, "tools", "install-tool.sh"), "--tool-path", dir],
                RepositoryRoot.Path, null, null, TimeSpan.FromMinutes(20)); // ReadyToRun: minutes on a loaded machine
            Assert.True(install.ExitCode == 0, install.ToString());
            foreach (string name in new[] { "armemu", "armemu-arm" })
            {
                var r = ArmEmuCli.RunTool(Path.Combine(dir, name), [Example], dir, null, null, TimeSpan.FromSeconds(60));
                Assert.True(r.ExitCode == 0, r.ToString());
                Assert.Equal(ExpectedExampleOutput, r.StdoutText);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Self_contained_publish_runs_without_dotnet()
    {
        // One test: a self-contained ReadyToRun composite publish (the runtime's code compiled
        // with armemu's) takes minutes on two cores, a quarter of an hour on a loaded machine.
        string dir = Directory.CreateTempSubdirectory("armemu-sc-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            var publish = ArmEmuCli.RunTool("bash", [Path.Combine(RepositoryRoot.Path, "tools", "publish-self-contained.sh"), dir],
                RepositoryRoot.Path, null, null, TimeSpan.FromMinutes(30));
            Assert.True(publish.ExitCode == 0, publish.ToString());
            var env = EnvironmentWithout("DOTNET_ROOT", "DOTNET_HOST_PATH", "PATH");
            env.Add(new("PATH", "/usr/bin:/bin"));
            var r = ArmEmuCli.RunTool(Path.Combine(dir, "armemu-arm"), [Example], dir, env, null, TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(ExpectedExampleOutput, r.StdoutText);
            // Start-up: ReadyToRun has compiled armemu's own code (for this machine's instruction
            // set, tools/r2r-instruction-set.sh), so none of it is left to the JIT; translated
            // blocks are dynamic methods, not armemu's, and the interpreter makes none.
            string jitList = Path.Combine(dir, "jit.txt");
            env.AddRange([new("DOTNET_JitStdOutFile", jitList), new("DOTNET_JitDisasmSummary", "1"), new("ARMEMU_ENGINE", "interpreter")]);
            r = ArmEmuCli.RunTool(Path.Combine(dir, "armemu"), [Example], dir, env, null, TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.ToString());
            var compiled = File.ReadAllLines(jitList);
            Assert.NotEmpty(compiled); // the list is written (the framework's generic code over armemu's types is in it)
            Assert.DoesNotContain(compiled, line => line.Contains("JIT compiled ArmEmu.", StringComparison.Ordinal));
            // Nor the runtime's own start-up code: with the trimmer's descriptors stripped, crossgen2
            // left out what only the runtime calls (armemu.csproj, ArmEmuTrimFramework) and the JIT
            // compiled ~90 such methods per start.
            Assert.DoesNotContain(compiled, line => line.Contains("JIT compiled System.AppContext:Setup", StringComparison.Ordinal)
                || line.Contains("JIT compiled System.Runtime.CompilerServices.CastHelpers:", StringComparison.Ordinal));
            // What is left is the framework's code the runtime instantiates by reflection
            // (EqualityComparer<int>.Default's comparer) and a thread-statics helper: two methods
            // when this was written. Files are read through libc before the guest starts
            // (HostFileReader), so no SafeFileHandle's activation code is compiled either.
            Assert.True(compiled.Length < 10, $"{compiled.Length} methods JIT-compiled at start-up:\n{string.Join('\n', compiled)}");
            // The framework is trimmed in this form (ArmEmuTrimFramework): the statistics' JSON
            // (System.Text.Json's reflection serializer) and the profile table (Spectre.Console) still work.
            string stats = Path.Combine(dir, "stats.json");
            r = ArmEmuCli.RunTool(Path.Combine(dir, "armemu"), ["run", "--stats-json", stats, "--profile-top", "3", Example], dir, env, null, TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(ExpectedExampleOutput, r.StdoutText);
            using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(stats)))
            {
                Assert.True(json.RootElement.GetProperty("instructions").GetUInt64() > 0);
                Assert.True(json.RootElement.GetProperty("caches").GetProperty("dcache").GetProperty("hits").GetUInt64() > 0);
            }
            Assert.Contains("armemu profile:", r.StderrText);
            // The translator (the default engine) emits IL against framework methods it finds by
            // reflection: with the framework trimmed, every block it compiles must still compile
            // and run (threshold 1: the whole example translated).
            var translating = EnvironmentWithout("DOTNET_ROOT", "DOTNET_HOST_PATH", "PATH", "ARMEMU_ENGINE", "ARMEMU_TRANSLATOR_THRESHOLD");
            translating.AddRange([new("PATH", "/usr/bin:/bin"), new("ARMEMU_ENGINE", "translator"), new("ARMEMU_TRANSLATOR_THRESHOLD", "1")]);
            r = ArmEmuCli.RunTool(Path.Combine(dir, "armemu"), ["run", "--stats", Example], dir, translating, null, TimeSpan.FromSeconds(120));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(ExpectedExampleOutput, r.StdoutText);
            Assert.Matches(@"translator: [1-9]\d* blocks", r.StderrText);
            Console.WriteLine($"self-contained publish and run: {clock.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Startup_measurement_script_reports_armemu_beside_qemu_arm()
    {
        // The script the README's start-up figures come from, on the build (its default forms,
        // the tool and the self-contained executable, are built by the two tests above).
        var r = ArmEmuCli.RunTool("bash", [Path.Combine(RepositoryRoot.Path, "tools", "measure-startup.sh"), "--runs", "2", $"armemu, build={ArmEmuCli.Path}"],
            RepositoryRoot.Path, null, null, TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^\| qemu-arm \| \d+ ms \| \d+ ms \| \d+ ms \| 1\.0x \| 1\.0x \|$", r.StdoutText);
        Assert.Matches(@"(?m)^\| armemu, build \| \d+ ms \| \d+ ms \| \d+ ms \| \d+\.\dx \| \d+\.\dx \|$", r.StdoutText);
    }

    [Fact]
    public void Startup_times_name_each_phase_when_asked_for()
    {
        var env = EnvironmentWithout("ARMEMU_STARTUP_TIMES");
        env.Add(new("ARMEMU_STARTUP_TIMES", "1"));
        // With an option, System.CommandLine builds the tree and parses; with the program alone
        // (the common case) armemu takes it directly and no tree is built.
        string[] parsed = ["before Main (runtime)", "command line built", "command line parsed", "options checked", "program loaded", "guest ran", "Main to exit", "process"];
        string[] direct = [.. parsed.Where(p => p != "command line built")];
        foreach (var (args, phases) in new[] { ((string[])["run", "--max-insns", "100000000", Example], parsed), ([Example], direct) })
        {
            var r = ArmEmuCli.RunTool(ArmEmuCli.Path, args, RepositoryRoot.Path, env, null, TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(ExpectedExampleOutput, r.StdoutText);
            var lines = r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(phases.Length + 1 == lines.Length, r.StderrText);
            for (int i = 0; i < phases.Length; i++)
                Assert.Matches($@"^armemu: startup: {System.Text.RegularExpressions.Regex.Escape(phases[i])} +wall +(-|\d+\.\d) ms  cpu +\d+\.\d ms$", lines[i]);
            // The direct form loads neither the command-line library nor the JSON one (each an
            // assembly load of start-up time); the parsed form needs the first.
            string assemblies = lines[^1];
            Assert.Matches(@"^armemu: startup: \d+ assemblies loaded: System\.Private\.CoreLib, ", assemblies);
            Assert.DoesNotContain("System.Text.Json", assemblies);
            Assert.Equal(phases == parsed, assemblies.Contains("System.CommandLine"));
        }
        // Without the variable, nothing.
        var quiet = ArmEmuCli.RunTool(ArmEmuCli.Path, [Example], RepositoryRoot.Path, EnvironmentWithout("ARMEMU_STARTUP_TIMES"), null, TimeSpan.FromSeconds(60));
        Assert.Equal("", quiet.StderrText);
    }

    [Fact]
    public void Qemu_system_arm_spellings_boot_as_qemu_system_arm_does()
    {
        string dir = Directory.CreateTempSubdirectory("armemu-sys-").FullName;
        try
        {
            var build = ArmEmuCli.RunTool("bash", [Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "build.sh"), dir, "alignment"],
                RepositoryRoot.Path, null, null, TimeSpan.FromMinutes(2));
            Assert.True(build.ExitCode == 0, build.ToString());
            string image = Path.Combine(dir, "alignment.elf");
            var qemu = ArmEmuCli.RunTool("bash", [Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "run-qemu.sh"), image],
                dir, null, null, TimeSpan.FromSeconds(60));
            var armemu = ArmEmuCli.RunTool(ArmEmuCli.Path,
                ["system", "-M", "versatilepb", "-cpu", "arm926", "-m", "128", "-nographic", "-monitor", "none", "-semihosting", "-kernel", image],
                dir, null, null, TimeSpan.FromSeconds(60));
            Assert.Equal(qemu.ExitCode, armemu.ExitCode);
            Assert.Equal(qemu.StdoutText, armemu.StdoutText);
            Assert.Contains("ok", armemu.StdoutText);
            // -machine with properties and -m with a unit mean the same.
            var spelled = ArmEmuCli.RunTool(ArmEmuCli.Path, ["system", "-machine", "type=versatilepb,accel=tcg", "-m", "128M", "-kernel", image],
                dir, null, null, TimeSpan.FromSeconds(60));
            Assert.Equal(armemu.StdoutText, spelled.StdoutText);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
