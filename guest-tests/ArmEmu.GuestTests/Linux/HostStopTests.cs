using System.Diagnostics;
using System.Globalization;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// Job control across the host boundary (guest-tests/linux-cli/stop_self.c), against qemu-arm: a
/// guest that raises SIGSTOP, or takes a SIGTSTP sent to the emulator at its default action,
/// stops the emulator's host process (state T, as a shell's job), and the SIGCONT sent to it
/// continues the guest, whose SIGCONT handler runs; a guest with a SIGTSTP handler runs it instead.
/// </summary>
public sealed class HostStopTests
{
    private static string Program()
    {
        string source = Path.Combine(RepositoryRoot.Path, "guest-tests", "linux-cli", "stop_self.c");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, "stopself-" + GnuToolchain.Hash(File.ReadAllText(source)));
        string binary = Path.Combine(directory, "stop_self");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = $"{binary}.{Environment.ProcessId}";
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }

    /// <summary>The state letter of /proc/PID/stat (after the command name in parentheses), or '?' once the process is gone.</summary>
    private static char State(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return '?';
        }
    }

    private static void Kill(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>
    /// Runs <paramref name="emulator"/>; once the guest printed <paramref name="marker"/>, sends
    /// <paramref name="signal"/> (if any), then -- when <paramref name="expectStop"/> -- waits for the
    /// emulator to be stopped, checks it stays so, and sends SIGCONT. Stdout, exit code, and whether it was seen stopped.
    /// </summary>
    private static (string Stdout, int ExitCode, bool SeenStopped) Run(string emulator, string[] arguments, string marker, string? signal, bool expectStop)
    {
        var psi = new ProcessStartInfo(emulator)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        try
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var line = p.StandardOutput.ReadLineAsync();
            Assert.True(line.Wait(TimeSpan.FromSeconds(60)), $"no '{marker}' from {emulator}");
            Assert.Equal(marker, line.Result);
            if (signal is not null)
            {
                Thread.Sleep(100); // the guest waits in pause() by now
                Kill(signal, p.Id);
            }
            bool seenStopped = false;
            if (expectStop)
            {
                var watch = Stopwatch.StartNew();
                while (State(p.Id) != 'T' && watch.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
                seenStopped = State(p.Id) == 'T';
                Thread.Sleep(300);
                seenStopped &= State(p.Id) == 'T'; // stays stopped until continued
                Kill("CONT", p.Id);
            }
            var rest = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(60_000), $"{emulator} did not end; stderr: {(stderr.IsCompleted ? stderr.Result : "")}");
            p.StandardInput.Close();
            return (marker + "\n" + rest.Result, p.ExitCode, seenStopped);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
                Kill("CONT", p.Id);
            }
        }
    }

    [Theory]
    [InlineData("raise", "stopping", null)]
    [InlineData("tstp", "ready", "TSTP")]
    public void AStoppedGuestStopsTheEmulatorUntilASigcont(string mode, string marker, string? signal)
    {
        string binary = Program();
        var armemu = Run(ArmEmuCli.Path, ["run", binary, mode], marker, signal, expectStop: true);
        Assert.True(armemu.SeenStopped, "armemu was not seen stopped (state T)");
        Assert.Equal(marker + "\ncontinued\n", armemu.Stdout);
        Assert.Equal(3, armemu.ExitCode);
        var qemu = Run("qemu-arm", ["-cpu", "arm926", binary, mode], marker, signal, expectStop: true);
        Assert.True(qemu.SeenStopped, "qemu-arm was not seen stopped (state T)");
        Assert.Equal(qemu.Stdout, armemu.Stdout);
        Assert.Equal(qemu.ExitCode, armemu.ExitCode);
    }

    [Fact]
    public void AGuestThatHandlesSigtstpRunsItsHandlerInstead()
    {
        string binary = Program();
        var armemu = Run(ArmEmuCli.Path, ["run", binary, "handled"], "ready", "TSTP", expectStop: false);
        Assert.Equal("ready\ntstp handler\n", armemu.Stdout);
        Assert.Equal(5, armemu.ExitCode);
        var qemu = Run("qemu-arm", ["-cpu", "arm926", binary, "handled"], "ready", "TSTP", expectStop: false);
        Assert.Equal(qemu.Stdout, armemu.Stdout);
        Assert.Equal(qemu.ExitCode, armemu.ExitCode);
    }
}
