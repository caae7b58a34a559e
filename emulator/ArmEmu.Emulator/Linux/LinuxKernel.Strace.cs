using System.Text;

namespace ArmEmu.Emulator.Linux;

/// <summary>--strace: one line per system call, in strace's form: name(arguments) = result.</summary>
internal sealed partial class LinuxKernel
{
    // How to show each call's arguments: i = integer, x = hex, s = string (path), b = buffer whose
    // length is the next argument. In a class of its own, so that the table is built by the first
    // traced call, not by the kernel's static constructor (which every start-up runs: a dictionary
    // keyed by an enum has its default comparer made by reflection).
    private static class StraceSignatures
    {
        public static readonly Dictionary<SyscallNumber, string> Signatures = new()
        {
            [SyscallNumber.read] = "ixi", [SyscallNumber.write] = "ibi", [SyscallNumber.open] = "sxo", [SyscallNumber.openat] = "isxo",
            [SyscallNumber.close] = "i", [SyscallNumber.exit] = "i", [SyscallNumber.exit_group] = "i", [SyscallNumber.brk] = "x",
            [SyscallNumber.mmap2] = "xixxix", [SyscallNumber.munmap] = "xi", [SyscallNumber.mprotect] = "xix",
            [SyscallNumber.stat64] = "sx", [SyscallNumber.lstat64] = "sx", [SyscallNumber.fstat64] = "ix", [SyscallNumber.fstatat64] = "isxx",
            [SyscallNumber.access] = "sx", [SyscallNumber.faccessat] = "isx", [SyscallNumber.readlink] = "sxi", [SyscallNumber.readlinkat] = "isxi",
            [SyscallNumber.ioctl] = "ixx", [SyscallNumber.writev] = "ixi", [SyscallNumber.readv] = "ixi", [SyscallNumber.uname] = "x",
            [SyscallNumber.set_tls] = "x", [SyscallNumber.cacheflush] = "xxx", [SyscallNumber.getcwd] = "xi", [SyscallNumber.chdir] = "s",
            [SyscallNumber.unlink] = "s", [SyscallNumber.mkdir] = "so", [SyscallNumber.rmdir] = "s", [SyscallNumber.rt_sigaction] = "ixx",
            [SyscallNumber.rt_sigprocmask] = "ixx", [SyscallNumber.kill] = "ii", [SyscallNumber.tgkill] = "iii", [SyscallNumber.lseek] = "iii",
            [SyscallNumber.getdents64] = "ixi", [SyscallNumber.fcntl64] = "iix", [SyscallNumber.dup2] = "ii", [SyscallNumber.dup] = "i",
            [SyscallNumber.clock_gettime] = "ix", [SyscallNumber.clock_gettime64] = "ix", [SyscallNumber.getrandom] = "xix",
            [SyscallNumber.set_tid_address] = "x", [SyscallNumber.set_robust_list] = "xi", [SyscallNumber.ugetrlimit] = "ix",
            [SyscallNumber.prlimit64] = "iixx", [SyscallNumber.statx] = "isxxx", [SyscallNumber.unlinkat] = "isx",
        };
    }

    private void TraceSyscall(TextWriter trace, uint nr, uint[] args, long result)
    {
        var number = (SyscallNumber)nr;
        string name = Enum.IsDefined(number) ? number.ToString() : $"syscall_0x{nr:x}";
        string signature = StraceSignatures.Signatures.GetValueOrDefault(number, "xxx");
        // As strace -f: once there is more than one task, each line names the one that made the call.
        var line = new StringBuilder();
        if (_threads.Count > 1 || _processes.Count > 1) line.Append($"[pid {CurrentThread.Tid,5}] ");
        line.Append(name).Append('(');
        for (int i = 0; i < signature.Length; i++)
        {
            if (i > 0) line.Append(", ");
            uint a = args[i];
            line.Append(signature[i] switch
            {
                'i' => ((int)a).ToString(System.Globalization.CultureInfo.InvariantCulture),
                'o' => "0" + Convert.ToString((int)a, 8),
                's' => Printable(ReadUserString(a)),
                'b' => Quote(a, args[i + 1]),
                _ => $"0x{a:x}",
            });
        }
        line.Append(") = ");
        if (result == NoResult) line.Append('?');
        else if (result < 0 && result >= -4095) line.Append($"-1 errno {-result}");
        else if (signature.Length > 0 && number is SyscallNumber.brk or SyscallNumber.mmap2) line.Append($"0x{result:x}");
        else line.Append(result);
        trace.WriteLine(line);
    }

    private string Quote(uint address, uint length)
    {
        int n = (int)Math.Min(length, 32);
        var bytes = new byte[n];
        if (!ReadUser(address, bytes)) return $"0x{address:x}";
        var s = new StringBuilder("\"");
        foreach (byte b in bytes)
            s.Append(b switch { (byte)'\n' => "\\n", (byte)'\t' => "\\t", (byte)'"' => "\\\"", (byte)'\\' => "\\\\", >= 32 and < 127 => ((char)b).ToString(), _ => $"\\{Convert.ToString(b, 8)}" });
        s.Append('"');
        if (length > 32) s.Append("...");
        return s.ToString();
    }
}
