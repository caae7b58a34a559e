using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Cli;

/// <summary>
/// armemu as a drop-in for qemu-arm: each qemu-arm spelling (option or QEMU_* variable) is
/// given to both emulators with the same program (guest-tests/linux-cli/probe.c, which
/// prints what the option changes), and what the program prints must be the same. Where
/// the two differ by design (the random bytes, the fatal-signal line) the test says how.
/// </summary>
public sealed class QemuUserSpellingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<string> ProbeBinary = new(() =>
    {
        string source = System.IO.Path.Combine(RepositoryRoot.Path, "guest-tests", "linux-cli", "probe.c");
        string cache = System.Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "armemu-build-cache");
        string directory = System.IO.Path.Combine(cache, "cli-" + GnuToolchain.Hash(File.ReadAllText(source)));
        string binary = System.IO.Path.Combine(directory, "probe");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = binary + "." + System.Environment.ProcessId;
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    });

    private static string Probe => ProbeBinary.Value;

    /// <summary>
    /// A fixed environment for both runs, plus extra variables (QEMU_*), plus what the .NET host
    /// needs, plus the suite's engine (EngineUnderTest): armemu is also started through sh and
    /// make here, where RunTool cannot add it (the probes print only the variables they name).
    /// </summary>
    private static List<KeyValuePair<string, string>> Environment(params (string Name, string Value)[] extra)
    {
        var env = new List<KeyValuePair<string, string>> { new("PATH", "/usr/bin:/bin"), new("HOME", "/nonexistent"), new("LANG", "C") };
        env.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            if (((string)e.Key).StartsWith("DOTNET_", StringComparison.Ordinal)) env.Add(new((string)e.Key, (string?)e.Value ?? ""));
        env.AddRange(EngineUnderTest.Variables());
        return env;
    }

    private static ToolResult Qemu(string[] args, params (string, string)[] env) =>
        ArmEmuCli.RunTool("qemu-arm", args, System.IO.Path.GetTempPath(), Environment(env), null, Timeout);

    private static ToolResult ArmEmu(string[] args, params (string, string)[] env) =>
        ArmEmuCli.RunTool(ArmEmuCli.Path, args, System.IO.Path.GetTempPath(), Environment(env), null, Timeout);

    /// <summary>The same arguments to qemu-arm and to armemu (without a subcommand): the same stdout and status.</summary>
    private static ToolResult Same(string[] args, params (string, string)[] env)
    {
        var qemu = Qemu(args, env);
        var armemu = ArmEmu(args, env);
        Assert.True(qemu.StdoutText == armemu.StdoutText, $"qemu-arm {string.Join(' ', args)}:\n{qemu}\narmemu:\n{armemu}");
        Assert.True(qemu.ExitCode == armemu.ExitCode, $"exit status: qemu-arm {qemu.ExitCode}, armemu {armemu.ExitCode}\n{armemu}");
        return armemu;
    }

    [Fact]
    public void Set_env_takes_a_comma_list_and_unset_env_removes()
    {
        var r = Same(["-E", "A=1,B=two", "-U", "HOME", Probe, "env", "A", "B", "HOME"]);
        Assert.Equal("A = 1\nB = two\nHOME = (unset)\n", r.StdoutText);
    }

    [Fact]
    public void QEMU_SET_ENV_and_QEMU_UNSET_ENV()
    {
        var r = Same([Probe, "env", "X", "Y", "HOME"], ("QEMU_SET_ENV", "X=1,Y=2"), ("QEMU_UNSET_ENV", "HOME"));
        Assert.Equal("X = 1\nY = 2\nHOME = (unset)\n", r.StdoutText);
    }

    [Fact]
    public void Argv0_option_and_QEMU_ARGV0()
    {
        Assert.Contains("argv[0] = custom\n", Same(["-0", "custom", Probe, "argv", "x"]).StdoutText);
        Assert.Contains("argv[0] = fromenv\n", Same([Probe, "argv"], ("QEMU_ARGV0", "fromenv")).StdoutText);
    }

    [Fact]
    public void Cpu_option_and_QEMU_CPU()
    {
        Assert.Contains("machine armv5tel", Same(["-cpu", "arm926", Probe, "uname"]).StdoutText);
        Assert.Contains("machine armv5tel", Same([Probe, "uname"], ("QEMU_CPU", "arm926")).StdoutText);
    }

    [Fact]
    public void Cpu_help_lists_the_models_on_stdout()
    {
        var r = ArmEmu(["-cpu", "help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Available CPUs:\n", r.StdoutText);
        Assert.Contains("arm926", r.StdoutText);
        Assert.Contains("cortex-a9", r.StdoutText);
        Assert.Contains("Available CPUs:", Qemu(["-cpu", "help"]).StdoutText); // qemu-arm's own words
    }

    [Fact]
    public void Uname_release_option()
    {
        Assert.Contains("release 9.8.7-test\n", Same(["-cpu", "arm926", "-r", "9.8.7-test", Probe, "uname"]).StdoutText);
    }

    [Fact]
    public void Stack_size_option_and_QEMU_STACK_SIZE()
    {
        // 200 KiB of stack fits the default 8 MiB and not 64 KiB: SIGSEGV under both.
        Assert.Equal("touched 200 KiB of stack\n", Same([Probe, "stack", "200"]).StdoutText);
        Assert.Equal(128 + 11, Same(["-s", "64K", Probe, "stack", "200"]).ExitCode);
        Assert.Equal(128 + 11, Same([Probe, "stack", "200"], ("QEMU_STACK_SIZE", "64K")).ExitCode);
        Assert.Equal("touched 200 KiB of stack\n", Same(["-s", "1M", Probe, "stack", "200"]).StdoutText);
    }

    [Fact]
    public void Seed_makes_every_random_source_repeat()
    {
        string a = ArmEmu(["-seed", "42", Probe, "random"]).StdoutText, b = ArmEmu(["-seed", "42", Probe, "random"]).StdoutText;
        Assert.Equal(a, b);
        Assert.Equal(3, a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.NotEqual(a, ArmEmu(["-seed", "43", Probe, "random"]).StdoutText);
        Assert.Equal(a, ArmEmu([Probe, "random"], ("QEMU_RAND_SEED", "42")).StdoutText);
        // Without -seed the default seed is fixed too: runs repeat.
        Assert.Equal(ArmEmu([Probe, "random"]).StdoutText, ArmEmu([Probe, "random"]).StdoutText);
        // qemu-arm's -seed fixes AT_RANDOM as well (its getrandom goes to the host in 7.2).
        Assert.Equal(Qemu(["-seed", "42", Probe, "random"]).StdoutText.Split('\n')[0], Qemu(["-seed", "42", Probe, "random"]).StdoutText.Split('\n')[0]);
    }

    [Fact]
    public void Real_random_differs_from_run_to_run()
    {
        string a = ArmEmu(["--real-random", Probe, "random"]).StdoutText, b = ArmEmu(["--real-random", Probe, "random"]).StdoutText;
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Strace_option_log_item_and_QEMU_STRACE()
    {
        foreach (var (args, env) in new (string[], (string, string)[])[]
                 {
                     (["-strace", Probe, "argv"], []),
                     (["-d", "strace", Probe, "argv"], []),
                     ([Probe, "argv"], [("QEMU_STRACE", "1")]),
                 })
        {
            var qemu = Qemu(args, env);
            var armemu = ArmEmu(args, env);
            Assert.Equal(qemu.StdoutText, armemu.StdoutText);
            Assert.Contains("write(", qemu.StderrText);
            Assert.Contains("write(", armemu.StderrText);
            Assert.Contains("exit_group(", armemu.StderrText);
        }
    }

    [Fact]
    public void Log_items_with_log_file_write_the_trace_there()
    {
        string log = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"armemu-d-{Guid.NewGuid():N}.log");
        try
        {
            var r = ArmEmu(["-d", "in_asm,exec", "-D", log, Probe, "argv"]);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("argv[0] = ", r.StdoutText);
            string[] lines = File.ReadAllLines(log);
            Assert.True(lines.Length > 1000, $"{lines.Length} trace lines");
            Assert.DoesNotContain("argv[0]", File.ReadAllText(log));
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public void Log_help_and_unknown_items_as_qemu()
    {
        var help = ArmEmu(["-d", "help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("in_asm", help.StdoutText);
        var bad = ArmEmu(["-d", "nonsense", Probe, "argv"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("armemu: -d: unknown log item 'nonsense' (see armemu run -d help)\n", bad.StderrText);
        Assert.NotEqual(0, Qemu(["-d", "nonsense", Probe, "argv"]).ExitCode);
    }

    [Fact]
    public void Version_and_help_as_qemu()
    {
        foreach (string spelling in new[] { "-version", "--version" })
        {
            var r = ArmEmu([spelling]);
            Assert.Equal(0, r.ExitCode);
            Assert.StartsWith("armemu version ", r.StdoutText);
            Assert.Equal(0, Qemu([spelling]).ExitCode);
        }
        foreach (string spelling in new[] { "-h", "-help" })
        {
            var r = ArmEmu(["run", spelling]);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("-L <SYSROOT>", r.StdoutText);
            Assert.Contains("-E <VAR=VALUE", r.StdoutText);
        }
    }

    [Fact]
    public void Sysroot_option_and_QEMU_LD_PREFIX_find_the_dynamic_linker()
    {
        string source = System.IO.Path.Combine(RepositoryRoot.Path, "guest-tests", "linux-cli", "probe.c");
        string dynamic = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"armemu-probe-dyn-{Guid.NewGuid():N}");
        try
        {
            GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -o {dynamic} {source}", "gcc-arm-linux-gnueabi");
            Assert.Contains("argv[1] = argv\n", Same(["-L", "/usr/arm-linux-gnueabi", dynamic, "argv"]).StdoutText);
            Assert.Contains("argv[1] = argv\n", Same([dynamic, "argv"], ("QEMU_LD_PREFIX", "/usr/arm-linux-gnueabi")).StdoutText);
        }
        finally
        {
            File.Delete(dynamic);
        }
    }

    [Fact]
    public void A_program_as_the_first_argument_is_run()
    {
        Assert.Equal(ArmEmu(["run", Probe, "argv", "a"]).StdoutText, ArmEmu([Probe, "argv", "a"]).StdoutText);
    }

    [Fact]
    public void Guest_killed_by_a_signal_kills_armemu_with_it_and_the_shell_says_so()
    {
        // dash reports a child killed by SIGSEGV as "Segmentation fault", for qemu-arm and armemu-arm alike.
        string dir = Directory.CreateTempSubdirectory("armemu-arm-").FullName;
        try
        {
            string link = System.IO.Path.Combine(dir, "armemu-arm");
            File.CreateSymbolicLink(link, ArmEmuCli.Path);
            foreach (string emulator in new[] { "qemu-arm", link })
            {
                var r = ArmEmuCli.RunTool("sh", ["-c", $"{emulator} {Probe} segv; echo status $?"], dir, Environment(), null, Timeout);
                Assert.Contains("Segmentation fault", r.StderrText);
                Assert.DoesNotContain("core dumped", r.StderrText.Replace("qemu: uncaught target signal 11 (Segmentation fault) - core dumped", ""));
                Assert.Contains("status 139", r.StdoutText);
            }
            Assert.Empty(Directory.GetFiles(dir, "core*"));
            // --exit-status: an exit with 128 + the signal instead, so the shell reports nothing.
            var exited = ArmEmuCli.RunTool("sh", ["-c", $"{link} --exit-status {Probe} segv; echo status $?"], dir, Environment(), null, Timeout);
            Assert.DoesNotContain("Segmentation fault", exited.StderrText);
            Assert.Contains("status 139", exited.StdoutText);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Armemu_arm_stands_where_qemu_arm_stands_in_a_makefile()
    {
        string dir = Directory.CreateTempSubdirectory("armemu-make-").FullName;
        try
        {
            string link = System.IO.Path.Combine(dir, "armemu-arm");
            File.CreateSymbolicLink(link, ArmEmuCli.Path);
            File.WriteAllText(System.IO.Path.Combine(dir, "Makefile"), $"QEMU ?= qemu-arm\ncheck:\n\t$(QEMU) -E GREETING=hi {Probe} env GREETING\n\t$(QEMU) {Probe} argv one two\n");
            var qemu = ArmEmuCli.RunTool("make", ["-s", "-C", dir, "check"], dir, Environment(), null, Timeout);
            var armemu = ArmEmuCli.RunTool("make", ["-s", "-C", dir, "check", $"QEMU={link}"], dir, Environment(), null, Timeout);
            Assert.Equal(0, armemu.ExitCode);
            Assert.Equal(qemu.StdoutText, armemu.StdoutText);
            Assert.Contains("GREETING = hi\n", armemu.StdoutText);
            Assert.Contains("argv[3] = two\n", armemu.StdoutText);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
