using System.Runtime.InteropServices;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The host's C library, for the system calls the emulated kernel passes
/// through to the host kernel (as qemu-arm does): the host is Linux too, so
/// file descriptors, errno values and most flags mean the same thing. Each
/// call returns the host result, or -errno on failure (the kernel's own
/// convention), via <see cref="Check(long)"/>.
/// </summary>
internal static unsafe partial class HostLibc
{
    /// <summary>
    /// The C library by its soname. "libc" alone made .NET probe a dozen names first (libc.so,
    /// Debian's linker script, then liblibc.so, in the application's directories and the
    /// system's) and call the managed resolver, in each assembly that imports it, at every start-up.
    /// </summary>
    public const string Libc = "libc.so.6";

    public const int AtFdCwd = -100;

    /// <summary>-errno if the call failed (returned -1), else the result.</summary>
    public static long Check(long result) => result == -1 ? -Marshal.GetLastPInvokeError() : result;

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "pread64", SetLastError = true)]
    public static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Libc, EntryPoint = "pwrite64", SetLastError = true)]
    public static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirfd, byte* path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "lseek64", SetLastError = true)]
    public static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport(Libc, EntryPoint = "fstatat64", SetLastError = true)]
    public static partial int FStatAt(int dirfd, byte* path, HostStat* buffer, int flags);

    [LibraryImport(Libc, EntryPoint = "fstat64", SetLastError = true)]
    public static partial int FStat(int fd, HostStat* buffer);

    [LibraryImport(Libc, EntryPoint = "readlinkat", SetLastError = true)]
    public static partial nint ReadLinkAt(int dirfd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "getcwd", SetLastError = true)]
    public static partial byte* GetCwd(byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "chdir", SetLastError = true)]
    public static partial int ChDir(byte* path);

    [LibraryImport(Libc, EntryPoint = "fchdir", SetLastError = true)]
    public static partial int FChDir(int fd);

    [LibraryImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
    public static partial int MkDirAt(int dirfd, byte* path, int mode);

    [LibraryImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(int dirfd, byte* path, int flags);

    [LibraryImport(Libc, EntryPoint = "renameat", SetLastError = true)]
    public static partial int RenameAt(int olddirfd, byte* oldpath, int newdirfd, byte* newpath);

    [LibraryImport(Libc, EntryPoint = "linkat", SetLastError = true)]
    public static partial int LinkAt(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport(Libc, EntryPoint = "symlinkat", SetLastError = true)]
    public static partial int SymLinkAt(byte* target, int newdirfd, byte* linkpath);

    [LibraryImport(Libc, EntryPoint = "fchmodat", SetLastError = true)]
    public static partial int FChModAt(int dirfd, byte* path, int mode, int flags);

    [LibraryImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChMod(int fd, int mode);

    [LibraryImport(Libc, EntryPoint = "fchownat", SetLastError = true)]
    public static partial int FChOwnAt(int dirfd, byte* path, int owner, int group, int flags);

    [LibraryImport(Libc, EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChOwn(int fd, int owner, int group);

    [LibraryImport(Libc, EntryPoint = "utimensat", SetLastError = true)]
    public static partial int UTimeNsAt(int dirfd, byte* path, long* times, int flags);

    [LibraryImport(Libc, EntryPoint = "faccessat", SetLastError = true)]
    public static partial int FAccessAt(int dirfd, byte* path, int mode, int flags);

    [LibraryImport(Libc, EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int FCntl(int fd, int cmd, nint arg);

    [LibraryImport(Libc, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Libc, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int fd, int newfd);

    [LibraryImport(Libc, EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int fd, int newfd, int flags);

    [LibraryImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoCtl(int fd, nuint request, byte* argument);

    [LibraryImport(Libc, EntryPoint = "ftruncate64", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(Libc, EntryPoint = "truncate64", SetLastError = true)]
    public static partial int Truncate(byte* path, long length);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport(Libc, EntryPoint = "umask")]
    public static partial int UMask(int mask);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(byte* fds, nuint count, int timeout);

    [LibraryImport(Libc, EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport(Libc, EntryPoint = "getppid")]
    public static partial int GetPPid();

    [LibraryImport(Libc, EntryPoint = "getuid")]
    public static partial int GetUid();

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial int GetEUid();

    [LibraryImport(Libc, EntryPoint = "getgid")]
    public static partial int GetGid();

    [LibraryImport(Libc, EntryPoint = "getegid")]
    public static partial int GetEGid();

    [LibraryImport(Libc, EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetPGid(int pid);

    [LibraryImport(Libc, EntryPoint = "getsid", SetLastError = true)]
    public static partial int GetSid(int pid);

    [LibraryImport(Libc, EntryPoint = "getgroups", SetLastError = true)]
    public static partial int GetGroups(int size, uint* list);

    [LibraryImport(Libc, EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    [LibraryImport(Libc, EntryPoint = "statfs64", SetLastError = true)]
    public static partial int StatFs(byte* path, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "fstatfs64", SetLastError = true)]
    public static partial int FStatFs(int fd, byte* buffer);
}

/// <summary>The x86-64 host's struct stat (144 bytes), read field by field into the guest's stat64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HostStat
{
    public ulong Dev;
    public ulong Ino;
    public ulong NLink;
    public uint Mode;
    public uint Uid;
    public uint Gid;
    public int Pad0;
    public ulong RDev;
    public long Size;
    public long BlkSize;
    public long Blocks;
    public long ATime, ATimeNs;
    public long MTime, MTimeNs;
    public long CTime, CTimeNs;
    public long Reserved0, Reserved1, Reserved2;
}

internal static unsafe partial class HostLibc
{
    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "futimens", SetLastError = true)]
    public static partial int FUTimeNs(int fd, long* times);

    [LibraryImport(Libc, EntryPoint = "prlimit64", SetLastError = true)]
    public static partial int PrLimit(int pid, int resource, ulong* newLimit, ulong* oldLimit);

    /// <summary>
    /// sched_getaffinity as the system call, whose result is the size of the mask in bytes
    /// (sched_getaffinity(2), "C library/kernel differences"); glibc's wrapper returns 0
    /// instead, which callers such as glibc's get_nprocs_sched read as an empty mask.
    /// </summary>
    public static long SchedGetAffinity(int pid, nuint size, byte* mask) =>
        Syscall(RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 204,   // arch/x86/entry/syscalls/syscall_64.tbl
            Architecture.Arm64 => 123, // include/uapi/asm-generic/unistd.h
            var other => throw new PlatformNotSupportedException($"sched_getaffinity: no system call number for a {other} host"),
        }, pid, (nint)size, (nint)mask);

    // syscall(2) is variadic; every argument here is an integer register argument, which the
    // x86-64 and AArch64 calling conventions pass the same way for variadic and fixed calls.
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, nint a1, nint a2, nint a3);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "gethostname", SetLastError = true)]
    public static partial int GetHostName(byte* name, nuint length);

    [LibraryImport(Libc, EntryPoint = "uname", SetLastError = true)]
    public static partial int UName(byte* buffer);
}

internal static unsafe partial class HostLibc
{
    [LibraryImport(Libc, EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGetTime(int clock, long* timespec);

    [LibraryImport(Libc, EntryPoint = "clock_getres", SetLastError = true)]
    public static partial int ClockGetRes(int clock, long* timespec);
}
