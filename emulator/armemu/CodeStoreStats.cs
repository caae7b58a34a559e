using System.Globalization;

namespace ArmEmu.Cli;

/// <summary>
/// For --stats: what the decoded-instruction store held (<see cref="ArmEmu.Cpu.Decoding.CodeCache"/>)
/// and the host process's peak resident memory, so that what the emulator costs in memory is
/// as visible as what it costs in time.
/// </summary>
internal static class CodeStoreStats
{
    public static void Print(ArmEmu.Cpu.Cpu cpu, TextWriter writer)
    {
        var code = cpu.Code;
        string rss = PeakResidentBytes() is long peak ? $"; host peak RSS {Mib(peak)} MiB" : "";
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"armemu: decoded instructions: {code.PageCount} pages held, peak {Mib(code.PeakResidentBytes)} MiB of {Mib(code.Capacity)} MiB, {code.Evictions} pages evicted{rss}"));
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>VmHWM from /proc/self/status (the kernel's high-water mark of the resident set); null where there is none.</summary>
    private static long? PeakResidentBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
