using System.Buffers.Binary;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// fcntl's record locks (fs/fcntl.c, fs/locks.c). POSIX locks (F_GETLK, F_SETLK, F_SETLKW and
/// their 64-bit forms) are kept by the kernel among the guest's processes (<see cref="RecordLocks"/>:
/// the host cannot tell guest processes apart). Open-file-description locks (F_OFD_*) belong to
/// an open file description, which a guest descriptor's host descriptor is (dup and fork share
/// it on the host too), so they are the host's own F_OFD_* locks: exact, and they conflict with
/// other host processes' locks as on Linux. Departures: a POSIX lock of the guest does not
/// conflict with locks held outside armemu, nor with the guest's own OFD locks (qemu-arm,
/// whose guest processes are host processes, passes POSIX locks to the host).
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    private const int FGetLk = 5, FSetLk = 6, FSetLkW = 7, FGetLk64 = 12, FSetLk64 = 13, FSetLkW64 = 14,
        FOfdGetLk = 36, FOfdSetLk = 37, FOfdSetLkW = 38;
    private const short FRdLck = 0, FWrLck = 1, FUnLck = 2;
    private const int OAccModeHost = 3, ORdOnlyHost = 0, OWrOnlyHost = 1;

    private readonly RecordLocks _recordLocks = new();

    /// <summary>
    /// One of the lock commands on a guest descriptor whose host descriptor is <paramref name="host"/>:
    /// struct flock (16 bytes: type, whence, start, len, pid as 32-bit) for the 32-bit commands,
    /// struct flock64 (32 bytes on EABI: loff_t start at 8, len at 16, pid at 24) for the others.
    /// </summary>
    private long SysFcntlLock(int host, int command, uint argument)
    {
        bool wide = command is FGetLk64 or FSetLk64 or FSetLkW64 or FOfdGetLk or FOfdSetLk or FOfdSetLkW;
        Span<byte> raw = stackalloc byte[wide ? 32 : 16];
        if (!ReadUser(argument, raw)) return -Errno.EFAULT;
        short type = BinaryPrimitives.ReadInt16LittleEndian(raw);
        short whence = BinaryPrimitives.ReadInt16LittleEndian(raw[2..]);
        long start = wide ? BinaryPrimitives.ReadInt64LittleEndian(raw[8..]) : BinaryPrimitives.ReadInt32LittleEndian(raw[4..]);
        long length = wide ? BinaryPrimitives.ReadInt64LittleEndian(raw[16..]) : BinaryPrimitives.ReadInt32LittleEndian(raw[8..]);
        if (type is not (FRdLck or FWrLck or FUnLck)) return -Errno.EINVAL;

        if (command is FOfdGetLk or FOfdSetLk or FOfdSetLkW)
            return OfdLock(host, command, argument, raw, type, whence, start, length);

        // flock_to_posix_lock: the range from whence, start and a length that may be negative.
        long origin;
        switch (whence)
        {
            case 0: origin = 0; break;                                        // SEEK_SET
            case 1: origin = HostLibc.LSeek(host, 0, 1); break;               // SEEK_CUR
            case 2:                                                            // SEEK_END
                HostStat st;
                if (HostLibc.FStat(host, &st) < 0) return -Errno.EBADF;
                origin = st.Size;
                break;
            default: return -Errno.EINVAL;
        }
        if (origin < 0) return -Errno.EINVAL;
        long first = origin + start, last;
        if (length > 0) last = first + length - 1;
        else if (length < 0)
        {
            last = first - 1;
            first += length;
        }
        else last = long.MaxValue;
        if (first < 0) return -Errno.EINVAL;
        if (last < first) return -Errno.EOVERFLOW;
        if (!wide && (first > int.MaxValue || (last != long.MaxValue && last > int.MaxValue))) return -Errno.EOVERFLOW;

        HostStat file;
        if (HostLibc.FStat(host, &file) < 0) return -Errno.EBADF;
        var key = (file.Dev, file.Ino);
        var owner = CurrentProcess.Files;

        if (command is FGetLk or FGetLk64)
        {
            if (type == FUnLck) return -Errno.EINVAL;
            var conflict = _recordLocks.FirstConflict(key, owner, first, last, type == FWrLck);
            if (conflict is not { } c)
            {
                BinaryPrimitives.WriteInt16LittleEndian(raw, FUnLck);
                return WriteUser(argument, raw[..2]) ? 0 : -Errno.EFAULT;
            }
            // posix_lock_to_flock: SEEK_SET, the lock's range, its taker's pid.
            BinaryPrimitives.WriteInt16LittleEndian(raw, c.Write ? FWrLck : FRdLck);
            BinaryPrimitives.WriteInt16LittleEndian(raw[2..], 0);
            long len = c.End == long.MaxValue ? 0 : c.End - c.Start + 1;
            if (wide)
            {
                BinaryPrimitives.WriteInt64LittleEndian(raw[8..], c.Start);
                BinaryPrimitives.WriteInt64LittleEndian(raw[16..], len);
                BinaryPrimitives.WriteInt32LittleEndian(raw[24..], c.Pid);
            }
            else
            {
                if (c.Start > int.MaxValue || len > int.MaxValue) return -Errno.EOVERFLOW;
                BinaryPrimitives.WriteInt32LittleEndian(raw[4..], (int)c.Start);
                BinaryPrimitives.WriteInt32LittleEndian(raw[8..], (int)len);
                BinaryPrimitives.WriteInt32LittleEndian(raw[12..], c.Pid);
            }
            return WriteUser(argument, raw) ? 0 : -Errno.EFAULT;
        }

        // A read lock needs a descriptor open for reading, a write lock one open for writing (EBADF).
        int mode = HostLibc.FCntl(host, 3 /* F_GETFL */, 0) & OAccModeHost;
        if (type == FRdLck && mode == OWrOnlyHost) return -Errno.EBADF;
        if (type == FWrLck && mode == ORdOnlyHost) return -Errno.EBADF;

        _recordLocks.NotWaiting(owner);
        if (type != FUnLck && _recordLocks.FirstConflict(key, owner, first, last, type == FWrLck) is { } blocker)
        {
            if (command is FSetLk or FSetLk64) return -Errno.EAGAIN;
            if (_recordLocks.WouldDeadlock(owner, blocker.Owner)) return -Errno.EDEADLK;
            // F_SETLKW: wait until the conflict is gone, then make the call again.
            _recordLocks.Waiting(owner, blocker.Owner);
            return BlockCurrent(new ThreadBlock(() => _recordLocks.FirstConflict(key, owner, first, last, type == FWrLck) is null), restart: true);
        }
        owner.Closing ??= closed => ReleaseRecordLocks(owner, closed);
        _recordLocks.Set(key, owner, CurrentProcess.Pid, first, last, type == FUnLck ? null : type == FWrLck);
        return 0;
    }

    /// <summary>A descriptor of <paramref name="owner"/> is closing: its POSIX locks on that file go (and it waits on none).</summary>
    private void ReleaseRecordLocks(FileTable owner, int host)
    {
        _recordLocks.NotWaiting(owner);
        if (!_recordLocks.HoldsAny(owner)) return;
        HostStat file;
        if (HostLibc.FStat(host, &file) == 0) _recordLocks.ReleaseFile((file.Dev, file.Ino), owner);
    }

    /// <summary>
    /// F_OFD_*: the host's own open-file-description locks on the host descriptor, the struct
    /// converted to the host's flock (type, whence, 64-bit start and len, pid; 32 bytes on x86-64).
    /// l_pid must be 0 going in (EINVAL otherwise) and is -1 coming back for a conflict.
    /// </summary>
    private long OfdLock(int host, int command, uint argument, Span<byte> raw, short type, short whence, long start, long length)
    {
        if (BinaryPrimitives.ReadInt32LittleEndian(raw[24..]) != 0) return -Errno.EINVAL;
        byte* hostFlock = stackalloc byte[32];
        new Span<byte>(hostFlock, 32).Clear();
        *(short*)hostFlock = type;
        *(short*)(hostFlock + 2) = whence;
        *(long*)(hostFlock + 8) = start;
        *(long*)(hostFlock + 16) = length;
        if (command == FOfdSetLkW)
        {
            // Never block the emulator: try, and if another description holds the range, wait as a
            // blocked call on the host does (the scheduler polls it) and make the call again.
            long tried = HostLibc.Check(HostLibc.FCntl(host, FOfdSetLk, (nint)hostFlock));
            if (tried != -Errno.EAGAIN) return tried;
            return BlockCurrent(new ThreadBlock(() => OfdRangeFree(host, type, whence, start, length), dependsOnHost: true), restart: true);
        }
        long r = HostLibc.Check(HostLibc.FCntl(host, command, (nint)hostFlock));
        if (r < 0 || command != FOfdGetLk) return r;
        BinaryPrimitives.WriteInt16LittleEndian(raw, *(short*)hostFlock);
        BinaryPrimitives.WriteInt16LittleEndian(raw[2..], *(short*)(hostFlock + 2));
        BinaryPrimitives.WriteInt64LittleEndian(raw[8..], *(long*)(hostFlock + 8));
        BinaryPrimitives.WriteInt64LittleEndian(raw[16..], *(long*)(hostFlock + 16));
        BinaryPrimitives.WriteInt32LittleEndian(raw[24..], *(int*)(hostFlock + 24));
        return WriteUser(argument, raw) ? 0 : -Errno.EFAULT;
    }

    /// <summary>Whether an F_OFD_SETLK of this range would now succeed (F_OFD_GETLK finds no conflict).</summary>
    private static bool OfdRangeFree(int host, short type, short whence, long start, long length)
    {
        byte* probe = stackalloc byte[32];
        new Span<byte>(probe, 32).Clear();
        *(short*)probe = type == FUnLck ? FRdLck : type;
        *(short*)(probe + 2) = whence;
        *(long*)(probe + 8) = start;
        *(long*)(probe + 16) = length;
        return HostLibc.FCntl(host, FOfdGetLk, (nint)probe) != 0 || *(short*)probe == FUnLck;
    }
}
