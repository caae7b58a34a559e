using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// Finds the separate debug file of a stripped ELF image, as gdb does ("Debugging Information in
/// Separate Files", gdb manual 18.3), so a profile can name the functions and source lines of
/// Debian's stripped libraries when their -dbg/-dbgsym packages are installed:
/// <list type="number">
/// <item>by build ID: the NT_GNU_BUILD_ID note gives <c>DEBUGDIR/.build-id/xx/rest.debug</c>
///   (xx the first byte in hex, rest the others);</item>
/// <item>by <c>.gnu_debuglink</c> (a file name, then the CRC-32 of the debug file): in the
///   image's directory, its <c>.debug/</c> subdirectory, then <c>DEBUGDIR/</c> followed by the
///   image's directory; a candidate whose CRC differs is not it.</item>
/// </list>
/// DEBUGDIR is each of <see cref="DebugDirectories"/> (<c>/usr/lib/debug</c> by default).
/// </summary>
internal static class SeparateDebugFile
{
    private const uint NtGnuBuildId = 3;

    /// <summary>Where debug files are installed (gdb's debug-file-directory).</summary>
    public static IReadOnlyList<string> DebugDirectories { get; set; } = ["/usr/lib/debug"];

    /// <summary>
    /// The build ID of <paramref name="elf"/> (the NT_GNU_BUILD_ID note's bytes), or null. The
    /// linker gives the note a section of its own (.note.gnu.build-id), whose first note it is:
    /// ELFSharp reads that one.
    /// </summary>
    public static byte[]? BuildId(ElfFile elf)
    {
        foreach (var section in elf.Sections)
            if (section.Note is { Name: "GNU", Type: NtGnuBuildId, Descriptor.Length: > 1 } note)
                return note.Descriptor;
        return null;
    }

    /// <summary>The <c>.gnu_debuglink</c> file name and CRC of <paramref name="elf"/>, or null.</summary>
    public static (string Name, uint Crc)? DebugLink(ElfFile elf)
    {
        if (elf.FindSection(".gnu_debuglink") is not { } section) return null;
        var data = elf.SectionData(section);
        int nul = data.IndexOf((byte)0);
        if (nul <= 0) return null;
        int crcAt = (nul + 4) & ~3;
        if (crcAt + 4 > data.Length) return null;
        return (Encoding.UTF8.GetString(data[..nul]), BinaryPrimitives.ReadUInt32LittleEndian(data[crcAt..]));
    }

    /// <summary>
    /// The separate debug file of the image at <paramref name="imagePath"/>, parsed, or null when
    /// none is found (or none parses: a debug file is a bonus, never an error).
    /// </summary>
    public static ElfFile? Find(string imagePath, ElfFile image)
    {
        foreach (string candidate in Candidates(imagePath, image))
        {
            try
            {
                if (File.Exists(candidate)) return ElfFile.Load(candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException)
            {
                // Not readable or not an ELF file: try the next place.
            }
        }
        return null;
    }

    private static IEnumerable<string> Candidates(string imagePath, ElfFile image)
    {
        if (BuildId(image) is { } id)
        {
            string hex = Convert.ToHexStringLower(id);
            foreach (string root in DebugDirectories)
                yield return Path.Combine(root, ".build-id", hex[..2], hex[2..] + ".debug");
        }
        if (DebugLink(image) is { } link && Path.GetFileName(link.Name) == link.Name)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(imagePath)) ?? "/";
            var places = new List<string> { Path.Combine(directory, link.Name), Path.Combine(directory, ".debug", link.Name) };
            foreach (string root in DebugDirectories)
                places.Add(Path.Combine(root, directory.TrimStart('/'), link.Name));
            foreach (string place in places)
                if (place != Path.GetFullPath(imagePath) && File.Exists(place) && Crc32Of(place) == link.Crc)
                    yield return place;
        }
    }

    /// <summary>The CRC-32 (IEEE 802.3, as zlib's crc32 and gdb's gnu_debuglink_crc32) of a file.</summary>
    private static uint? Crc32Of(string path)
    {
        try
        {
            uint crc = 0xFFFF_FFFF;
            foreach (byte b in File.ReadAllBytes(path)) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return ~crc;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();
}
