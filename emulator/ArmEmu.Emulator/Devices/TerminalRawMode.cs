using System.Runtime.InteropServices;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The host terminal in raw mode while a board's UART owns it, as qemu-system-arm -nographic
/// puts it: no line editing, no echo, no signals from the keyboard (Ctrl-C goes to the guest),
/// so the guest's own line discipline does all of that. The settings are restored when this is
/// disposed and when the process exits, whatever ends it. Linux only (termios through libc);
/// elsewhere, or when standard input is not a terminal, nothing changes.
/// </summary>
internal sealed partial class TerminalRawMode : IDisposable
{
    // struct termios on Linux: 4 flag words, c_line, 32 control characters, two speeds (60 bytes
    // on glibc); a larger buffer leaves room for any C library's layout.
    private const int TermiosBytes = 256;
    private const int Tcsanow = 0;

    private readonly byte[] _saved = new byte[TermiosBytes];
    private int _restored;

    private TerminalRawMode() { }

    /// <summary>Raw mode on file descriptor 0 if it is a terminal; null (nothing changed) otherwise.</summary>
    public static TerminalRawMode? EnterOnStandardInput()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (isatty(0) != 1) return null;
            var mode = new TerminalRawMode();
            if (tcgetattr(0, mode._saved) != 0) return null;
            byte[] raw = (byte[])mode._saved.Clone();
            cfmakeraw(raw);
            if (tcsetattr(0, Tcsanow, raw) != 0) return null;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => mode.Dispose();
            return mode;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Puts the terminal back as it was (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0) tcsetattr(0, Tcsanow, _saved);
    }

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, SetLastError = true)]
    private static partial int isatty(int fd);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, SetLastError = true)]
    private static partial int tcgetattr(int fd, [Out] byte[] termios);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, SetLastError = true)]
    private static partial int tcsetattr(int fd, int optionalActions, byte[] termios);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc)]
    private static partial void cfmakeraw(byte[] termios);
}
