using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ArmEmu.Emulator.Semihosting;

/// <summary>
/// A host directory that guest file operations cannot leave. Confinement is done by the
/// host kernel, not by comparing strings: every name is resolved relative to a descriptor
/// of the root with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) (Linux 5.6 and later),
/// so "..", absolute names and symbolic links that lead outside fail inside the kernel,
/// with no window between a check and the open. Where openat2 is missing, names are walked
/// one component at a time with O_NOFOLLOW, refusing "..", so no link is ever followed.
///
/// Rules, each refused with EACCES as escapes always were:
/// - absolute names and names that climb out of the root (through "..", or a link);
/// - the root itself as a file to open, remove or rename (the name ".");
/// an empty name is ENOENT, as Linux answers for an empty path (and QEMU passes on).
/// - a regular file with more than one name (a hard link may name a file outside the root;
///   writing through it would change that file).
/// Directories are never opened as files (EISDIR). Errors are the host's errno values,
/// which are Linux's, as QEMU's semihosting reports them.
/// </summary>
internal sealed unsafe partial class ConfinedDirectory : IDisposable
{
    private const int OPath = 0x200000, ODirectory = 0x10000, ONofollow = 0x20000, OCloexec = 0x80000;
    private const ulong ResolveNoMagicLinks = 0x02, ResolveBeneath = 0x08;
    private const long SysOpenat2X64 = 437; // the same number on x86-64 and AArch64 (the generic table)
    private const int Enoent = 2, Eacces = 13, Eisdir = 21, Exdev = 18, Eloop = 40, Enosys = 38, Einval = 22;

    private readonly int _root;
    private bool _useOpenat2 = true;

    /// <summary>Opens <paramref name="root"/>, which must be an existing directory.</summary>
    /// <exception cref="DirectoryNotFoundException">The path is missing or not a directory.</exception>
    public ConfinedDirectory(string root)
    {
        Path = System.IO.Path.GetFullPath(root);
        fixed (byte* p = CString(Path))
            _root = Open(-100, p, OPath | ODirectory | OCloexec, 0);
        if (_root < 0)
            throw new DirectoryNotFoundException($"the semihosting root '{root}' is not an existing directory");
    }

    /// <summary>The root's full path on the host.</summary>
    public string Path { get; }

    /// <summary>Test seam: resolve names with the component walk even where openat2 exists.</summary>
    internal bool ForceComponentWalk { set => _useOpenat2 = !value; }

    /// <summary>Opens <paramref name="name"/> beneath the root with open(2) <paramref name="flags"/>; the handle, or -errno.</summary>
    public SafeFileHandle? OpenFile(string name, int flags, out int errno)
    {
        errno = CheckName(name, allowSubdirectory: true);
        if (errno != 0) return null;
        // O_TRUNC waits until the file is known to be one we may change: a hard link's
        // target must not be truncated by the open that is then refused.
        const int OTrunc = 0x200;
        int fd = Resolve(name, (flags & ~OTrunc) | ONofollowIfWalking() | OCloexec, 0b110_100_100, out errno);
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var (type, links) = TypeAndLinks(fd);
        errno = type == SIfDir ? Eisdir : type == SIfReg && links > 1 ? Eacces : 0;
        if (errno == 0 && (flags & OTrunc) != 0 && type == SIfReg && FTruncate(fd, 0) != 0)
            errno = Marshal.GetLastPInvokeError();
        if (errno == 0) return handle;
        handle.Dispose();
        return null;
    }

    /// <summary>Removes the file <paramref name="name"/> beneath the root; 0 or an errno.</summary>
    public int Remove(string name)
    {
        int errno = SplitParent(name, out int parent, out byte[] leaf);
        if (errno != 0) return errno;
        try
        {
            fixed (byte* p = leaf)
                return UnlinkAt(parent, p, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            Close(parent);
        }
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, both beneath the root; 0 or an errno.</summary>
    public int Rename(string from, string to)
    {
        int errno = SplitParent(from, out int fromParent, out byte[] fromLeaf);
        if (errno != 0) return errno;
        try
        {
            errno = SplitParent(to, out int toParent, out byte[] toLeaf);
            if (errno != 0) return errno;
            try
            {
                fixed (byte* f = fromLeaf)
                fixed (byte* t = toLeaf)
                    return RenameAt(fromParent, f, toParent, t) == 0 ? 0 : Marshal.GetLastPInvokeError();
            }
            finally
            {
                Close(toParent);
            }
        }
        finally
        {
            Close(fromParent);
        }
    }

    public void Dispose() => Close(_root);

    // ---- resolution -------------------------------------------------------------------------

    private int ONofollowIfWalking() => _useOpenat2 ? 0 : ONofollow;

    /// <summary>0 if the name may be resolved at all; EACCES for absolute names and the root itself, ENOENT for an empty name.</summary>
    private static int CheckName(string name, bool allowSubdirectory)
    {
        if (name.Length == 0) return Enoent;
        if (name.StartsWith('/')) return Eacces;
        if (name.Contains('\0')) return Einval;
        string trimmed = name.TrimEnd('/');
        if (trimmed.Length == 0 || trimmed == "." || (!allowSubdirectory && trimmed.Contains('/'))) return Eacces;
        return 0;
    }

    /// <summary>The directory holding <paramref name="name"/> (a descriptor to close) and the last component.</summary>
    private int SplitParent(string name, out int parent, out byte[] leaf)
    {
        parent = -1;
        leaf = [];
        int errno = CheckName(name, allowSubdirectory: true);
        if (errno != 0) return errno;
        string trimmed = name.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        string dir = slash < 0 ? "." : trimmed[..slash];
        string last = trimmed[(slash + 1)..];
        if (last is "." or "..") return Eacces;
        parent = Resolve(dir.Length == 0 ? "." : dir, OPath | ODirectory | OCloexec, 0, out errno);
        if (parent < 0) return errno;
        leaf = CString(last);
        return 0;
    }

    /// <summary>A descriptor for <paramref name="name"/> opened beneath the root, or -1 with <paramref name="errno"/>.</summary>
    private int Resolve(string name, int flags, int mode, out int errno)
    {
        if (_useOpenat2)
        {
            int fd = OpenBeneath(name, flags, mode, out errno);
            if (fd >= 0 || errno != Enosys) return fd;
            _useOpenat2 = false; // an older host kernel: walk instead, from now on
            flags |= ONofollow;
        }
        return WalkBeneath(name, flags, mode, out errno);
    }

    private int OpenBeneath(string name, int flags, int mode, out int errno)
    {
        const int OCreat = 0x40;
        // openat2 refuses a mode without O_CREAT (EINVAL), unlike openat, which ignores it.
        var how = new OpenHow
        {
            Flags = (ulong)(uint)flags, Mode = (flags & OCreat) != 0 ? (ulong)mode : 0, Resolve = ResolveBeneath | ResolveNoMagicLinks,
        };
        fixed (byte* p = CString(name))
        {
            long fd = Syscall(SysOpenat2X64, _root, p, &how, (nuint)sizeof(OpenHow));
            errno = fd < 0 ? EscapeErrno(Marshal.GetLastPInvokeError()) : 0;
            return (int)fd;
        }
    }

    /// <summary>One component at a time, never following a link and never going up.</summary>
    private int WalkBeneath(string name, int flags, int mode, out int errno)
    {
        string[] parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int dir = Dup(_root);
        try
        {
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (parts[i] == ".") continue;
                if (parts[i] == "..") { errno = Eacces; return -1; }
                int next;
                fixed (byte* p = CString(parts[i]))
                    next = Open(dir, p, OPath | ODirectory | ONofollow | OCloexec, 0);
                if (next < 0) { errno = EscapeErrno(Marshal.GetLastPInvokeError()); return -1; }
                Close(dir);
                dir = next;
            }
            string last = parts.Length == 0 ? "." : parts[^1];
            if (last == "..") { errno = Eacces; return -1; }
            int fd;
            fixed (byte* p = CString(last))
                fd = Open(dir, p, flags | ONofollow, mode);
            errno = fd < 0 ? EscapeErrno(Marshal.GetLastPInvokeError()) : 0;
            return fd;
        }
        finally
        {
            Close(dir);
        }
    }

    /// <summary>What the kernel says of an attempted escape (EXDEV from openat2, ELOOP at a link) becomes EACCES.</summary>
    private static int EscapeErrno(int errno) => errno is Exdev or Eloop ? Eacces : errno;

    private const int SIfMt = 0xF000, SIfDir = 0x4000, SIfReg = 0x8000;

    /// <summary>The file type bits and link count of an open descriptor (statx: one layout on every architecture).</summary>
    private static (int Type, uint Links) TypeAndLinks(int fd)
    {
        const int AtEmptyPath = 0x1000, StatxType = 0x1, StatxNlink = 0x4;
        byte* buffer = stackalloc byte[256];
        fixed (byte* empty = "\0"u8)
            if (Statx(fd, empty, AtEmptyPath, StatxType | StatxNlink, buffer) != 0) return (0, 0);
        return (*(ushort*)(buffer + 28) & SIfMt, *(uint*)(buffer + 16)); // stx_mode at 28, stx_nlink at 16
    }

    private static byte[] CString(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags, Mode, Resolve;
    }

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int dirfd, byte* path, OpenHow* how, nuint size);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "openat", SetLastError = true)]
    private static partial int Open(int dirfd, byte* path, int flags, int mode);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int UnlinkAt(int dirfd, byte* path, int flags);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "renameat", SetLastError = true)]
    private static partial int RenameAt(int oldDirfd, byte* oldPath, int newDirfd, byte* newPath);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, int mask, byte* buffer);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "ftruncate64", SetLastError = true)]
    private static partial int FTruncate(int fd, long length);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
