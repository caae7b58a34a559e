using System.Buffers.Binary;
using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// The build attributes of an ARM ELF file (the .ARM.attributes section, SHT_ARM_ATTRIBUTES,
/// "Addenda to, and Errata in, the ABI for the ARM Architecture", ARM IHI 0045, section 2),
/// read for one purpose: the architecture the program was compiled for (Tag_CPU_arch), from
/// which <c>armemu run</c> picks a CPU model when <c>--cpu</c> is not given.
/// </summary>
/// <remarks>
/// The file comes from <see cref="ElfFile"/> (ELFSharp's parse); the section is found by its
/// type in the section header table and its contents are read here. It never throws: a file the loader refuses, or malformed
/// attributes, read as "no attributes".
/// </remarks>
internal static class ArmAttributes
{
    private const uint ShtArmAttributes = 0x7000_0003;
    private const int TagFile = 1, TagCpuRawName = 4, TagCpuName = 5, TagCpuArch = 6, TagCompatibility = 32;

    /// <summary>Tag_CPU_arch of the whole file (its File subsection), or null if the file has none or is not an ARM program the loader accepts.</summary>
    public static int? CpuArch(ReadOnlySpan<byte> file)
    {
        try
        {
            return CpuArch(ElfFile.ParseForLoading(file.ToArray()));
        }
        catch (ElfFormatException)
        {
            return null;
        }
    }

    /// <summary>Tag_CPU_arch of <paramref name="elf"/> (its File subsection), or null if it has none.</summary>
    public static int? CpuArch(ElfFile elf)
    {
        if (AttributesSection(elf.Data.Span) is not var (offset, size)) return null;
        try
        {
            return ParseSection(elf.Data.Span.Slice(offset, size));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            return null; // corrupt attributes: none usable
        }
    }

    /// <summary>
    /// The first SHT_ARM_ATTRIBUTES section's place in the file, found by reading the section header
    /// table's sh_type words, and nothing else of it: the loader reads the section headers only
    /// when something asks for them (<see cref="ElfFile.ParseForLoading"/>), and choosing the model
    /// is on every start-up's path. Null if the table or the section is not inside the file.
    /// <paramref name="d"/> is a file the parse accepted, so its header is a 32-bit little-endian one.
    /// </summary>
    private static (int Offset, int Size)? AttributesSection(ReadOnlySpan<byte> d)
    {
        const int HeaderSize = 52, ShEntSize = 40;
        if (d.Length < HeaderSize) return null;
        ulong shoff = BinaryPrimitives.ReadUInt32LittleEndian(d[32..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(d[46..]);
        ulong shnum = BinaryPrimitives.ReadUInt16LittleEndian(d[48..]);
        if (shoff == 0 || shentsize != ShEntSize || shoff + ShEntSize > (ulong)d.Length) return null;
        // gABI extended numbering: e_shnum 0 with a table means the count is section header 0's sh_size.
        if (shnum == 0) shnum = BinaryPrimitives.ReadUInt32LittleEndian(d[(int)(shoff + 20)..]);
        if (shoff + shnum * ShEntSize > (ulong)d.Length) return null;
        for (ulong i = 0; i < shnum; i++)
        {
            var header = d.Slice((int)(shoff + i * ShEntSize), ShEntSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtArmAttributes) continue;
            ulong offset = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]), size = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            return offset + size <= (ulong)d.Length ? ((int)offset, (int)size) : null;
        }
        return null;
    }

    /// <summary>
    /// The model for a program, as the rule and qemu-arm's choice of ELF_PLATFORM have it:
    /// up to ARMv5TEJ (Tag_CPU_arch 0-5) the ARM926; ARMv6, v6KZ, v6T2, v6K (6-9) the ARM1176;
    /// ARMv7 (10) the Cortex-A9; ARMv8 and later in AArch32 (14+) the Cortex-A15, the most capable
    /// ARMv7 model (with SDIV/UDIV). Without attributes, or for the M profiles, the ARM926.
    /// </summary>
    public static CpuModel ModelFor(int? cpuArch) => cpuArch switch
    {
        >= 6 and <= 9 => CpuModel.Arm1176,
        10 => CpuModel.CortexA9,
        >= 14 => CpuModel.CortexA15,
        _ => CpuModel.Arm926,
    };

    /// <summary>The model for the program at <paramref name="path"/> (the ARM926 if it cannot be read: the loader then says why).</summary>
    public static CpuModel ModelFor(string path)
    {
        try
        {
            // As the loader reads it: a regular file of bounded size only (a FIFO would block the
            // open, /dev/zero would be read for ever); anything else is the loader's to refuse.
            // Kept for the kernel's load, which then neither reads nor parses the file again.
            return ModelFor(CpuArch(Linux.ExecImage.ReadElf(path, "program", keep: true)));
        }
        catch (Linux.ProcessLoadException)
        {
            return CpuModel.Arm926;
        }
    }

    /// <summary>'A', then subsections (length, vendor name); in "aeabi", sub-subsections (tag, length, attributes).</summary>
    private static int? ParseSection(ReadOnlySpan<byte> section)
    {
        if (section.Length == 0 || section[0] != (byte)'A') return null;
        int pos = 1;
        while (pos + 4 <= section.Length)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(section[pos..]));
            if (length < 4) return null;
            var subsection = section.Slice(pos, length);
            pos += length;
            int nul = subsection[4..].IndexOf((byte)0);
            if (nul < 0 || !subsection.Slice(4, nul).SequenceEqual("aeabi"u8)) continue;
            int sub = 4 + nul + 1;
            while (sub < subsection.Length)
            {
                int start = sub;
                ulong tag = Uleb(subsection, ref sub);
                int size = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(subsection[sub..]));
                sub += 4;
                if (size < 5) return null;
                if (tag == TagFile && FileAttributes(subsection.Slice(sub, start + size - sub)) is { } arch) return arch;
                sub = start + size;
            }
        }
        return null;
    }

    /// <summary>Tag/value pairs: ULEB128 values, except the NTBS-valued tags (4, 5, 67, odd tags above 32) and 32 (ULEB + NTBS).</summary>
    private static int? FileAttributes(ReadOnlySpan<byte> attributes)
    {
        int pos = 0;
        while (pos < attributes.Length)
        {
            ulong tag = Uleb(attributes, ref pos);
            if (tag == TagCpuArch) return (int)Uleb(attributes, ref pos);
            bool text = tag is TagCpuRawName or TagCpuName or 67 || (tag > TagCompatibility && (tag & 1) != 0);
            if (tag == TagCompatibility)
            {
                Uleb(attributes, ref pos);
                text = true;
            }
            if (text)
            {
                int nul = attributes[pos..].IndexOf((byte)0);
                if (nul < 0) return null;
                pos += nul + 1;
            }
            else
            {
                Uleb(attributes, ref pos);
            }
        }
        return null;
    }

    private static ulong Uleb(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[pos++];
            if (shift < 64) value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
