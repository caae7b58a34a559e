using System.Runtime.InteropServices;
using System.Text;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Reads a host file through libc (open, read, close) rather than .NET's file API: the files
/// armemu reads before the guest starts (its own /proc/self/cmdline, the program's first
/// bytes, the program) are read this way. .NET's first <c>SafeFileHandle</c> made the
/// runtime build its activation cache by reflection, seven methods the JIT compiled at every
/// start, and a FileStream's strategy types; with nothing else compiled before the guest
/// runs, a static hello now never starts the JIT (the self-contained publish test checks it).
/// </summary>
internal static unsafe class HostFileReader
{
    private const int ORdOnly = 0, OCloExec = 0x80000;

    /// <summary>
    /// Reads up to <paramref name="buffer"/>'s length from the start of <paramref name="path"/>
    /// (fewer at the end of the file): the count, or -errno if it cannot be opened or read.
    /// </summary>
    public static int Read(string path, Span<byte> buffer)
    {
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0")) fd = HostLibc.OpenAt(HostLibc.AtFdCwd, p, ORdOnly | OCloExec, 0);
        if (fd < 0) return -Marshal.GetLastPInvokeError();
        try
        {
            int total = 0;
            fixed (byte* b = buffer)
            {
                while (total < buffer.Length)
                {
                    nint n = HostLibc.Read(fd, b + total, (nuint)(buffer.Length - total));
                    if (n < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno == 4) continue; // EINTR
                        return -errno;
                    }
                    if (n == 0) break;
                    total += (int)n;
                }
            }
            return total;
        }
        finally
        {
            HostLibc.Close(fd);
        }
    }

    /// <summary>An errno as the loader's messages word it ("permission denied").</summary>
    public static string Reason(int errno) => errno switch
    {
        2 or 20 => "no such file or directory",
        13 => "permission denied",
        21 => "is a directory",
        36 => "file name too long",
        40 => "too many levels of symbolic links",
        5 => "input/output error",
        _ => $"error {errno}",
    };
}
