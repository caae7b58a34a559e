using System.Diagnostics;
using System.Globalization;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// Job control across the host boundary (guest-tests/linux-cli/stop_self.c), against qemu-arm: a
/// guest that raises SIGSTOP, or takes a SIGTSTP sent to the emulator at its default action,
/// stops the emulator's host process (state T, as a shell's job), and the SIGCONT sent to it
/// continues the guest, whose SIGCONT handler runs; a guest with a SIGTSTP handler runs it instead.
/// In an orphaned process group SIGTSTP at its default action does nothing (Linux's get_signal);
/// each case runs in the runner's group, a group of its own and a new session, so both paths are
/// tested whether or not the runner's own group is orphaned (as under setsid).
/// </summary>
public sealed class HostStopTests
{
    private static string Program() =>
        GnuToolchain.CompileCached(Path.Combine(RepositoryRoot.Path, "guest-tests", "linux-cli", "stop_self.c"), "stop_self", "-O1 -static");

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

    /// <summary>What the test expects of the emulator once the signal is sent.</summary>
    private enum Expect
    {
        /// <summary>It stops (state T) and stays stopped until the test sends SIGCONT.</summary>
        Stop,

        /// <summary>It does not stop (the signal is discarded); the test then sends SIGCONT, whose guest handler runs.</summary>
        NoStop,

        /// <summary>The guest's own handler ends it; the test sends nothing more.</summary>
        Handler,
    }

    /// <summary>
    /// How the emulator is started: in the test runner's process group (orphaned or not, as the
    /// runner's is), in a new group of the runner's session (never orphaned: the runner is its
    /// parent in another group of the session), or in a new session (always orphaned).
    /// </summary>
    public enum Group
    {
        /// <summary>The runner's process group.</summary>
        Inherited,

        /// <summary>A new process group (perl's setpgrp, then exec).</summary>
        Own,

        /// <summary>A new session (setsid).</summary>
        Orphaned,
    }

    /// <summary>
    /// Runs <paramref name="emulator"/> in <paramref name="group"/>; once the guest printed
    /// <paramref name="marker"/>, sends <paramref name="signal"/> (if any), then does what
    /// <paramref name="expect"/> says. Stdout, exit code, and whether it was seen stopped (or,
    /// for <see cref="Expect.NoStop"/>, seen running all along).
    /// </summary>
    private static (string Stdout, int ExitCode, bool AsExpected) Run(string emulator, string[] arguments, Group group, string marker, string? signal, Expect expect)
    {
        string[] wrapper = group switch
        {
            Group.Own => ["perl", "-e", "setpgrp(0, 0) or die; exec @ARGV or die", emulator],
            Group.Orphaned => ["setsid", emulator],
            _ => [emulator],
        };
        var psi = new ProcessStartInfo(wrapper[0])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (string a in wrapper.Skip(1).Concat(arguments)) psi.ArgumentList.Add(a);
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
            bool asExpected = true;
            if (expect == Expect.Stop)
            {
                var watch = Stopwatch.StartNew();
                while (State(p.Id) != 'T' && watch.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
                asExpected = State(p.Id) == 'T';
                Thread.Sleep(300);
                asExpected &= State(p.Id) == 'T'; // stays stopped until continued
                Kill("CONT", p.Id);
            }
            else if (expect == Expect.NoStop)
            {
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < TimeSpan.FromMilliseconds(700))
                {
                    asExpected &= State(p.Id) is not ('T' or '?');
                    Thread.Sleep(20);
                }
                Kill("CONT", p.Id);
            }
            var rest = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(60_000), $"{emulator} did not end; stderr: {(stderr.IsCompleted ? stderr.Result : "")}");
            p.StandardInput.Close();
            return (marker + "\n" + rest.Result, p.ExitCode, asExpected);
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

    /// <summary>
    /// Whether this test runner's process group is orphaned (will_become_orphaned_pgrp): no
    /// member has a parent in another group of the same session. True under setsid or nohup
    /// setsid; false in a job-control shell's job.
    /// </summary>
    private static bool RunnerGroupIsOrphaned()
    {
        static (int Parent, int Group, int Session)? StatOf(int pid)
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return f[0] == "Z" ? null : (int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                return null;
            }
        }
        var me = StatOf(Environment.ProcessId)!.Value;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || StatOf(pid) is not { } member || member.Group != me.Group) continue;
            if (member.Parent > 1 && StatOf(member.Parent) is { } parent && parent.Group != me.Group && parent.Session == me.Session) return false;
        }
        return true;
    }

    /// <summary>SIGSTOP stops the emulator in any process group, orphaned or not ("SIGSTOP always works").</summary>
    [Theory]
    [InlineData(Group.Inherited)]
    [InlineData(Group.Own)]
    [InlineData(Group.Orphaned)]
    public void AGuestThatRaisesSigstopStopsTheEmulatorUntilASigcont(Group group) =>
        Compare("raise", group, "stopping", null, Expect.Stop, "stopping\ncontinued\n", 3);

    /// <summary>
    /// SIGTSTP at its default action stops the emulator unless its process group is orphaned,
    /// where Linux discards it (and qemu-arm, which leaves it to the host kernel, does not stop):
    /// the guest then sees only the SIGCONT.
    /// </summary>
    [Theory]
    [InlineData(Group.Inherited)]
    [InlineData(Group.Own)]
    [InlineData(Group.Orphaned)]
    public void ASigtstpStopsTheEmulatorUnlessItsGroupIsOrphaned(Group group)
    {
        bool orphaned = group == Group.Orphaned || (group == Group.Inherited && RunnerGroupIsOrphaned());
        Compare("tstp", group, "ready", "TSTP", orphaned ? Expect.NoStop : Expect.Stop, "ready\ncontinued\n", 3);
    }

    [Theory]
    [InlineData(Group.Inherited)]
    [InlineData(Group.Orphaned)]
    public void AGuestThatHandlesSigtstpRunsItsHandlerInstead(Group group) =>
        Compare("handled", group, "ready", "TSTP", Expect.Handler, "ready\ntstp handler\n", 5);

    private static void Compare(string mode, Group group, string marker, string? signal, Expect expect, string stdout, int exitCode)
    {
        string binary = Program();
        string what = expect == Expect.NoStop ? "was seen stopped (state T)" : "was not seen stopped (state T)";
        var armemu = Run(ArmEmuCli.Path, ["run", binary, mode], group, marker, signal, expect);
        Assert.True(armemu.AsExpected, "armemu " + what);
        Assert.Equal(stdout, armemu.Stdout);
        Assert.Equal(exitCode, armemu.ExitCode);
        var qemu = Run("qemu-arm", ["-cpu", "arm926", binary, mode], group, marker, signal, expect);
        Assert.True(qemu.AsExpected, "qemu-arm " + what);
        Assert.Equal(qemu.Stdout, armemu.Stdout);
        Assert.Equal(qemu.ExitCode, armemu.ExitCode);
    }
}
