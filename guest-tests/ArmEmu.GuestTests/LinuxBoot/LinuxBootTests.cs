using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.LinuxBoot;

/// <summary>
/// Debian's armmp Linux kernel booted on <c>armemu system -M vexpress-a9</c> as QEMU boots it
/// (zImage, the vexpress-v2p-ca9 device tree from the same package, an initramfs with
/// busybox-static, armhf: Thumb-2, VFP and NEON in user space), all fetched at test time by tools/linux-boot/fetch.sh and never committed.
/// The initramfs's /init (tools/linux-boot/init-report) prints the kernel version, what
/// /proc/cpuinfo says of the CPU, the memory size and three checksums busybox computes, then
/// powers off: its lines and the exit status must be the same under armemu with the cache
/// model on, with it off, and under qemu-system-arm. A second initramfs runs a shell on the
/// console fed from standard input.
/// </summary>
public sealed class LinuxBootTests : IClassFixture<LinuxBootTests.Kernel>
{
    /// <summary>
    /// The command line both emulators get. cryptomgr.notests skips the crypto self-tests
    /// (RSA and Diffie-Hellman: a third of the boot's instructions) to keep the test short.
    /// </summary>
    private const string CommandLine = "console=ttyAMA0 quiet panic=-1 cryptomgr.notests";

    /// <summary>The downloads, kept between runs under the temporary directory (fetch.sh reuses them).</summary>
    public sealed class Kernel
    {
        public string Report { get; } = Fetch("report", "init-report", "armhf");

        public string Shell { get; } = Fetch("shell", "init-shell", "armhf");

        private static string Fetch(string name, string init, string busyboxArch)
        {
            string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "armemu-linux-boot", name + "-" + busyboxArch);
            var r = ArmEmuCli.RunTool("bash",
                ["-c", $"BUSYBOX_ARCH={busyboxArch} exec \"$0\" \"$1\" \"$2\"",
                 System.IO.Path.Combine(RepositoryRoot.Path, "tools", "linux-boot", "fetch.sh"), dir,
                 System.IO.Path.Combine(RepositoryRoot.Path, "tools", "linux-boot", init)],
                RepositoryRoot.Path, null, null, TimeSpan.FromMinutes(5));
            if (r.ExitCode != 0) throw new InvalidOperationException("tools/linux-boot/fetch.sh failed: " + r);
            return dir;
        }
    }

    private readonly Kernel _kernel;

    public LinuxBootTests(Kernel kernel) => _kernel = kernel;

    private static string[] BootArguments(string dir, string commandLine = CommandLine) =>
    [
        "-M", "vexpress-a9", "-m", "256M", "-nographic",
        "-kernel", System.IO.Path.Combine(dir, "zImage"),
        "-dtb", System.IO.Path.Combine(dir, "vexpress-v2p-ca9.dtb"),
        "-initrd", System.IO.Path.Combine(dir, "initramfs.cpio.gz"),
        "-append", commandLine,
    ];

    /// <summary>
    /// armemu with the suite's engine but the translator's default threshold: a boot runs 2.5
    /// billion instructions, 96% of them in translated blocks at the default (1,431 blocks),
    /// while the suite's test threshold of 16 compiles every block that runs a few dozen times
    /// and spends most of the boot in the .NET JIT (measured: 58 s at 16 against 8 s at 1,000
    /// without the cache model, 104 against 27 s with it; 12 s at the default of 5,000).
    /// </summary>
    private static ToolResult Armemu(string dir, string[] extra, string? stdin = null, string commandLine = CommandLine) =>
        ArmEmuCli.RunTool(ArmEmuCli.Path, ["system", .. BootArguments(dir, commandLine), .. extra], dir,
            [new("PATH", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"),
             new("ARMEMU_TRANSLATOR_THRESHOLD", ArmEmu.Cpu.Engines.Translator.TranslatorEngine.DefaultThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            stdin, TimeSpan.FromMinutes(10));

    private static ToolResult Qemu(string dir) =>
        ArmEmuCli.RunTool("qemu-system-arm", [.. BootArguments(dir), "-monitor", "none", "-no-reboot", "-audiodev", "none,id=none"],
            dir, [new("PATH", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")], null, TimeSpan.FromMinutes(10));

    /// <summary>What /init printed: its lines only (the kernel's own log has timings in it).</summary>
    private static string InitLines(ToolResult r) =>
        string.Join('\n', r.StdoutText.Replace("\r", "").Split('\n').Where(l => l.StartsWith("init: ", StringComparison.Ordinal)));

    [Fact]
    public void The_init_reports_the_same_with_the_cache_model_without_it_and_under_QEMU()
    {
        // With the cache model the PL310 starts with arbitrary lines (as its RAMs do at power-on):
        // Linux's l2c_enable() invalidates every way before it sets CTRL, so they do no harm.
        var qemu = Qemu(_kernel.Report);
        string expected = InitLines(qemu);
        Assert.True(qemu.ExitCode == 0 && expected.EndsWith("init: done", StringComparison.Ordinal), "qemu-system-arm: " + qemu);
        Assert.Contains("init: cpuinfo: CPU part\t: 0xc09", expected);

        foreach (string[] mode in new string[][] { ["--l2-reset", "unknown"], ["--no-cache"] })
        {
            var armemu = Armemu(_kernel.Report, [.. mode, "--stats"]);
            Assert.True(armemu.ExitCode == 0, $"armemu {string.Join(' ', mode)}: " + armemu);
            Assert.Equal(expected, InitLines(armemu));
        }
    }

    [Fact]
    public void Without_its_PL310_maintenance_the_same_boot_reads_the_L2s_power_on_garbage_and_oopses()
    {
        // The report's cache-model boot above starts the PL310 with arbitrary lines and matches QEMU.
        // Here its clean and invalidate operations are made to do nothing: the kernel's invalidation
        // at l2c_enable() is lost, and the first reads through the L2 return what it held at reset.
        // The kernel oopses as soon as the L2 is on (earlycon prints it before the console driver
        // is up) and keeps oopsing inside its own oops report, so the run is bounded by --max-insns.
        var armemu = Armemu(_kernel.Report,
            ["--l2-reset", "unknown", "--inject", "ignore-l2-maintenance", "--max-insns", MaxInstructionsOfANegativeBoot],
            commandLine: CommandLine + " earlycon=pl011,0x10009000");
        string output = armemu.StdoutText.Replace("\r", "");
        Assert.True(armemu.ExitCode is 124 or 1, "armemu: " + armemu);
        Assert.Contains("Internal error: Oops", output);
        Assert.DoesNotContain("init: ", output);
    }

    /// <summary>Past the point where the kernel enables the PL310 (a little over 2 billion instructions into this boot, most of them the zImage decompressor).</summary>
    private const string MaxInstructionsOfANegativeBoot = "2400000000";

    [Fact]
    public void A_kernel_panic_ends_the_run_with_status_1_and_says_why()
    {
        // No init in the initramfs and no root device: Linux panics at the end of its boot.
        // With panic=-1 it reboots at once; without it, it prints the panic's trailer and spins.
        foreach (string panic in new[] { "panic=-1", "panic=0" })
        {
            var armemu = Armemu(_kernel.Report, ["--no-cache"], commandLine: $"console=ttyAMA0 quiet {panic} cryptomgr.notests rdinit=/none");
            Assert.True(armemu.ExitCode == 1, $"armemu ({panic}): " + armemu);
            Assert.Contains("armemu: the guest's kernel panicked: VFS: Unable to mount root fs on unknown-block(0,0)\n", armemu.StderrText.Replace("\r", ""));
        }
    }

    [Fact]
    public void A_shell_on_the_console_answers_the_commands_fed_to_standard_input()
    {
        string input = System.IO.Path.Combine(_kernel.Shell, "commands.txt");
        // The bytes the UART holds when Linux opens the console are flushed (as on QEMU): a comment
        // line of padding goes first, so whatever part of it is lost, no command is.
        File.WriteAllText(input, new string('#', 127) + "\necho answer=$((6 * 7))\nuname -m\ncat /proc/sys/kernel/ostype\npoweroff -f\n");
        var armemu = Armemu(_kernel.Shell, ["--no-cache"], input);
        Assert.True(armemu.ExitCode == 0, "armemu: " + armemu);
        string output = armemu.StdoutText.Replace("\r", "");
        Assert.Contains("init: shell ready", output);
        Assert.Contains("\nanswer=42\n", output);
        Assert.Contains("\narmv7l\n", output);
        Assert.Contains("\nLinux\n", output);
    }
}
