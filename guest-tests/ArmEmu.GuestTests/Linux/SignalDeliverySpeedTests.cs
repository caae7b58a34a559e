using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// What one signal delivery costs (guest-tests/linux/fault_recovery.c: a SIGSEGV handler that
/// steps over the faulting load, N times): the armemu process's CPU time for N faults less a
/// run with none, per fault, with and without the cache model. The figure is written to the
/// test output (README: "Signal delivery"); the bound is loose because the CI machine is shared
/// -- it catches a return to the 50-70 us the byte-at-a-time frame copies cost.
/// </summary>
public sealed partial class LinuxProgramTests
{
    private readonly ITestOutputHelper? _output;

    public LinuxProgramTests(ITestOutputHelper output) => _output = output;

    private const int Faults = 50_000;

    /// <summary>
    /// Runs the fault loop under bash, whose "times" gives the CPU time its child used (.NET cannot
    /// read an exited process's): stdout and that time.
    /// </summary>
    private static (string Stdout, TimeSpan Cpu) RunFaultLoop(string binary, int faults, bool cacheModel)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-c", "\"$@\"; s=$?; times >&2; exit $s", "bash", ArmEmuPath, "run", .. (cacheModel ? [] : new[] { "--no-cache" }), binary, faults.ToString(CultureInfo.InvariantCulture)])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), "the fault loop did not end");
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"status {p.ExitCode}: {stderr.Result}");
        // times: the shell's user and system time, then its children's ("0m1.234s 0m0.056s").
        var children = System.Text.RegularExpressions.Regex.Matches(stderr.Result, @"(\d+)m([\d.]+)s (\d+)m([\d.]+)s");
        Assert.True(children.Count == 2, $"no times from bash: {stderr.Result}");
        var g = children[1].Groups;
        double seconds = int.Parse(g[1].Value, CultureInfo.InvariantCulture) * 60 + double.Parse(g[2].Value, CultureInfo.InvariantCulture)
                         + int.Parse(g[3].Value, CultureInfo.InvariantCulture) * 60 + double.Parse(g[4].Value, CultureInfo.InvariantCulture);
        return (stdout.Result, TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SignalDeliveryCostIsReported(bool cacheModel)
    {
        string binary = Build(Programs.Single(p => p.Name == "fault_recovery"));
        var baseline = RunFaultLoop(binary, 0, cacheModel);
        var loop = RunFaultLoop(binary, Faults, cacheModel);
        Assert.Equal($"{Faults} faults recovered, si_addr 0x10\n", loop.Stdout);
        double microseconds = Math.Max(0, (loop.Cpu - baseline.Cpu).TotalMicroseconds) / Faults;
        _output?.WriteLine($"signal delivery ({(cacheModel ? "cache model" : "--no-cache")}): {microseconds:F1} us of CPU per fault recovered ({Faults} faults)");
        Assert.True(microseconds < 40, $"{microseconds:F1} us per delivery");
    }
}
