using System.Text;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// Differential tests of `armemu run` against qemu-arm on Debian's static armel busybox:
/// one applet per invocation (and a few that fork and exec: shell pipelines, awk's pipes,
/// xargs, find -exec), run under both
/// with the same argv, stdin, environment and working directory; stdout, stderr and the
/// exit status must be byte-for-byte identical. qemu-arm runs with -cpu arm926, the CPU
/// armemu emulates (so `uname -m` is armv5tel under both).
/// </summary>
public sealed class BusyboxTests(BusyboxFixture fixture) : BusyboxComparison(fixture, "arm926", "armv5tel"), IClassFixture<BusyboxFixture>;

/// <summary>
/// The same invocations on Debian's armhf busybox (ARMv7-A, Thumb-2 code, the hard-float ABI:
/// the binary most armhf systems run), under qemu-arm -cpu cortex-a9 and under armemu run
/// without --cpu (the ELF's Tag_CPU_arch picks the Cortex-A9): `uname -m` is armv7l under both.
/// </summary>
public sealed class ArmhfBusyboxTests(ArmhfBusyboxFixture fixture) : BusyboxComparison(fixture, "cortex-a9", "armv7l"), IClassFixture<ArmhfBusyboxFixture>;

/// <summary>The invocations and the comparison, for one busybox and the qemu-arm CPU that runs it.</summary>
public abstract class BusyboxComparison(BusyboxFixture fixture, string qemuCpu, string machine)
{
    /// <summary>In a case's expected stdout: the machine name (`uname -m`) of the busybox under test.</summary>
    private const string Machine = "{machine}";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// One invocation. <paramref name="Exit"/> is the status expected from both (checked on
    /// qemu-arm too, so a broken oracle fails rather than agrees); <paramref name="Stdout"/>,
    /// when given, is the exact expected output; <paramref name="Stdin"/> names a fixture
    /// file fed to stdin (else stdin is empty); <paramref name="Options"/> go to both
    /// emulators before the program.
    /// </summary>
    private sealed record Case(string[] Args, int Exit = 0, string? Stdout = null, string? Stdin = null, string[]? Options = null)
    {
        public string Name => (Options is null ? "" : string.Join(' ', Options) + " ") + string.Join(' ', Args.Select(Quote))
                              + (Stdin is null ? "" : " < " + Stdin);

        private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./,=:%@+".Contains(c)) ? a : $"'{a}'";
    }

    private static readonly Case[] Cases =
    [
        // text output and argument handling
        new(["echo", "hello", "world"], Stdout: "hello world\n"),
        new(["echo", "--help", "--", "@0"], Stdout: "--help -- @0\n"), // everything after PROGRAM is the guest's
        new(["printf", @"%s-%d|%5.2f|%-8s|%08x|%.20e|%g\n", "abc", "42", "3.14159", "ab", "48879", "0.1", "1e-300"]),
        new(["printf", @"%d %i %u %o %X %c %%\n", "-5", "010", "4294967295", "8", "3054", "65"]),
        new(["printf", "%d", "abc"], Exit: 1),
        new(["basename", "/usr/lib/libc.so", ".so"], Stdout: "libc\n"),
        new(["dirname", "/usr/lib/libc.so"], Stdout: "/usr/lib\n"),
        new(["uname", "-m"], Stdout: Machine + "\n"),
        new(["true"]),
        new(["false"], Exit: 1),
        new(["unknownapplet"], Exit: 127),

        // files and stdin
        new(["cat", "fruits.txt"]),
        new(["cat"], Stdin: "words.txt", Stdout: "one two three\nfour five\n"),
        new(["cat", "nonexistent"], Exit: 1),
        new(["cat", "fruits.txt", "nonexistent", "words.txt"], Exit: 1),
        new(["wc", "fruits.txt", "words.txt"]),
        new(["wc", "-l"], Stdin: "fruits.txt", Stdout: "7\n"),
        new(["head", "-n", "2", "fruits.txt"], Stdout: "banana\napple\n"),
        new(["tail", "-n", "2", "fruits.txt"]),
        new(["tail", "-c", "10", "fruits.txt"]),
        new(["tac", "fruits.txt"]),
        new(["rev", "fruits.txt"]),
        new(["fold", "-w", "5", "words.txt"]),
        new(["fold", "-s", "-w", "7", "fruits.txt"]),
        new(["nl", "fruits.txt"]),

        // sorting and filtering
        new(["sort", "fruits.txt"]),
        new(["sort", "-r", "-u", "fruits.txt"]),
        new(["sort", "-n", "numbers.txt"]),
        new(["sort", "-g", "numbers.txt"]),
        new(["uniq", "-c", "fruits.txt"]),
        new(["cut", "-d,", "-f2", "data.csv"], Stdout: "b\n2\ny\n"),
        new(["cut", "-c", "2-4", "fruits.txt"]),
        new(["tr", "a-z", "A-Z"], Stdin: "words.txt", Stdout: "ONE TWO THREE\nFOUR FIVE\n"),
        new(["tr", "-d", "aeiou"], Stdin: "fruits.txt"),
        new(["sed", "s/a/A/g", "fruits.txt"]),
        new(["sed", "-n", "2,4p;/date/=", "fruits.txt"]),
        new(["sed", "-E", @"s/(a+)/[\1]/g", "fruits.txt"]),
        new(["grep", "-n", "an", "fruits.txt"]),
        new(["grep", "kiwi", "fruits.txt"], Exit: 1, Stdout: ""),
        new(["grep", "-E", "-c", "^(a|b)", "fruits.txt"], Stdout: "4\n"),
        new(["grep", "-o", "an", "fruits.txt"]),
        new(["grep", "x", "nonexistent"], Exit: 2),

        // arithmetic: integer, 64-bit and soft-float
        new(["seq", "1", "3", "20"]),
        new(["seq", "-w", "-s", ",", "8", "12"], Stdout: "08,09,10,11,12\n"),
        new(["seq", "0.1", "0.3", "1"]),
        new(["expr", "6", "*", "7"], Stdout: "42\n"),
        new(["expr", "9223372036854775807", "+", "1"]),
        new(["expr", "10", "/", "0"], Exit: 2),
        new(["factor", "360", "4294967295", "18446744073709551615", "9999999967"]),
        new(["awk", "-F,", "{print $3,$1}", "data.csv"], Stdout: "c a\n3 1\nz x\n"),
        // (this busybox's awk has no math library: no sin, log, sqrt or ^ with fractions)
        new(["awk", """BEGIN{x=0.1+0.2; printf "%.17g %e %d\n", x, 1/3, 2147483648*3; y=1e308*10; print y, -y, y-y, 7/2, -7%3, int(-3.7), 1e16+1}"""],
            Stdout: "0.30000000000000004 3.333333e-01 2147483647\ninf -inf nan 3.5 -1 -3 10000000000000000\n"),
        new(["awk", "BEGIN{srand(1); print rand(), rand()}"]),
        new(["awk", """/an/{print NR": "toupper($0)} END{print NR}""", "fruits.txt"]),
        new(["dc", "-e", "20k 2 v p"]),
        new(["bc", "-l"], Stdin: "calc.bc"),

        // checksums and encodings
        new(["md5sum", "fruits.txt", "words.txt"]),
        new(["sha1sum", "fruits.txt"]),
        new(["sha256sum", "fruits.txt"]),
        new(["sha512sum", "words.txt"]),
        new(["sha3sum", "fruits.txt"]),
        new(["crc32", "fruits.txt"]),
        new(["base64", "words.txt"], Stdout: "b25lIHR3byB0aHJlZQpmb3VyIGZpdmUK\n"),
        new(["base64", "-d"], Stdin: "words.b64", Stdout: "one two three\nfour five\n"),
        new(["od", "-c", "words.txt"]),
        new(["od", "-A", "x", "-t", "x1", "dir/b.bin"]),
        new(["od", "-t", "d2", "-t", "o4", "fruits.txt"]),
        new(["hexdump", "-C", "dir/b.bin"]),
        new(["xxd", "words.txt"]),
        new(["gzip", "-c", "fruits.txt"]),
        new(["bzip2", "-c", "fruits.txt"]),

        // file metadata (fixed mtimes) and directories
        new(["ls", "-la", "dir"]),
        new(["ls", "-lR", "dir"]),
        new(["ls", "nonexistent"], Exit: 1),
        new(["stat", "-c", "%n %s %a %F %Y %h", "dir/a.txt", "dir"]),
        new(["find", "dir", "-name", "*.txt"], Stdout: "dir/a.txt\n"),
        new(["tar", "cf", "-", "dir"]),
        new(["test", "-f", "fruits.txt"]),
        new(["test", "-d", "fruits.txt"], Exit: 1),
        new(["[", "3", "-gt", "5", "]"], Exit: 1),
        new(["[", "a", "<", "b", "]"]),

        // time, identity, system
        new(["date", "-u", "-d", "@0"], Stdout: "Thu Jan  1 00:00:00 UTC 1970\n"),
        new(["date", "-u", "-d", "@1234567890", "+%Y-%m-%d %H:%M:%S %a %b %j %U %s"], Stdout: "2009-02-13 23:31:30 Fri Feb 044 06 1234567890\n"),
        new(["cal", "1", "2000"]),
        new(["id"]),
        new(["nproc"]), // sched_getaffinity's result is the mask size in bytes
        new(["env"]),
        new(["env"], Options: ["-E", "FOO=bar", "-U", "HOME", "-E", "LC_ALL=POSIX"]),

        // the shell's builtins (no fork): arithmetic, read, redirections, traps
        new(["sh", "-c", "echo $((3*7)) $((1<<31)) $((-7/2)) $((-7%2)); for i in 1 2 3; do echo $i; done; x=abc; echo ${#x} ${x%c}"]),
        new(["sh", "-c", """read a b; echo "[$b][$a]"; exit 3"""], Exit: 3, Stdin: "words.txt", Stdout: "[two three][one]\n"),
        new(["sh", "-c", "exec 3<fruits.txt; read x <&3; read y <&3; echo $x $y"], Stdout: "banana apple\n"),
        new(["sh", "-c", "echo *; cd dir && echo *"]),
        new(["sh", "-c", "echo err >&2; echo out; cd /nonexistent"], Exit: 2),
        // a handler without SA_SIGINFO: a plain sigframe and sigreturn
        new(["sh", "-c", """trap "echo got" USR1; kill -USR1 $$; echo after"""], Stdout: "got\nafter\n"),

        // processes: the shell forks for a command substitution, a subshell, a pipeline and a
        // background job; applets start other programs (awk's pipe into sort, xargs, find -exec)
        new(["sh", "-c", """x=$(echo sub; echo two); echo "[$x]"; (echo in a subshell; exit 3); echo status $?"""],
            Stdout: "[sub\ntwo]\nin a subshell\nstatus 3\n"),
        new(["sh", "-c", "cat fruits.txt | sort | uniq -c | head -n 3"]),
        new(["sh", "-c", "echo start; true & wait $!; echo waited $?; false | true; echo pipeline $?"], Stdout: "start\nwaited 0\npipeline 0\n"),
        new(["awk", """{print $1 | "sort -r"} END{close("sort -r"); print "done"}""", "fruits.txt"]),
        new(["xargs", "-n", "2", "echo", "pair:"], Stdin: "words.txt", Stdout: "pair: one two\npair: three four\npair: five\n"),
        // (a host program: busybox would run its own applet through /proc/self/exe, which qemu-arm hands to the host's execve)
        new(["find", "dir", "-type", "f", "-exec", "/bin/echo", "found", "{}", ";"]),
    ];

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    [Fact]
    public void There_are_at_least_40_distinct_invocations()
    {
        Assert.True(Cases.Length >= 40);
        Assert.Equal(Cases.Length, Cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Busybox_applet_matches_qemu_arm(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var qemu = Run("qemu-arm", ["-cpu", qemuCpu, .. c.Options ?? [], fixture.Busybox, .. c.Args], c.Stdin);
        Assert.True(c.Exit == qemu.ExitCode, $"qemu-arm (the oracle) exited {qemu.ExitCode}, expected {c.Exit}:\n{qemu}");
        if (c.Stdout is not null) Assert.Equal(c.Stdout.Replace(Machine, machine, StringComparison.Ordinal), qemu.StdoutText);

        var armemu = Run(ArmEmuCli.Path, ["run", .. c.Options ?? [], fixture.Busybox, .. c.Args], c.Stdin);
        Assert.Equal(Describe(qemu), Describe(armemu));
    }

    /// <summary>
    /// A signal the guest does not handle kills it. qemu-arm kills itself with the signal
    /// and prints nothing for SIGUSR1; armemu exits with 128 + signo and prints one line
    /// (its documented convention). The shell sees the same status either way.
    /// </summary>
    [Fact]
    public void Fatal_signal_status_is_128_plus_signo_like_a_killed_qemu_arm()
    {
        string[] args = ["sh", "-c", "echo before; kill -USR1 $$; echo after"];
        var qemu = Run("qemu-arm", ["-cpu", qemuCpu, fixture.Busybox, .. args], null);
        var armemu = Run(ArmEmuCli.Path, ["run", fixture.Busybox, .. args], null);
        Assert.Equal(128 + 10, qemu.ExitCode); // .NET reports a child killed by signal N as 128 + N
        Assert.Equal(128 + 10, armemu.ExitCode);
        Assert.Equal("before\n", qemu.StdoutText);
        Assert.Equal("before\n", armemu.StdoutText);
        string line = Assert.Single(armemu.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("signal 10 (SIGUSR1)", line);
    }

    /// <summary>
    /// `yes | head -1` ends: once head has exited, the guest's next write to the pipe raises
    /// SIGPIPE, whose default action kills it, and the emulator dies of it too -- the shell sees
    /// 141 (128 + 13) for the first element of the pipeline under both emulators. The pipeline
    /// runs in bash with SIGPIPE at its default (env --default-signal): a runner started with
    /// SIGPIPE ignored would pass that on across exec, and yes would get EPIPE and exit 1.
    /// </summary>
    [Fact]
    public void Yes_piped_to_head_ends_with_141_like_qemu_arm()
    {
        const string script = "\"$@\" | head -1; echo \"status ${PIPESTATUS[0]} ${PIPESTATUS[1]}\"";
        ToolResult Pipeline(string[] emulator) =>
            Run("env", ["--default-signal=PIPE", "bash", "-c", script, "sh", .. emulator, fixture.Busybox, "yes"], null);
        var qemu = Pipeline(["qemu-arm", "-cpu", qemuCpu]);
        Assert.Equal("y\nstatus 141 0\n", qemu.StdoutText);
        var armemu = Pipeline([ArmEmuCli.Path, "run"]);
        Assert.Equal(qemu.StdoutText, armemu.StdoutText);
        Assert.Equal(0, armemu.ExitCode);
        string line = Assert.Single(armemu.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("signal 13 (SIGPIPE)", line);
    }

    /// <summary>The environment both emulators get: fixed, so output naming it matches.</summary>
    private static readonly KeyValuePair<string, string>[] Environment =
    [
        new("PATH", "/usr/bin:/bin"),
        new("HOME", "/home/guest"),
        new("LC_ALL", "C"),
        new("TZ", "UTC"),
    ];

    private ToolResult Run(string tool, string[] args, string? stdin)
    {
        try
        {
            return ArmEmuCli.RunTool(tool, args, fixture.WorkDir, Environment,
                stdin is null ? null : Path.Combine(fixture.WorkDir, stdin), Timeout);
        }
        catch (InvalidOperationException e) when (tool == "qemu-arm")
        {
            throw new InvalidOperationException($"{e.Message}: install the Debian package qemu-user");
        }
    }

    /// <summary>Exit status and both streams, every byte visible (non-ASCII as \xNN), for readable diffs.</summary>
    private static string Describe(ToolResult r) =>
        $"exit {r.ExitCode}\n--- stdout ---\n{Escape(r.Stdout)}\n--- stderr ---\n{Escape(r.Stderr)}";

    private static string Escape(byte[] bytes)
    {
        var s = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
            s.Append(b is (>= 0x20 and < 0x7f and not (byte)'\\') or (byte)'\n' ? ((char)b).ToString() : $"\\x{b:x2}");
        return s.ToString();
    }
}
