using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// End-to-end Linux programs (guest-tests/linux/*.c, *.cpp): each is compiled with the
/// Debian armel cross toolchain, run under qemu-arm (the oracle) and under the built
/// <c>armemu run</c> with the same arguments, standard input and environment, and must
/// give the same stdout, stderr and exit status under both, equal to the committed
/// NAME.expected and NAME.status. Set ARMEMU_UPDATE_EXPECTED=1 to rewrite those two
/// files from the qemu-arm run (then check the new output by eye before committing it).
/// </summary>
public sealed partial class LinuxProgramTests
{
    /// <summary>
    /// How a program is built (flags besides -O2 -static, libraries besides -lm) and run.
    /// "{scratch}" in an argument is a fresh empty directory.
    /// </summary>
    /// <param name="QemuCannot">Why qemu-arm cannot run the program (then armemu is checked against NAME.expected alone).</param>
    /// <param name="NotInThumb">Why the program has no Thumb-2 build (its ARM-state builds still run).</param>
    /// <param name="V7Only">Built for ARMv7-A with VFPv3/NEON: not run on the arm926.</param>
    /// <param name="HardFloat">Built by Debian's armhf compiler (arm-linux-gnueabihf-gcc) instead of the armel one.</param>
    /// <param name="Dynamic">Linked dynamically against the cross toolchain's C library, and run with -L pointing at it
    /// (<see cref="SysRoot"/>) under both qemu-arm and armemu.</param>
    private sealed record GuestProgram(string Source, string[] Arguments, string StandardInput = "", string ExtraFlags = "", string Libraries = "",
        string? QemuCannot = null, string? NotInThumb = null, bool V7Only = false, bool HardFloat = false, bool Dynamic = false)
    {
        public string Name => Path.GetFileNameWithoutExtension(Source);

        /// <summary>Where the dynamic linker and the libraries come from: Debian's cross C library.</summary>
        public string SysRoot => HardFloat ? "/usr/arm-linux-gnueabihf" : "/usr/arm-linux-gnueabi";

        /// <summary>-L SYSROOT for a dynamic program (qemu-arm and armemu spell it alike), nothing for a static one.</summary>
        public string[] SysRootOption => Dynamic ? ["-L", SysRoot] : [];
    }

    private const string Scratch = "{scratch}";

    /// <summary>"{bin:NAME}" in an argument is the built executable of the program NAME.</summary>
    private const string BinaryPrefix = "{bin:";

    private static readonly GuestProgram[] Programs =
    [
        new("hello.c", []),
        new("stdio_formatting.c", []),
        new("malloc_stress.c", []),
        new("setjmp_longjmp.c", []),
        new("div64.c", []),
        new("cxx_exceptions.cpp", []),
        new("cxx_iostream.cpp", []),
        new("cxx_stl.cpp", []),
        new("file_io.c", [Scratch]),
        new("dirents.c", [Scratch]),
        new("signals.c", []),
        new("tls.c", []),
        new("mmap.c", [Scratch]),
        new("jit.c", []),
        new("thumb.c", [], ExtraFlags: "-mthumb"),
        new("args_env.c", ["one", "two words", "", "  padded  "]),
        new("time.c", []),
        new("qsort_strings.c", []),
        new("float_soft.c", []),
        new("atomics.c", [], Libraries: "-latomic"),
        new("getcwd_chdir.c", [Scratch]),
        new("exit_codes.c", ["300"]),
        new("abort.c", []),
        new("stdin_pipe.c", [], StandardInput: "alpha beta\ngamma\n\n  indented line with  spaces \nlast line without newline"),
        new("pipe_poll.c", []),
        new("fork_wait.c", []),
        new("pipe_fork.c", []),
        new("vfork_spawn.c", []),
        new("pthreads.c", [], ExtraFlags: "-pthread"),
        new("sigpipe.c", []),
        new("bad_args.c", []),
        new("wait_calls.c", [], ExtraFlags: "-pthread"),
        new("timers.c", [], ExtraFlags: "-pthread", Libraries: "-lrt"),
        new("robust_mutex.c", [], ExtraFlags: "-pthread",
            QemuCannot: "qemu-arm 7.2 answers set_robust_list with ENOSYS: the locker of a mutex whose owner died waits for ever (the expected output is the host kernel's, x86-64)"),
        new("fd_table.c", []),
        new("closed_stdio.c", []),
        new("fd_invisible.c", [], QemuCannot: "qemu-arm's own descriptors are the guest's too (the sweep closes two of them)"),
        new("proc_self.c", ["one", "two words"]),
        new("proc_emulated.c", [], QemuCannot: "qemu-arm 7.2 shows the host's status, environ and mem (the emulator's)"),
        new("madvise.c", []),
        new("old_abi.c", [], NotInThumb: "the old ABI's swi 0x900000+n has no Thumb encoding (a Thumb SVC has 8 bits)"),
        new("semihosting_user.c", ["one", "two"]),
        new("semihosting_bad.c", []),
        new("sysv_ipc.c", []),
        new("record_locks.c", []),
        new("fault_recovery.c", ["2000"]),
        new("job_control.c", [], QemuCannot: "qemu-arm 7.2 sends SIGCHLD for a stop despite SA_NOCLDSTOP (the expected output is the host kernel's, x86-64)"),
        new("execve.c", ["{bin:hello}"], QemuCannot: "qemu-arm hands an ARM executable to the host's execve, which has no ARM binfmt handler"),
        new("vfp_signal.c", [], ExtraFlags: NeonSoftFp, V7Only: true),
        new("vfp_threads.c", [], ExtraFlags: NeonSoftFp + " -pthread", V7Only: true),
        // The hard-float ABI without a C library (every bit of the calling convention in ARM state).
        new("hardfloat_nolibc.c", [], ExtraFlags: "-nostdlib -ffreestanding -fno-stack-protector -march=armv7-a -marm -mfpu=neon -mfloat-abi=hard",
            Libraries: "-lgcc", V7Only: true, HardFloat: true),
        // Debian's armhf C and C++ libraries (Thumb-2 code with VFPv3-D16, NEON variants of memcpy and
        // friends picked by AT_HWCAP), dynamic under -L /usr/arm-linux-gnueabihf and static.
        new("hardfloat_math.c", [], ExtraFlags: ArmhfFpu, V7Only: true, HardFloat: true, Dynamic: true),
        new("hardfloat_cxx.cpp", [], ExtraFlags: ArmhfFpu, V7Only: true, HardFloat: true, Dynamic: true),
        new("hardfloat_neon.c", [], ExtraFlags: "-O3 -mfpu=neon -funsafe-math-optimizations", V7Only: true, HardFloat: true),
    ];

    /// <summary>
    /// Debian armhf's own FPU (its compiler's -march=armv7-a+fp): named because the test's
    /// -march=armv7-a, which comes after, has no FPU of its own and the hard-float ABI needs one.
    /// </summary>
    private const string ArmhfFpu = "-mfpu=vfpv3-d16";

    /// <summary>VFP and NEON code with the soft-float calling convention (the armel C library is soft-float).</summary>
    private const string NeonSoftFp = "-march=armv7-a -marm -mfpu=neon -mfloat-abi=softfp";

    /// <summary>The guest's whole environment, the same for both runs (qemu-arm passes its own through).</summary>
    private static readonly (string Name, string Value)[] GuestEnvironment =
    [
        ("ARMEMU_TEST_A", "alpha"),
        ("ARMEMU_TEST_EMPTY", ""),
        ("ARMEMU_TEST_SPACES", "a b  c"),
        ("LANG", "C"),
        ("PATH", "/usr/bin:/bin"),
        ("TZ", "UTC"),
    ];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> ProgramNames => new(Programs.Where(p => !p.V7Only).Select(p => p.Name));

    [Fact]
    public void EveryProgramInTheDirectoryIsListed()
    {
        var onDisk = Directory.EnumerateFiles(ProgramDirectory).Where(f => f.EndsWith(".c") || f.EndsWith(".cpp"))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, Programs.Select(p => p.Source).Order(StringComparer.Ordinal));
        Assert.True(Programs.Length >= 22);
    }

    /// <summary>
    /// The programs built for ARMv7-A in ARM state (the C library stays Debian's armel one); the
    /// one built with -mthumb is in the Thumb-2 set below.
    /// </summary>
    public static TheoryData<string> V7ProgramNames => new(Programs.Where(p => !p.ExtraFlags.Contains("-mthumb")).Select(p => p.Name));

    /// <summary>
    /// Every program, built for ARMv7-A in Thumb-2 (the program's own code; the armel C library
    /// stays ARM), but signals.c: its SIGILL handler skips the faulting instruction by adding 4 to
    /// arm_pc, which in Thumb lands inside the next instruction (qemu-arm loops there too). The
    /// VFP/NEON programs are in: their own -marm gives way to the -mthumb that follows it.
    /// </summary>
    public static TheoryData<string> ThumbV7ProgramNames =>
        new(Programs.Where(p => p.Name != "signals" && p.NotInThumb is null).Select(p => p.Name));

    [Theory]
    [MemberData(nameof(ProgramNames))]
    public void RunsAsUnderQemu(string name) => Check(name, "", "arm926");

    /// <summary>
    /// Each program built with -march=armv7-a -marm, run under qemu-arm -cpu cortex-a9 and under
    /// armemu run without --cpu (so the model comes from the ELF's Tag_CPU_arch): the same bytes,
    /// the same status, and the same expected output as the ARMv5 build.
    /// </summary>
    [Theory]
    [MemberData(nameof(V7ProgramNames))]
    public void RunsAsUnderQemuOnCortexA9(string name) => Check(name, "-march=armv7-a -marm", "cortex-a9");

    /// <summary>
    /// Each program built with -march=armv7-a -mthumb (Thumb-2: IT blocks, 32-bit encodings, CBZ,
    /// TBB/TBH from switch statements), run under qemu-arm -cpu cortex-a9 and under armemu run
    /// without --cpu: the same bytes, the same status, the same expected output.
    /// </summary>
    [Theory]
    [MemberData(nameof(ThumbV7ProgramNames))]
    public void RunsAsUnderQemuOnCortexA9InThumb2(string name) => Check(name, "-march=armv7-a -mthumb", "cortex-a9");

    private static void Check(string name, string archFlags, string qemuCpu)
    {
        var program = Programs.Single(p => p.Name == name);
        if (archFlags.Length > 0) program = program with { ExtraFlags = $"{program.ExtraFlags} {archFlags}".Trim() };
        string binary = Build(program);
        string expectedPath = Path.Combine(ProgramDirectory, name + ".expected");
        string statusPath = Path.Combine(ProgramDirectory, name + ".status");

        if (program.QemuCannot is not null)
        {
            // No oracle: armemu against the committed expectation (checked by hand; see the program's comment).
            var alone = Run(program, ArmEmuPath, ["run", .. program.SysRootOption, .. EnvironmentOptions(), binary], underArmEmu: true);
            Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing");
            AssertSameText(name + ".expected", Encoding.Latin1.GetString(File.ReadAllBytes(expectedPath)), "armemu stdout", alone.Stdout);
            Assert.Equal("", alone.Stderr);
            Assert.Equal(int.Parse(File.ReadAllText(statusPath).Trim()), alone.Status);
            return;
        }

        var qemu = Run(program, "qemu-arm", ["-cpu", qemuCpu, .. program.SysRootOption, binary], underArmEmu: false);
        var armemu = Run(program, ArmEmuPath, ["run", .. program.SysRootOption, .. EnvironmentOptions(), binary], underArmEmu: true);

        // An ARMv7 build that prints something of its own (AT_PLATFORM) has NAME.v7.expected beside NAME.expected.
        string v7ExpectedPath = Path.Combine(ProgramDirectory, name + ".v7.expected");
        bool update = Environment.GetEnvironmentVariable("ARMEMU_UPDATE_EXPECTED") == "1";
        if (archFlags.Length > 0)
        {
            if (update && Encoding.Latin1.GetString(File.ReadAllBytes(expectedPath)) != qemu.Stdout)
                File.WriteAllBytes(v7ExpectedPath, Encoding.Latin1.GetBytes(qemu.Stdout));
            if (File.Exists(v7ExpectedPath)) expectedPath = v7ExpectedPath;
        }
        else if (update)
        {
            File.WriteAllBytes(expectedPath, Encoding.Latin1.GetBytes(qemu.Stdout));
            File.WriteAllText(statusPath, qemu.Status + "\n");
        }

        // armemu against qemu-arm: the same bytes on stdout and stderr, the same status.
        AssertSameText("qemu-arm stdout", qemu.Stdout, "armemu stdout", armemu.Stdout);
        AssertSameText("qemu-arm stderr", WithoutFatalSignalLine(qemu.Stderr, QemuFatalSignal(), qemu.Status),
                       "armemu stderr", WithoutFatalSignalLine(armemu.Stderr, ArmEmuFatalSignal(), armemu.Status, required: true));
        Assert.True(qemu.Status == armemu.Status, $"exit status: qemu-arm {qemu.Status}, armemu {armemu.Status}\narmemu stderr:\n{armemu.Stderr}");

        // Both against the committed expectation.
        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing (run with ARMEMU_UPDATE_EXPECTED=1 to create it)");
        AssertSameText(name + ".expected", Encoding.Latin1.GetString(File.ReadAllBytes(expectedPath)), "qemu-arm stdout", qemu.Stdout);
        Assert.Equal(int.Parse(File.ReadAllText(statusPath).Trim()), qemu.Status);
    }

    /// <summary>
    /// Processes and threads share the one emulated CPU, switched by instruction counts: a
    /// forking or threaded program run three times prints the same, executes the same instructions, switches the same
    /// number of times and leaves the same cache statistics (only the host's wall-clock
    /// figures differ).
    /// </summary>
    [Theory]
    [InlineData("pipe_fork")]
    [InlineData("fork_wait")]
    [InlineData("pthreads")]
    public void ForkingOrThreadedProgramRunsIdenticallyEveryTime(string name)
    {
        var program = Programs.Single(p => p.Name == name);
        string binary = Build(program);
        var runs = new List<(string Stdout, string Stats)>();
        for (int i = 0; i < 3; i++)
        {
            string stats = Path.Combine(Path.GetTempPath(), $"armemu-stats-{Guid.NewGuid():N}.json");
            try
            {
                var outcome = Run(program, ArmEmuPath, ["run", "--stats-json", stats, .. EnvironmentOptions(), binary], underArmEmu: true);
                var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(stats))!.AsObject();
                json.Remove("seconds");
                json.Remove("mips");
                runs.Add((outcome.Stdout, json.ToJsonString()));
            }
            finally
            {
                File.Delete(stats);
            }
        }
        Assert.All(runs, r => Assert.Equal(runs[0].Stdout, r.Stdout));
        Assert.All(runs, r => Assert.Equal(runs[0].Stats, r.Stats));
        var scheduling = System.Text.Json.Nodes.JsonNode.Parse(runs[0].Stats)!["scheduling"]!;
        Assert.True((int)scheduling["processes"]! + (int)scheduling["threads"]! > 2, runs[0].Stats);
        Assert.True((ulong)scheduling["threadSwitches"]! > 0, runs[0].Stats);
    }

    /// <summary>
    /// A guest that closed descriptors 0, 1 and 2 and then died of a signal: armemu's --stats
    /// and its fatal-signal line still reach the standard error it was started with (a private
    /// duplicate), and the status is the signal's, never an internal error.
    /// </summary>
    [Fact]
    public void ClosingTheStandardStreamsLeavesArmemusOwnMessages()
    {
        var program = Programs.Single(p => p.Name == "closed_stdio");
        var outcome = Run(program, ArmEmuPath, ["run", "--stats", .. EnvironmentOptions(), Build(program)], underArmEmu: true);
        Assert.Equal(128 + 11, outcome.Status);
        Assert.Equal("closing 0, 1 and 2\n", outcome.Stdout);
        Assert.Matches(@"(?m)^armemu: \d+ instructions in ", outcome.Stderr);
        Assert.Matches(@"(?m)^armemu: D-cache: ", outcome.Stderr);
        Assert.Matches(@"(?m)^armemu: guest terminated by signal 11 \(SIGSEGV\)", outcome.Stderr);
        Assert.DoesNotContain("internal error", outcome.Stderr);
    }

    /// <summary>
    /// /proc/self/exe is the program's absolute path as it was when the program started: started
    /// by a relative path, it still names the program after a chdir (qemu-arm 7.2's readlink fails then).
    /// </summary>
    [Fact]
    public void ProcSelfExeStaysAbsoluteAfterChdirWhenStartedByARelativePath()
    {
        var program = Programs.Single(p => p.Name == "proc_self");
        string binary = Build(program);
        var psi = new ProcessStartInfo(ArmEmuPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(binary)!,
        };
        foreach (string a in (string[])["run", .. EnvironmentOptions(), "./" + Path.GetFileName(binary)]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(Timeout), "armemu did not finish");
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("exe is the program: yes\n", stdout);
        Assert.Contains("exe after chdir(\"/\"): the program\n", stdout);
        Assert.Contains("open(exe) reads an ELF file: yes\n", stdout);
    }

    /// <summary>
    /// With several processes, --trace marks every switch with the thread that runs next and
    /// --strace prefixes each call with the caller's id once there is more than one, as strace -f.
    /// </summary>
    [Fact]
    public void TraceAndStraceNameTheThreadOnceThereAreSeveral()
    {
        var program = Programs.Single(p => p.Name == "fork_wait");
        string binary = Build(program);
        string trace = Path.Combine(Path.GetTempPath(), $"armemu-trace-{Guid.NewGuid():N}.txt");
        try
        {
            var outcome = Run(program, ArmEmuPath, ["run", "--trace", trace, "--trace-to", "300000", "--strace", .. EnvironmentOptions(), binary], underArmEmu: true);
            var switches = File.ReadLines(trace).Where(l => l.StartsWith("--- thread ", StringComparison.Ordinal)).ToList();
            Assert.True(switches.Count >= 2, $"{switches.Count} switch lines in the trace");
            Assert.Matches(@"^--- thread \d+ \(process \d+\) ---$", switches[0]);
            string[] calls = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int fork = Array.FindIndex(calls, l => l.Contains("clone(", StringComparison.Ordinal));
            Assert.True(fork > 0, outcome.Stderr);
            Assert.DoesNotContain("[pid", calls[0]);
            Assert.Matches(@"^\[pid +\d+\] ", calls[fork + 1]);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    // ---- comparing -----------------------------------------------------------------------

    /// <summary>
    /// A guest killed by a signal makes each emulator print its own one-line notice on
    /// stderr: qemu-arm "qemu: uncaught target signal 6 (Aborted) - core dumped" (only for
    /// signals that dump core), armemu "armemu: guest terminated by signal 6 (SIGABRT) at pc
    /// ...". Those lines are the one deliberate difference; they are checked against the
    /// status and removed before stderr is compared.
    /// </summary>
    private static string WithoutFatalSignalLine(string stderr, Regex notice, int status, bool required = false)
    {
        var lines = stderr.Split('\n').ToList();
        int index = lines.FindIndex(l => notice.IsMatch(l));
        if (index < 0)
        {
            Assert.False(required && status > 128, $"status {status} but no fatal-signal line on stderr:\n{stderr}");
            return stderr;
        }
        int signal = int.Parse(notice.Match(lines[index]).Groups[1].Value);
        Assert.True(status == 128 + signal, $"stderr reports signal {signal} but the status is {status}");
        lines.RemoveAt(index);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^qemu: uncaught target signal (\d+) ")]
    private static partial Regex QemuFatalSignal();

    [GeneratedRegex(@"^armemu: guest terminated by signal (\d+) ")]
    private static partial Regex ArmEmuFatalSignal();

    /// <summary>Equal texts, or a failure showing the first differing line (numbered) with a little context, diff style.</summary>
    private static void AssertSameText(string expectedName, string expected, string actualName, string actual)
    {
        if (expected == actual) return;
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line]) line++;
        var diff = new StringBuilder($"--- {expectedName}\n+++ {actualName}\n@@ first difference at line {line + 1} @@\n");
        for (int i = Math.Max(0, line - 2); i < line; i++) diff.Append("  ").Append(e[i]).Append('\n');
        for (int i = line; i < Math.Min(e.Length, line + 3); i++) diff.Append("- ").Append(Visible(e[i])).Append('\n');
        for (int i = line; i < Math.Min(a.Length, line + 3); i++) diff.Append("+ ").Append(Visible(a[i])).Append('\n');
        Assert.Fail(diff.ToString());

        static string Visible(string s) => s.Length == 0 ? "(empty line)" : s.Replace("\r", "\\r").Replace("\0", "\\0");
    }

    // ---- running ---------------------------------------------------------------------------

    private sealed record Outcome(string Stdout, string Stderr, int Status);

    /// <summary>
    /// armemu gets the fixed guest environment through -E, and -U for the variables the .NET
    /// host itself may need (DOTNET_*), which it inherits but the guest must not see.
    /// </summary>
    private static IEnumerable<string> EnvironmentOptions() =>
        GuestEnvironment.SelectMany(v => new[] { "-E", $"{v.Name}={v.Value}" })
            .Concat(DotnetVariables().SelectMany(v => new[] { "-U", v.Key }));

    private static IEnumerable<KeyValuePair<string, string>> DotnetVariables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("DOTNET_", StringComparison.Ordinal))
            .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? ""));

    private static Outcome Run(GuestProgram program, string tool, IEnumerable<string> toolArguments, bool underArmEmu)
    {
        // A fresh working directory and scratch directory for each run, side by side.
        string root = Directory.CreateTempSubdirectory("armemu-linux-").FullName;
        try
        {
            string cwd = Path.Combine(root, "cwd"), scratch = Path.Combine(root, "scratch");
            Directory.CreateDirectory(cwd);
            Directory.CreateDirectory(scratch);
            var psi = new ProcessStartInfo(tool)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = cwd,
                StandardOutputEncoding = Encoding.Latin1,
                StandardErrorEncoding = Encoding.Latin1,
            };
            foreach (string a in toolArguments) psi.ArgumentList.Add(a);
            foreach (string a in program.Arguments)
                psi.ArgumentList.Add(a.StartsWith(BinaryPrefix, StringComparison.Ordinal)
                    ? Build(Programs.Single(p => p.Name == a[BinaryPrefix.Length..^1]))
                    : a.Replace(Scratch, scratch));
            psi.Environment.Clear();
            if (underArmEmu)
                foreach (var (key, value) in DotnetVariables().Concat(EngineUnderTest.Variables())) psi.Environment[key] = value;
            else
                foreach (var (name, value) in GuestEnvironment) psi.Environment[name] = value;

            Process process;
            try
            {
                process = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException(underArmEmu
                    ? $"cannot start {tool}: {e.Message}"
                    : $"{tool} not found: install the Debian package qemu-user (tools/install-deps.sh does this when run as root)");
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                try
                {
                    process.StandardInput.Write(program.StandardInput);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The guest exited without reading its input.
                }
                if (!process.WaitForExit(Timeout))
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"{program.Name} under {Path.GetFileName(tool)} did not finish within {Timeout.TotalSeconds} s");
                }
                process.WaitForExit();
                return new Outcome(stdout.Result, stderr.Result.ReplaceLineEndings("\n"), process.ExitCode);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // ---- building --------------------------------------------------------------------------

    // -g for the DWARF line reader's check on every program (LinuxProgramTests.Dwarf.cs); gcc
    // generates the same code with and without it, so the runs are those of -O2 alone.
    private const string BaseFlags = "-O2 -g";

    /// <summary>Compiles a program (cached by a hash of compiler, flags and source); returns the executable's path.</summary>
    private static string Build(GuestProgram program)
    {
        bool cxx = program.Source.EndsWith(".cpp", StringComparison.Ordinal);
        string abi = program.HardFloat ? "gnueabihf" : "gnueabi";
        string compiler = cxx ? $"arm-linux-{abi}-g++" : $"arm-linux-{abi}-gcc";
        string package = cxx ? $"g++-arm-linux-{abi}" : $"gcc-arm-linux-{abi}";
        string flags = $"{BaseFlags}{(program.Dynamic ? "" : " -static")} {program.ExtraFlags}".Trim(), libraries = $"{program.Libraries} -lm".Trim();
        string source = Path.Combine(ProgramDirectory, program.Source);
        string key = GnuToolchain.Hash($"{compiler}|{flags}|{libraries}|{File.ReadAllText(source)}");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        // One directory per build, so the executable keeps the program's name (argv[0] is printed).
        string directory = Path.Combine(cache, $"linux-{key}");
        string binary = Path.Combine(directory, program.Name);
        if (File.Exists(binary)) return binary;

        Directory.CreateDirectory(directory);
        string partial = $"{binary}.{Environment.ProcessId}.tmp";
        // Libraries after the source, as static linking needs; -lm costs nothing to programs without libm calls.
        GnuToolchain.Run(compiler, $"{flags} -o {partial} {source} {libraries}", package);
        File.Move(partial, binary, overwrite: true);
        return binary;
    }

    // ---- locations -------------------------------------------------------------------------

    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static string ProgramDirectory => Path.Combine(RepositoryRoot, "guest-tests", "linux");

    /// <summary>The armemu CLI built in the same configuration as this test assembly (the project references it for build order).</summary>
    private static string ArmEmuPath
    {
        get
        {
            string configuration = typeof(LinuxProgramTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            string path = Path.Combine(RepositoryRoot, "emulator", "armemu", "bin", configuration, "net10.0", "armemu");
            Assert.True(File.Exists(path), $"{path} not found: build the CLI first (dotnet build emulator/armemu -c {configuration})");
            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ArmEmu.sln"))) return dir.FullName;
        throw new InvalidOperationException($"ArmEmu.sln not found above {AppContext.BaseDirectory}");
    }
}
