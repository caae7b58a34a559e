using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ArmEmu.TestSupport;
using RunResult = ArmEmu.TestSupport.IsolatedRunResult;

namespace ArmEmu.GuestTests.Seeds;

/// <summary>
/// The bare-metal seed scenarios of guest-tests/seeds (see its README): each runs under
/// `armemu system` with the cache model on (the seed's failure must show), under
/// `armemu system --no-cache` (it must disappear) and under QEMU through
/// guest-tests/system/run-qemu.sh (QEMU models no caches: it must not reproduce it).
/// NAME.expected is the output with the cache model; NAME.coherent.expected, where the
/// failure changes the output, the output with no cache (QEMU and --no-cache); without
/// it the output is the same everywhere. Scenarios with a NAME.png reference image have
/// their `--screenshot` compared pixel for pixel: the cache-model run with NAME.png, the
/// --no-cache run with the correct picture, lcd_dma.flush.png.
/// </summary>
public class BareMetalSeedTests
{
    private static readonly string SeedsDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "seeds");
    private static readonly string SystemCommonDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "common");
    private static readonly string GoodPicture = Path.Combine(SeedsDir, "lcd_dma.flush.png");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (string name in ScenarioNames()) data.Add(name);
        return data;
    }

    [Fact]
    public void EveryScenarioHasItsExpectations()
    {
        var names = ScenarioNames();
        foreach (string required in new[] { "lcd_dma.flush", "lcd_dma.noflush", "flush_kern_cache_all_wt", "lookup_processor_type", "vivt_alias" })
            Assert.Contains(required, names);
        foreach (string name in names)
            Assert.True(File.Exists(Path.Combine(SeedsDir, name + ".expected")), $"{name}.expected is missing");
        // The scenarios that reproduce a cache failure say so: their outputs differ with and without caches.
        foreach (string name in new[] { "lcd_dma.noflush", "flush_kern_cache_all_wt", "vivt_alias" })
            Assert.NotEqual(Read(name + ".expected"), Read(name + ".coherent.expected"));
        Assert.False(File.Exists(Path.Combine(SeedsDir, "lookup_processor_type.coherent.expected")));
        Assert.False(File.Exists(Path.Combine(SeedsDir, "lcd_dma.flush.coherent.expected")));
        Assert.NotEqual(DecodePng(File.ReadAllBytes(GoodPicture)).Rgb, DecodePng(File.ReadAllBytes(Path.Combine(SeedsDir, "lcd_dma.noflush.png"))).Rgb);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ArmEmuWithTheCacheModelReproducesTheSeed(string name)
    {
        string screenshot = Path.Combine(Path.GetTempPath(), $"armemu-seed-{name}-{Guid.NewGuid():N}.png");
        try
        {
            var run = Run(ArmEmuCli.Path, ["system", "--screenshot", screenshot, Build(name)]);
            AssertRun("armemu system", name, run, Read(name + ".expected"));
            string reference = Path.Combine(SeedsDir, name + ".png");
            if (File.Exists(reference))
            {
                AssertSamePicture(reference, screenshot, "armemu system --screenshot");
            }
            else
            {
                // The scenario never programs the LCD: no file, a note instead.
                Assert.False(File.Exists(screenshot), $"{name} does not use the LCD, yet --screenshot wrote a file");
                Assert.Contains("never programmed the LCD", run.Stderr);
            }
        }
        finally
        {
            File.Delete(screenshot);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void WithoutTheCacheModelTheProblemDisappears(string name)
    {
        string screenshot = Path.Combine(Path.GetTempPath(), $"armemu-seed-{name}-nocache-{Guid.NewGuid():N}.png");
        try
        {
            var run = Run(ArmEmuCli.Path, ["system", "--no-cache", "--screenshot", screenshot, Build(name)]);
            AssertRun("armemu system --no-cache", name, run, CoherentExpected(name));
            if (File.Exists(Path.Combine(SeedsDir, name + ".png")))
                AssertSamePicture(GoodPicture, screenshot, "armemu system --no-cache --screenshot");
        }
        finally
        {
            File.Delete(screenshot);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void QemuDoesNotReproduceIt(string name)
    {
        var run = Run("bash", [Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "run-qemu.sh"), Build(name)]);
        AssertRun("qemu-system-arm", name, run, CoherentExpected(name));
    }

    [Fact]
    public void PngDecoderReadsWhatPngWriterWrites()
    {
        // The comparison below decodes PNGs; check the decoder on a known frame (every filter-0 row).
        byte[] rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37);
        var decoded = DecodePng(ArmEmu.Emulator.Imaging.PngWriter.Encode(5, 3, rgb));
        Assert.Equal((5, 3), (decoded.Width, decoded.Height));
        Assert.Equal(rgb, decoded.Rgb);
    }

    // ---- assertions ------------------------------------------------------------------------

    private static void AssertRun(string what, string name, RunResult run, string expected)
    {
        Assert.False(run.TimedOut, $"{what} did not finish {name} within {Timeout.TotalSeconds} s; stdout so far:\n{run.Stdout}");
        Assert.True(expected == run.Stdout, $"{what}: output of {name} differs (stderr: {run.Stderr}):\n{Diff(expected, run.Stdout)}");
        Assert.True(run.ExitCode == 0, $"{what}: {name} exited with {run.ExitCode} (stderr: {run.Stderr})");
        Assert.True(run.LeftFiles.Length == 0, $"{name} left files in its working directory: {string.Join(", ", run.LeftFiles)}");
    }

    private static void AssertSamePicture(string referencePath, string screenshotPath, string what)
    {
        Assert.True(File.Exists(screenshotPath), $"{what} wrote no file");
        var expected = DecodePng(File.ReadAllBytes(referencePath));
        var actual = DecodePng(File.ReadAllBytes(screenshotPath));
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        if (expected.Rgb.AsSpan().SequenceEqual(actual.Rgb)) return;
        int width = expected.Width, differing = 0, firstRow = -1;
        for (int y = 0; y < expected.Height; y++)
        {
            if (expected.Rgb.AsSpan(y * width * 3, width * 3).SequenceEqual(actual.Rgb.AsSpan(y * width * 3, width * 3))) continue;
            differing++;
            if (firstRow < 0) firstRow = y;
        }
        Assert.Fail($"{what}: the screenshot differs from {Path.GetFileName(referencePath)} in {differing} rows (first: row {firstRow})");
    }

    // ---- scenarios and builds --------------------------------------------------------------

    /// <summary>NAME for each NAME.c, or NAME.VARIANT for each line of NAME.variants (as build.sh --list).</summary>
    private static List<string> ScenarioNames()
    {
        var names = new List<string>();
        foreach (string source in Directory.GetFiles(SeedsDir, "*.c").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(source);
            string variants = Path.Combine(SeedsDir, name + ".variants");
            if (!File.Exists(variants))
            {
                names.Add(name);
                continue;
            }
            foreach (string line in File.ReadAllLines(variants))
                if (line.Trim() is { Length: > 0 } v && !v.StartsWith('#')) names.Add($"{name}.{v}");
        }
        return names;
    }

    private static string Read(string file) => Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(SeedsDir, file)));

    private static string CoherentExpected(string name) =>
        File.Exists(Path.Combine(SeedsDir, name + ".coherent.expected")) ? Read(name + ".coherent.expected") : Read(name + ".expected");

    private static readonly Lazy<string> CompilerVersion = new(() => GnuToolchain.Run("arm-none-eabi-gcc", "--version", "gcc-arm-none-eabi"));

    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();

    /// <summary>The scenario's ELF image, built by build.sh and cached under a hash of its inputs and the compiler version.</summary>
    private static string Build(string name) => Builds.GetOrAdd(name, n => new Lazy<string>(() => BuildUncached(n))).Value;

    private static string BuildUncached(string name)
    {
        string program = name.Split('.')[0];
        var inputs = new StringBuilder().Append(CompilerVersion.Value).Append('\0').Append(name);
        var files = new List<string> { Path.Combine(SeedsDir, "build.sh") };
        files.AddRange(Directory.GetFiles(Path.Combine(SeedsDir, "common")).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetFiles(SystemCommonDir).Order(StringComparer.Ordinal));
        files.AddRange(new[] { program + ".c", program + ".variants" }.Select(f => Path.Combine(SeedsDir, f)).Where(File.Exists));
        foreach (string file in files)
            inputs.Append('\0').Append(Path.GetRelativePath(RepositoryRoot.Path, file)).Append('\0').Append(File.ReadAllText(file));

        string cache = Path.Combine(Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"), "seeds");
        string elf = Path.Combine(cache, $"{name}-{GnuToolchain.Hash(inputs.ToString())}.elf");
        if (File.Exists(elf)) return elf;
        Directory.CreateDirectory(cache);
        string work = Path.Combine(cache, $"build-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            GnuToolchain.Run("bash", $"\"{Path.Combine(SeedsDir, "build.sh")}\" \"{work}\" {name}", "gcc-arm-none-eabi");
            File.Move(Path.Combine(work, name + ".elf"), elf, overwrite: true);
            return elf;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    // ---- running ---------------------------------------------------------------------------


    private static RunResult Run(string program, string[] arguments) => IsolatedRun.InFreshDirectory(program, arguments, Timeout);


    private static string Diff(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of output>", al = i < a.Length ? a[i] : "<end of output>";
            if (el != al) return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}\nactual output:\n{actual}";
        }
        return "(no line differs)";
    }

    // ---- PNG -------------------------------------------------------------------------------

    private sealed record Picture(int Width, int Height, byte[] Rgb);

    /// <summary>
    /// Decodes an 8-bit truecolour, non-interlaced PNG (what PngWriter writes, or any encoder
    /// of that format: all five row filters are undone) into RGB rows, so pictures compare by
    /// pixels, not by how zlib happened to compress them.
    /// </summary>
    private static Picture DecodePng(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG file");
        int width = 0, height = 0;
        var idat = new MemoryStream();
        for (int at = 8; at + 12 <= png.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                Assert.True(data[8] == 8 && data[9] == 2 && data[12] == 0, "only 8-bit RGB, non-interlaced PNGs are decoded here");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        byte[] filtered = raw.ToArray();
        int stride = width * 3;
        Assert.Equal((stride + 1) * height, filtered.Length);
        var rgb = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= 3 ? rgb[y * stride + x - 3] : 0, b = y > 0 ? rgb[(y - 1) * stride + x] : 0;
                int c = x >= 3 && y > 0 ? rgb[(y - 1) * stride + x - 3] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                    _ => throw new InvalidDataException($"PNG row filter {filter}"),
                };
                rgb[y * stride + x] = (byte)(filtered[y * (stride + 1) + 1 + x] + predictor);
            }
        }
        return new Picture(width, height, rgb);
    }
}
