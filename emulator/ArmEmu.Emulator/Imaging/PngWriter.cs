using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ArmEmu.Emulator.Imaging;

/// <summary>
/// A minimal PNG encoder (RFC 2083 / ISO 15948): 8-bit RGB, no interlace,
/// filter type 0 on every row, one IDAT chunk compressed with zlib.
/// </summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="rgb"/> (3 bytes per pixel, rows top down) as a PNG file.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var stream = new MemoryStream();
        Write(stream, width, height, rgb);
        return stream.ToArray();
    }

    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> rgb)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "a PNG image has at least one pixel");
        if (rgb.Length != checked(width * height * 3)) throw new ArgumentException($"expected {width * height * 3} bytes of RGB data, got {rgb.Length}", nameof(rgb));

        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int rowBytes = width * 3;
            for (int y = 0; y < height; y++)
            {
                z.WriteByte(0); // filter type None
                z.Write(rgb.Slice(y * rowBytes, rowBytes));
            }
        }
        WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);
        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32.Append(Crc32.Append(Crc32.Initial, typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(crc));
        output.Write(word);
    }
}

/// <summary>CRC-32 as PNG and zlib's gzip use it (ISO 3309: reflected polynomial 0xEDB88320, pre- and post-inverted).</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFF_FFFF;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFF_FFFF;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
