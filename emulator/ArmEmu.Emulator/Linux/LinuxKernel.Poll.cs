using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// poll, ppoll, select, pselect6 and epoll (fs/select.c, fs/eventpoll.c) over the host
/// descriptors behind the guest's. The host is only ever polled without waiting: a call
/// that finds nothing ready blocks its thread (<see cref="WaitForDescriptors"/>), the other
/// threads and processes run, and the scheduler wakes it when a descriptor is ready, its
/// timeout has passed on the guest's clock, or a signal arrives (EINTR, whatever SA_RESTART
/// says, as Linux's ERESTARTNOHAND and ERESTART_RESTARTBLOCK give once a handler runs). When
/// every thread waits, the kernel polls the descriptors on the host (<see cref="Idle"/>).
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    private const short PollPri = 0x2, PollErr = 0x8, PollHup = 0x10;
    private const int MaxPollDescriptors = 4096;

    /// <summary>host poll(2) without waiting; revents are written into <paramref name="pollFds"/>.</summary>
    private static long PollHostNow(byte[] pollFds)
    {
        fixed (byte* p = pollFds) return HostLibc.Check(HostLibc.Poll(p, (nuint)(pollFds.Length / 8), 0));
    }

    /// <summary>
    /// The wait of every call here. <paramref name="hostFds"/> (struct pollfd) are polled now; if
    /// any is ready or <paramref name="timeoutNs"/> is 0, <paramref name="finish"/> gets the
    /// result at once, else the thread blocks until a descriptor is ready (finish then gets a new
    /// poll's result), the timeout passes on the guest's clock (finish gets 0, revents cleared) or
    /// a signal arrives (EINTR). <paramref name="mask"/> (ppoll, pselect6, epoll_pwait) is the
    /// signal mask during the wait: put back at the end, or after the handler when a signal
    /// ends it (as sigsuspend).
    /// </summary>
    private long WaitForDescriptors(byte[] hostFds, long timeoutNs, ulong? mask, Func<long, long> finish)
    {
        var thread = CurrentThread;
        if (mask is ulong m)
        {
            thread.MaskBeforeSuspend = thread.SignalMask;
            thread.SignalMask = m & ~Unblockable;
        }
        long ready = PollHostNow(hostFds);
        if (ready != 0 || timeoutNs == 0)
        {
            RestoreMaskAfterWait(thread);
            return finish(ready);
        }
        bool hasDescriptors = hostFds.Length > 0;
        return BlockCurrent(new ThreadBlock(() => hasDescriptors && PollHostNow(hostFds) != 0, dependsOnHost: hasDescriptors, DeadlineAfter(timeoutNs))
        {
            HostPollFds = hasDescriptors ? hostFds : null,
            Completion = reason =>
            {
                if (reason == WakeReason.Interrupted)
                {
                    Cpu.R[0] = unchecked((uint)-Errno.EINTR); // the mask comes back after the handler
                    return;
                }
                long r = 0;
                if (reason == WakeReason.Ready) r = PollHostNow(hostFds);
                else
                    for (int i = 0; i < hostFds.Length / 8; i++) BinaryPrimitives.WriteInt16LittleEndian(hostFds.AsSpan(8 * i + 6), 0);
                RestoreMaskAfterWait(thread);
                Cpu.R[0] = (uint)finish(r);
            },
        }, restart: false);
    }

    private static void RestoreMaskAfterWait(GuestThread thread)
    {
        if (thread.MaskBeforeSuspend is not ulong before) return;
        thread.SignalMask = before;
        thread.MaskBeforeSuspend = null;
    }

    /// <summary>The signal mask argument of ppoll, pselect6 and epoll_pwait: null for none, -EINVAL/-EFAULT in <paramref name="error"/>.</summary>
    private ulong? ReadSignalMaskArgument(uint address, uint size, out long error)
    {
        error = 0;
        if (address == 0) return null;
        if (size != 8)
        {
            error = -Errno.EINVAL;
            return null;
        }
        Span<byte> b = stackalloc byte[8];
        if (!ReadUser(address, b))
        {
            error = -Errno.EFAULT;
            return null;
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    /// <summary>Writes the time left before <paramref name="deadline"/> back into a timeout argument, as Linux's poll_select_finish does.</summary>
    private void WriteTimeLeft(uint address, ulong deadline, bool wide, bool timeval)
    {
        if (address == 0 || deadline == ulong.MaxValue) return;
        ulong now = Machine.Clock.Now;
        long left = CyclesToNanoseconds(deadline > now ? deadline - now : 0);
        if (timeval) WriteTimespec(address, left / NanosecondsPerSecond, left % NanosecondsPerSecond / 1000, wide: false);
        else WriteTimespec(address, left, wide);
    }

    // ---- poll, ppoll -------------------------------------------------------------------------

    /// <summary>ppoll(fds, nfds, tsp, sigmask, sigsetsize): poll with a timespec (NULL: none) and a mask for the wait.</summary>
    private long SysPPoll(uint fdsAddress, uint count, uint timeoutAddress, uint maskAddress, uint maskSize, bool wide)
    {
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            timeout = ReadTimespecNanoseconds(timeoutAddress, wide);
            if (timeout < 0) return timeout;
        }
        ulong? mask = ReadSignalMaskArgument(maskAddress, maskSize, out long error);
        if (error != 0) return error;
        return SysPoll(fdsAddress, count, timeout, mask, timeoutAddress, wide);
    }

    /// <summary>poll: struct pollfd (int fd; short events, revents) is the same on ARM and the host.</summary>
    private long SysPoll(uint fdsAddress, uint count, long timeoutNs, ulong? mask = null, uint timeoutAddress = 0, bool wide = false)
    {
        if (count > MaxPollDescriptors) return -Errno.EINVAL;
        int bytes = (int)count * 8;
        var guest = new byte[bytes];
        if (!ReadUser(fdsAddress, guest)) return -Errno.EFAULT;
        // Guest descriptors become host ones for the call and guest ones again in the answer;
        // one the guest does not have becomes a number no host descriptor has (POLLNVAL).
        var host = (byte[])guest.Clone();
        for (int i = 0; i < count; i++)
        {
            int fd = BinaryPrimitives.ReadInt32LittleEndian(guest.AsSpan(8 * i));
            int hostFd = fd < 0 ? fd : CurrentProcess.Files.Host(fd);
            BinaryPrimitives.WriteInt32LittleEndian(host.AsSpan(8 * i), fd >= 0 && hostFd < 0 ? int.MaxValue : hostFd);
            BinaryPrimitives.WriteInt16LittleEndian(host.AsSpan(8 * i + 6), 0);
        }
        ulong deadline = DeadlineAfter(timeoutNs);
        return WaitForDescriptors(host, timeoutNs, mask, r =>
        {
            if (r < 0) return r;
            for (int i = 0; i < count; i++) host.AsSpan(8 * i + 6, 2).CopyTo(guest.AsSpan(8 * i + 6));
            if (!WriteUser(fdsAddress, guest)) return -Errno.EFAULT;
            WriteTimeLeft(timeoutAddress, deadline, wide, timeval: false);
            return r;
        });
    }

    // ---- select, pselect6 --------------------------------------------------------------------

    /// <summary>select (_newselect): the timeout is a struct timeval (NULL: none), written back with the time left.</summary>
    private long SysSelect(int nfds, uint readAddress, uint writeAddress, uint exceptAddress, uint timeoutAddress)
    {
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            if (!ReadUser32(timeoutAddress, out uint sec) || !ReadUser32(timeoutAddress + 4, out uint usec)) return -Errno.EFAULT;
            if ((int)sec < 0 || (int)usec < 0) return -Errno.EINVAL;
            // poll_select_set_timeout: microseconds past a second carry into the seconds.
            timeout = (long)sec * NanosecondsPerSecond + (long)usec * 1000;
        }
        return DoSelect(nfds, readAddress, writeAddress, exceptAddress, timeout, null, timeoutAddress, wide: false, timeval: true);
    }

    /// <summary>pselect6(n, in, out, ex, tsp, sig): sig points at { const sigset_t *ss; size_t ss_len }.</summary>
    private long SysPSelect6(int nfds, uint readAddress, uint writeAddress, uint exceptAddress, uint timeoutAddress, uint sigAddress, bool wide)
    {
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            timeout = ReadTimespecNanoseconds(timeoutAddress, wide);
            if (timeout < 0) return timeout;
        }
        ulong? mask = null;
        if (sigAddress != 0)
        {
            if (!ReadUser32(sigAddress, out uint set) || !ReadUser32(sigAddress + 4, out uint size)) return -Errno.EFAULT;
            mask = ReadSignalMaskArgument(set, size, out long error);
            if (error != 0) return error;
        }
        return DoSelect(nfds, readAddress, writeAddress, exceptAddress, timeout, mask, timeoutAddress, wide, timeval: false);
    }

    /// <summary>
    /// core_sys_select: fd_set is a little-endian bit array, the same bytes on both sides; the
    /// sets are done with poll (read: POLLIN, write: POLLOUT, except: POLLPRI) and ready bits
    /// counted as Linux counts them (POLLIN_SET, POLLOUT_SET, POLLEX_SET). A descriptor in a
    /// set that is not open is EBADF.
    /// </summary>
    private long DoSelect(int nfds, uint readAddress, uint writeAddress, uint exceptAddress, long timeoutNs, ulong? mask,
        uint timeoutAddress, bool wide, bool timeval)
    {
        if (nfds < 0) return -Errno.EINVAL;
        nfds = Math.Min(nfds, Math.Max(FileTable.DefaultLimit, CurrentProcess.Files.Limit)); // past the table's size nothing is open
        int bytes = (nfds + 31) / 32 * 4;
        var sets = new byte[3][];
        uint[] addresses = [readAddress, writeAddress, exceptAddress];
        for (int s = 0; s < 3; s++)
        {
            sets[s] = new byte[bytes];
            if (addresses[s] != 0 && !ReadUser(addresses[s], sets[s])) return -Errno.EFAULT;
        }
        var fds = new List<int>();
        for (int fd = 0; fd < nfds; fd++)
            if (((sets[0][fd / 8] | sets[1][fd / 8] | sets[2][fd / 8]) >> (fd % 8) & 1) != 0) fds.Add(fd);
        var pollFds = new byte[fds.Count * 8];
        for (int i = 0; i < fds.Count; i++)
        {
            int fd = fds[i];
            int bit = fd % 8;
            short events = (short)(((sets[0][fd / 8] >> bit) & 1) * PollIn | ((sets[1][fd / 8] >> bit) & 1) * PollOut | ((sets[2][fd / 8] >> bit) & 1) * PollPri);
            int host = CurrentProcess.Files.Host(fd);
            if (host < 0) return -Errno.EBADF;
            BinaryPrimitives.WriteInt32LittleEndian(pollFds.AsSpan(8 * i), host);
            BinaryPrimitives.WriteInt16LittleEndian(pollFds.AsSpan(8 * i + 4), events);
        }
        ulong deadline = DeadlineAfter(timeoutNs);
        return WaitForDescriptors(pollFds, timeoutNs, mask, r =>
        {
            if (r < 0) return r;
            foreach (var set in sets) Array.Clear(set);
            int ready = 0;
            for (int i = 0; i < fds.Count; i++)
            {
                int fd = fds[i];
                byte bit = (byte)(1 << (fd % 8));
                short revents = BinaryPrimitives.ReadInt16LittleEndian(pollFds.AsSpan(8 * i + 6));
                short asked = BinaryPrimitives.ReadInt16LittleEndian(pollFds.AsSpan(8 * i + 4));
                if ((asked & PollIn) != 0 && (revents & (PollIn | PollErr | PollHup)) != 0) { sets[0][fd / 8] |= bit; ready++; }
                if ((asked & PollOut) != 0 && (revents & (PollOut | PollErr)) != 0) { sets[1][fd / 8] |= bit; ready++; }
                if ((asked & PollPri) != 0 && (revents & PollPri) != 0) { sets[2][fd / 8] |= bit; ready++; }
            }
            for (int s = 0; s < 3; s++)
                if (addresses[s] != 0 && !WriteUser(addresses[s], sets[s])) return -Errno.EFAULT;
            WriteTimeLeft(timeoutAddress, deadline, wide, timeval);
            return ready;
        });
    }

    // ---- epoll -------------------------------------------------------------------------------

    private const int EpollCloseOnExec = 0x80000; // EPOLL_CLOEXEC = O_CLOEXEC, the same on ARM and the host
    private const int EpollCtlDel = 2;

    /// <summary>epoll_create1: an epoll instance on the host, under a guest descriptor.</summary>
    private long SysEpollCreate(int flags)
    {
        if ((flags & ~EpollCloseOnExec) != 0) return -Errno.EINVAL;
        long host = HostLibc.Check(HostEpoll.Create1(EpollCloseOnExec));
        if (host < 0) return host;
        return CurrentProcess.Files.Install((int)host, (flags & EpollCloseOnExec) != 0);
    }

    /// <summary>
    /// epoll_ctl: ARM EABI's struct epoll_event is { u32 events; u32 pad; u64 data } (16 bytes),
    /// the x86-64 host's is packed (12 bytes); the guest's data is kept as it is.
    /// </summary>
    private long SysEpollCtl(int epfd, int op, int fd, uint eventAddress)
    {
        byte* host = stackalloc byte[12];
        new Span<byte>(host, 12).Clear();
        if (op != EpollCtlDel)
        {
            Span<byte> guest = stackalloc byte[16];
            if (!ReadUser(eventAddress, guest)) return -Errno.EFAULT;
            guest[..4].CopyTo(new Span<byte>(host, 4));
            guest.Slice(8, 8).CopyTo(new Span<byte>(host + 4, 8));
        }
        return HostLibc.Check(HostEpoll.Ctl(CurrentProcess.Files.Host(epfd), op, CurrentProcess.Files.Host(fd), host));
    }

    /// <summary>epoll_wait, epoll_pwait (with a mask) and epoll_pwait2 (a timespec): the epoll descriptor itself is what the thread waits on.</summary>
    private long SysEpollWait(int epfd, uint eventsAddress, int maxEvents, long timeoutNs, ulong? mask)
    {
        if (maxEvents <= 0 || maxEvents > int.MaxValue / 16) return -Errno.EINVAL;
        int hostEpfd = CurrentProcess.Files.Host(epfd);
        if (hostEpfd < 0) return -Errno.EBADF;
        var buffer = new byte[maxEvents * 12];
        return WaitForDescriptors(PollFd(hostEpfd, PollIn), timeoutNs, mask, r =>
        {
            if (r < 0) return r;
            long n;
            fixed (byte* p = buffer) n = HostLibc.Check(HostEpoll.Wait(hostEpfd, p, maxEvents, 0));
            if (n <= 0) return n;
            var guest = new byte[n * 16];
            for (int i = 0; i < n; i++)
            {
                buffer.AsSpan(12 * i, 4).CopyTo(guest.AsSpan(16 * i));
                buffer.AsSpan(12 * i + 4, 8).CopyTo(guest.AsSpan(16 * i + 8));
            }
            return WriteUser(eventsAddress, guest) ? n : -Errno.EFAULT;
        });
    }

    private long SysEpollPWait(int epfd, uint eventsAddress, int maxEvents, long timeoutNs, uint maskAddress, uint maskSize)
    {
        ulong? mask = ReadSignalMaskArgument(maskAddress, maskSize, out long error);
        return error != 0 ? error : SysEpollWait(epfd, eventsAddress, maxEvents, timeoutNs, mask);
    }

    private long SysEpollPWait2(int epfd, uint eventsAddress, int maxEvents, uint timeoutAddress, uint maskAddress, uint maskSize)
    {
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            timeout = ReadTimespecNanoseconds(timeoutAddress, wide: true);
            if (timeout < 0) return timeout;
        }
        return SysEpollPWait(epfd, eventsAddress, maxEvents, timeout, maskAddress, maskSize);
    }

    /// <summary>A timeout in milliseconds (poll, epoll_wait) as nanoseconds; negative: none.</summary>
    private static long Milliseconds(uint timeout) => (int)timeout < 0 ? -1 : (long)(int)timeout * 1_000_000;

    private static unsafe partial class HostEpoll
    {
        [LibraryImport(HostLibc.Libc, EntryPoint = "epoll_create1", SetLastError = true)]
        public static partial int Create1(int flags);

        [LibraryImport(HostLibc.Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
        public static partial int Ctl(int epfd, int op, int fd, byte* hostEvent);

        [LibraryImport(HostLibc.Libc, EntryPoint = "epoll_wait", SetLastError = true)]
        public static partial int Wait(int epfd, byte* hostEvents, int maxEvents, int timeout);
    }
}
