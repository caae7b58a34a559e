using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Imaging;

namespace ArmEmu.Cli;

/// <summary>--screenshot for <c>run</c> and <c>system</c>: what the PL110 shows when the guest exits.</summary>
internal static class Screenshot
{
    /// <summary>
    /// --screenshot: the PL110's scan-out at exit (Pl110Clcd.Render reads the framebuffer from
    /// RAM, as the panel does, never through the CPU's caches). A controller whose timing,
    /// base and control registers all still hold their reset value 0 was never programmed:
    /// there is no meaningful frame size, so no file is written and stderr says so.
    /// False when the file cannot be written.
    /// </summary>
    public static bool Write(Pl110Clcd clcd, FileInfo file)
    {
        bool programmed = false;
        foreach (uint register in new uint[] { 0x000, 0x004, 0x008, 0x00C, 0x010, 0x018 })
            programmed |= clcd.Read(register, 4) != 0;
        if (!programmed)
        {
            Console.Error.WriteLine($"armemu: --screenshot: the guest never programmed the LCD controller; {file.FullName} not written");
            return true;
        }
        var frame = clcd.Render();
        try
        {
            File.WriteAllBytes(file.FullName, PngWriter.Encode(frame.Width, frame.Height, frame.Rgb));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"armemu: --screenshot: cannot write {file.FullName}: {e.Message}");
            return false;
        }
    }
}
