using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArmEmu.Emulator.Loaders;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Seeds;

/// <summary>
/// `--check-coherence` on the seed programs: each hazard is reported once per line, on stderr
/// and in --stats-json, naming the guilty instruction -- checked against the guest's own
/// addresses (what it prints) and its ELF symbol table -- and nothing is reported where the
/// program does its cache maintenance, or where there is no cache model (--no-cache).
/// </summary>
public sealed partial class CoherenceDiagnosticsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string SeedsDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "seeds");
    private static readonly string LinuxSeedsDir = Path.Combine(SeedsDir, "linux");

    // ---- seed 000: the JIT without __clear_cache ---------------------------------------------

    [Fact]
    public void ClearCache_WithoutTheFlush_NamesThePatchedInstructionOnce()
    {
        var run = Run(["run"], LinuxProgram("clearcache"), ["none"]);
        Assert.Contains("after rewriting 1: STALE code", run.Stdout);
        uint code = Convert.ToUInt32(Regex.Match(run.Stdout, @"code buffer at 0x([0-9a-f]+)").Groups[1].Value, 16);

        var report = Assert.Single(run.Reports);
        Assert.Equal("StaleInstructionFetch", report.Hazard);
        Assert.Equal(code, report.Pc);             // the first word of the buffer: the patched mov r0, #2
        Assert.Equal(code, report.VirtualAddress);
        Assert.Equal(code & 0xFFF, report.PhysicalAddress & 0xFFF); // same offset in its frame
        Assert.NotEqual(code, report.PhysicalAddress);               // and a real physical address, not the VA again
        Assert.Contains("fetched 0xe3a00001 but memory now holds 0xe3a00002", report.Message);
    }

    [Theory]
    [InlineData("builtin")]
    [InlineData("seed")]
    public void ClearCache_WithTheFlush_NothingIsReported(string flush)
    {
        var run = Run(["run"], LinuxProgram("clearcache"), [flush]);
        Assert.Contains("after rewriting 2: new code", run.Stdout);
        Assert.Empty(run.Reports);
    }

    [Fact]
    public void ClearCache_AllRounds_OnlyTheUnflushedOneIsReported()
    {
        var run = Run(["run"], LinuxProgram("clearcache"), []);
        Assert.Equal(File.ReadAllText(Path.Combine(LinuxSeedsDir, "clearcache.cache.expected")), run.Stdout);
        Assert.Equal("StaleInstructionFetch", Assert.Single(run.Reports).Hazard);
    }

    // ---- seed 001: the LCD fed by DMA without flush_cache_all ---------------------------------

    [Fact]
    public void LcdDma_WithoutTheFlush_EachDirtyLineIsNamedWithTheStoreInTheDrawingRoutine()
    {
        string elfPath = BareMetalProgram("lcd_dma.noflush");
        var run = Run(["system"], elfPath, []);
        Assert.Contains("rows differ from the picture", run.Stdout);
        var elf = ElfFile.Load(elfPath);
        var draw = elf.Symbols.Single(s => s.Name.StartsWith("draw", StringComparison.Ordinal) && s.Size > 0);

        Assert.NotEmpty(run.Reports);
        foreach (var r in run.Reports)
        {
            Assert.Equal("DmaReadOfDirtyLine", r.Hazard);
            Assert.True(elf.SymbolAt(r.Pc)?.Name == draw.Name, $"pc 0x{r.Pc:x8} is in {elf.SymbolAt(r.Pc)?.Name ?? "nothing"}, not {draw.Name}");
            // A halfword store (STRH, ARM ARM A5.3): the pixel write that dirtied the line.
            uint op = Word(elf, r.Pc);
            Assert.True((op & 0x0E1000F0) == 0x000000B0, $"pc 0x{r.Pc:x8} holds 0x{op:x8}, not a STRH");
            // The back buffer (BACK, 320x240 RGB565, flat-mapped), one report per 32-byte line.
            Assert.InRange(r.PhysicalAddress, 0x0020_0000u, 0x0020_0000u + 320 * 240 * 2 - 1);
            Assert.Equal(0u, r.PhysicalAddress & 31);
            Assert.Equal(r.PhysicalAddress, r.VirtualAddress);
        }
        Assert.Equal(run.Reports.Count, run.Reports.Select(r => r.PhysicalAddress).Distinct().Count());
    }

    [Fact]
    public void LcdDma_WithTheFlush_NothingIsReported()
    {
        var run = Run(["system"], BareMetalProgram("lcd_dma.flush"), []);
        Assert.Contains("lcd: all 240 rows show the picture", run.Stdout);
        Assert.Empty(run.Reports);
    }

    // ---- seed 003: VIVT aliases ----------------------------------------------------------------

    [Fact]
    public void VivtAlias_DivergentAliasesNamesBothAliases()
    {
        string elfPath = BareMetalProgram("vivt_alias");
        var run = Run(["system"], elfPath, []);
        var elf = ElfFile.Load(elfPath);
        // The program prints each pair: "A 00600040 (set 2), other alias 00601040 (set 2), memory 00500040".
        var pairs = Regex.Matches(run.Stdout, @"A ([0-9a-f]{8}) \(set \d+\), other alias ([0-9a-f]{8}) \(set \d+\), memory ([0-9a-f]{8})")
            .Select(m => (A: Hex(m.Groups[1].Value), Other: Hex(m.Groups[2].Value), Memory: Hex(m.Groups[3].Value))).ToArray();
        Assert.Equal(2, pairs.Length);

        Assert.Equal(pairs.Length, run.Reports.Count);
        foreach (var (pair, report) in pairs.Zip(run.Reports))
        {
            Assert.Equal("DivergentAliases", report.Hazard);
            Assert.Equal(pair.A, report.VirtualAddress); // the alias written through
            Assert.Equal(pair.Memory, report.PhysicalAddress);
            Assert.Contains($"0x{pair.A:x8} and 0x{pair.Other:x8}", report.Message);
            Assert.Equal("main", elf.SymbolAt(report.Pc)?.Name);
            Assert.True((Word(elf, report.Pc) & 0x0C500000) == 0x04000000, $"pc 0x{report.Pc:x8} is not a STR");
        }
    }

    // ---- seed 002: a user-space driver's DMA through /dev/mem ---------------------------------

    [Fact]
    public void DevMem_OnlyTheCacheableUnflushedBufferIsReported()
    {
        string binary = LinuxProgram("devmem_dma");
        var run = Run(["run"], binary, []);
        Assert.Equal(File.ReadAllText(Path.Combine(LinuxSeedsDir, "devmem_dma.cache.expected")), run.Stdout);
        var elf = ElfFile.Load(binary);

        // Variant n's source buffer is the frame 0x0FF00000 + 0x1000 * n; 64 words = 8 lines.
        // 1 (cacheable, no flush) is the hazard; 2 (O_SYNC), 3 (cacheflush) and 4 (MAP_PRIVATE:
        // the real frame is never written) are not.
        Assert.Equal(Enumerable.Range(0, 8).Select(i => 0x0FF0_1000u + 32u * (uint)i), run.Reports.Select(r => r.PhysicalAddress).Order());
        foreach (var r in run.Reports)
        {
            Assert.Contains(r.Hazard, new[] { "DmaReadOfDirtyLine", "DmaReadOfBufferedWrite" });
            Assert.Equal("variant", elf.SymbolAt(r.Pc)?.Name); // buf[i] += ...
        }
    }

    // ---- --no-cache ----------------------------------------------------------------------------

    [Fact]
    public void NoCache_CheckCoherenceAttachesNothingAndIsNoError()
    {
        var linux = Run(["run", "--no-cache"], LinuxProgram("clearcache"), ["none"]);
        Assert.Contains("after rewriting 2: new code", linux.Stdout);
        Assert.Empty(linux.Reports);
        Assert.DoesNotContain("coherence", linux.Stderr);
        Assert.Equal(JsonValueKind.Null, linux.Caches.ValueKind);

        var board = Run(["system", "--no-cache"], BareMetalProgram("lcd_dma.noflush"), []);
        Assert.Contains("lcd: all 240 rows show the picture", board.Stdout);
        Assert.Empty(board.Reports);
        Assert.DoesNotContain("coherence", board.Stderr);
        Assert.Equal(JsonValueKind.Null, board.Caches.ValueKind);
    }

    // ---- running -------------------------------------------------------------------------------

    private sealed record Report(string Hazard, uint Pc, uint VirtualAddress, uint PhysicalAddress, ulong Instruction, string Message);

    private sealed record Result(string Stdout, string Stderr, IReadOnlyList<Report> Reports, JsonElement Caches);

    [GeneratedRegex(@"^armemu: coherence: (\w+) at pc 0x([0-9a-f]{8}) \(instruction (\d+)\): va 0x([0-9a-f]{8}), pa 0x([0-9a-f]{8}): (.*)$")]
    private static partial Regex ReportLine();

    /// <summary>
    /// Runs armemu with --check-coherence and --stats-json; checks it succeeded, that every
    /// coherence line on stderr has the documented form, that the JSON's caches.coherence holds
    /// exactly the same reports in the same order, and that no hazard is reported twice for a line.
    /// </summary>
    private static Result Run(string[] command, string program, string[] arguments)
    {
        string json = Path.Combine(Path.GetTempPath(), $"armemu-coherence-{Guid.NewGuid():N}.json");
        try
        {
            var tool = ArmEmuCli.RunTool(ArmEmuCli.Path, [.. command, "--check-coherence", "--stats-json", json, program, .. arguments],
                Path.GetTempPath(), environment: null, stdinPath: null, Timeout);
            Assert.True(tool.ExitCode == 0, $"armemu {string.Join(' ', command)} {Path.GetFileName(program)}: {tool}");

            var printed = new List<Report>();
            foreach (string line in tool.StderrText.Split('\n').Where(l => l.StartsWith("armemu: coherence:", StringComparison.Ordinal)))
            {
                var m = ReportLine().Match(line);
                Assert.True(m.Success, $"malformed report: {line}");
                printed.Add(new Report(m.Groups[1].Value, Hex(m.Groups[2].Value), Hex(m.Groups[4].Value), Hex(m.Groups[5].Value),
                    ulong.Parse(m.Groups[3].Value), m.Groups[6].Value));
            }

            using var stats = JsonDocument.Parse(File.ReadAllText(json));
            var caches = stats.RootElement.GetProperty("caches").Clone();
            if (caches.ValueKind == JsonValueKind.Null)
            {
                Assert.Empty(printed);
                return new Result(tool.StdoutText, tool.StderrText, printed, caches);
            }
            var recorded = caches.GetProperty("coherence").EnumerateArray().Select(e => new Report(
                e.GetProperty("hazard").GetString()!, e.GetProperty("pc").GetUInt32(), e.GetProperty("virtualAddress").GetUInt32(),
                e.GetProperty("physicalAddress").GetUInt32(), e.GetProperty("instruction").GetUInt64(), e.GetProperty("message").GetString()!)).ToList();
            Assert.Equal(printed, recorded);
            // Once per line (the ARM926's 32-byte lines).
            Assert.Equal(printed.Count, printed.Select(r => (r.Hazard, r.PhysicalAddress & ~31u)).Distinct().Count());
            return new Result(tool.StdoutText, tool.StderrText, printed, caches);
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static uint Hex(string text) => Convert.ToUInt32(text, 16);

    /// <summary>The word at a virtual address in the ELF image's loadable segments.</summary>
    private static uint Word(ElfFile elf, uint address)
    {
        foreach (var segment in elf.LoadSegments)
        {
            var data = elf.SegmentData(segment);
            if (address >= segment.VirtualAddress && address + 4 <= segment.VirtualAddress + (uint)data.Length)
                return BitConverter.ToUInt32(data[(int)(address - segment.VirtualAddress)..]);
        }
        throw new InvalidOperationException($"0x{address:x8} is not in a loaded segment");
    }

    // ---- builds (as BareMetalSeedTests and LinuxSeedTests build them, cached by input hash) -----

    private static readonly Lazy<string> BareMetalCompiler = new(() => GnuToolchain.Run("arm-none-eabi-gcc", "--version", "gcc-arm-none-eabi"));

    private static string CacheDirectory =>
        Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");

    /// <summary>A scenario of guest-tests/seeds (NAME or NAME.VARIANT) built by its build.sh.</summary>
    private static string BareMetalProgram(string scenario)
    {
        string program = scenario.Split('.')[0];
        var inputs = new StringBuilder().Append(BareMetalCompiler.Value).Append('\0').Append(scenario);
        var files = new List<string> { Path.Combine(SeedsDir, "build.sh") };
        files.AddRange(Directory.GetFiles(Path.Combine(SeedsDir, "common")).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "common")).Order(StringComparer.Ordinal));
        files.AddRange(new[] { program + ".c", program + ".variants" }.Select(f => Path.Combine(SeedsDir, f)).Where(File.Exists));
        foreach (string file in files)
            inputs.Append('\0').Append(Path.GetRelativePath(RepositoryRoot.Path, file)).Append('\0').Append(File.ReadAllText(file));
        string cache = Path.Combine(CacheDirectory, "seeds");
        string elf = Path.Combine(cache, $"{scenario}-{GnuToolchain.Hash(inputs.ToString())}.elf");
        if (File.Exists(elf)) return elf;
        Directory.CreateDirectory(cache);
        string work = Path.Combine(cache, $"build-{scenario}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            GnuToolchain.Run("bash", $"\"{Path.Combine(SeedsDir, "build.sh")}\" \"{work}\" {scenario}", "gcc-arm-none-eabi");
            File.Move(Path.Combine(work, scenario + ".elf"), elf, overwrite: true);
            return elf;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A program of guest-tests/seeds/linux, built with arm-linux-gnueabi-gcc -O2 -static.</summary>
    private static string LinuxProgram(string program)
    {
        const string compiler = "arm-linux-gnueabi-gcc", flags = "-O2 -static -Wall";
        string source = Path.Combine(LinuxSeedsDir, program + ".c");
        string key = GnuToolchain.Hash($"{compiler}|{flags}|{File.ReadAllText(source)}");
        string binary = Path.Combine(CacheDirectory, $"seed-linux-{key}", program);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        string partial = $"{binary}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        GnuToolchain.Run(compiler, $"{flags} -o {partial} {source}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }
}
