using System.Globalization;

namespace ArmEmu.TestSupport;

/// <summary>binutils' readelf as the oracle of the DWARF line reader.</summary>
public static class Readelf
{
    /// <summary>
    /// The rows <c>arm-none-eabi-readelf -W --debug-dump=decodedline</c> prints: file name, line
    /// (-1 for the end of a sequence), address, is_stmt.
    /// </summary>
    public static List<(string File, int Line, uint Address, bool IsStatement)> DecodedLines(string binary)
    {
        string text = GnuToolchain.Run("arm-none-eabi-readelf", $"-W --debug-dump=decodedline {binary}", "binutils-arm-none-eabi");
        var rows = new List<(string, int, uint, bool)>();
        foreach (string raw in text.Split('\n'))
        {
            string[] f = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // readelf prints addresses with %#x: "0" for zero (a bare-metal image's vectors), "0x..." otherwise.
            if (f.Length < 3 || !(f[2] == "0" || f[2].StartsWith("0x", StringComparison.Ordinal))) continue;
            int line = f[1] == "-" ? -1 : int.Parse(f[1], CultureInfo.InvariantCulture);
            uint address = f[2] == "0" ? 0 : uint.Parse(f[2].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            rows.Add((f[0], line, address, f[^1] == "x"));
        }
        return rows;
    }
}
