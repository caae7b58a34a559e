using System.Globalization;
using System.Text.RegularExpressions;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Profiling;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Profiling;

/// <summary>
/// Regions of interest: --profile-from/--profile-to, --toggle-collect and the guest's client
/// requests (include/armemu.h, valgrind's callgrind.h), each counting exactly the instructions
/// inside the region, worked out by hand in region.S and calltree.S.
/// </summary>
public sealed partial class ProfilingTests
{
    /// <summary>region.S: START, two TOGGLEs and STOP from the guest, with instrumentation off and on at the start.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GuestRequestsOpenAndCloseTheRegionAtTheHandCountedInstructions(bool instrumentAtStart)
    {
        string source = File.ReadAllText(Path.Combine(Directory, "region.S"));
        var expected = ExpectRegion().Matches(source).Single(m => m.Groups["atstart"].Value == (instrumentAtStart ? "yes" : "no"));
        var (report, session, process) = ProfileRegion(Build("region"), new RegionOfInterestOptions { InstrumentAtStart = instrumentAtStart });
        using (process)
        {
            Assert.Equal(ulong.Parse(expected.Groups["total"].Value, CultureInfo.InvariantCulture), report.Total);
            Assert.Equal(ulong.Parse(expected.Groups["start"].Value, CultureInfo.InvariantCulture), report["_start"]!.Exclusive);
            Assert.Equal(ulong.Parse(expected.Groups["spin"].Value, CultureInfo.InvariantCulture), report["spin"]!.Exclusive);
            Assert.Equal(report.Total, report["_start"]!.Inclusive);
            Assert.Equal(1, session.GuestRequestsSeen[GuestRequests.StartInstrumentation]);
            Assert.Equal(2, session.GuestRequestsSeen[GuestRequests.ToggleCollect]);
            Assert.Equal(1, session.GuestRequestsSeen[GuestRequests.StopInstrumentation]);
            Assert.False(session.Collecting);
            // The whole program ran: the region is a part of it.
            Assert.True(process.Cpu.InstructionsExecuted > report.Total + 20);
        }
    }

    /// <summary>calltree.S: --toggle-collect counts a function's activation, callees and tail calls included, and nothing else.</summary>
    [Theory]
    [InlineData("fact", 21, 21)]      // recursive: the outermost activation, its two inner calls inside it
    [InlineData("tail_caller", 4, 2)] // tail_caller 2 + leaf 2: leaf's return ends tail_caller's activation
    [InlineData("thumb_fn", 7, 5)]    // Thumb, entered with BLX from ARM
    public void ToggleCollectCountsExactlyTheFunctionsActivation(string function, int total, int self)
    {
        var (report, session, process) = ProfileRegion(Build("calltree"), new RegionOfInterestOptions { ToggleCollect = [function] });
        using (process)
        {
            Assert.Equal((ulong)total, report.Total);
            Assert.Equal((ulong)self, report[function]!.Exclusive);
            Assert.Equal((ulong)total, report[function]!.Inclusive);
            Assert.Null(report["main"]);
            Assert.Null(report["_start"]);
            Assert.Empty(session.UnresolvedRegionSymbols);
        }
    }

    /// <summary>calltree.S: a window from a function's entry to another's, and one between two instruction counts.</summary>
    [Fact]
    public void ProfileWindowsBySymbolAndByCount()
    {
        // From fact's first instruction (fact(3), 21 instructions with its recursion) up to
        // tail_caller's first, not included: main's "bl tail_caller" is the 22nd.
        var (report, _, process) = ProfileRegion(Build("calltree"), new RegionOfInterestOptions
        {
            From = RegionPoint.AtSymbol("fact"),
            To = RegionPoint.AtSymbol("tail_caller"),
        });
        using (process)
        {
            Assert.Equal(22UL, report.Total);
            Assert.Equal(21UL, report["fact"]!.Inclusive); // its return closed it: the rest is main's
            Assert.Equal(1UL, report["main"]!.Exclusive);
        }
        var (counted, _, again) = ProfileRegion(Build("calltree"), new RegionOfInterestOptions
        {
            From = RegionPoint.AtCount(10),
            To = RegionPoint.AtCount(20),
        });
        using (again) Assert.Equal(10UL, counted.Total);
    }

    /// <summary>
    /// region.c marks work(1000) with include/armemu.h, built for ARM and for Thumb-2, and with
    /// valgrind's own callgrind.h: the profile holds main's share of the region and all of work,
    /// exactly what a whole-run profile charges work, and nothing of other() or printf.
    /// </summary>
    [Theory]
    [InlineData("-O2 -static")]
    [InlineData("-O2 -static -march=armv7-a -mthumb")]
    [InlineData("-O2 -static -march=armv7-a -mthumb -DUSE_VALGRIND_HEADER -I/usr/include/valgrind")]
    public void TheHeaderMarksARegionInC(string flags)
    {
        if (flags.Contains("VALGRIND", StringComparison.Ordinal) && !File.Exists("/usr/include/valgrind/callgrind.h"))
            GnuToolchain.Run("callgrind_annotate", "--version", "valgrind"); // names the package to install
        string include = Path.Combine(RepositoryRoot.Path, "include");
        string header = GnuToolchain.Hash(File.ReadAllText(Path.Combine(include, "armemu.h")));
        string binary = Compile(Path.Combine(Directory, "region.c"), $"{flags} -I{include} -DARMEMU_HEADER_VERSION={header}");
        var model = flags.Contains("armv7", StringComparison.Ordinal) ? Cpu.CpuModel.CortexA9 : Cpu.CpuModel.Arm926;
        var (whole, _, p1) = ProfileRegion(binary, null, model);
        var (region, session, p2) = ProfileRegion(binary, new RegionOfInterestOptions { InstrumentAtStart = false }, model);
        using (p1)
        using (p2)
        {
            Assert.Equal(["main", "work"], region.Functions.Select(f => f.Function.Name).Order());
            Assert.Equal(whole["work"]!.Exclusive, region["work"]!.Exclusive);
            Assert.InRange(region["main"]!.Exclusive, 1UL, 40UL); // START's ORR, the call, STOP's set-up
            Assert.True(whole.Total > region.Total + 5000, $"{whole.Total} vs {region.Total}");
            Assert.Equal(1, session.GuestRequestsSeen[GuestRequests.StartInstrumentation]);
        }
    }

    /// <summary>The command line: the region's count is in the callgrind file; bad values get one line and status 2.</summary>
    [Fact]
    public void CommandLineRegionsReachTheProfileAndBadValuesAreRefused()
    {
        string binary = Build("region");
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-region.out");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", "--instr-atstart", "no", "--profile", profile, binary]);
            Assert.True(status == 0, stderr);
            string annotated = GnuToolchain.Run("callgrind_annotate", $"--threshold=100 {profile}", "valgrind");
            Assert.Matches(@"(?m)^37 \(100\.0%\) .*PROGRAM TOTALS", annotated);

            (status, _, stderr) = RunArmEmu(["run", "--toggle-collect=fact", "--profile", profile, Build("calltree")]);
            Assert.True(status == 0, stderr);
            Assert.Contains("\nsummary: 21 ", File.ReadAllText(profile));

            (status, _, stderr) = RunArmEmu(["run", "--toggle-collect", "no_such_function", "--profile", profile, Build("calltree")]);
            Assert.True(status == 0, stderr);
            Assert.Contains("'no_such_function', which no loaded code defines", stderr);
        }
        finally
        {
            File.Delete(profile);
        }
        foreach (string[] bad in new string[][]
                 {
                     ["--profile-from", "0xZZ", "--profile-top", "3"],
                     ["--profile-to", "12ab", "--profile-top", "3"],
                     ["--collect-atstart", "maybe", "--profile-top", "3"],
                     ["--toggle-collect", "42", "--profile-top", "3"],
                     ["--profile-from", "main"],
                 })
        {
            var (status, _, stderr) = RunArmEmu(["run", .. bad, binary]);
            Assert.True(status == 2, $"{string.Join(' ', bad)}: status {status}, {stderr}");
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static (ProfileReport Report, ProfilingSession Session, LinuxProcess Process) ProfileRegion(string binary, RegionOfInterestOptions? region,
                                                                                                       Cpu.CpuModel? model = null)
    {
        var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Cpu = model ?? Cpu.CpuModel.Arm926 });
        var session = ProfilingSession.ForLinux(process, region);
        Assert.Equal(0, process.Run(50_000_000));
        return (session.Report(), session, process);
    }

    [GeneratedRegex(@"^@ expect-region: instr-atstart=(?<atstart>yes|no) total=(?<total>\d+) _start=(?<start>\d+) spin=(?<spin>\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectRegion();
}
