using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// /proc/PID as the guest must see it. The guest processes live inside one host process,
/// so the host's /proc/self describes the emulator: its maps, command line, auxiliary
/// vector, environment, descriptors and memory. The entries that describe a process are
/// made here from the guest's own state, as qemu-arm's fake_open does (linux-user/syscall.c,
/// open_self_maps/stat/auxv/cmdline, readlink of exe), and for /proc/self, /proc/thread-self,
/// /proc/PID of any guest process and /proc/PID/task/TID:
/// <list type="bullet">
/// <item>maps (the guest's mappings, with files, [heap], [stack], [vectors]), cmdline, environ,
/// auxv, stat, status, statm, comm: snapshots in a host memfd, read like any file;</item>
/// <item>exe: the guest program (absolute, fixed when it was loaded, so a later chdir does not
/// change it); fd: the guest's own descriptor numbers; fd/N: the file behind guest N;</item>
/// <item>mem, pagemap, smaps, smaps_rollup, numa_maps, map_files, fdinfo, task (as a directory),
/// syscall, stack, wchan, clear_refs, coredump_filter, io: refused with EACCES, since the host's
/// would describe (or change) the emulator;</item>
/// <item>anything else (cwd, root, mountinfo, cgroup, ns, ...) is the host's /proc/self entry:
/// the guest shares those with the emulator.</item>
/// </list>
/// A path names the emulated /proc however it is spelt: "//proc/./self/maps", a path relative
/// to a directory descriptor, a symlink to it, /dev/fd/N and /dev/stdin (symlinks into
/// /proc/self/fd): the directories are resolved by the host kernel (realpath) and symlinks
/// followed one by one. Departures from qemu-arm 7.2: maps prints addresses as 32-bit Linux
/// does (%08lx, the name at column 49; qemu pads to a 64-bit host's 73 and prints %x), stat
/// has Linux's 52 fields (qemu 44), the command name in stat is the program's, not argv[0]'s.
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    /// <summary>An entry of the emulated /proc: the process it describes and the rest of the path ("maps", "fd/3", "" for the directory).</summary>
    private readonly record struct ProcEntry(GuestProcess Process, string Entry);

    // In a class of its own, so that the sets are built when the guest opens or reads a link in
    // /proc, not by the kernel's static constructor, which every start-up runs.
    private static class ProcNames
    {
        public static readonly HashSet<string> Refused =
            ["mem", "pagemap", "smaps", "smaps_rollup", "numa_maps", "map_files", "fdinfo", "task", "syscall", "stack", "wchan",
             "clear_refs", "coredump_filter", "io", "timerslack_ns", "personality", "auxv_host"];

        public static readonly HashSet<string> Emulated = ["maps", "cmdline", "environ", "auxv", "stat", "status", "statm", "comm"];
    }

    /// <summary>Directories opened on /proc/PID/fd: their listing (made at the first getdents64) and the read position.</summary>
    private sealed class ProcDirectory(GuestProcess process, string path)
    {
        public GuestProcess Process { get; } = process;
        public string Path { get; } = path;
        public byte[]? Records { get; set; }
        public int Position { get; set; }
    }

    private readonly Dictionary<(GuestProcess, int), ProcDirectory> _procDirectories = new();

    /// <summary>The emulated /proc entry <paramref name="path"/> (relative to <paramref name="guestDirFd"/>) names, or null for any other file.</summary>
    private ProcEntry? ProcEntryOf(int guestDirFd, byte[] path)
    {
        string text = Encoding.UTF8.GetString(path, 0, Math.Max(0, path.Length - 1));
        if (text.Length == 0) return null;
        string absolute;
        if (text[0] == '/') absolute = text;
        else
        {
            string? directory = guestDirFd == HostLibc.AtFdCwd ? Directory.GetCurrentDirectory()
                : _procDirectories.TryGetValue((CurrentProcess, guestDirFd), out var pd) ? pd.Path
                : HostDescriptorPath(CurrentProcess.Files.Host(guestDirFd));
            if (directory is null) return null;
            absolute = directory + "/" + text;
        }
        for (int hop = 0; hop < 8; hop++)
        {
            if (ProcEntryOf(Lexical(absolute)) is { } entry) return entry;
            // The host kernel resolves the directories (symlinks such as /dev/fd -> /proc/self/fd,
            // and ".." after one), then the last component is looked at here.
            int slash = absolute.TrimEnd('/').LastIndexOf('/');
            string parent = slash <= 0 ? "/" : absolute[..slash], last = absolute[(slash + 1)..].TrimEnd('/');
            string? resolved = RealPath(parent);
            if (resolved is null) return null;
            string candidate = (resolved == "/" ? "" : resolved) + "/" + last;
            if (ProcEntryOf(Lexical(candidate)) is { } viaParent) return viaParent;
            // A symlink as the last component (/dev/stdin -> /proc/self/fd/0): followed here.
            string? target = SymlinkTarget(candidate);
            if (target is null) return null;
            absolute = target.StartsWith('/') ? target : (resolved == "/" ? "" : resolved) + "/" + target;
        }
        return null;
    }

    /// <summary>"/a//b/./c/../d" as its components a, b, d.</summary>
    private static List<string> Lexical(string path)
    {
        var components = new List<string>();
        foreach (string c in path.Split('/'))
        {
            if (c.Length == 0 || c == ".") continue;
            if (c == "..")
            {
                if (components.Count > 0) components.RemoveAt(components.Count - 1);
                continue;
            }
            components.Add(c);
        }
        return components;
    }

    /// <summary>/proc/{self,thread-self,PID}[/task/TID]/ENTRY: the guest process and entry, or null.</summary>
    private ProcEntry? ProcEntryOf(List<string> c)
    {
        if (c.Count < 2 || c[0] != "proc") return null;
        GuestProcess? process = c[1] switch
        {
            "self" or "thread-self" => CurrentProcess,
            _ when int.TryParse(c[1], NumberStyles.None, CultureInfo.InvariantCulture, out int id) => ProcessById(id),
            _ => null,
        };
        if (process is null) return null;
        int rest = 2;
        // /proc/PID/task/TID/ENTRY describes the same process (its threads share what these entries show).
        if (c.Count >= 4 && c[2] == "task" && int.TryParse(c[3], NumberStyles.None, CultureInfo.InvariantCulture, out _)) rest = 4;
        // Joined from an array, not with LINQ's Skip (its generic code is type loads at the first /proc path).
        return new ProcEntry(process, string.Join('/', c.ToArray(), rest, c.Count - rest));
    }

    /// <summary>A guest process by pid or by the tid of one of its threads; the host's own pid (what the host's /proc/self resolves to) is the caller's.</summary>
    private GuestProcess? ProcessById(int id)
    {
        if (_processes.TryGetValue(id, out var p)) return p;
        foreach (var t in _threads)
            if (t.Tid == id) return t.Process;
        return id == Environment.ProcessId ? CurrentProcess : null;
    }

    /// <summary>open/openat on the emulated /proc: a guest descriptor, -errno, or null (not an emulated entry: the host opens it).</summary>
    private long? OpenProc(int guestDirFd, byte[] path, int flags, int mode)
    {
        if (ProcEntryOf(guestDirFd, path) is not { } proc) return null;
        const int accessMode = 3, directory = 0x4000; // O_DIRECTORY on ARM
        string entry = proc.Entry;
        string first = entry.Split('/')[0];
        bool closeOnExec = (flags & OCloExecArm) != 0;
        if (ProcNames.Refused.Contains(first)) return -Errno.EACCES;
        if (ProcNames.Emulated.Contains(entry))
        {
            if ((flags & accessMode) != 0) return -Errno.EACCES;
            if ((flags & directory) != 0) return -Errno.ENOTDIR;
            return InstallMemoryFile(entry, ProcFileContents(proc.Process, entry), closeOnExec);
        }
        if (entry == "exe")
            return OpenHostPath(proc.Process.Image.ExecutableFullPath, flags, mode);
        if (entry == "fd")
        {
            long fd = InstallEmptyDirectory(closeOnExec);
            if (fd >= 0) _procDirectories[(CurrentProcess, (int)fd)] = new ProcDirectory(proc.Process, $"/proc/{proc.Process.Pid}/fd");
            return fd;
        }
        if (first == "fd")
        {
            // /proc/PID/fd/N reopens the file behind the guest's N (what the magic link does).
            if (!int.TryParse(entry[3..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || !proc.Process.Files.IsOpen(n))
                return -Errno.ENOENT;
            return OpenHostPath($"/proc/self/fd/{proc.Process.Files.Host(n)}", flags, mode);
        }
        // The rest of the process's directory is the host's: the guest shares cwd, root, mounts, ... with armemu.
        return OpenHostPath(entry.Length == 0 ? "/proc/self" : "/proc/self/" + entry, flags, mode);
    }

    /// <summary>readlink on the emulated /proc: bytes written, -errno, or null (not an emulated entry).</summary>
    private long? ReadLinkProc(int guestDirFd, byte[] path, uint buffer, uint size)
    {
        if (ProcEntryOf(guestDirFd, path) is not { } proc) return null;
        string? target;
        if (proc.Entry == "exe") target = proc.Process.Image.ExecutableFullPath;
        else if (proc.Entry.StartsWith("fd/", StringComparison.Ordinal))
        {
            if (!int.TryParse(proc.Entry[3..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || !proc.Process.Files.IsOpen(n))
                return -Errno.ENOENT;
            target = HostDescriptorPath(proc.Process.Files.Host(n));
            if (target is null) return -Errno.ENOENT;
        }
        else if (proc.Entry is "cwd" or "root") return null;
        else if (ProcNames.Refused.Contains(proc.Entry.Split('/')[0])) return -Errno.EACCES;
        else return -Errno.EINVAL; // not a link
        byte[] bytes = Encoding.UTF8.GetBytes(target);
        int count = (int)Math.Min(size, (uint)bytes.Length);
        return WriteUser(buffer, bytes.AsSpan(0, count)) ? count : -Errno.EFAULT;
    }

    /// <summary>getdents64 on a /proc/PID/fd directory: ".", ".." and the guest's descriptor numbers (as links).</summary>
    private long? GetDentsProc(int guestFd, uint buffer, uint count)
    {
        if (!_procDirectories.TryGetValue((CurrentProcess, guestFd), out var dir)) return null;
        if (dir.Records is null || dir.Position == 0)
        {
            var records = new List<byte>();
            int index = 0;
            void Add(string name, byte type)
            {
                byte[] n = Encoding.ASCII.GetBytes(name);
                int length = (19 + n.Length + 1 + 7) & ~7;
                var r = new byte[length];
                BinaryPrimitives.WriteUInt64LittleEndian(r, (ulong)(0x1000 + index));   // d_ino
                BinaryPrimitives.WriteInt64LittleEndian(r.AsSpan(8), ++index);          // d_off: the next record
                BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(16), (ushort)length); // d_reclen
                r[18] = type;                                                           // d_type
                n.CopyTo(r, 19);
                records.AddRange(r);
            }
            Add(".", 4);  // DT_DIR
            Add("..", 4);
            foreach (int fd in dir.Process.Files.Descriptors) Add(fd.ToString(CultureInfo.InvariantCulture), 10); // DT_LNK
            dir.Records = [.. records];
        }
        int end = dir.Position;
        while (end < dir.Records.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(dir.Records.AsSpan(end + 16));
            if (end + length - dir.Position > count) break;
            end += length;
        }
        if (end == dir.Position && end < dir.Records.Length) return -Errno.EINVAL; // the buffer holds not even one record
        if (!WriteUser(buffer, dir.Records.AsSpan(dir.Position, end - dir.Position))) return -Errno.EFAULT;
        long written = end - dir.Position;
        dir.Position = end;
        return written;
    }

    /// <summary>
    /// lseek/_llseek on a /proc/PID/fd directory (rewinddir's lseek(fd, 0, SEEK_SET) starts the
    /// listing again): the new position, or null if <paramref name="guestFd"/> is no such directory.
    /// </summary>
    private long? SeekProcDirectory(int guestFd, long offset, int whence, uint resultAddress = 0)
    {
        if (!_procDirectories.TryGetValue((CurrentProcess, guestFd), out var dir)) return null;
        if (whence != 0 || offset < 0) return -Errno.EINVAL;
        // d_off counts records: position 0 is the start, anything else is where a record ends.
        dir.Position = 0;
        dir.Records = null;
        if (resultAddress != 0 && !WriteUser64(resultAddress, 0)) return -Errno.EFAULT;
        return 0;
    }

    private void ForgetProcDirectory(int guestFd) => _procDirectories.Remove((CurrentProcess, guestFd));

    // ---- contents ------------------------------------------------------------------------

    private byte[] ProcFileContents(GuestProcess process, string entry) => entry switch
    {
        "maps" => Encoding.UTF8.GetBytes(ProcMaps(process)),
        "cmdline" => NulSeparated(process.Image.Arguments),
        "environ" => NulSeparated(process.Image.Environment),
        "auxv" => process.Image.AuxiliaryVector,
        "stat" => Encoding.UTF8.GetBytes(ProcStat(process)),
        "status" => Encoding.UTF8.GetBytes(ProcStatus(process)),
        "statm" => Encoding.UTF8.GetBytes(ProcStatm(process)),
        "comm" => Encoding.UTF8.GetBytes(CommandName(process) + "\n"),
        _ => [],
    };

    private static byte[] NulSeparated(IReadOnlyList<string> strings)
    {
        var bytes = new List<byte>();
        foreach (string s in strings)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(s));
            bytes.Add(0);
        }
        return [.. bytes];
    }

    /// <summary>
    /// The task's comm: what prctl(PR_SET_NAME) set on the main thread, else the executed file's
    /// name, at most 15 bytes (TASK_COMM_LEN - 1, __set_task_comm).
    /// </summary>
    private static string CommandName(GuestProcess process)
    {
        if (process.Threads.Count > 0 && process.Threads[0].Comm is { } comm)
            return Encoding.UTF8.GetString(comm, 0, Math.Max(0, Array.IndexOf(comm, (byte)0) is var end && end >= 0 ? end : comm.Length));
        string name = Path.GetFileName(process.Image.ExecutablePath);
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        return bytes.Length <= 15 ? name : Encoding.UTF8.GetString(bytes, 0, 15);
    }

    /// <summary>
    /// /proc/PID/maps as a 32-bit ARM kernel prints it (fs/proc/task_mmu.c, show_map_vma): one
    /// line per run of pages with the same rights, sharing and name, "start-end rwxp offset
    /// major:minor inode", then the name at column 49 (seq_setwidth 25 + 6 * sizeof(void *) - 1).
    /// </summary>
    private string ProcMaps(GuestProcess process)
    {
        var space = process.AddressSpace;
        var names = space.Names;
        uint heapStart = (process.Image.BrkStart + ProcessAddressSpace.PageSize - 1) & ~(ProcessAddressSpace.PageSize - 1);
        uint heapEnd = PageAlignUp(process.Brk);
        var text = new StringBuilder();
        const uint page = ProcessAddressSpace.PageSize;
        ulong va = 0;
        while (va < 1UL << 32)
        {
            uint a = (uint)va;
            if (!space.IsMapped(a))
            {
                va += page;
                continue;
            }
            var rights = space.RightsOf(a);
            bool shared = space.IsShared(a);
            var name = names.At(a);
            bool heap = name is null && a >= heapStart && a < heapEnd;
            ulong end = va + page;
            while (end < 1UL << 32)
            {
                uint b = (uint)end;
                if (!space.IsMapped(b) || space.RightsOf(b) != rights || space.IsShared(b) != shared) break;
                var nameB = names.At(b);
                if (!ReferenceEquals(nameB, name)) break;
                if ((nameB is null && b >= heapStart && b < heapEnd) != heap) break;
                end += page;
            }
            ulong offset = name is null ? 0 : name.Offset + (va - name.Start);
            ulong dev = name?.Device ?? 0;
            uint major = (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));
            uint minor = (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
            int lineStart = text.Length;
            text.Append(CultureInfo.InvariantCulture,
                $"{va:x8}-{end:x8} {((rights & Permission.Read) != 0 ? 'r' : '-')}{((rights & Permission.Write) != 0 ? 'w' : '-')}{((rights & Permission.Execute) != 0 ? 'x' : '-')}{(shared ? 's' : 'p')} {offset:x8} {major:x2}:{minor:x2} {name?.Inode ?? 0} ");
            string? label = name?.Name ?? (heap ? "[heap]" : null);
            if (label is not null)
            {
                int pad = 48 - (text.Length - lineStart);
                if (pad > 0) text.Append(' ', pad);
                text.Append(' ').Append(label);
            }
            text.Append('\n');
            va = end;
        }
        return text.ToString();
    }

    private int ParentPid(GuestProcess process) => process.Parent?.Pid ?? HostLibc.GetPPid();

    private static ulong MappedPages(GuestProcess process)
    {
        ulong pages = 0;
        for (ulong va = 0; va < 1UL << 32; va += ProcessAddressSpace.PageSize)
            if (process.AddressSpace.IsMapped((uint)va)) pages++;
        return pages;
    }

    /// <summary>/proc/PID/stat: Linux's 52 fields (fs/proc/array.c, do_task_stat), those the emulator does not keep as 0.</summary>
    private string ProcStat(GuestProcess process)
    {
        var image = process.Image;
        var segments = image.Executable.LoadSegments;
        uint startCode = segments.Count > 0 ? segments.Min(s => s.VirtualAddress) + image.LoadBias : 0;
        uint endCode = segments.Where(s => (s.Flags & Loaders.SegmentFlags.Execute) != 0).Select(s => s.VirtualAddress + s.FileSize + image.LoadBias).DefaultIfEmpty(0u).Max();
        ulong pages = MappedPages(process);
        char state = process.HasExited ? 'Z' : process.Stopped ? 'T' : process == CurrentProcess ? 'R' : 'S';
        var (rssLimit, _) = process.Limits.Get(5); // RLIMIT_RSS
        long[] fields =
        [
            process.ProcessGroup, process.Session, 0 /* tty_nr */, -1 /* tpgid */, 0 /* flags */,
            0, 0, 0, 0, /* minflt cminflt majflt cmajflt */ 0, 0, 0, 0, /* utime stime cutime cstime */
            20, 0, process.Threads.Count, 0, 0 /* starttime */, (long)(pages * ProcessAddressSpace.PageSize), (long)pages,
        ];
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{process.Pid} ({CommandName(process)}) {state} {ParentPid(process)}");
        foreach (long f in fields) line.Append(' ').Append(f.ToString(CultureInfo.InvariantCulture));
        line.Append(' ').Append(Math.Min(rssLimit, uint.MaxValue).ToString(CultureInfo.InvariantCulture)); // an unsigned long on ARM
        line.Append(CultureInfo.InvariantCulture, $" {startCode} {endCode} {image.StackPointer}");
        // kstkesp kstkeip signal blocked sigignore sigcatch wchan nswap cnswap
        line.Append(" 0 0 0 0 0 0 0 0 0");
        line.Append(CultureInfo.InvariantCulture, $" {process.ExitSignal} 0 0 0 0 0 0");
        // start_data end_data start_brk arg_start arg_end env_start env_end exit_code
        line.Append(CultureInfo.InvariantCulture, $" 0 0 {image.BrkStart} 0 0 0 0 0\n");
        return line.ToString();
    }

    /// <summary>/proc/PID/status: the fields that name the process and its sizes (fs/proc/array.c, proc_pid_status).</summary>
    private string ProcStatus(GuestProcess process)
    {
        ulong kib = MappedPages(process) * (ProcessAddressSpace.PageSize / 1024);
        int uid = HostLibc.GetUid(), euid = HostLibc.GetEUid(), gid = HostLibc.GetGid(), egid = HostLibc.GetEGid();
        string state = process.HasExited ? "Z (zombie)" : process.Stopped ? "T (stopped)" : process == CurrentProcess ? "R (running)" : "S (sleeping)";
        return string.Create(CultureInfo.InvariantCulture,
            $"Name:\t{CommandName(process)}\nUmask:\t0022\nState:\t{state}\nTgid:\t{process.Pid}\nNgid:\t0\nPid:\t{process.Pid}\n" +
            $"PPid:\t{ParentPid(process)}\nTracerPid:\t0\nUid:\t{uid}\t{euid}\t{euid}\t{euid}\nGid:\t{gid}\t{egid}\t{egid}\t{egid}\n" +
            $"FDSize:\t{Math.Max(64, process.Files.Limit)}\nVmPeak:\t{kib,8} kB\nVmSize:\t{kib,8} kB\nVmRSS:\t{kib,8} kB\n" +
            $"Threads:\t{process.Threads.Count}\n");
    }

    /// <summary>/proc/PID/statm: size resident shared text lib data dt, in pages.</summary>
    private static string ProcStatm(GuestProcess process)
    {
        ulong pages = MappedPages(process);
        return string.Create(CultureInfo.InvariantCulture, $"{pages} {pages} 0 0 0 0 0\n");
    }

    // ---- host plumbing --------------------------------------------------------------------

    /// <summary>A host memfd holding <paramref name="contents"/>, installed as a guest descriptor (read-only snapshot, as qemu-arm's).</summary>
    private long InstallMemoryFile(string name, byte[] contents, bool closeOnExec)
    {
        const uint MfdCloexec = 1;
        int fd;
        fixed (byte* n = Encoding.UTF8.GetBytes("armemu-proc-" + name.Replace('/', '-') + "\0")) fd = MemfdCreate(n, MfdCloexec);
        if (fd < 0) return -Marshal.GetLastPInvokeError();
        fixed (byte* p = contents)
        {
            nint done = 0;
            while (done < contents.Length)
            {
                nint w = HostLibc.Write(fd, p + done, (nuint)(contents.Length - done));
                if (w <= 0)
                {
                    HostLibc.Close(fd);
                    return -Errno.EIO;
                }
                done += w;
            }
        }
        HostLibc.LSeek(fd, 0, 0);
        // Read-only from the guest's side: reopen through /proc/self/fd with O_RDONLY.
        int readOnly;
        fixed (byte* p = Encoding.UTF8.GetBytes($"/proc/self/fd/{fd}\0")) readOnly = HostLibc.OpenAt(HostLibc.AtFdCwd, p, OCloExecHost, 0);
        HostLibc.Close(fd);
        if (readOnly < 0) return -Marshal.GetLastPInvokeError();
        return CurrentProcess.Files.Install(readOnly, closeOnExec);
    }

    /// <summary>A host descriptor on an empty directory that no longer has a name (fstat says directory; nothing can be opened beneath it).</summary>
    private long InstallEmptyDirectory(bool closeOnExec)
    {
        string path = Directory.CreateTempSubdirectory("armemu-proc-").FullName;
        int fd;
        try
        {
            fd = HostLibc.OpenDirectory(path);
        }
        finally
        {
            Directory.Delete(path);
        }
        if (fd < 0) return -Errno.EIO;
        return CurrentProcess.Files.Install(fd, closeOnExec);
    }

    private long OpenHostPath(string path, int flags, int mode)
    {
        long fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0")) fd = HostLibc.Check(HostLibc.OpenAt(HostLibc.AtFdCwd, p, OpenFlags.ToHost(flags) | OCloExecHost, mode));
        return fd < 0 ? fd : CurrentProcess.Files.Install((int)fd, (flags & OCloExecArm) != 0);
    }

    /// <summary>The host's name for a host descriptor (its /proc/self/fd link), or null.</summary>
    private static string? HostDescriptorPath(int hostFd)
    {
        if (hostFd < 0) return null;
        byte* buffer = stackalloc byte[4096];
        nint n;
        fixed (byte* p = Encoding.UTF8.GetBytes($"/proc/self/fd/{hostFd}\0")) n = HostLibc.ReadLinkAt(HostLibc.AtFdCwd, p, buffer, 4096);
        return n <= 0 ? null : Encoding.UTF8.GetString(buffer, (int)n);
    }

    private static string? RealPath(string path)
    {
        byte* resolved = stackalloc byte[4097];
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            if (HostRealPath(p, resolved) == null) return null;
        return Marshal.PtrToStringUTF8((nint)resolved);
    }

    /// <summary>The target of <paramref name="path"/> if it is a symlink, else null.</summary>
    private static string? SymlinkTarget(string path)
    {
        byte* buffer = stackalloc byte[4096];
        nint n;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0")) n = HostLibc.ReadLinkAt(HostLibc.AtFdCwd, p, buffer, 4096);
        return n <= 0 ? null : Encoding.UTF8.GetString(buffer, (int)n);
    }

    [LibraryImport(HostLibc.Libc, EntryPoint = "realpath", SetLastError = true)]
    private static partial byte* HostRealPath(byte* path, byte* resolved);

    [LibraryImport(HostLibc.Libc, EntryPoint = "memfd_create", SetLastError = true)]
    private static partial int MemfdCreate(byte* name, uint flags);

    /// <summary>Names the file pages of a mapping for /proc/PID/maps (the host's path, device and inode of the file).</summary>
    private void NameFileMapping(int hostFd, uint start, uint end, ulong offset)
    {
        HostStat st;
        if (HostLibc.FStat(hostFd, &st) != 0) return;
        Space.Names.Set(start, end, HostDescriptorPath(hostFd) ?? "", offset, st.Dev, st.Ino);
    }
}
