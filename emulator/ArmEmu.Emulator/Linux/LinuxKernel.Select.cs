using System.Buffers.Binary;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The select and poll family as the C libraries call them (fs/select.c): _newselect (struct
/// timeval), pselect6 and pselect6_time64 (a 32- or 64-bit struct timespec and a signal mask
/// argument), ppoll and ppoll_time64. glibc 2.34 and later implement select() with
/// pselect6_time64, falling back to pselect6 and then _newselect on ENOSYS. The remaining
/// time is written back as Linux does (poll_select_finish); the signal mask of pselect6 and
/// ppoll is in force for the call, so a signal it unblocks that is already pending ends the
/// call with EINTR and its handler runs under that mask, the old one restored afterwards (as
/// sigsuspend).
/// </summary>
public sealed partial class LinuxKernel
{
    private long SysNewSelect(int nfds, uint readAddress, uint writeAddress, uint exceptAddress, uint timeoutAddress)
    {
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            if (!ReadUser32(timeoutAddress, out uint sec) || !ReadUser32(timeoutAddress + 4, out uint usec)) return -Errno.EFAULT;
            if ((int)sec < 0 || usec >= 1_000_000) return -Errno.EINVAL;
            timeout = (long)sec * 1000 + (usec + 999) / 1000;
        }
        long started = Environment.TickCount64;
        long r = SelectCore(nfds, readAddress, writeAddress, exceptAddress, ClampTimeout(timeout));
        if (timeoutAddress != 0 && r >= 0)
        {
            long left = Math.Max(0, timeout - (Environment.TickCount64 - started));
            WriteUser32(timeoutAddress, (uint)(left / 1000));
            WriteUser32(timeoutAddress + 4, (uint)(left % 1000 * 1000));
        }
        return r;
    }

    /// <summary>pselect6 (timespec with 32-bit fields) and pselect6_time64 (64-bit): the sixth argument points at { sigset_t *mask; size_t size }.</summary>
    private long SysPSelect6(int nfds, uint readAddress, uint writeAddress, uint exceptAddress, uint timeoutAddress, uint maskArgument, bool wide)
    {
        long timeout = ReadTimeout(timeoutAddress, wide, out long error);
        if (error < 0) return error;
        if (maskArgument != 0)
        {
            if (!ReadUser32(maskArgument, out uint maskAddress) || !ReadUser32(maskArgument + 4, out uint size)) return -Errno.EFAULT;
            if (maskAddress != 0 && TemporaryMask(maskAddress, size) is { } interrupted) return interrupted;
        }
        long started = Environment.TickCount64;
        long r = SelectCore(nfds, readAddress, writeAddress, exceptAddress, ClampTimeout(timeout));
        if (timeoutAddress != 0 && r >= 0) WriteTimeout(timeoutAddress, wide, Math.Max(0, timeout - (Environment.TickCount64 - started)));
        return r;
    }

    private long SysPPoll(uint fdsAddress, uint count, uint timeoutAddress, uint maskAddress, uint maskSize, bool wide)
    {
        long timeout = ReadTimeout(timeoutAddress, wide, out long error);
        if (error < 0) return error;
        if (maskAddress != 0 && TemporaryMask(maskAddress, maskSize) is { } interrupted) return interrupted;
        long started = Environment.TickCount64;
        long r = SysPoll(fdsAddress, count, ClampTimeout(timeout));
        if (timeoutAddress != 0 && r >= 0 && r != Blocked) WriteTimeout(timeoutAddress, wide, Math.Max(0, timeout - (Environment.TickCount64 - started)));
        return r;
    }

    private static int ClampTimeout(long milliseconds) => milliseconds < 0 ? -1 : (int)Math.Min(int.MaxValue, milliseconds);

    /// <summary>A struct timespec (32- or 64-bit fields) as milliseconds rounded up, -1 for a null pointer; EINVAL for a negative or unnormalised one.</summary>
    private long ReadTimeout(uint address, bool wide, out long error)
    {
        error = 0;
        if (address == 0) return -1;
        Span<byte> b = stackalloc byte[16];
        if (!ReadUser(address, b[..(wide ? 16 : 8)]))
        {
            error = -Errno.EFAULT;
            return 0;
        }
        long sec = wide ? BinaryPrimitives.ReadInt64LittleEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b);
        long nsec = wide ? BinaryPrimitives.ReadInt64LittleEndian(b[8..]) : BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        if (sec < 0 || nsec is < 0 or >= 1_000_000_000)
        {
            error = -Errno.EINVAL;
            return 0;
        }
        return sec >= long.MaxValue / 1000 - 1 ? long.MaxValue / 2 : sec * 1000 + (nsec + 999_999) / 1_000_000;
    }

    private void WriteTimeout(uint address, bool wide, long milliseconds)
    {
        long sec = milliseconds / 1000, nsec = milliseconds % 1000 * 1_000_000;
        if (wide)
        {
            WriteUser64(address, (ulong)sec);
            WriteUser64(address + 8, (ulong)nsec);
        }
        else
        {
            WriteUser32(address, (uint)sec);
            WriteUser32(address + 4, (uint)nsec);
        }
    }

    /// <summary>
    /// The signal mask argument of pselect6/ppoll: -EINVAL for a size other than 8, -EFAULT,
    /// -EINTR (the mask put in force until the handler returns) if it unblocks a pending signal,
    /// else null (the call goes on; the thread's mask is unchanged).
    /// </summary>
    private long? TemporaryMask(uint maskAddress, uint size)
    {
        if (size != 8) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        if (!ReadUser(maskAddress, b)) return -Errno.EFAULT;
        ulong mask = BinaryPrimitives.ReadUInt64LittleEndian(b) & ~Unblockable;
        ulong pending = 0;
        foreach (var p in CurrentThread.PendingSignals) pending |= Bit(p.Signal);
        if ((pending & ~mask) == 0) return null;
        CurrentThread.MaskBeforeSuspend = CurrentThread.SignalMask;
        CurrentThread.SignalMask = mask;
        return -Errno.EINTR;
    }
}
