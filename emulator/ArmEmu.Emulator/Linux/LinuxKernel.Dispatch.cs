using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Linux;

internal sealed unsafe partial class LinuxKernel
{
    /// <summary>Results of calls that set r0 themselves (or never return).</summary>
    private const long NoResult = long.MinValue;

    /// <param name="nr">The call: r7 for an EABI call, the SWI immediate's low 20 bits for an old-ABI one.</param>
    /// <param name="oldAbi">An old-ABI call (swi 0x900000+n): 64-bit arguments are not moved to an even register pair.</param>
    private void HandleSyscall(uint nr, bool oldAbi = false)
    {
        uint a0 = Cpu.R[0], a1 = Cpu.R[1], a2 = Cpu.R[2], a3 = Cpu.R[3], a4 = Cpu.R[4], a5 = Cpu.R[5];
        if (oldAbi) (a0, a1, a2, a3, a4, a5) = OldAbiArguments((SyscallNumber)nr, a0, a1, a2, a3, a4, a5);
        long result = Dispatch((SyscallNumber)nr, a0, a1, a2, a3, a4, a5);
        if (result == Blocked) return; // made again (or completed by its waker) when the thread runs
        // A write to a pipe nobody reads raises SIGPIPE as well as failing with EPIPE (pipe_write).
        // The host's own SIGPIPE is the emulator's (ignored): the guest's comes from here.
        if (result == -Errno.EPIPE && (SyscallNumber)nr is SyscallNumber.write or SyscallNumber.writev or SyscallNumber.pwrite64)
            SendSignal((int)Signal.SIGPIPE, SenderSigInfo((int)Signal.SIGPIPE, SignalCode.SI_USER));
        if (result != NoResult) Cpu.R[0] = (uint)result;
        if (Strace is { } trace) TraceSyscall(trace, nr, [a0, a1, a2, a3, a4, a5], result);
    }

    /// <summary>The host descriptor behind a guest descriptor argument (-1, which the host answers with EBADF, if none).</summary>
    private int Fd(uint guest) => CurrentProcess.Files.Host((int)guest);

    /// <summary>A dirfd argument: AT_FDCWD as it is, a descriptor as its host one.</summary>
    private int Dir(uint guest) => CurrentProcess.Files.HostDirectory((int)guest);

    private const short PollIn = 0x1, PollOut = 0x4;

    /// <summary>Blocked (the call is made again once the descriptor is ready) if the call would block while other threads could run; else null.</summary>
    private long? UnlessBlocking(int hostFd, short events) => WouldBlockOnHost(hostFd, events) ? BlockOnHost(hostFd, events) : null;

    // 64-bit arguments occupy an even/odd register pair in the EABI (a pad register may precede them).
    private static long Pair(uint low, uint high) => (long)((ulong)high << 32 | low);

    private long Dispatch(SyscallNumber nr, uint a0, uint a1, uint a2, uint a3, uint a4, uint a5) => nr switch
    {
        // process lifetime
        SyscallNumber.exit => SysExitThread((int)a0),
        SyscallNumber.exit_group => SysExit((int)a0),
        SyscallNumber.fork => SysFork(),
        SyscallNumber.vfork => SysVfork(),
        SyscallNumber.clone => SysClone(a0, a1, a2, a3, a4),
        SyscallNumber.execve => SysExecve(a0, a1, a2),
        SyscallNumber.wait4 => SysWait4((int)a0, a1, (int)a2, a3),
        SyscallNumber.waitid => SysWaitId((int)a0, (int)a1, a2, (int)a3, a4),
        SyscallNumber.setpgid => SysSetPgid((int)a0, (int)a1),
        SyscallNumber.setsid => SysSetSid(),
        SyscallNumber.getpid => CurrentProcess.Pid,
        SyscallNumber.gettid => CurrentThread.Tid,
        SyscallNumber.getppid => CurrentProcess.Parent?.Pid ?? HostLibc.GetPPid(),
        SyscallNumber.getpgid => SysGetPgid((int)a0),
        SyscallNumber.getpgrp => SysGetPgid(0),
        SyscallNumber.getsid => SysGetSid((int)a0),
        SyscallNumber.getuid32 or SyscallNumber.getuid => HostLibc.GetUid(),
        SyscallNumber.geteuid32 or SyscallNumber.geteuid => HostLibc.GetEUid(),
        SyscallNumber.getgid32 or SyscallNumber.getgid => HostLibc.GetGid(),
        SyscallNumber.getegid32 or SyscallNumber.getegid => HostLibc.GetEGid(),
        SyscallNumber.getresuid32 => SysGetResId(a0, a1, a2, HostLibc.GetUid(), HostLibc.GetEUid()),
        SyscallNumber.getresgid32 => SysGetResId(a0, a1, a2, HostLibc.GetGid(), HostLibc.GetEGid()),
        SyscallNumber.getgroups32 => SysGetGroups((int)a0, a1),
        SyscallNumber.set_tid_address => SysSetTidAddress(a0),
        SyscallNumber.set_robust_list => SysSetRobustList(a0, a1),
        SyscallNumber.get_robust_list => SysGetRobustList((int)a0, a1, a2),
        SyscallNumber.uname => SysUname(a0),
        SyscallNumber.umask => HostLibc.UMask((int)a0),
        SyscallNumber.personality => 0,
        SyscallNumber.sched_yield => SysSchedYield(),
        SyscallNumber.sched_getaffinity => SysSchedGetAffinity((int)a0, a1, a2),
        SyscallNumber.prlimit64 => SysPrLimit64((int)a0, (int)a1, a2, a3),
        SyscallNumber.ugetrlimit => SysUGetRLimit((int)a0, a1),
        SyscallNumber.setrlimit => SysSetRLimit((int)a0, a1),
        SyscallNumber.sysinfo => SysSysinfo(a0),
        SyscallNumber.getrandom => SysGetRandom(a0, a1, a2),
        SyscallNumber.futex => SysFutex(a0, (int)a1, a2, a3, a4, a5, wideTime: false),
        SyscallNumber.futex_time64 => SysFutex(a0, (int)a1, a2, a3, a4, a5, wideTime: true),
        SyscallNumber.prctl => SysPrctl((int)a0, a1),

        // time
        SyscallNumber.clock_gettime => SysClockGetTime((int)a0, a1, wide: false),
        SyscallNumber.clock_gettime64 => SysClockGetTime((int)a0, a1, wide: true),
        SyscallNumber.clock_getres => SysClockGetRes((int)a0, a1, wide: false),
        SyscallNumber.clock_getres_time64 => SysClockGetRes((int)a0, a1, wide: true),
        SyscallNumber.gettimeofday => SysGetTimeOfDay(a0),
        SyscallNumber.nanosleep => SysNanosleep(ClockMonotonic, a0, a1, wide: false),
        SyscallNumber.clock_nanosleep => SysClockNanosleep((int)a0, (int)a1, a2, a3, wide: false),
        SyscallNumber.clock_nanosleep_time64 => SysClockNanosleep((int)a0, (int)a1, a2, a3, wide: true),

        // timers
        SyscallNumber.setitimer => SysSetItimer((int)a0, a1, a2),
        SyscallNumber.getitimer => SysGetItimer((int)a0, a1),
        SyscallNumber.timer_create => SysTimerCreate((int)a0, a1, a2),
        SyscallNumber.timer_settime => SysTimerSetTime((int)a0, (int)a1, a2, a3, wide: false),
        SyscallNumber.timer_settime64 => SysTimerSetTime((int)a0, (int)a1, a2, a3, wide: true),
        SyscallNumber.timer_gettime => SysTimerGetTime((int)a0, a1, wide: false),
        SyscallNumber.timer_gettime64 => SysTimerGetTime((int)a0, a1, wide: true),
        SyscallNumber.timer_getoverrun => SysTimerGetOverrun((int)a0),
        SyscallNumber.timer_delete => SysTimerDelete((int)a0),

        // memory
        SyscallNumber.brk => SysBrk(a0),
        SyscallNumber.mmap2 => SysMmap(a0, a1, a2, a3, (int)a4, (long)a5 << 12),
        SyscallNumber.munmap => SysMunmap(a0, a1),
        SyscallNumber.mprotect => SysMprotect(a0, a1, a2),
        SyscallNumber.mremap => SysMremap(a0, a1, a2, a3, a4),
        SyscallNumber.msync => SysMsync(a0, a1, a2),
        SyscallNumber.madvise => SysMadvise(a0, a1, (int)a2),

        // System V IPC (LinuxKernel.SysV.cs)
        SyscallNumber.shmget => SysShmGet((int)a0, a1, (int)a2),
        SyscallNumber.shmat => SysShmAt((int)a0, a1, (int)a2),
        SyscallNumber.shmdt => SysShmDt(a0),
        SyscallNumber.shmctl => SysShmCtl((int)a0, (int)a1, a2),
        SyscallNumber.semget => SysSemGet((int)a0, (int)a1, (int)a2),
        SyscallNumber.semop => SysSemOp((int)a0, a1, a2, 0, wide: false, timed: false),
        SyscallNumber.semtimedop => SysSemOp((int)a0, a1, a2, a3, wide: false, timed: true),
        SyscallNumber.semtimedop_time64 => SysSemOp((int)a0, a1, a2, a3, wide: true, timed: true),
        SyscallNumber.semctl => SysSemCtl((int)a0, (int)a1, (int)a2, a3),
        SyscallNumber.msgget => SysMsgGet((int)a0, (int)a1),
        SyscallNumber.msgsnd => SysMsgSnd((int)a0, a1, a2, (int)a3),
        SyscallNumber.msgrcv => SysMsgRcv((int)a0, a1, a2, (int)a3, (int)a4),
        SyscallNumber.msgctl => SysMsgCtl((int)a0, (int)a1, a2),
        SyscallNumber.mlock or SyscallNumber.munlock => 0,

        // files
        SyscallNumber.read => CurrentProcess.SeededRandomDescriptors.Contains((int)a0) ? ReadSeededRandom(a1, a2)
                              : UnlessBlocking(Fd(a0), PollIn) ?? SysRead(Fd(a0), a1, a2),
        SyscallNumber.write => UnlessBlocking(Fd(a0), PollOut) ?? SysWrite(Fd(a0), a1, a2),
        SyscallNumber.readv => UnlessBlocking(Fd(a0), PollIn) ?? SysReadV(Fd(a0), a1, (int)a2),
        SyscallNumber.writev => UnlessBlocking(Fd(a0), PollOut) ?? SysWriteV(Fd(a0), a1, (int)a2),
        SyscallNumber.pread64 => SysPRead(Fd(a0), a1, a2, Pair(a4, a5)),
        SyscallNumber.pwrite64 => SysPWrite(Fd(a0), a1, a2, Pair(a4, a5)),
        SyscallNumber.open => SysOpenAt(HostLibc.AtFdCwd, a0, (int)a1, (int)a2),
        SyscallNumber.openat => SysOpenAt(Dir(a0), a1, (int)a2, (int)a3, (int)a0),
        SyscallNumber.creat => SysOpenAt(HostLibc.AtFdCwd, a0, 0x241, (int)a1), // O_CREAT|O_WRONLY|O_TRUNC
        SyscallNumber.close => SysClose((int)a0),
        SyscallNumber.close_range => SysCloseRange(a0, a1, a2),
        SyscallNumber.lseek => SeekProcDirectory((int)a0, (int)a1, (int)a2) ?? SysLSeek(Fd(a0), (int)a1, (int)a2),
        SyscallNumber._llseek => SeekProcDirectory((int)a0, Pair(a2, a1), (int)a4, a3) ?? SysLLSeek(Fd(a0), Pair(a2, a1), a3, (int)a4),
        SyscallNumber.stat64 => SysFStatAt(HostLibc.AtFdCwd, a0, a1, 0),
        SyscallNumber.lstat64 => SysFStatAt(HostLibc.AtFdCwd, a0, a1, AtSymlinkNoFollow),
        SyscallNumber.fstat64 => SysFStat(Fd(a0), a1),
        SyscallNumber.fstatat64 => SysFStatAt(Dir(a0), a1, a2, (int)a3),
        SyscallNumber.statx => SysStatx(Dir(a0), a1, (int)a2, a3, a4),
        SyscallNumber.access => SysFAccessAt(HostLibc.AtFdCwd, a0, (int)a1, 0),
        SyscallNumber.faccessat => SysFAccessAt(Dir(a0), a1, (int)a2, 0),
        SyscallNumber.faccessat2 => SysFAccessAt(Dir(a0), a1, (int)a2, (int)a3),
        SyscallNumber.readlink => SysReadLinkAt(HostLibc.AtFdCwd, a0, a1, a2),
        SyscallNumber.readlinkat => SysReadLinkAt(Dir(a0), a1, a2, a3, (int)a0),
        SyscallNumber.getcwd => SysGetCwd(a0, a1),
        SyscallNumber.chdir => SysChDir(a0),
        SyscallNumber.fchdir => SysFChDir((int)a0),
        SyscallNumber.mkdir => WithPath(a0, p => HostLibc.MkDirAt(HostLibc.AtFdCwd, p, (int)a1)),
        SyscallNumber.mkdirat => WithPath(a1, p => HostLibc.MkDirAt(Dir(a0), p, (int)a2)),
        SyscallNumber.rmdir => WithPath(a0, p => HostLibc.UnlinkAt(HostLibc.AtFdCwd, p, AtRemoveDir)),
        SyscallNumber.unlink => WithPath(a0, p => HostLibc.UnlinkAt(HostLibc.AtFdCwd, p, 0)),
        SyscallNumber.unlinkat => WithPath(a1, p => HostLibc.UnlinkAt(Dir(a0), p, (int)a2)),
        SyscallNumber.rename => WithPaths(a0, a1, (p, q) => HostLibc.RenameAt(HostLibc.AtFdCwd, p, HostLibc.AtFdCwd, q)),
        SyscallNumber.renameat => WithPaths(a1, a3, (p, q) => HostLibc.RenameAt(Dir(a0), p, Dir(a2), q)),
        SyscallNumber.renameat2 => a4 != 0 ? -Errno.EINVAL : WithPaths(a1, a3, (p, q) => HostLibc.RenameAt(Dir(a0), p, Dir(a2), q)),
        SyscallNumber.link => WithPaths(a0, a1, (p, q) => HostLibc.LinkAt(HostLibc.AtFdCwd, p, HostLibc.AtFdCwd, q, 0)),
        SyscallNumber.linkat => WithPaths(a1, a3, (p, q) => HostLibc.LinkAt(Dir(a0), p, Dir(a2), q, (int)a4)),
        SyscallNumber.symlink => WithPaths(a0, a1, (p, q) => HostLibc.SymLinkAt(p, HostLibc.AtFdCwd, q)),
        SyscallNumber.symlinkat => WithPaths(a0, a2, (p, q) => HostLibc.SymLinkAt(p, Dir(a1), q)),
        SyscallNumber.chmod => WithPath(a0, p => HostLibc.FChModAt(HostLibc.AtFdCwd, p, (int)a1, 0)),
        SyscallNumber.fchmodat => WithPath(a1, p => HostLibc.FChModAt(Dir(a0), p, (int)a2, 0)),
        SyscallNumber.fchmod => HostLibc.Check(HostLibc.FChMod(Fd(a0), (int)a1)),
        SyscallNumber.chown32 => WithPath(a0, p => HostLibc.FChOwnAt(HostLibc.AtFdCwd, p, (int)a1, (int)a2, 0)),
        SyscallNumber.lchown32 => WithPath(a0, p => HostLibc.FChOwnAt(HostLibc.AtFdCwd, p, (int)a1, (int)a2, AtSymlinkNoFollow)),
        SyscallNumber.fchownat => WithPath(a1, p => HostLibc.FChOwnAt(Dir(a0), p, (int)a2, (int)a3, (int)a4)),
        SyscallNumber.fchown32 => HostLibc.Check(HostLibc.FChOwn(Fd(a0), (int)a1, (int)a2)),
        SyscallNumber.utimensat => SysUTimeNsAt(Dir(a0), a1, a2, (int)a3, wide: false),
        SyscallNumber.utimensat_time64 => SysUTimeNsAt(Dir(a0), a1, a2, (int)a3, wide: true),
        SyscallNumber.getdents64 => SysGetDents64((int)a0, a1, a2),
        SyscallNumber.fcntl64 or SyscallNumber.fcntl => SysFcntl((int)a0, (int)a1, a2),
        SyscallNumber.dup => SysDup((int)a0, 0, closeOnExec: false),
        SyscallNumber.dup2 => SysDup2((int)a0, (int)a1, 0, dup3: false),
        SyscallNumber.dup3 => SysDup2((int)a0, (int)a1, (int)a2, dup3: true),
        SyscallNumber.pipe => SysPipe2(a0, 0),
        SyscallNumber.pipe2 => SysPipe2(a0, (int)a1),
        SyscallNumber.ioctl => SysIoctl(Fd(a0), a1, a2),
        SyscallNumber.ftruncate => HostLibc.Check(HostLibc.FTruncate(Fd(a0), (int)a1)),
        SyscallNumber.truncate => WithPath(a0, p => HostLibc.Truncate(p, (int)a1)),
        SyscallNumber.ftruncate64 => HostLibc.Check(HostLibc.FTruncate(Fd(a0), Pair(a2, a3))),
        SyscallNumber.truncate64 => WithPath(a0, p => HostLibc.Truncate(p, Pair(a2, a3))),
        SyscallNumber.fsync or SyscallNumber.fdatasync => HostLibc.Check(HostLibc.FSync(Fd(a0))),
        SyscallNumber.sync => 0,
        SyscallNumber.poll => SysPoll(a0, a1, Milliseconds(a2)),
        SyscallNumber.ppoll => SysPPoll(a0, a1, a2, a3, a4, wide: false),
        SyscallNumber.ppoll_time64 => SysPPoll(a0, a1, a2, a3, a4, wide: true),
        SyscallNumber._newselect => SysSelect((int)a0, a1, a2, a3, a4),
        SyscallNumber.pselect6 => SysPSelect6((int)a0, a1, a2, a3, a4, a5, wide: false),
        SyscallNumber.pselect6_time64 => SysPSelect6((int)a0, a1, a2, a3, a4, a5, wide: true),
        SyscallNumber.epoll_create => (int)a0 <= 0 ? -Errno.EINVAL : SysEpollCreate(0),
        SyscallNumber.epoll_create1 => SysEpollCreate((int)a0),
        SyscallNumber.epoll_ctl => SysEpollCtl((int)a0, (int)a1, (int)a2, a3),
        SyscallNumber.epoll_wait => SysEpollWait((int)a0, a1, (int)a2, Milliseconds(a3), null),
        SyscallNumber.epoll_pwait => SysEpollPWait((int)a0, a1, (int)a2, Milliseconds(a3), a4, a5),
        SyscallNumber.epoll_pwait2 => SysEpollPWait2((int)a0, a1, (int)a2, a3, a4, a5),
        SyscallNumber.statfs64 => SysStatFs(a0, a1, a2, fd: null),
        SyscallNumber.fstatfs64 => SysStatFs(0, a1, a2, fd: Fd(a0)),

        // signals
        SyscallNumber.rt_sigaction => SysRtSigaction((int)a0, a1, a2, a3),
        SyscallNumber.rt_sigprocmask => SysRtSigprocmask((int)a0, a1, a2, a3),
        SyscallNumber.rt_sigpending => SysRtSigpending(a0, a1),
        SyscallNumber.rt_sigsuspend => SysRtSigsuspend(a0, a1),
        SyscallNumber.pause => SysPause(),
        SyscallNumber.rt_sigqueueinfo => SysRtSigqueueinfo((int)a0, (int)a1, a2),
        SyscallNumber.rt_tgsigqueueinfo => SigqueueInfo((int)a0, (int)a1, (int)a2, a3),
        SyscallNumber.rt_sigtimedwait => SysRtSigtimedwait(a0, a1, a2, a3, wide: false),
        SyscallNumber.rt_sigtimedwait_time64 => SysRtSigtimedwait(a0, a1, a2, a3, wide: true),
        SyscallNumber.rt_sigreturn => SysRtSigreturn(),
        SyscallNumber.sigreturn => SysSigreturn(),
        SyscallNumber.sigaltstack => SysSigaltstack(a0, a1),
        SyscallNumber.kill => SysKill((int)a0, (int)a1),
        SyscallNumber.tgkill => SysTgkill((int)a0, (int)a1, (int)a2),
        SyscallNumber.tkill => SysTgkill(null, (int)a0, (int)a1),

        // ARM private calls (arch/arm/kernel/traps.c, arm_syscall)
        SyscallNumber.breakpoint => SysBreakpoint(),
        SyscallNumber.cacheflush => SysCacheflush(a0, a1, a2),
        SyscallNumber.set_tls => SysSetTls(a0),
        SyscallNumber.get_tls => CurrentThread.Tls,
        _ => UnknownSyscall((uint)nr),
    };

    private long UnknownSyscall(uint nr)
    {
        if (nr == 0xf0000)
        {
            // "branch through zero"
            RaiseSynchronousSignal(Signal.SIGSEGV, SignalCode.SEGV_MAPERR, 0);
            return NoResult;
        }
        if (nr >= 0xf0000 && nr <= 0xf07ff) return -Errno.ENOSYS;
        // Past the ARM private calls (and any old-ABI immediate outside 0x900000-0x9fffff):
        // bad_syscall's SIGILL, as qemu-arm's cpu_loop gives too.
        if (nr > 0xf07ff)
        {
            RaiseSynchronousSignal(Signal.SIGILL, SignalCode.ILL_ILLTRP, CurrentThread.TrapAddress);
            return NoResult;
        }
        // A call libc probes for (rseq at every start-up) is not named unless asked for: said
        // before the name is made, which Enum's reflection made at a millisecond's cost.
        if (!ReportProbedCalls && IsProbedCall((SyscallNumber)nr)) return -Errno.ENOSYS;
        return NotImplemented(Enum.IsDefined((SyscallNumber)nr) ? ((SyscallNumber)nr).ToString() : $"system call {nr}", null);
    }

    private readonly HashSet<string> _reportedMissing = [];

    /// <summary>
    /// Newer calls that C libraries try first and replace with an older one on ENOSYS (glibc
    /// registers rseq at start-up, tries clone3 before clone, faccessat2 before faccessat; busybox copies with sendfile and falls back to read and write):
    /// their absence changes nothing a program does, so they are named only on request.
    /// </summary>
    private static readonly SyscallNumber[] ProbedCallNumbers =
    [
        SyscallNumber.rseq, SyscallNumber.clone3, SyscallNumber.faccessat2, SyscallNumber.close_range, SyscallNumber.statx,
        SyscallNumber.membarrier, SyscallNumber.openat2, SyscallNumber.sendfile, SyscallNumber.sendfile64,
    ];

    private static bool IsProbedCall(SyscallNumber call)
    {
        foreach (var probed in ProbedCallNumbers)
            if (probed == call) return true;
        return false;
    }

    private static bool IsProbedCall(string call)
    {
        foreach (var probed in ProbedCallNumbers)
            if (probed.ToString() == call) return true;
        return false;
    }

    /// <summary>Whether <see cref="Diagnostics"/> also names the calls libc probes for (<c>-d unimp</c>).</summary>
    public bool ReportProbedCalls { get; set; }

    /// <summary>
    /// ENOSYS for a call (or a form of one) the emulated kernel lacks, named once on
    /// <see cref="Diagnostics"/> so that a program which fails because of it says why.
    /// </summary>
    private long NotImplemented(string call, string? form)
    {
        string what = form is null ? $"{call}()" : $"{call}({form})";
        if (Diagnostics is { } d && (ReportProbedCalls || !IsProbedCall(call)) && _reportedMissing.Add(what))
            d.WriteLine($"armemu: {what} is not implemented; returning ENOSYS");
        return -Errno.ENOSYS;
    }

    /// <summary>set_tid_address: where the thread's tid is zeroed (and a futex woken) when it exits; the tid.</summary>
    private long SysSetTidAddress(uint address)
    {
        CurrentThread.ClearChildTid = address;
        return CurrentThread.Tid;
    }

    /// <summary>sched_yield: the rest of the quantum goes to the next runnable thread.</summary>
    private long SysSchedYield()
    {
        if (_threads.Count > 1) _yieldRequested = true;
        if (_threads.Count > 1) Cpu.RequestStop();
        return 0;
    }

    private long SysExit(int status)
    {
        Exit(status);
        return NoResult;
    }
}
