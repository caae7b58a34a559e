using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Process lifetime: fork, vfork and clone of a new process, execve, exit and exit_group,
/// wait4 and waitid, process groups and sessions.
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    private const uint CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneVfork = 0x4000,
        CloneParent = 0x8000, CloneThread = 0x1_0000, CloneSetTls = 0x8_0000, CloneParentSetTid = 0x10_0000,
        CloneChildClearTid = 0x20_0000, CloneChildSetTid = 0x100_0000;
    private const int WNoHang = 1, WUntraced = 2, WExited = 4, WNoWait = 0x0100_0000;
    /// <summary>__WNOTHREAD, __WALL and __WCLONE: accepted (children are not told apart by their exit signal here).</summary>
    private const int WKernelOnly = unchecked((int)0xE000_0000);

    private long SysFork() => CloneProcess((uint)Signal.SIGCHLD, 0, 0, 0, 0);

    private long SysVfork() => CloneProcess(CloneVm | CloneVfork | (uint)Signal.SIGCHLD, 0, 0, 0, 0);

    /// <summary>clone(flags, stack, parent_tid, tls, child_tid): the argument order of ARM's sys_clone.</summary>
    private long SysClone(uint flags, uint stack, uint parentTid, uint tls, uint childTid)
    {
        const uint CloneNewNs = 0x2_0000, CloneNewUser = 0x1000_0000;
        // copy_process: combinations Linux refuses -- shared fs with a new mount or user
        // namespace, a thread without shared handlers, shared handlers without shared memory.
        if ((flags & CloneFs) != 0 && (flags & (CloneNewNs | CloneNewUser)) != 0) return -Errno.EINVAL;
        if ((flags & CloneThread) != 0 && (flags & CloneSighand) == 0) return -Errno.EINVAL;
        if ((flags & CloneSighand) != 0 && (flags & CloneVm) == 0) return -Errno.EINVAL;
        if ((flags & CloneThread) != 0) return CloneThreadInProcess(flags, stack, parentTid, tls, childTid);
        return CloneProcess(flags, stack, parentTid, tls, childTid);
    }

    /// <summary>
    /// A new process (copy_process without CLONE_THREAD): its address space a copy-on-write copy
    /// of the parent's (or the parent's own with CLONE_VM, as vfork and posix_spawn use it), a
    /// copy of its descriptors, dispositions, mask and registers; r0 = 0 in the child. Before
    /// the copy the parent's cache is flushed, as dup_mmap's flush_cache_mm does on a VIVT
    /// cache. The parent continues (or, with CLONE_VFORK, waits until the child execs or exits).
    /// </summary>
    private long CloneProcess(uint flags, uint stack, uint parentTid, uint tls, uint childTid)
    {
        var parent = CurrentProcess;
        bool sharesMemory = (flags & CloneVm) != 0;
        if (!sharesMemory) Machine.FlushWholeCache();
        var space = sharesMemory ? parent.AddressSpace : parent.AddressSpace.Fork();
        int pid = NewId();
        var child = new GuestProcess(pid, (flags & CloneParent) != 0 ? parent.Parent : parent, space, parent.Image)
        {
            Brk = parent.Brk,
            Files = (flags & CloneFiles) != 0 ? parent.Files : parent.Files.Fork(),
            Limits = parent.Limits.Copy(),
            ProcessGroup = parent.ProcessGroup,
            Session = parent.Session,
            ExitSignal = (int)(flags & 0xFF),
            VforkPending = (flags & CloneVfork) != 0,
        };
        child.WorkingDirectory = parent.WorkingDirectory >= 0 ? HostLibc.FCntl(parent.WorkingDirectory, 1030 /* F_DUPFD_CLOEXEC */, 3) : -1;
        parent.SignalActions.CopyTo(child.SignalActions, 0);
        foreach (var (fd, sync) in parent.DevMemDescriptors) child.DevMemDescriptors[fd] = sync;
        child.PagesBeyondEndOfFile.UnionWith(parent.PagesBeyondEndOfFile);
        (child.Parent ?? parent).Children.Add(child);
        if (!sharesMemory) InheritAttachments(parent, child);

        var thread = NewThreadLike(CurrentThread, child, pid, stack);
        if ((flags & CloneSetTls) != 0) thread.Tls = tls;
        if ((flags & CloneChildSetTid) != 0)
        {
            if (sharesMemory) WriteUser32(childTid, (uint)pid);
            else thread.SetChildTidOnStart = childTid;
        }
        if ((flags & CloneChildClearTid) != 0) thread.ClearChildTid = childTid;
        if ((flags & CloneParentSetTid) != 0) WriteUser32(parentTid, (uint)pid);
        child.Threads.Add(thread);
        _processes[pid] = child;
        _threads.Add(thread);
        _processesStarted++;
        _threadsStarted++;

        if ((flags & CloneVfork) != 0)
        {
            // The parent sleeps until the child releases the memory they share (execve or exit).
            Cpu.R[0] = (uint)pid;
            BlockCurrent(new ThreadBlock(() => !child.VforkPending), restart: false);
        }
        return pid;
    }

    /// <summary>A thread that resumes where <paramref name="model"/> is (r0 = 0, the new stack if one is given), with its mask, altstack and TLS.</summary>
    private GuestThread NewThreadLike(GuestThread model, GuestProcess process, int tid, uint stack)
    {
        var thread = new GuestThread(tid, process)
        {
            SignalMask = model.SignalMask,
            AltStack = model.AltStack,
            AltStackSize = model.AltStackSize,
            AltStackFlags = model.AltStackFlags,
            Tls = model.Tls,
        };
        thread.SaveContext(Cpu);
        thread.SetSavedRegister(0, 0);
        if (stack != 0) thread.SetSavedRegister(13, stack);
        return thread;
    }

    /// <summary>
    /// A new thread of the caller's process (clone with CLONE_THREAD, as pthread_create makes
    /// one: CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|
    /// CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID): the same memory, descriptors
    /// and dispositions; its own tid, stack, TLS, signal mask (the caller's) and pending
    /// signals (none). It runs when the scheduler comes to it; the caller continues.
    /// </summary>
    private long CloneThreadInProcess(uint flags, uint stack, uint parentTid, uint tls, uint childTid)
    {
        // CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM (copy_process's checks).
        if ((flags & CloneSighand) == 0 || (flags & CloneVm) == 0) return -Errno.EINVAL;
        var process = CurrentProcess;
        int tid = NewId();
        var thread = NewThreadLike(CurrentThread, process, tid, stack);
        if ((flags & CloneSetTls) != 0) thread.Tls = tls;
        if ((flags & CloneParentSetTid) != 0 && !WriteUser32(parentTid, (uint)tid)) return -Errno.EFAULT;
        if ((flags & CloneChildSetTid) != 0) WriteUser32(childTid, (uint)tid);
        if ((flags & CloneChildClearTid) != 0) thread.ClearChildTid = childTid;
        process.Threads.Add(thread);
        _threads.Add(thread);
        _threadsStarted++;
        return tid;
    }

    private readonly HashSet<string> _reportedUnsupported = [];

    /// <summary>ENOSYS for a form of a call the kernel lacks, said once on --strace's stream.</summary>
    private long NotSupportedCall(string what)
    {
        if (Strace is { } trace && _reportedUnsupported.Add(what)) trace.WriteLine($"armemu: {what} is not supported; returning ENOSYS");
        return -Errno.ENOSYS;
    }

    // ---- exit -------------------------------------------------------------------------------

    private long SysExitThread(int status)
    {
        var process = CurrentProcess;
        if (process.Threads.Count(t => !t.HasExited) <= 1) return SysExit(status);
        EndThread(CurrentThread);
        Cpu.RequestStop();
        return NoResult;
    }

    /// <summary>A thread ends: CLONE_CHILD_CLEARTID's word is zeroed and its futex woken (mm_release).</summary>
    private void EndThread(GuestThread thread)
    {
        if (thread.HasExited) return;
        // mm_release: the robust list first, then clear_child_tid (exit_mm_release).
        ExitRobustList(thread);
        if (thread.ClearChildTid != 0 && ReferenceEquals(thread.Process.AddressSpace, Memory.Translator) && WriteUser32(thread.ClearChildTid, 0))
            FutexWakeWord(thread.Process, thread.ClearChildTid, 1, uint.MaxValue);
        thread.HasExited = true;
        thread.Block = null;
        LeaveFutexQueue(thread);
        thread.PendingSignals.Clear();
        _threads.Remove(thread);
    }

    /// <summary>
    /// The whole process ends (exit_group, a fatal signal): its threads go, its memory and
    /// descriptors are released (the VIVT cache flushed first, as exit_mmap does, so no dirty
    /// line is written back later into a frame someone else has by then), its children are
    /// orphaned, and its parent is sent its exit signal and may reap it. The first process's
    /// memory and descriptors stay as they are: the run ends with it, and what it left is
    /// still inspected (caches, shared files).
    /// </summary>
    internal void ExitProcess(GuestProcess process, int waitStatus, int exitStatus)
    {
        if (process.HasExited) return;
        process.ExitStatus = exitStatus;
        process.WaitStatus = waitStatus;
        DetachAll(process);
        foreach (var thread in process.Threads.ToArray()) EndThread(thread); // List's own copy, not LINQ's (type loads at every exit)
        process.VforkPending = false;
        DeleteTimers(process, posixOnly: false);
        if (ReferenceEquals(process, CurrentProcess)) Cpu.RequestStop();
        if (!ReferenceEquals(process, InitialProcess))
        {
            ReleaseAddressSpace(process);
            process.Files.CloseAll();
            if (process.WorkingDirectory >= 0) HostLibc.Close(process.WorkingDirectory);
            process.WorkingDirectory = -1;
        }
        foreach (var child in process.Children)
        {
            child.Parent = null;
            if (child.HasExited) _processes.Remove(child.Pid);
        }
        process.Children.Clear();
        NotifyParent(process);
    }

    /// <summary>Drops a process's pages unless another live process shares them (a vfork parent).</summary>
    private void ReleaseAddressSpace(GuestProcess process)
    {
        var space = process.AddressSpace;
        if (_processes.Values.Any(p => !ReferenceEquals(p, process) && !p.HasExited && ReferenceEquals(p.AddressSpace, space))) return;
        if (ReferenceEquals(Memory.Translator, space)) Machine.FlushWholeCache();
        space.Clear();
        TrimPageCache();
    }

    /// <summary>
    /// do_notify_parent: the parent gets the exit signal (SIGCHLD) with CLD_EXITED or
    /// CLD_KILLED; a parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never sees a zombie,
    /// and an orphan is reaped at once.
    /// </summary>
    private void NotifyParent(GuestProcess process)
    {
        if (process.Parent is not { } parent || parent.HasExited)
        {
            _processes.Remove(process.Pid);
            return;
        }
        if (process.ExitSignal != 0)
        {
            var info = SigInfo(process.ExitSignal, (process.WaitStatus & 0x7F) != 0 ? 2 /* CLD_KILLED */ : 1 /* CLD_EXITED */);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(12), process.Pid);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(16), HostLibc.GetUid());
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(20), (process.WaitStatus & 0x7F) != 0 ? process.WaitStatus & 0x7F : process.WaitStatus >> 8);
            SendProcessSignal(parent, process.ExitSignal, info);
        }
        var action = parent.SignalActions[(int)Signal.SIGCHLD];
        if (process.ExitSignal == (int)Signal.SIGCHLD && (action.Handler == SigIgnore || (action.Flags & SaNoCldWait) != 0))
        {
            parent.Children.Remove(process);
            _processes.Remove(process.Pid);
        }
    }

    private const uint SaNoCldWait = 0x2;

    /// <summary>Host programs started by execve that have ended: their guest processes exit with the host's wait status.</summary>
    private void ReapHostChildren()
    {
        foreach (var process in _processes.Values.Where(p => p.HostPid != 0 && !p.HasExited).ToList())
        {
            int status;
            if (HostLibc.WaitPid(process.HostPid, &status, WNoHang) != process.HostPid) continue;
            int code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
            ExitProcess(process, status & 0xFFFF, code);
        }
    }

    // ---- wait ---------------------------------------------------------------------------------

    /// <summary>The children <paramref name="pid"/> selects, as wait4 reads it: > 0 one pid, -1 any, 0 the caller's group, &lt; -1 group -pid.</summary>
    private List<GuestProcess> WaitCandidates(int pid)
    {
        var me = CurrentProcess;
        return me.Children.Where(c => pid switch
        {
            > 0 => c.Pid == pid,
            -1 => true,
            0 => c.ProcessGroup == me.ProcessGroup,
            _ => c.ProcessGroup == -pid,
        }).ToList();
    }

    /// <summary>
    /// wait4(pid, status, options, rusage): the first child the pid selects, in the order the
    /// children were made, that has something to report (wait_consider_task): an exit (the zombie
    /// is reaped), with WUNTRACED a stop not reported yet ((signal &lt;&lt; 8) | 0x7f), with
    /// WCONTINUED a continue (0xffff); its status and an all-zero rusage are written. 0 with
    /// WNOHANG while none has, ECHILD if no child matches, EINVAL for an unknown option;
    /// otherwise the thread blocks and the call is made again when a child has something.
    /// </summary>
    private long SysWait4(int pid, uint statusAddress, int options, uint rusageAddress)
    {
        if ((options & ~(WNoHang | WUntraced | WContinued | WKernelOnly)) != 0) return -Errno.EINVAL;
        if (pid == int.MinValue) return -Errno.ESRCH; // kernel_wait4: -INT_MIN names no group
        ReapHostChildren();
        var candidates = WaitCandidates(pid);
        if (candidates.Count == 0) return -Errno.ECHILD;
        var child = candidates.FirstOrDefault(c => Reportable(c, options, exited: true));
        if (child is null)
        {
            if ((options & WNoHang) != 0) return 0;
            var me = CurrentProcess;
            return BlockCurrent(new ThreadBlock(() => WaitCandidatesOf(me, pid).Any(c => Reportable(c, options, exited: true)) || !WaitCandidatesOf(me, pid).Any(),
                dependsOnHost: candidates.Any(c => c.HostPid != 0)), restart: true);
        }
        bool stopped = !child.HasExited && (options & WUntraced) != 0 && child.StopToReport != 0;
        int status = child.HasExited ? child.WaitStatus : stopped ? (child.StopToReport << 8) | 0x7F : 0xFFFF;
        if (statusAddress != 0 && !WriteUser32(statusAddress, (uint)status)) return -Errno.EFAULT;
        if (rusageAddress != 0 && !WriteUser(rusageAddress, new byte[72])) return -Errno.EFAULT;
        if (child.HasExited) Reap(child);
        else if (stopped) child.StopToReport = 0;
        else child.ContinueToReport = false;
        return child.Pid;
    }

    private IEnumerable<GuestProcess> WaitCandidatesOf(GuestProcess parent, int pid) => parent.Children.Where(c => pid switch
    {
        > 0 => c.Pid == pid,
        -1 => true,
        0 => c.ProcessGroup == parent.ProcessGroup,
        _ => c.ProcessGroup == -pid,
    });

    private void Reap(GuestProcess zombie)
    {
        zombie.Parent?.Children.Remove(zombie);
        _processes.Remove(zombie.Pid);
        if (zombie.WorkingDirectory >= 0) HostLibc.Close(zombie.WorkingDirectory);
        zombie.WorkingDirectory = -1;
    }

    /// <summary>
    /// waitid(idtype, id, infop, options, rusage): P_ALL, P_PID or P_PGID; at least one of
    /// WEXITED, WSTOPPED and WCONTINUED says what to report (as wait4 does, in the children's
    /// order); the siginfo has SIGCHLD, CLD_EXITED, CLD_KILLED, CLD_STOPPED or CLD_CONTINUED,
    /// the pid, uid and status; WNOWAIT leaves the child as it was (a zombie, a stop or a continue
    /// still to report). Unknown options, an unknown idtype or P_PID with a pid below 1 are EINVAL.
    /// </summary>
    private long SysWaitId(int idType, int id, uint infoAddress, int options, uint rusageAddress)
    {
        if ((options & ~(WNoHang | WNoWait | WExited | WUntraced | WContinued | WKernelOnly)) != 0) return -Errno.EINVAL;
        if ((options & (WExited | WUntraced | WContinued)) == 0 || idType is < 0 or > 2) return -Errno.EINVAL;
        if (idType == 1 && id <= 0) return -Errno.EINVAL;
        int pid = idType switch { 0 => -1, 1 => id, _ => id == 0 ? 0 : -id };
        bool exited = (options & WExited) != 0;
        ReapHostChildren();
        var candidates = WaitCandidates(pid);
        if (candidates.Count == 0) return -Errno.ECHILD;
        var child = candidates.FirstOrDefault(c => Reportable(c, options, exited));
        if (child is null)
        {
            if ((options & WNoHang) != 0) return infoAddress == 0 || WriteUser(infoAddress, new byte[SigInfoSize]) ? 0 : -Errno.EFAULT;
            var me = CurrentProcess;
            return BlockCurrent(new ThreadBlock(() => WaitCandidatesOf(me, pid).Any(c => Reportable(c, options, exited)) || !WaitCandidatesOf(me, pid).Any(),
                dependsOnHost: candidates.Any(c => c.HostPid != 0)), restart: true);
        }
        bool stopped = !child.HasExited && (options & WUntraced) != 0 && child.StopToReport != 0;
        if (infoAddress != 0)
        {
            bool killed = child.HasExited && (child.WaitStatus & 0x7F) != 0;
            int code = child.HasExited ? (killed ? 2 : 1) : stopped ? CldStopped : CldContinued;
            int status = child.HasExited ? (killed ? child.WaitStatus & 0x7F : child.WaitStatus >> 8)
                : stopped ? child.StopToReport : (int)Signal.SIGCONT;
            var info = SigInfo((int)Signal.SIGCHLD, code);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(12), child.Pid);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(16), HostLibc.GetUid());
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(20), status);
            if (!WriteUser(infoAddress, info)) return -Errno.EFAULT;
        }
        if (rusageAddress != 0 && !WriteUser(rusageAddress, new byte[72])) return -Errno.EFAULT;
        if ((options & WNoWait) == 0)
        {
            if (child.HasExited) Reap(child);
            else if (stopped) child.StopToReport = 0;
            else child.ContinueToReport = false;
        }
        return 0;
    }

    // ---- process groups and sessions ---------------------------------------------------------

    private GuestProcess? ProcessOrSelf(int pid) => pid == 0 ? CurrentProcess : _processes.GetValueOrDefault(pid);

    private long SysGetPgid(int pid) => ProcessOrSelf(pid) is { } p ? p.ProcessGroup : HostLibc.Check(HostLibc.GetPGid(pid));

    private long SysGetSid(int pid) => ProcessOrSelf(pid) is { } p ? p.Session : HostLibc.Check(HostLibc.GetSid(pid));

    /// <summary>setpgid(pid, pgid): the caller or one of its children, into a group of its session (or a new one named by its pid).</summary>
    private long SysSetPgid(int pid, int pgid)
    {
        if (pgid < 0) return -Errno.EINVAL;
        var target = ProcessOrSelf(pid);
        if (target is null || (!ReferenceEquals(target, CurrentProcess) && !ReferenceEquals(target.Parent, CurrentProcess))) return -Errno.ESRCH;
        if (target.Session != CurrentProcess.Session || target.Pid == target.Session) return -Errno.EPERM;
        if (pgid == 0) pgid = target.Pid;
        if (pgid != target.Pid && !_processes.Values.Any(p => p.ProcessGroup == pgid && p.Session == target.Session)) return -Errno.EPERM;
        target.ProcessGroup = pgid;
        return 0;
    }

    /// <summary>setsid: a new session and group named by the caller's pid (EPERM for a group leader).</summary>
    private long SysSetSid()
    {
        var me = CurrentProcess;
        if (_processes.Values.Any(p => p.ProcessGroup == me.Pid)) return -Errno.EPERM;
        me.Session = me.ProcessGroup = me.Pid;
        return me.Pid;
    }

    // ---- execve -------------------------------------------------------------------------------

    /// <summary>A NULL-terminated array of string pointers (argv, envp); null if any part is unreadable.</summary>
    private List<string>? ReadUserStringArray(uint address)
    {
        var result = new List<string>();
        if (address == 0) return result;
        for (int i = 0; i < 65536; i++)
        {
            if (!ReadUser32(address + (uint)(4 * i), out uint pointer)) return null;
            if (pointer == 0) return result;
            byte[]? s = ReadUserString(pointer, 131072);
            if (s is null) return null;
            result.Add(Encoding.UTF8.GetString(s, 0, s.Length - 1));
        }
        return null;
    }

    /// <summary>
    /// execve(path, argv, envp). An ARM ELF replaces the process's program (a fresh address
    /// space, a new image with argv, envp and auxv; descriptors marked close-on-exec closed;
    /// handled signals back to their default, ignored ones still ignored; no altstack). Any
    /// other executable runs on the host, as qemu-arm would hand it to the host's execve: the
    /// guest process stays (its pid, its parent's wait) until the host program ends, with the
    /// guest's descriptors at their guest numbers.
    /// </summary>
    private long SysExecve(uint pathAddress, uint argvAddress, uint envpAddress)
    {
        byte[]? rawPath = ReadUserPath(pathAddress);
        var arguments = ReadUserStringArray(argvAddress);
        var environment = ReadUserStringArray(envpAddress);
        if (rawPath is null || arguments is null || environment is null) return -Errno.EFAULT;
        string path = Encoding.UTF8.GetString(rawPath, 0, rawPath.Length - 1);
        if (path.Length == 0) return -Errno.ENOENT;
        long access;
        fixed (byte* p = rawPath) access = HostLibc.Check(HostLibc.FAccessAt(HostLibc.AtFdCwd, p, 1 /* X_OK */, 0));
        if (access < 0) return access;
        if (Directory.Exists(path)) return -Errno.EACCES;
        byte[] header = new byte[20];
        try
        {
            using var file = File.OpenRead(path);
            file.ReadExactly(header, 0, (int)Math.Min(header.Length, file.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -Errno.EACCES;
        }
        bool armElf = ExecImage.IsElf(header) && BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)) == 40; // EM_ARM
        return armElf ? ExecArm(path, arguments, environment) : ExecOnHost(path, arguments, environment);
    }

    private long ExecArm(string path, List<string> arguments, List<string> environment)
    {
        var process = CurrentProcess;
        var oldSpace = process.AddressSpace;
        var newSpace = Machine.NewAddressSpace();
        // exec_mm_release walks the robust lists while the old memory is in place (here before the
        // new image loads: should the load fail, the caller has lost its robust list, which
        // only a program exec'ing a broken file while it holds a robust mutex would notice).
        foreach (var t in process.Threads) ExitRobustList(t);
        Machine.SwitchAddressSpace(newSpace);
        ExecImage image;
        try
        {
            image = ExecImage.Load(Machine, newSpace, path, arguments, environment, SysRoot, Random, StackSize);
        }
        catch (Exception e) when (e is ProcessLoadException or OutOfGuestMemoryException)
        {
            // Nothing of the old program was touched: it gets the error.
            Machine.SwitchAddressSpace(oldSpace);
            newSpace.Clear();
            return e is OutOfGuestMemoryException ? -Errno.ENOMEM : -Errno.ENOEXEC;
        }

        // de_thread: the other threads go; the caller becomes the process's only thread.
        foreach (var other in process.Threads.Where(t => !ReferenceEquals(t, CurrentThread)).ToList()) EndThread(other);
        foreach (var ended in process.Threads.Where(t => t.HasExited)) process.InstructionsOfEndedThreads += InstructionsRunBy(ended);
        process.Threads.RemoveAll(t => t.HasExited);
        if (!_processes.Values.Any(p => !ReferenceEquals(p, process) && !p.HasExited && ReferenceEquals(p.AddressSpace, oldSpace)))
        {
            oldSpace.Clear();
            TrimPageCache();
        }
        DetachAll(process); // shmat attachments do not survive execve (exec_mmap drops the old mm)
        process.AddressSpace = newSpace;
        process.Image = image;
        process.Brk = image.BrkStart;
        process.PagesBeyondEndOfFile.Clear();
        foreach (int fd in process.Files.Descriptors.Where(process.Files.CloseOnExec).ToList()) process.DevMemDescriptors.Remove(fd);
        process.Files.CloseOnExecDescriptors();
        DeleteTimers(process, posixOnly: true); // POSIX timers go with the program; itimers stay (execve(2))
        // flush_signal_handlers: handled signals go back to the default; ignored ones stay ignored.
        for (int s = 1; s < process.SignalActions.Length; s++)
            process.SignalActions[s] = process.SignalActions[s].Handler == SigIgnore ? (SigIgnore, 0u, 0u, 0UL) : default;
        var thread = CurrentThread;
        (thread.AltStack, thread.AltStackSize, thread.AltStackFlags) = (0, 0, GuestThread.AltStackDisabled);
        thread.Tls = 0;
        thread.ClearChildTid = 0;
        thread.RobustListHead = thread.RobustListLength = 0;
        process.VforkPending = false;

        // start_thread: all registers zero, User mode with the flags clear, at the entry point.
        for (int r = 0; r < 15; r++) Cpu.R[r] = 0;
        Cpu.WriteCpsr(0, 0xF800_0000);
        image.Enter(Cpu);
        return NoResult;
    }

    private long ExecOnHost(string path, List<string> arguments, List<string> environment)
    {
        var process = CurrentProcess;
        var files = process.Files;
        var descriptors = files.Descriptors.Where(fd => !files.CloseOnExec(fd)).Select(fd => (fd, files.Host(fd))).ToList();
        long pid = HostLibc.Spawn(path, arguments, environment, descriptors);
        if (pid < 0) return pid;
        // The guest program is gone: its memory and descriptors are released; the process
        // lives on as the host program, and exits when it does.
        foreach (var other in process.Threads.ToList()) EndThread(other);
        process.HostPid = (int)pid;
        process.VforkPending = false;
        if (!ReferenceEquals(process, InitialProcess))
        {
            ReleaseAddressSpace(process);
            files.CloseAll();
        }
        Cpu.RequestStop();
        return NoResult;
    }
}
