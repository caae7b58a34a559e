using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Cli;

/// <summary>
/// A program built for ARMv7 run on an ARMv5 model dies as on qemu-arm (SIGILL), and armemu says
/// in one more line which architecture it was built for and which --cpu runs it; armemu system
/// says so when it loads such an image on the ARM926 board.
/// </summary>
public sealed class ArchitectureHintTests
{
    private static readonly Lazy<string> Program = new(() =>
    {
        string source = Path.Combine(RepositoryRoot.Path, "guest-tests", "linux-cli", "v7only.c");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, "cli-v7-" + GnuToolchain.Hash(File.ReadAllText(source)));
        string binary = Path.Combine(directory, "v7only");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = binary + "." + Environment.ProcessId;
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -march=armv7-a -marm -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    });

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_v7_program_on_arm926_dies_by_SIGILL_as_on_qemu_and_names_the_cpu_to_use()
    {
        string dir = Path.GetTempPath();
        var qemu = ArmEmuCli.RunTool("qemu-arm", ["-cpu", "arm926", Program.Value], dir, null, null, Timeout);
        var armemu = ArmEmuCli.RunTool(ArmEmuCli.Path, ["--cpu", "arm926", "--exit-status", Program.Value], dir, null, null, Timeout);
        Assert.Equal(128 + 4, armemu.ExitCode); // SIGILL, as --exit-status reports a death
        Assert.Equal(128 + 4, qemu.ExitCode);   // .NET reports a death by signal N as 128 + N
        string[] lines = armemu.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("signal 4", lines[0]);
        Assert.Equal($"armemu: {Program.Value} is built for ARMv7 (its Tag_CPU_arch); the arm926 model is ARMv5TEJ "
            + "and its newer instructions are UNDEFINED there: try --cpu cortex-a9", lines[1]);

        // With the model the ELF asks for (the default), it runs.
        var ok = ArmEmuCli.RunTool(ArmEmuCli.Path, [Program.Value], dir, null, null, Timeout);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("movw gave 0x1234\n", ok.StdoutText);
        Assert.Equal("", ok.StderrText);
    }

    [Fact]
    public void A_v7_image_on_the_versatilepb_gets_the_hint_when_loaded()
    {
        var r = ArmEmuCli.RunTool(ArmEmuCli.Path, ["system", "--max-insns", "1000", Program.Value], Path.GetTempPath(), null, null, Timeout);
        Assert.StartsWith($"armemu: {Program.Value} is built for ARMv7 (its Tag_CPU_arch); the arm926 model is ARMv5TEJ "
            + "and its newer instructions are UNDEFINED there: try --cpu cortex-a9 (and -M vexpress-a9 for a Cortex-A9 board)\n", r.StderrText);
    }
}
