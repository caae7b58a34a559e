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
/// The section comes from <see cref="ElfFile"/> (ELFSharp's reading of the section headers);
/// its contents are read here. It never throws: a file the loader refuses, or malformed
/// attributes, read as "no attributes".
/// </remarks>
internal static class ArmAttributes
{
    private const uint ShtArmAttributes = 0x7000_0003;
    private const int TagFile = 1, TagCpuRawName = 4, TagCpuName = 5, TagCpuArch = 6, TagCompatibility = 32;

    /// <summary>Tag_CPU_arch of the whole file (its File subsection), or null if the file has none or is not a well-formed ARM executable.</summary>
    public static int? CpuArch(ReadOnlySpan<byte> file)
    {
        try
        {
            return CpuArch(ElfFile.Parse(file.ToArray()));
        }
        catch (ElfFormatException)
        {
            return null;
        }
    }

    /// <summary>Tag_CPU_arch of <paramref name="elf"/> (its File subsection), or null if it has none.</summary>
    public static int? CpuArch(ElfFile elf)
    {
        foreach (var section in elf.Sections)
        {
            if (section.Type != SectionType.ArmAttributes) continue;
            try
            {
                return ParseSection(elf.SectionData(section));
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
            {
                return null; // corrupt attributes: none usable
            }
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
