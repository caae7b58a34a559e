using System.Globalization;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Profiling;

/// <summary>The last-level events with an L2 (--l2cache): the profile's totals are what --stats prints.</summary>
public sealed partial class ProfilingTests
{
    /// <summary>
    /// cachemiss.S with 1 KiB L1s and a 128 KiB 8-way L2 (the smallest PL310): ILmr, DLmr and DLmw in the callgrind file (read
    /// by callgrind_annotate) equal --stats's last-level line, and are at most the L1 misses
    /// (the L2 keeps some of what the L1s lose: fewer, not none).
    /// </summary>
    [Fact]
    public void LastLevelEventsWithAnL2EqualTheStatsLine()
    {
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-l2.out");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", .. SmallCaches, "--l2cache", "128K,8,32,wb,wa", "--stats", "--profile", profile, "--profile-top", "3", Build("cachemiss")]);
            Assert.True(status == 0, stderr);
            var lastLevel = Regex.Match(stderr, @"armemu: last level \(L2-cache while on, else L1\): (\d+) ILmr, (\d+) DLmr, (\d+) DLmw");
            Assert.True(lastLevel.Success, stderr);
            ulong[] stats = [.. Enumerable.Range(1, 3).Select(g => ulong.Parse(lastLevel.Groups[g].Value, CultureInfo.InvariantCulture))];
            Assert.Matches(@"│ +DLmr +│", stderr); // the top table shows them with an L2

            string annotated = GnuToolchain.Run("callgrind_annotate", $"--threshold=100 {profile}", "valgrind");
            string totalsLine = annotated.Split('\n').First(l => l.Contains("PROGRAM TOTALS"));
            var numbers = Regex.Replace(totalsLine.Replace("PROGRAM TOTALS", ""), @"\([^)]*\)", "")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => ulong.Parse(n.Replace(",", ""), CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(stats, numbers[8..]);
            // I1mr D1mr D1mw are numbers[2..5]: an L2 miss is an L1 miss first. (cachemiss.S never
            // touches a line twice after the L1 lost it, so here they are equal: LastLevelMissTests
            // has the L2 keeping what the L1 loses.)
            Assert.Equal(numbers[2..5], stats);
            Assert.True(stats[0] > 0 && stats[1] > 0 && stats[2] > 0, totalsLine);
        }
        finally
        {
            File.Delete(profile);
        }
    }
}
