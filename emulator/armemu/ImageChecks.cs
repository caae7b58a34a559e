using ArmEmu.Cpu;
using ArmEmu.Emulator.Loaders;

namespace ArmEmu.Cli;

/// <summary>Checks on a file given as a guest image before anything is loaded from it.</summary>
internal static class ImageChecks
{
    /// <summary>
    /// "a script" or "a text file" when <paramref name="data"/> is evidently not code: it starts with
    /// "#!", or its first 4 KiB are UTF-8 text of printable characters, tabs and line ends (ARM code
    /// has zero and small bytes in almost every word -- condition fields, register numbers,
    /// immediates -- and bytes that are not UTF-8). Null otherwise (empty files too: they fail as
    /// what they are).
    /// </summary>
    public static string? TextFileKind(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return null;
        if (data.Length >= 2 && data[0] == '#' && data[1] == '!') return "a script";
        var head = data[..Math.Min(data.Length, 4096)];
        foreach (byte b in head)
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0c) || b == 0x7f) return null;
        // A multi-byte character cut at the 4 KiB boundary is still text.
        for (int cut = 0; cut < 4 && cut < head.Length; cut++)
            if (System.Text.Unicode.Utf8.IsValid(head[..(head.Length - cut)])) return "a text file";
        return null;
    }

    /// <summary><see cref="TextFileKind"/> of the file's first 4 KiB; null when it cannot be read (the loader then says why).</summary>
    public static string? TextFileKindOfFile(string path)
    {
        // Only a regular file is opened here: a FIFO would block the open (the loader refuses it, and the others, with one line).
        if (!ArmEmu.Emulator.Linux.ExecImage.IsRegularFile(path)) return null;
        // Read as the loader reads (ExecImage.ReadRegularFile: libc, not .NET's file API, which
        // was a millisecond of start-up and the JIT's first work).
        var head = new byte[4096];
        int n = ArmEmu.Emulator.Linux.HostFileReader.Read(path, head);
        return n < 0 ? null : TextFileKind(head.AsSpan(0, n));
    }

    /// <summary>
    /// One line when the ELF's Tag_CPU_arch names a newer architecture than <paramref name="model"/>
    /// implements ("... is built for ARMv7; the arm926 model is ARMv5TEJ ...: try --cpu cortex-a9"),
    /// else null. Its newer instructions are UNDEFINED on the model, which is how such a program dies.
    /// </summary>
    public static string? ArchitectureHint(ReadOnlySpan<byte> elf, CpuModel model, string name, string alternative = "")
    {
        if (ArmAttributes.CpuArch(elf) is not { } arch) return null;
        var wanted = ArmAttributes.ModelFor(arch);
        if (wanted.Arch <= model.Arch) return null;
        return $"armemu: {name} is built for {ArchitectureName(arch)} (its Tag_CPU_arch); the {model.Name} model is {ArchitectureName(model.Arch)} "
            + $"and its newer instructions are UNDEFINED there: try --cpu {wanted.Name}{alternative}";
    }

    /// <summary><see cref="ArchitectureHint(ReadOnlySpan{byte}, CpuModel, string, string)"/> for a file (null if unreadable).</summary>
    public static string? ArchitectureHint(string path, CpuModel model)
    {
        try
        {
            return ArchitectureHint(File.ReadAllBytes(path), model, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The architecture of a Tag_CPU_arch value (ARM IHI 0045, Tag_CPU_arch).</summary>
    private static string ArchitectureName(int cpuArch) => cpuArch switch
    {
        0 => "a pre-ARMv4 architecture",
        1 => "ARMv4",
        2 => "ARMv4T",
        3 => "ARMv5T",
        4 => "ARMv5TE",
        5 => "ARMv5TEJ",
        6 => "ARMv6",
        7 => "ARMv6KZ",
        8 => "ARMv6T2",
        9 => "ARMv6K",
        10 => "ARMv7",
        11 => "ARMv6-M",
        12 => "ARMv6S-M",
        13 => "ARMv7E-M",
        14 => "ARMv8-A",
        _ => $"a later architecture (Tag_CPU_arch {cpuArch})",
    };

    private static string ArchitectureName(ArchVersion arch) => arch switch
    {
        ArchVersion.V4T => "ARMv4T",
        ArchVersion.V5T => "ARMv5T",
        ArchVersion.V5TE => "ARMv5TE",
        ArchVersion.V5TEJ => "ARMv5TEJ",
        ArchVersion.V6 => "ARMv6",
        ArchVersion.V6K => "ARMv6K",
        ArchVersion.V6T2 => "ARMv6T2",
        _ => "ARMv7",
    };
}
