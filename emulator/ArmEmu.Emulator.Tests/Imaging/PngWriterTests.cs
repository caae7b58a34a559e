using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ArmEmu.Emulator.Imaging;

namespace ArmEmu.Emulator.Tests.Imaging;

public sealed class PngWriterTests
{
    // An independent, bitwise CRC-32 (no table) to check the encoder's.
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB8_8320 & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF4_3926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 31)).ToArray();
        Assert.Equal(ReferenceCrc(data), Crc32.Compute(data));
    }

    [Fact]
    public void WritesAPngThatDecodesBackToThePixels()
    {
        const int width = 5, height = 3;
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37 + 5);

        byte[] png = PngWriter.Encode(width, height, rgb);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        int pos = 8;
        while (pos < png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            byte[] data = png.AsSpan(pos + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(ReferenceCrc(png.AsSpan(pos + 4, 4 + length)), crc);
            chunks.Add((type, data));
            pos += 12 + length;
        }
        Assert.Equal(png.Length, pos);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);

        var ihdr = chunks[0].Data;
        Assert.Equal(13, ihdr.Length);
        Assert.Equal(width, (int)BinaryPrimitives.ReadUInt32BigEndian(ihdr));
        Assert.Equal(height, (int)BinaryPrimitives.ReadUInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, ihdr[8..]); // 8-bit truecolour, deflate, filter 0, no interlace

        var idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var inflate = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflate.CopyTo(raw);
        var scanlines = raw.ToArray();
        Assert.Equal(height * (1 + width * 3), scanlines.Length);
        for (int y = 0; y < height; y++)
        {
            int row = y * (1 + width * 3);
            Assert.Equal(0, scanlines[row]); // filter type None
            Assert.Equal(rgb.AsSpan(y * width * 3, width * 3).ToArray(), scanlines.AsSpan(row + 1, width * 3).ToArray());
        }
    }

    [Fact]
    public void RejectsMismatchedPixelData()
    {
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(0, 2, Array.Empty<byte>()));
    }
}
