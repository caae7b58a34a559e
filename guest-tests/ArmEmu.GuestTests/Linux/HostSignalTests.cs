using System.Diagnostics;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// Signals sent to the armemu process reach the guest as under qemu-arm (guest-tests/linux-cli/host_signals.c):
/// its handlers run -- waiting in pause(), or alone in read() of an empty pipe -- and without a handler the
/// default action ends the run after --stats is written, armemu dying of the signal itself.
/// </summary>
public sealed class HostSignalTests
{
    private static string Program()
    {
        string source = Path.Combine(RepositoryRoot.Path, "guest-tests", "linux-cli", "host_signals.c");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, "hostsig-" + GnuToolchain.Hash(File.ReadAllText(source)));
        string binary = Path.Combine(directory, "host_signals");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = $"{binary}.{Environment.ProcessId}";
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }

    /// <summary>Runs <paramref name="emulator"/> with the arguments, sends each signal once the guest has printed what comes before it; stdout, stderr, exit code.</summary>
    private static (string Stdout, string Stderr, int ExitCode) Run(string emulator, string[] arguments, (string Signal, string After)[] signals)
    {
        var psi = new ProcessStartInfo(emulator)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        foreach (var (signal, after) in signals)
        {
            while (!output.ToString().Contains(after))
            {
                var line = p.StandardOutput.ReadLineAsync();
                Assert.True(line.Wait(TimeSpan.FromSeconds(60)), $"no '{after}' from {emulator}: {output}");
                Assert.NotNull(line.Result);
                output.Append(line.Result).Append('\n');
            }
            Thread.Sleep(100); // the guest is in pause() or read() by now (it would also take the signal before)
            using var kill = Process.Start("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
        }
        var rest = p.StandardOutput.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), $"{emulator} did not end");
        p.StandardInput.Close();
        return (output + rest.Result, stderr.Result, p.ExitCode);
    }

    private static readonly (string, string)[] HandledSignals = [("INT", "ready"), ("USR1", "handler 2"), ("TERM", "handler 10")];

    [Theory]
    [InlineData("handle")]
    [InlineData("read")]
    public void TheGuestsHandlersRunAsUnderQemu(string mode)
    {
        string binary = Program();
        var armemu = Run(ArmEmuCli.Path, ["run", binary, mode], HandledSignals);
        Assert.Equal("ready\nhandler 2\nhandler 10\nhandler 15\n", armemu.Stdout);
        Assert.Equal(7, armemu.ExitCode);
        var qemu = Run("qemu-arm", ["-cpu", "arm926", binary, mode], HandledSignals);
        Assert.Equal(qemu.Stdout, armemu.Stdout);
        Assert.Equal(qemu.ExitCode, armemu.ExitCode);
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("INT", 2)]
    [InlineData("HUP", 1)]
    public void WithoutAHandlerArmemuWritesItsStatsThenDiesOfTheSignal(string signal, int number)
    {
        string binary = Program();
        var armemu = Run(ArmEmuCli.Path, ["run", "--stats", binary, "plain"], [(signal, "ready")]);
        Assert.Equal(128 + number, armemu.ExitCode); // .NET reports a death by signal N as 128 + N
        Assert.Matches(new Regex(@"armemu: \d+ instructions"), armemu.Stderr);
        Assert.Contains($"guest terminated by signal {number}", armemu.Stderr);
        var qemu = Run("qemu-arm", ["-cpu", "arm926", binary, "plain"], [(signal, "ready")]);
        Assert.Equal(qemu.ExitCode, armemu.ExitCode);
        Assert.Equal(qemu.Stdout, armemu.Stdout);
    }
}
