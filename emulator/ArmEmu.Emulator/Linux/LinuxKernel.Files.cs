using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Linux;

/// <summary>File-system and I/O calls, passed through to the host with guest buffers copied in and out.</summary>
internal sealed unsafe partial class LinuxKernel
{
    private const int AtSymlinkNoFollow = 0x100, AtRemoveDir = 0x200, AtEmptyPath = 0x1000;
    private const int MaxTransfer = 1 << 24;

    private delegate int PathCall(byte* path);

    private delegate int TwoPathCall(byte* path1, byte* path2);

    private long WithPath(uint address, PathCall call)
    {
        byte[]? path = ReadUserPath(address);
        if (path is null) return -Errno.EFAULT;
        fixed (byte* p = path) return HostLibc.Check(call(p));
    }

    private long WithPaths(uint address1, uint address2, TwoPathCall call)
    {
        byte[]? path1 = ReadUserPath(address1), path2 = ReadUserPath(address2);
        if (path1 is null || path2 is null) return -Errno.EFAULT;
        fixed (byte* p = path1)
        fixed (byte* q = path2)
            return HostLibc.Check(call(p, q));
    }

    /// <summary>
    /// A path from the guest. "/proc/self/exe" names the guest program, not the emulator;
    /// with -L, an absolute path that exists under the sysroot is taken from there (as
    /// qemu-arm's path redirection does), so the dynamic linker finds the ARM libraries.
    /// </summary>
    private byte[]? ReadUserPath(uint address)
    {
        byte[]? path = ReadUserString(address);
        if (path is null) return null;
        if (path.AsSpan().SequenceEqual("/proc/self/exe\0"u8))
            return Encoding.UTF8.GetBytes(CurrentProcess.Image.ExecutableFullPath + "\0");
        if (SysRoot is { } root && path.Length > 2 && path[0] == (byte)'/')
        {
            string redirected = root + Encoding.UTF8.GetString(path, 0, path.Length - 1);
            if (File.Exists(redirected) || Directory.Exists(redirected)) return Encoding.UTF8.GetBytes(redirected + "\0");
        }
        return path;
    }

    private delegate nint HostFill(byte* buffer, nuint size);

    private delegate nint HostDrain(byte* buffer, nuint size);

    /// <summary>
    /// A host call that fills a buffer (read, pread64, getdents64): the guest's buffer must be
    /// writable, at most <paramref name="limit"/> bytes are asked for, and what the host
    /// returned is copied to the guest.
    /// </summary>
    private long FillUser(uint buffer, uint count, int limit, HostFill call)
    {
        int n = (int)Math.Min(count, (uint)limit);
        if (!UserRange(buffer, (uint)n, ArmEmu.Memory.Permission.Write)) return -Errno.EFAULT;
        byte[] tmp = Rent(n);
        try
        {
            long got;
            fixed (byte* p = tmp) got = HostLibc.Check(call(p, (nuint)n));
            if (got > 0) WriteUser(buffer, tmp.AsSpan(0, (int)got));
            return got;
        }
        finally
        {
            Return(tmp);
        }
    }

    /// <summary>A host call that consumes a buffer (write, pwrite64): the guest's bytes are copied out first.</summary>
    private long DrainUser(uint buffer, uint count, HostDrain call)
    {
        int n = (int)Math.Min(count, MaxTransfer);
        byte[] tmp = Rent(n);
        try
        {
            if (!ReadUser(buffer, tmp.AsSpan(0, n))) return -Errno.EFAULT;
            fixed (byte* p = tmp) return HostLibc.Check(call(p, (nuint)n));
        }
        finally
        {
            Return(tmp);
        }
    }

    private long SysRead(int fd, uint buffer, uint count) =>
        FillUser(buffer, count, MaxTransfer, (p, n) => HostLibc.Read(fd, p, n));

    private long SysWrite(int fd, uint buffer, uint count) =>
        DrainUser(buffer, count, (p, n) => HostLibc.Write(fd, p, n));

    private long SysPRead(int fd, uint buffer, uint count, long offset) =>
        FillUser(buffer, count, MaxTransfer, (p, n) => HostLibc.PRead(fd, p, n, offset));

    private long SysPWrite(int fd, uint buffer, uint count, long offset) =>
        DrainUser(buffer, count, (p, n) => HostLibc.PWrite(fd, p, n, offset));

    /// <summary>Reads an iovec array (struct iovec: base, length; 8 bytes each on ARM).</summary>
    private (uint Base, uint Length)[]? ReadIovecs(uint address, int count)
    {
        if (count < 0 || count > 1024) return null;
        var result = new (uint, uint)[count];
        for (int i = 0; i < count; i++)
        {
            if (!ReadUser32(address + (uint)(8 * i), out uint b) || !ReadUser32(address + (uint)(8 * i + 4), out uint l)) return null;
            result[i] = (b, l);
        }
        return result;
    }

    private long SysWriteV(int fd, uint iov, int count)
    {
        var vectors = ReadIovecs(iov, count);
        if (vectors is null) return count is < 0 or > 1024 ? -Errno.EINVAL : -Errno.EFAULT;
        long total = vectors.Sum(v => (long)v.Length);
        if (total > MaxTransfer) return -Errno.EINVAL;
        byte[] tmp = Rent((int)total);
        try
        {
            int at = 0;
            foreach (var (b, l) in vectors)
            {
                if (!ReadUser(b, tmp.AsSpan(at, (int)l))) return -Errno.EFAULT;
                at += (int)l;
            }
            fixed (byte* p = tmp) return HostLibc.Check(HostLibc.Write(fd, p, (nuint)total));
        }
        finally
        {
            Return(tmp);
        }
    }

    private long SysReadV(int fd, uint iov, int count)
    {
        var vectors = ReadIovecs(iov, count);
        if (vectors is null) return count is < 0 or > 1024 ? -Errno.EINVAL : -Errno.EFAULT;
        long total = vectors.Sum(v => (long)v.Length);
        if (total > MaxTransfer) return -Errno.EINVAL;
        foreach (var (b, l) in vectors)
            if (!UserRange(b, l, ArmEmu.Memory.Permission.Write)) return -Errno.EFAULT;
        byte[] tmp = Rent((int)total);
        try
        {
            long got;
            fixed (byte* p = tmp) got = HostLibc.Check(HostLibc.Read(fd, p, (nuint)total));
            long at = 0;
            foreach (var (b, l) in vectors)
            {
                if (at >= got) break;
                int n = (int)Math.Min(l, got - at);
                WriteUser(b, tmp.AsSpan((int)at, n));
                at += n;
            }
            return got;
        }
        finally
        {
            Return(tmp);
        }
    }

    private long SysOpenAt(int dirfd, uint pathAddress, int flags, int mode, int guestDirFd = HostLibc.AtFdCwd)
    {
        byte[]? path = ReadUserPath(pathAddress);
        if (path is null) return -Errno.EFAULT;
        if (OpenProc(guestDirFd, path, flags, mode) is { } proc) return proc;
        // The emulated /dev/mem is matched on what the path names (//dev/mem, /dev/./mem, a symlink), not its spelling.
        if (guestDirFd == HostLibc.AtFdCwd && path[0] == (byte)'/' && Lexical(Encoding.UTF8.GetString(path, 0, path.Length - 1)) is ["dev", "mem"])
            return OpenDevMem(flags);
        switch (MemoryDeviceAt(dirfd, path))
        {
            case 1: return OpenDevMem(flags);
            case > 1: return -Errno.EACCES;
        }
        long fd;
        fixed (byte* p = path) fd = HostLibc.Check(HostLibc.OpenAt(dirfd, p, OpenFlags.ToHost(flags) | OCloExecHost, mode));
        if (fd < 0) return fd;
        // What was opened, checked again now that it is open (the name could have changed in between):
        // never the host's memory devices, never the emulator's own /proc entries.
        if (MemoryDevice((int)fd) != 0 || HostDescriptorPath((int)fd) is { } opened && IsEmulatorsOwnProc(opened))
        {
            HostLibc.Close((int)fd);
            return -Errno.EACCES;
        }
        long guest = CurrentProcess.Files.Install((int)fd, (flags & OCloExecArm) != 0);
        if (guest >= 0 && Random.IsSeeded && (path.AsSpan().SequenceEqual("/dev/urandom\0"u8) || path.AsSpan().SequenceEqual("/dev/random\0"u8)))
            CurrentProcess.SeededRandomDescriptors.Add((int)guest);
        return guest;
    }

    /// <summary>True for a name in the host's /proc directory of the emulator itself (/proc/PID/... with the host pid).</summary>
    private static bool IsEmulatorsOwnProc(string hostName)
    {
        string own = $"/proc/{Environment.ProcessId}";
        return hostName == own || hostName.StartsWith(own + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// Which memory character device (drivers/char/mem.c: 1:1 mem, 1:2 kmem, 1:4 port) a path
    /// names after the host resolves it, 0 for anything else.
    /// </summary>
    private static int MemoryDeviceAt(int dirfd, byte[] path)
    {
        HostStat st;
        fixed (byte* p = path)
            if (HostLibc.FStatAt(dirfd, p, &st, 0) != 0) return 0;
        return MemoryDevice(st);
    }

    private static int MemoryDevice(int hostFd)
    {
        HostStat st;
        return HostLibc.FStat(hostFd, &st) != 0 ? 0 : MemoryDevice(st);
    }

    private static int MemoryDevice(in HostStat st)
    {
        const uint S_IFMT = 0xF000, S_IFCHR = 0x2000;
        if ((st.Mode & S_IFMT) != S_IFCHR) return 0;
        return st.RDev switch { 0x101 => 1, 0x102 => 2, 0x104 => 4, _ => 0 };
    }

    /// <summary>
    /// read on /dev/urandom or /dev/random while the randomness is seeded: the host device is
    /// really open (fstat, poll and close behave), but the bytes come from the seeded stream,
    /// so a program that reads them prints the same on every run. dup'ed copies read the host
    /// device (not followed).
    /// </summary>
    private long ReadSeededRandom(uint buffer, uint count)
    {
        int n = (int)Math.Min(count, (uint)MaxTransfer);
        if (!UserRange(buffer, (uint)n, ArmEmu.Memory.Permission.Write)) return -Errno.EFAULT;
        byte[] tmp = Rent(n);
        try
        {
            Random.Fill(tmp.AsSpan(0, n));
            WriteUser(buffer, tmp.AsSpan(0, n));
            return n;
        }
        finally
        {
            Return(tmp);
        }
    }

    // O_CLOEXEC: 02000000 on ARM and on the host. Every host descriptor the kernel opens is
    // close-on-exec on the host; the guest's flag is kept in its file table.
    private const int OCloExecArm = 0x8_0000, OCloExecHost = 0x8_0000;

    /// <summary>close: the guest number goes; the host descriptor closes once nothing names it.</summary>
    private long SysClose(int fd)
    {
        long r = CurrentProcess.Files.Close(fd);
        if (r == 0)
        {
            ForgetProcDirectory(fd);
            CurrentProcess.DevMemDescriptors.Remove(fd);
            CurrentProcess.SeededRandomDescriptors.Remove(fd);
        }
        return r;
    }

    /// <summary>
    /// close_range(first, last, flags) (fs/file.c, __close_range): every open descriptor in
    /// the range closed, or with CLOSE_RANGE_CLOEXEC only marked close-on-exec; with
    /// CLOSE_RANGE_UNSHARE a table shared with another process (CLONE_FILES) is copied first.
    /// Only the guest's own numbers are in the range: armemu's descriptors are not.
    /// </summary>
    private long SysCloseRange(uint first, uint last, uint flags)
    {
        const uint Unshare = 2, CloseOnExec = 4;
        if ((flags & ~(Unshare | CloseOnExec)) != 0 || first > last) return -Errno.EINVAL;
        if ((flags & Unshare) != 0 && _processes.Values.Any(p => p != CurrentProcess && !p.HasExited && ReferenceEquals(p.Files, CurrentProcess.Files)))
            CurrentProcess.Files = CurrentProcess.Files.Fork();
        var files = CurrentProcess.Files;
        foreach (int fd in files.Descriptors.Where(fd => (uint)fd >= first && (uint)fd <= last).ToList())
        {
            if ((flags & CloseOnExec) != 0) files.SetCloseOnExec(fd, true);
            else SysClose(fd);
        }
        return 0;
    }

    /// <summary>dup and fcntl(F_DUPFD[_CLOEXEC]): the lowest free guest number at or above <paramref name="lowest"/>.</summary>
    private long SysDup(int fd, int lowest, bool closeOnExec)
    {
        var files = CurrentProcess.Files;
        if (!files.IsOpen(fd)) return -Errno.EBADF;
        if (lowest < 0 || lowest >= files.Limit) return -Errno.EINVAL;
        long host = HostLibc.Check(HostLibc.FCntl(files.Host(fd), 1030 /* F_DUPFD_CLOEXEC */, 3));
        if (host < 0) return host;
        long r = files.Install((int)host, closeOnExec, lowest);
        if (r >= 0 && CurrentProcess.DevMemDescriptors.TryGetValue(fd, out bool sync)) CurrentProcess.DevMemDescriptors[(int)r] = sync;
        return r;
    }

    /// <summary>dup2 and dup3: <paramref name="target"/> names what <paramref name="fd"/> names, whatever it named before closed.</summary>
    private long SysDup2(int fd, int target, int flags, bool dup3)
    {
        var files = CurrentProcess.Files;
        if (dup3 && (flags & ~OCloExecArm) != 0) return -Errno.EINVAL;
        if (!files.IsOpen(fd) || target < 0 || target >= files.Limit) return -Errno.EBADF;
        if (fd == target) return dup3 ? -Errno.EINVAL : target;
        long host = HostLibc.Check(HostLibc.FCntl(files.Host(fd), 1030 /* F_DUPFD_CLOEXEC */, 3));
        if (host < 0) return host;
        files.InstallAt(target, (int)host, (flags & OCloExecArm) != 0);
        CurrentProcess.DevMemDescriptors.Remove(target);
        CurrentProcess.SeededRandomDescriptors.Remove(target);
        if (CurrentProcess.DevMemDescriptors.TryGetValue(fd, out bool sync)) CurrentProcess.DevMemDescriptors[target] = sync;
        return target;
    }

    // ---- /dev/mem --------------------------------------------------------------------------

    private const int OSyncBits = 0x10_1000; // O_SYNC is __O_SYNC | O_DSYNC; /dev/mem tests f_flags & O_SYNC

    /// <summary>
    /// /dev/mem is the board's physical map (<see cref="LinuxMachine"/>), not the host's: the
    /// descriptor is a host /dev/null opened with the guest's access mode, so that it has a
    /// number of its own, fcntl and close work, and read/write do nothing harmful; only mmap
    /// (<see cref="MapDevMem"/>) knows what it is. The emulated process may open it as Linux
    /// lets a CAP_SYS_RAWIO process do (drivers/char/mem.c, open_port). dup'ed copies and
    /// forked tables follow it.
    /// </summary>
    private long OpenDevMem(int flags)
    {
        const int accessMode = 3, closeOnExec = 0x8_0000;
        long fd;
        fixed (byte* p = "/dev/null\0"u8) fd = HostLibc.Check(HostLibc.OpenAt(HostLibc.AtFdCwd, p, (flags & (accessMode | OSyncBits)) | OCloExecHost, 0));
        if (fd < 0) return fd;
        fd = CurrentProcess.Files.Install((int)fd, (flags & closeOnExec) != 0);
        if (fd >= 0) CurrentProcess.DevMemDescriptors[(int)fd] = (flags & OSyncBits) != 0;
        return fd;
    }

    private static long SysLSeek(int fd, int offset, int whence)
    {
        long r = HostLibc.Check(HostLibc.LSeek(fd, offset, whence));
        return r > int.MaxValue ? -75 /* EOVERFLOW */ : r;
    }

    private long SysLLSeek(int fd, long offset, uint result, int whence)
    {
        long r = HostLibc.Check(HostLibc.LSeek(fd, offset, whence));
        if (r < 0) return r;
        return WriteUser64(result, (ulong)r) ? 0 : -Errno.EFAULT;
    }

    private long SysFStatAt(int dirfd, uint pathAddress, uint buffer, int flags)
    {
        byte[]? path = ReadUserPath(pathAddress);
        if (path is null) return -Errno.EFAULT;
        HostStat st;
        long r;
        fixed (byte* p = path) r = HostLibc.Check(HostLibc.FStatAt(dirfd, p, &st, flags));
        return r < 0 ? r : WriteStat64(buffer, st);
    }

    private long SysFStat(int fd, uint buffer)
    {
        HostStat st;
        long r = HostLibc.Check(HostLibc.FStat(fd, &st));
        return r < 0 ? r : WriteStat64(buffer, st);
    }

    /// <summary>Writes the ARM EABI struct stat64 (104 bytes; layout checked with arm-linux-gnueabi-gcc).</summary>
    private long WriteStat64(uint address, in HostStat st)
    {
        Span<byte> b = stackalloc byte[104];
        b.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b[0..], st.Dev);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], (uint)st.Ino);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], st.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], (uint)st.NLink);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], st.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], st.Gid);
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], st.RDev);
        BinaryPrimitives.WriteInt64LittleEndian(b[48..], st.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(b[56..], (uint)st.BlkSize);
        BinaryPrimitives.WriteInt64LittleEndian(b[64..], st.Blocks);
        BinaryPrimitives.WriteUInt32LittleEndian(b[72..], (uint)st.ATime);
        BinaryPrimitives.WriteUInt32LittleEndian(b[76..], (uint)st.ATimeNs);
        BinaryPrimitives.WriteUInt32LittleEndian(b[80..], (uint)st.MTime);
        BinaryPrimitives.WriteUInt32LittleEndian(b[84..], (uint)st.MTimeNs);
        BinaryPrimitives.WriteUInt32LittleEndian(b[88..], (uint)st.CTime);
        BinaryPrimitives.WriteUInt32LittleEndian(b[92..], (uint)st.CTimeNs);
        BinaryPrimitives.WriteUInt64LittleEndian(b[96..], st.Ino);
        return WriteUser(address, b) ? 0 : -Errno.EFAULT;
    }

    /// <summary>statx: struct statx is the same on every architecture, so the host's answer is copied as is.</summary>
    private long SysStatx(int dirfd, uint pathAddress, int flags, uint mask, uint buffer)
    {
        byte[]? path = ReadUserPath(pathAddress);
        if (path is null) return -Errno.EFAULT;
        byte* result = stackalloc byte[256];
        long r;
        fixed (byte* p = path) r = HostLibc.Check(HostLibc.Statx(dirfd, p, flags, mask, result));
        return r < 0 ? r : WriteUser(buffer, new ReadOnlySpan<byte>(result, 256)) ? 0 : -Errno.EFAULT;
    }

    private long SysFAccessAt(int dirfd, uint pathAddress, int mode, int flags)
    {
        byte[]? path = ReadUserPath(pathAddress);
        if (path is null) return -Errno.EFAULT;
        fixed (byte* p = path) return HostLibc.Check(HostLibc.FAccessAt(dirfd, p, mode, flags));
    }

    private long SysReadLinkAt(int dirfd, uint pathAddress, uint buffer, uint size, int guestDirFd = HostLibc.AtFdCwd)
    {
        byte[]? path = ReadUserString(pathAddress);
        if (path is null) return -Errno.EFAULT;
        if ((int)size <= 0) return -Errno.EINVAL;
        if (ReadLinkProc(guestDirFd, path, buffer, size) is { } proc) return proc;
        byte[] tmp = Rent((int)Math.Min(size, 65536));
        try
        {
            long got;
            fixed (byte* p = path)
            fixed (byte* t = tmp)
                got = HostLibc.Check(HostLibc.ReadLinkAt(dirfd, p, t, (nuint)Math.Min(size, 65536)));
            if (got > 0 && !WriteUser(buffer, tmp.AsSpan(0, (int)got))) return -Errno.EFAULT;
            return got;
        }
        finally
        {
            Return(tmp);
        }
    }

    private long SysGetCwd(uint buffer, uint size)
    {
        byte* tmp = stackalloc byte[4096];
        if (HostLibc.GetCwd(tmp, 4096) == null) return -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        int length = new ReadOnlySpan<byte>(tmp, 4096).IndexOf((byte)0) + 1;
        if (length > size) return -Errno.ERANGE;
        return WriteUser(buffer, new ReadOnlySpan<byte>(tmp, length)) ? length : -Errno.EFAULT;
    }

    private long SysUTimeNsAt(int dirfd, uint pathAddress, uint timesAddress, int flags, bool wide)
    {
        long* times = stackalloc long[4];
        long* timesArgument = null;
        if (timesAddress != 0)
        {
            int size = wide ? 32 : 16;
            Span<byte> raw = stackalloc byte[32];
            if (!ReadUser(timesAddress, raw[..size])) return -Errno.EFAULT;
            for (int i = 0; i < 2; i++)
            {
                times[2 * i] = wide ? BinaryPrimitives.ReadInt64LittleEndian(raw[(16 * i)..]) : BinaryPrimitives.ReadInt32LittleEndian(raw[(8 * i)..]);
                times[2 * i + 1] = wide ? BinaryPrimitives.ReadInt64LittleEndian(raw[(16 * i + 8)..]) : BinaryPrimitives.ReadInt32LittleEndian(raw[(8 * i + 4)..]);
            }
            timesArgument = times;
        }
        if (pathAddress == 0) return HostLibc.Check(HostLibc.FUTimeNs(dirfd, timesArgument));
        byte[]? path = ReadUserPath(pathAddress);
        if (path is null) return -Errno.EFAULT;
        fixed (byte* p = path) return HostLibc.Check(HostLibc.UTimeNsAt(dirfd, p, timesArgument, flags));
    }

    /// <summary>getdents64: struct linux_dirent64 is the same on every architecture.</summary>
    private long SysGetDents64(int guestFd, uint buffer, uint count) =>
        GetDentsProc(guestFd, buffer, count) ?? FillUser(buffer, count, 65536, (p, n) => HostLibc.GetDents64(Fd((uint)guestFd), p, n));

    private long SysFcntl(int fd, int command, uint argument)
    {
        const int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, FD_CLOEXEC = 1;
        var files = CurrentProcess.Files;
        if (!files.IsOpen(fd)) return -Errno.EBADF;
        int host = files.Host(fd);
        switch (command)
        {
            case F_DUPFD or F_DUPFD_CLOEXEC:
                return SysDup(fd, (int)argument, command == F_DUPFD_CLOEXEC);
            case F_GETFD:
                return files.CloseOnExec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD:
                files.SetCloseOnExec(fd, (argument & FD_CLOEXEC) != 0);
                return 0;
            case F_GETFL:
                return HostLibc.Check(HostLibc.FCntl(host, F_GETFL, 0)) is var r && r >= 0 ? OpenFlags.ToArm((int)r) : r;
            case F_SETFL:
                return HostLibc.Check(HostLibc.FCntl(host, F_SETFL, OpenFlags.ToHost((int)argument)));
            case 5 or 6 or 7 or 12 or 13 or 14 or 36 or 37 or 38: // record locks (LinuxKernel.RecordLocks.cs)
                return SysFcntlLock(host, command, argument);
            default:
                return -Errno.EINVAL;
        }
    }

    private long SysPipe2(uint fdsAddress, int flags)
    {
        int* fds = stackalloc int[2];
        long r = HostLibc.Check(HostLibc.Pipe2(fds, OpenFlags.ToHost(flags) | OCloExecHost));
        if (r < 0) return r;
        bool closeOnExec = (flags & OCloExecArm) != 0;
        long read = CurrentProcess.Files.Install(fds[0], closeOnExec);
        if (read < 0)
        {
            HostLibc.Close(fds[1]);
            return read;
        }
        long write = CurrentProcess.Files.Install(fds[1], closeOnExec);
        if (write < 0)
        {
            CurrentProcess.Files.Close((int)read);
            return write;
        }
        if (!WriteUser32(fdsAddress, (uint)read) || !WriteUser32(fdsAddress + 4, (uint)write))
        {
            CurrentProcess.Files.Close((int)read);
            CurrentProcess.Files.Close((int)write);
            return -Errno.EFAULT;
        }
        return 0;
    }

    /// <summary>chdir: the host's working directory is the running process's; the process keeps a descriptor of it for the switches.</summary>
    private long SysChDir(uint pathAddress)
    {
        long r = WithPath(pathAddress, p => HostLibc.ChDir(p));
        if (r == 0) CurrentProcess.RememberWorkingDirectory();
        return r;
    }

    private long SysFChDir(int fd)
    {
        long r = HostLibc.Check(HostLibc.FChDir(CurrentProcess.Files.Host(fd)));
        if (r == 0) CurrentProcess.RememberWorkingDirectory();
        return r;
    }

    /// <summary>
    /// The terminal ioctls programs ask about. The kernel's struct termios (36 bytes)
    /// and struct winsize (8 bytes) are the same on ARM and x86-64, so they pass through;
    /// anything else is ENOTTY, as for a file that is not a terminal.
    /// </summary>
    private long SysIoctl(int fd, uint request, uint argument)
    {
        int size = request switch
        {
            0x5401 or 0x5402 or 0x5403 or 0x5404 => 36, // TCGETS, TCSETS, TCSETSW, TCSETSF
            0x5413 or 0x5414 => 8,                     // TIOCGWINSZ, TIOCSWINSZ
            0x540F or 0x5410 or 0x541B => 4,           // TIOCGPGRP, TIOCSPGRP, FIONREAD
            _ => -1,
        };
        if (size < 0) return -Errno.ENOTTY;
        bool output = request is 0x5401 or 0x5413 or 0x540F or 0x541B;
        byte* tmp = stackalloc byte[64];
        var span = new Span<byte>(tmp, size);
        span.Clear();
        if (!output && !ReadUser(argument, span)) return -Errno.EFAULT;
        long r = HostLibc.Check(HostLibc.IoCtl(fd, request, tmp));
        if (r >= 0 && output && !WriteUser(argument, span)) return -Errno.EFAULT;
        return r;
    }

    /// <summary>statfs64/fstatfs64: the x86-64 struct statfs64 (120 bytes) rewritten as ARM's (84 bytes).</summary>
    private long SysStatFs(uint pathAddress, uint size, uint buffer, int? fd)
    {
        // arch/arm's sys_statfs64_wrapper takes 88 (OABI's size) for 84, then the size must be struct statfs64's.
        if (size is not (84 or 88)) return -Errno.EINVAL;
        byte* host = stackalloc byte[120];
        long r;
        if (fd is int f)
        {
            r = HostLibc.Check(HostLibc.FStatFs(f, host));
        }
        else
        {
            byte[]? path = ReadUserPath(pathAddress);
            if (path is null) return -Errno.EFAULT;
            fixed (byte* p = path) r = HostLibc.Check(HostLibc.StatFs(p, host));
        }
        if (r < 0) return r;
        var h = new ReadOnlySpan<byte>(host, 120);
        Span<byte> a = stackalloc byte[84];
        a.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(a[0..], (uint)BinaryPrimitives.ReadInt64LittleEndian(h[0..]));   // f_type
        BinaryPrimitives.WriteUInt32LittleEndian(a[4..], (uint)BinaryPrimitives.ReadInt64LittleEndian(h[8..]));   // f_bsize
        h.Slice(16, 48).CopyTo(a[8..]);                                                                          // blocks .. fsid
        BinaryPrimitives.WriteUInt32LittleEndian(a[56..], (uint)BinaryPrimitives.ReadInt64LittleEndian(h[64..])); // f_namelen
        BinaryPrimitives.WriteUInt32LittleEndian(a[60..], (uint)BinaryPrimitives.ReadInt64LittleEndian(h[72..])); // f_frsize
        BinaryPrimitives.WriteUInt32LittleEndian(a[64..], (uint)BinaryPrimitives.ReadInt64LittleEndian(h[80..])); // f_flags
        return WriteUser(buffer, a) ? 0 : -Errno.EFAULT;
    }
}
