using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ArmEmu.Emulator.Imaging;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Tests.Imaging;

/// <summary>
/// --cache-map on a hand-computed scenario: the ARM926 D-cache (16 KiB, 4 ways, 32-byte lines:
/// 128 sets, addresses 4 KiB apart share a set) with round-robin replacement, and a loop that
/// reads five lines of one set in turn, so every load misses there and nowhere else. The PNG is
/// decoded back and its pixels checked.
/// </summary>
public class CacheMapTests
{
    private const uint Code = 0x1_0000, DataBase = 0x2000_0000;
    private const int ThrashedSet = 37;

    // r0..r6: five addresses of set 37, 4 KiB apart. Each round: five loads (all miss: five
    // lines cycling through four ways), subs, bne: 7 instructions; 5 before the loop.
    private const string Program = """
            add r3, r0, #0x1000
            add r4, r0, #0x2000
            add r5, r0, #0x3000
            add r6, r0, #0x4000
        1:  ldr r2, [r0]
            ldr r2, [r3]
            ldr r2, [r4]
            ldr r2, [r5]
            ldr r2, [r6]
            subs r1, r1, #1
            bne 1b
        """;

    private const uint End = Code + 44;

    private static (Emulator Emu, CacheMap Map) Run(int rounds)
    {
        var emu = Emulator.Create("arm926");
        var caches = emu.EnableCaches(CacheModelOptions.Arm926 with { DataCache = new CacheConfig(Replacement: ReplacementPolicy.RoundRobin) });
        emu.MapMemory(Code, 0x1000);
        emu.MapMemory(DataBase, 0x6000);
        emu.WriteMemory(Code, emu.Assemble(Program, Code));
        emu.WriteRegister("r0", DataBase + ThrashedSet * 32);
        emu.WriteRegister("r1", (uint)rounds);
        var map = new CacheMap(caches, () => emu.Cpu.InstructionsExecuted);
        Assert.True(emu.Run(Code, until: End).Ok);
        Assert.Equal((ulong)(4 + 7 * rounds), emu.Cpu.InstructionsExecuted);
        return (emu, map);
    }

    [Fact]
    public void AThrashedSetShowsAndNoOther()
    {
        var (emu, map) = Run(rounds: 50);
        using (emu)
        using (map)
        {
            var bands = map.Bands;
            Assert.Equal(["I-cache misses", "D-cache misses", "D-cache write-backs"], bands.Select(b => b.Name));
            Assert.All(bands, b => Assert.Equal((128, 1), (b.Sets, b.RowsPerSet)));
            Assert.Equal([0, 130, 260], bands.Select(b => b.Top)); // 128 rows and a 2-pixel rule each

            // 354 instructions, 256 to a column: two columns. 250 misses, all in set 37.
            var (width, height, pixels) = Decode(PngOf(map));
            Assert.Equal((2, 388), (width, height));
            Assert.Equal(250, Enumerable.Range(0, 2).Sum(c => map.Count(1, ThrashedSet, c)));
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    bool lit = pixels[y, x] != (0, 0, 0);
                    bool rule = y is 128 or 129 or 258 or 259;
                    // Lit: the rules (grey), the I-cache's two code lines (sets 0 and 1: the loop is
                    // 11 instructions from 0x10000), and in the D-cache's misses set 37 only.
                    bool expected = rule || (y < 2 && x == 0) || (y == 130 + ThrashedSet);
                    Assert.True(expected == lit, $"pixel ({x}, {y}) is {pixels[y, x]}");
                    if (rule) Assert.Equal((0x60, 0x60, 0x60), pixels[y, x]);
                }
            // The thrashed set is drawn as misses (red to yellow), its busiest column brightest.
            var busiest = pixels[130 + ThrashedSet, 0];
            Assert.Equal((255, 255, 0), busiest);
        }
    }

    [Fact]
    public void ALongRunMergesColumnsAndKeepsEveryEvent()
    {
        var (emu, map) = Run(rounds: 50_000); // 350,004 instructions: more than 1024 columns of 256
        using (emu)
        using (map)
        {
            Assert.Equal(512UL, map.InstructionsPerColumn);
            var (width, _, pixels) = Decode(PngOf(map));
            Assert.Equal(684, width); // 350,004 / 512, rounded up
            Assert.Equal(250_000, Enumerable.Range(0, width).Sum(c => map.Count(1, ThrashedSet, c)));
            Assert.All(Enumerable.Range(0, width), x => Assert.NotEqual((0, 0, 0), pixels[130 + ThrashedSet, x]));
            Assert.All(Enumerable.Range(0, width), x => Assert.Equal((0, 0, 0), pixels[130 + ThrashedSet + 1, x]));
        }
    }

    private static byte[] PngOf(CacheMap map)
    {
        var (w, h, rgb) = map.Render();
        return PngWriter.Encode(w, h, rgb);
    }

    /// <summary>A PNG decoder for what PngWriter writes (8-bit RGB, filter 0): checks the chunks and returns the pixels.</summary>
    internal static (int Width, int Height, (int R, int G, int B)[,] Pixels) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int pos = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            Assert.Equal(Crc32.Compute(png.AsSpan(pos + 4, 4 + length)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length)));
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..].ToArray());
            }
            if (type == "IDAT") idat.Write(data);
            pos += 12 + length;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(height * (1 + 3 * width), bytes.Length);
        var pixels = new (int, int, int)[height, width];
        for (int y = 0; y < height; y++)
        {
            int row = y * (1 + 3 * width);
            Assert.Equal(0, bytes[row]);
            for (int x = 0; x < width; x++)
                pixels[y, x] = (bytes[row + 1 + 3 * x], bytes[row + 2 + 3 * x], bytes[row + 3 + 3 * x]);
        }
        return (width, height, pixels);
    }
}
