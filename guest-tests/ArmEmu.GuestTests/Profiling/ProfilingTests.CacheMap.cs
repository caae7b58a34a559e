using System.Buffers.Binary;

namespace ArmEmu.GuestTests.Profiling;

/// <summary>--cache-map from the command line (the picture's pixels are checked in CacheMapTests).</summary>
public sealed partial class ProfilingTests
{
    /// <summary>
    /// cachemiss.S with 1 KiB direct-mapped L1s (32 sets: two rows a set, so 64-pixel bands): a
    /// PNG of three bands and two rules; --no-cache and an unwritable path get one line and status 2.
    /// </summary>
    [Fact]
    public void CacheMapWritesThePictureAndRefusesWhatCannotWork()
    {
        string map = Path.Combine(Path.GetTempPath(), $"armemu-cache-map-{Environment.ProcessId}.png");
        try
        {
            var (status, _, stderr) = RunArmEmu(["run", .. SmallCaches, "--cache-map", map, Build("cachemiss")]);
            Assert.True(status == 0, stderr);
            byte[] png = File.ReadAllBytes(map);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            int width = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16));
            int height = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
            Assert.Equal(3 * 64 + 2 * 2, height);
            Assert.InRange(width, 20, 30); // 6,750 instructions in columns of 256

            (status, _, stderr) = RunArmEmu(["run", "--no-cache", "--cache-map", map, Build("cachemiss")]);
            Assert.Equal(2, status);
            Assert.Contains("--cache-map", stderr);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            (status, _, stderr) = RunArmEmu(["run", "--cache-map", "/nonexistent-dir/map.png", Build("cachemiss")]);
            Assert.Equal(2, status);
            Assert.Contains("--cache-map", stderr);
        }
        finally
        {
            File.Delete(map);
        }
    }
}
