using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Profiling;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Profiling;

/// <summary>
/// --profile and --trace on the programs of guest-tests/profiling. Each .S file states
/// its expected counts, worked out by hand, in "@ expect..." comment lines.
/// </summary>
public sealed partial class ProfilingTests
{
    private static string Directory => Path.Combine(RepositoryRoot.Path, "guest-tests", "profiling");

    public static TheoryData<string> Programs => new("loop", "calltree", "cachemiss");

    /// <summary>The caches cachemiss.S is counted for: direct-mapped 1 KiB, 32-byte lines, so every miss can be worked out by hand.</summary>
    private static readonly string[] SmallCaches = ["--icache", "1K,1,32", "--dcache", "1K,1,32"];

    private static CacheModelOptions SmallCacheOptions => CacheModelOptions.Arm926 with
    {
        InstructionCache = CacheConfig.Parse("1K,1,32", CacheModelOptions.Arm926.InstructionCache),
        DataCache = CacheConfig.Parse("1K,1,32", CacheModelOptions.Arm926.DataCache),
    };

    /// <summary>
    /// cachemiss.S: I1mr, D1mr, D1mw and D1wb per instruction and per function (exclusive and
    /// inclusive) are the hand-computed ones, no other instruction is charged any, and the
    /// totals are the cache counters.
    /// </summary>
    [Fact]
    public void CacheEventsPerInstructionAndFunctionAreTheHandComputedOnes()
    {
        string binary = Build("cachemiss");
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Caches = SmallCacheOptions });
        var session = ProfilingSession.ForLinux(process);
        Assert.Equal(0, process.Run(10_000_000));
        var report = session.Report();
        Assert.Equal(["I1mr", "D1mr", "D1mw", "D1wb", "Dr", "Dw", "ILmr", "DLmr", "DLmw"], report.ExtraEvents.Select(e => e.Name));
        const int Misses = 4; // cachemiss.S annotates the first four (I1mr, D1mr, D1mw, D1wb); Dr and Dw are checked below
        string source = File.ReadAllText(Path.Combine(Directory, "cachemiss.S"));

        var functions = ExpectEvents().Matches(source);
        Assert.Equal(6, functions.Count);
        foreach (Match m in functions)
        {
            string function = m.Groups["fn"].Value;
            var cost = report[function];
            Assert.True(cost is not null, $"{function} is not in the profile");
            Assert.Equal((function, "self", m.Groups["self"].Value), (function, "self", string.Join(',', cost.ExclusiveEvents.Take(Misses))));
            Assert.Equal((function, "incl", m.Groups["incl"].Value), (function, "incl", string.Join(',', cost.InclusiveEvents.Take(Misses))));
        }

        var pcs = ExpectEventsPc().Matches(source);
        var listed = new ulong[Misses];
        foreach (Match m in pcs)
        {
            uint pc = report.Functions.Single(f => f.Function.Name == m.Groups["fn"].Value).Function.Start + uint.Parse(m.Groups["offset"].Value);
            var expected = m.Groups["events"].Value.Split(',').Select(ulong.Parse).ToArray();
            var actual = Enumerable.Range(0, Misses).Select(e => session.Cache!.CostAt(pc, e)).ToArray();
            Assert.Equal((m.Groups[0].Value, string.Join(',', expected)), (m.Groups[0].Value, string.Join(',', actual)));
            for (int e = 0; e < Misses; e++) listed[e] += expected[e];
        }
        // The listed instructions carry every event: nothing else was charged.
        Assert.Equal(listed, report.EventTotals.Take(Misses));
        Assert.Equal(listed, Enumerable.Range(0, Misses).Select(session.Cache!.Total));

        // Every total is the cache counter --stats prints: Dr and Dw are the D-cache's reads and writes.
        var i = process.Caches!.InstructionCache!.Counters;
        var d = process.Caches.DataCache!.Counters;
        // Without an L2 the L1 is the last level: ILmr, DLmr and DLmw are the L1 misses.
        Assert.Equal(new[] { i.ReadMisses, d.ReadMisses, d.WriteMisses, d.WriteBacks, d.Reads, d.Writes, i.ReadMisses, d.ReadMisses, d.WriteMisses }, report.EventTotals);
        var ll = process.Caches.LastLevel;
        Assert.Equal(new[] { ll.InstructionReadMisses, ll.DataReadMisses, ll.DataWriteMisses }, report.EventTotals[6..]);
        Assert.True(d.Reads >= d.ReadMisses && d.Writes >= d.WriteMisses && d.Writes > 0);
    }

    /// <summary>The trace says hit or miss for the fetch and each data access, and names the line an eviction wrote back.</summary>
    [Fact]
    public void TraceShowsCacheHitsMissesAndWriteBacks()
    {
        string trace = Path.Combine(Path.GetTempPath(), $"armemu-trace-cache-{Environment.ProcessId}.txt");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", .. SmallCaches, "--trace", trace, Build("cachemiss")]);
            Assert.True(status == 0, stderr);
            var lines = File.ReadAllLines(trace);
            Assert.Equal(6750, lines.Length);
            // Every instruction's fetch went through the I-cache: 8 line misses, the rest hits.
            Assert.Equal(8, lines.Count(l => l.Contains(" I1:miss")));
            Assert.Equal(6742, lines.Count(l => l.Contains(" I1:hit")));
            // The scan's loads all miss; dirty's stores all hit; evict's loads miss and write back a dirty line.
            var scan = lines.Where(l => l.Contains("ldr r3, [r0], #0x20")).ToList();
            Assert.Equal(2048, scan.Count);
            Assert.All(scan, l => Assert.Matches(@" R32\[[0-9a-f]{8}\]=[0-9a-f]{8} D1:miss$", l));
            var stores = lines.Where(l => l.Contains("str r1, [r0], #0x20")).ToList();
            Assert.Equal(128 + 32, stores.Count);
            Assert.Equal(128, stores.Count(l => l.EndsWith(" D1:miss", StringComparison.Ordinal)));
            Assert.Equal(32, stores.Count(l => l.EndsWith(" D1:hit", StringComparison.Ordinal)));
            var evict = lines.Where(l => l.Contains("ldr r2, [r0], #0x20")).ToList();
            Assert.Equal(32, evict.Count);
            Assert.All(evict, l => Assert.Matches(@" R32\[[0-9a-f]{8}\]=[0-9a-f]{8} D1:miss WB\[[0-9a-f]{8}\]$", l));
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void PerFunctionCostsAreTheHandComputedOnes(string name)
    {
        var (report, status) = Profile(Build(name));
        Assert.Equal(0, status);
        string source = File.ReadAllText(Path.Combine(Directory, name + ".S"));
        var expectations = Expect().Matches(source);
        Assert.NotEmpty(expectations);
        Assert.Equal(ulong.Parse(ExpectTotal().Match(source).Groups[1].Value, CultureInfo.InvariantCulture), report.Total);
        foreach (Match m in expectations)
        {
            string function = m.Groups["fn"].Value;
            var cost = report[function];
            Assert.True(cost is not null, $"{function} is not in the profile");
            Assert.Equal((function, ulong.Parse(m.Groups["self"].Value)), (function, cost.Exclusive));
            Assert.Equal((function, ulong.Parse(m.Groups["incl"].Value)), (function, cost.Inclusive));
            Assert.Equal((function, ulong.Parse(m.Groups["calls"].Value)), (function, cost.Calls));
            Assert.Equal((function, ulong.Parse(m.Groups["icf"].Value)), (function, cost.ConditionFailed));
        }
        // Nothing but the listed functions ran.
        Assert.Equal(expectations.Count, report.Functions.Count);
    }

    [Fact]
    public void PerInstructionCountsOfTheLoop()
    {
        var (report, _) = Profile(Build("loop"));
        uint sum = report.Functions.Single(f => f.Function.Name == "sum").Function.Start;
        string source = File.ReadAllText(Path.Combine(Directory, "loop.S"));
        var rows = ExpectPc().Matches(source);
        Assert.Equal(2, rows.Count);
        foreach (Match m in rows)
        {
            uint pc = sum + uint.Parse(m.Groups["offset"].Value);
            Assert.Equal(ulong.Parse(m.Groups["n"].Value), report.Profile.ExecutedAt(pc));
            Assert.Equal(m.Groups["icf"].Success ? ulong.Parse(m.Groups["icf"].Value) : 0, report.Profile.ConditionFailedAt(pc));
        }
        // The instruction before the loop ran once; the word after the function never.
        Assert.Equal(1UL, report.Profile.ExecutedAt(sum + 4));
        Assert.Equal(0UL, report.Profile.ExecutedAt(sum + 24));
    }

    [Fact]
    public void CallEdgesOfTheCallTree()
    {
        var (report, _) = Profile(Build("calltree"));
        string source = File.ReadAllText(Path.Combine(Directory, "calltree.S"));
        var rows = ExpectEdge().Matches(source);
        Assert.Equal(4, rows.Count);
        foreach (Match m in rows)
        {
            var edges = report.Profile.Edges.Where(e => e.Site != uint.MaxValue
                && report.Code.FunctionAt(e.Site).Name == m.Groups["caller"].Value
                && report.Code.FunctionAt(e.Callee).Name == m.Groups["callee"].Value).ToList();
            string what = $"{m.Groups["caller"].Value} -> {m.Groups["callee"].Value}";
            Assert.Equal((what, ulong.Parse(m.Groups["calls"].Value)), (what, (ulong)edges.Sum(e => (long)e.Calls)));
            Assert.Equal((what, ulong.Parse(m.Groups["incl"].Value)), (what, (ulong)edges.Sum(e => (long)e.Inclusive)));
        }
        Assert.True(report.Profile.Edges.Single(e => report.Code.FunctionAt(e.Callee).Name == "leaf").IsTailCall);
    }

    /// <summary>callgrind_annotate (Debian's valgrind) reads the file and its totals are --stats's count.</summary>
    [Theory]
    [InlineData("calltree", false)]
    [InlineData("hello", false)]
    [InlineData("cachemiss", true)]
    public void CallgrindAnnotateReadsTheProfileAndItsTotalIsTheStatsCount(string name, bool smallCaches)
    {
        string binary = name == "hello" ? BuildC(Path.Combine(RepositoryRoot.Path, "guest-tests", "linux", "hello.c")) : Build(name);
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-{name}.out");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", .. smallCaches ? SmallCaches : [], "--stats", "--profile", profile, "--profile-top", "5", binary]);
            Assert.True(status == 0, stderr);
            var stats = Regex.Match(stderr, @"armemu: (\d+) instructions in");
            Assert.True(stats.Success, stderr);
            Assert.Contains("main", stderr); // the top table
            string annotated = GnuToolchain.Run("callgrind_annotate", $"--threshold=100 {profile}", "valgrind");
            var totals = Regex.Match(annotated, @"^([\d,]+) \(100\.0%\) +[\d,]+ .*PROGRAM TOTALS", RegexOptions.Multiline);
            Assert.True(totals.Success, annotated);
            Assert.Equal(stats.Groups[1].Value, totals.Groups[1].Value.Replace(",", ""));
            Assert.Matches(name == "cachemiss" ? @"\?\?\?:scan \[" : @"\?\?\?:main \[", annotated);

            // The cache columns: callgrind_annotate's totals of each are the counters --stats prints.
            var events = Regex.Match(annotated, @"^Events recorded: +(.*)$", RegexOptions.Multiline);
            Assert.Equal("Ir Icf I1mr D1mr D1mw D1wb Dr Dw ILmr DLmr DLmw", events.Groups[1].Value.Trim());
            string totalsLine = annotated.Split('\n').First(l => l.Contains("PROGRAM TOTALS"));
            var numbers = Regex.Replace(totalsLine.Replace("PROGRAM TOTALS", ""), @"\([^)]*\)", "")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => ulong.Parse(n.Replace(",", ""), CultureInfo.InvariantCulture)).ToArray();
            var icache = Regex.Match(stderr, @"armemu: I-cache: \d+ reads \(\d+ hits, (\d+) misses\)");
            var dcache = Regex.Match(stderr, @"armemu: D-cache: (\d+) reads \(\d+ hits, (\d+) misses\), (\d+) writes \(\d+ hits, (\d+) misses\), \d+ fills, (\d+) write-backs");
            Assert.True(icache.Success && dcache.Success, stderr);
            // I1mr D1mr D1mw D1wb Dr Dw: the I-cache misses, the D-cache's read misses, write misses,
            // write-backs, reads and writes, as --stats counts them.
            ulong Group(int g) => ulong.Parse(dcache.Groups[g].Value);
            ulong[] counters = [ulong.Parse(icache.Groups[1].Value), Group(2), Group(4), Group(5), Group(1), Group(3)];
            Assert.Equal(counters, numbers[2..8]);
            // The last level (the L1 here: no L2) as --stats prints it, and the L1 misses.
            var lastLevel = Regex.Match(stderr, @"armemu: last level \(the L1 caches\): (\d+) ILmr, (\d+) DLmr, (\d+) DLmw");
            Assert.True(lastLevel.Success, stderr);
            ulong[] ll = [.. Enumerable.Range(1, 3).Select(g => ulong.Parse(lastLevel.Groups[g].Value, CultureInfo.InvariantCulture))];
            Assert.Equal(ll, numbers[8..]);
            Assert.Equal([counters[0], counters[1], counters[2]], ll);
            Assert.True(counters[0] > 0 && counters[1] > 0 && counters[2] > 0 && counters[4] >= counters[1], stderr); // real columns, not zeros
            if (smallCaches) Assert.Equal([8UL, 2082, 128, 32], counters[..4]);
        }
        finally
        {
            File.Delete(profile);
        }
    }

    /// <summary>
    /// loop.S assembled with -g: callgrind_annotate --auto=yes annotates its source with the
    /// hand-computed count of every line (the header of loop.S): the loop body 10 times, the
    /// failing BNE once in Icf, everything else once.
    /// </summary>
    [Fact]
    public void CallgrindAnnotateShowsEverySourceLineWithItsExactCount()
    {
        string binary = Compile(Path.Combine(Directory, "loop.S"), "-g -static -nostdlib");
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-lines.out");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", "--profile", profile, binary]);
            Assert.True(status == 0, stderr);
            string annotated = GnuToolchain.Run("callgrind_annotate", $"--auto=yes {profile}", "valgrind");
            Assert.Contains("-- Auto-annotated source: ", annotated);
            Assert.Matches(@"33 \(78\.57%\) +1 \(50\.00%\).*/loop\.S:sum \[", annotated);
            (string Source, int Ir, int Icf)[] expected =
            [
                ("mov r0, #10", 1, 0), ("bl sum", 1, 0), ("ldr r2, =result", 1, 0), ("str r0, [r2]", 1, 0),
                ("cmp r0, #55", 1, 0), ("movne r0, #1", 1, 1), ("moveq r0, #0", 1, 0), ("mov r7, #1", 1, 0),
                ("svc #0", 1, 0), ("mov r1, r0", 1, 0), ("mov r0, #0", 1, 0), ("add r0, r0, r1", 10, 0),
                ("subs r1, r1, #1", 10, 0), ("bne 1b", 10, 1), ("bx lr", 1, 0),
            ];
            foreach (var (source, ir, icf) in expected)
            {
                string line = annotated.Split('\n').Single(l => l.Contains(source, StringComparison.Ordinal) && !l.Contains("@ expect"));
                var counts = Regex.Matches(line, @"^ *(\d+|\.)(?: \( *[\d.]+%\))? +(\d+|\.)");
                Assert.True(counts.Count == 1, line);
                Assert.Equal(ir.ToString(CultureInfo.InvariantCulture), counts[0].Groups[1].Value);
                Assert.Equal(icf == 0 ? "0" : icf.ToString(CultureInfo.InvariantCulture), counts[0].Groups[2].Value);
            }
            // Lines that hold no instruction have no cost.
            Assert.Matches(@"^ +\. +\. .*\.ltorg", annotated.Split('\n').Single(l => l.Contains(".ltorg")));
        }
        finally
        {
            File.Delete(profile);
        }
    }

    /// <summary>
    /// Code named by assembly labels only (STT_NOTYPE) is named by them; a stripped copy is named
    /// by a separate symbol file given with --symbols, as an unstripped ELF or as a System.map.
    /// </summary>
    [Fact]
    public void LabelsAndSeparateSymbolFilesNameTheCode()
    {
        string binary = Build("labels");
        string work = System.IO.Directory.CreateTempSubdirectory("armemu-symbols-").FullName;
        try
        {
            string stripped = Path.Combine(work, "labels-stripped");
            GnuToolchain.Run("arm-none-eabi-strip", $"-o {stripped} {binary}", "binutils-arm-none-eabi");
            string map = Path.Combine(work, "System.map");
            File.WriteAllText(map, GnuToolchain.Run("arm-none-eabi-nm", $"-n {binary}", "binutils-arm-none-eabi"));

            Assert.Equal([("_start", 19UL), ("untyped_helper", 10UL)], TopFunctions(binary));
            var anonymous = TopFunctions(stripped);
            Assert.DoesNotContain(anonymous, f => f.Name is "_start" or "untyped_helper");
            Assert.Equal(29UL, anonymous.Aggregate(0UL, (sum, f) => sum + f.Self));
            Assert.Equal([("_start", 19UL), ("untyped_helper", 10UL)], TopFunctions(stripped, "--symbols", binary));
            Assert.Equal([("_start", 19UL), ("untyped_helper", 10UL)], TopFunctions(stripped, "--symbols", map));

            var (status, _, stderr) = RunArmEmu(["run", "--profile-top", "5", "--symbols", Path.Combine(work, "missing.map"), stripped]);
            Assert.Equal(2, status);
            Assert.Contains("--symbols", stderr);
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The functions of --profile-top with their self counts, most expensive first.</summary>
    private static List<(string Name, ulong Self)> TopFunctions(string binary, params string[] extra)
    {
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-{Guid.NewGuid():N}.out");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", "--profile", profile, .. extra, binary]);
            Assert.True(status == 0, stderr);
            string annotated = GnuToolchain.Run("callgrind_annotate", $"--threshold=100 {profile}", "valgrind");
            return [.. Regex.Matches(annotated, @"^ *([\d,]+) \([\d.]+%\).* \?\?\?:(\S+) \[", RegexOptions.Multiline)
                .Select(m => (m.Groups[2].Value, ulong.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture)))];
        }
        finally
        {
            File.Delete(profile);
        }
    }

    /// <summary>The trace of loop.S against guest-tests/profiling/loop.trace (ARMEMU_UPDATE_EXPECTED=1 rewrites it).</summary>
    [Fact]
    public void TraceOfTheLoopIsTheExpectedOne()
    {
        string trace = Path.Combine(Path.GetTempPath(), $"armemu-trace-{Environment.ProcessId}.txt");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", "--trace", trace, Build("loop")]);
            Assert.True(status == 0, stderr);
            string expectedPath = Path.Combine(Directory, "loop.trace");
            if (Environment.GetEnvironmentVariable("ARMEMU_UPDATE_EXPECTED") == "1") File.Copy(trace, expectedPath, overwrite: true);
            Assert.Equal(File.ReadAllText(expectedPath), File.ReadAllText(trace));

            // A window: from the first time the loop body is reached, up to (not including) instruction 10.
            var (_, _, _) = RunArmEmu(["run", "--trace", trace, "--trace-from", "0x" + LoopBody(expectedPath), "--trace-to", "10", Build("loop")]);
            var lines = File.ReadAllLines(trace);
            Assert.Equal(["5", "6", "7", "8", "9"], lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        }
        finally
        {
            File.Delete(trace);
        }

        static string LoopBody(string expected) =>
            File.ReadLines(expected).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(f => f[0] == "5")[1];
    }

    /// <summary>
    /// threads4.c: --profile writes one file per thread (FILE, FILE-02, FILE-03, FILE-04, as
    /// callgrind's --separate-threads), each naming its thread; their totals add up to the
    /// instructions --stats counts, and each thread's work() is charged to that thread only
    /// (1, 2, 3 and 4 hundred thousand iterations: ascending costs in thread order).
    /// </summary>
    [Fact]
    public void EveryThreadGetsAProfileAndTheTotalsAddUpToTheRun()
    {
        string binary = Compile(Path.Combine(Directory, "threads4.c"), "-O2 -static -pthread");
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-threads.out");
        string[] files = [profile, .. Enumerable.Range(2, 4).Select(n => $"{profile}-{n:D2}")];
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", "--stats", "--profile", profile, binary]);
            Assert.True(status == 0, stderr);
            ulong instructions = ulong.Parse(Regex.Match(stderr, @"armemu: (\d+) instructions").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.False(File.Exists(files[4]), "a fifth thread's profile");
            ulong sum = 0;
            var work = new List<ulong>();
            for (int i = 0; i < 4; i++)
            {
                string text = File.ReadAllText(files[i]);
                Assert.Contains($"\nthread: {i + 1}\n", text);
                sum += ulong.Parse(Regex.Match(text, @"\nsummary: (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
                string annotated = GnuToolchain.Run("callgrind_annotate", files[i], "valgrind");
                var line = Regex.Match(annotated, @"^\s*([\d,]+) .*:work ", RegexOptions.Multiline);
                Assert.True(line.Success, annotated);
                work.Add(ulong.Parse(line.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture));
            }
            Assert.Equal(instructions, sum);
            // work(n) costs about 5n instructions in each thread; the threads are numbered in the order they first ran.
            var sorted = work.Order().ToList();
            for (int i = 0; i < 4; i++) Assert.InRange(sorted[i], 400_000UL * (ulong)(i + 1), 800_000UL * (ulong)(i + 1));
        }
        finally
        {
            foreach (string f in files) File.Delete(f);
        }
    }

    private static (ProfileReport Report, int? Status) Profile(string binary)
    {
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary] });
        var session = ProfilingSession.ForLinux(process);
        int? status = process.Run(10_000_000);
        var report = session.Report();
        Assert.Equal(process.Cpu.InstructionsExecuted, report.Total);
        return (report, status);
    }

    private static (int Status, string Stdout, string Stderr) RunArmEmu(IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(ArmEmuCli.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "armemu did not finish in 60 s");
        return (p.ExitCode, stdout.Result, stderr);
    }

    private static string Build(string name) =>
        Compile(Path.Combine(Directory, name + ".S"), "-static -nostdlib");

    private static string BuildC(string source) => Compile(source, "-O2 -static");

    /// <summary>Builds with arm-linux-gnueabi-gcc, cached by a hash of the source and flags.</summary>
    private static string Compile(string source, string flags)
    {
        // The path too: -g records it, and callgrind_annotate reads the source from there (a build made
        // from another checkout of the same file would send it to a directory that may be gone).
        string key = GnuToolchain.Hash($"profiling|{flags}|{source}|{File.ReadAllText(source)}");
        string cache = Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");
        string directory = Path.Combine(cache, $"profiling-{key}");
        string binary = Path.Combine(directory, Path.GetFileNameWithoutExtension(source));
        if (File.Exists(binary)) return binary;
        System.IO.Directory.CreateDirectory(directory);
        string temporary = binary + "." + Environment.ProcessId;
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"{flags} -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }

    [GeneratedRegex(@"^@ expect: (?<fn>\w+) self=(?<self>\d+) incl=(?<incl>\d+) calls=(?<calls>\d+) icf=(?<icf>\d+)$", RegexOptions.Multiline)]
    private static partial Regex Expect();

    [GeneratedRegex(@"^@ expect-total: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectTotal();

    [GeneratedRegex(@"^@ expect-pc: sum\+(?<offset>\d+) (?<n>\d+)(?: icf=(?<icf>\d+))?$", RegexOptions.Multiline)]
    private static partial Regex ExpectPc();

    [GeneratedRegex(@"^@ expect-events: (?<fn>\w+) self=(?<self>[\d,]+) incl=(?<incl>[\d,]+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectEvents();

    [GeneratedRegex(@"^@ expect-events-pc: (?<fn>\w+)\+(?<offset>\d+) (?<events>[\d,]+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectEventsPc();

    [GeneratedRegex(@"^@ expect-edge: (?<caller>\w+) (?<callee>\w+) calls=(?<calls>\d+) incl=(?<incl>\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectEdge();
}
